"""Contacts, courses, activities and attendance over the API follow the same rules and audit as the web pages."""

import datetime

import pytest

from traedesten.accounts.api_auth import issue_token
from traedesten.accounts.models import AuditEvent
from traedesten.accounts.roles import Role
from traedesten.civil.models import Match
from traedesten.courses import groups
from traedesten.courses.models import Activity, Course, Offer
from traedesten.economy.models import PriceItem, ShadowAssessment

START = datetime.date(2026, 3, 2)


@pytest.fixture
def call(client):
    def make(user):
        token = issue_token(user, "test")
        return lambda method, path, **kw: getattr(client, method)(
            f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, content_type="application/json", **kw)
    return make


@pytest.fixture
def api(call, guide):
    return call(guide)


def _offer(name):
    return Offer.objects.get(name=name)


def test_contact_register_and_queue(api, guide, make_person, team):
    person = make_person(guide, team=team)
    walk_in = api("post", "/contacts", data={"reason": "Skattekort"})
    assert walk_in.status_code == 201 and walk_in.json()["queue_status"] == "waiting"
    phone = api("post", "/contacts", data={"channel": "phone", "person_id": person.pk})
    assert phone.status_code == 422 and "udfald" in phone.json()["detail"]
    phone = api("post", "/contacts", data={"channel": "phone", "person_id": person.pk, "outcome": "information"})
    assert phone.status_code == 201
    assert len(api("get", "/contacts").json()) == 2
    assert AuditEvent.objects.filter(person_id=person.pk, section="contacts", channel="api").exists()


def test_course_lifecycle_through_the_api(api, guide, make_person, team):
    person = make_person(guide, team=team)
    started = api("post", f"/people/{person.pk}/courses", data={"offer_id": _offer("Din Indgang – forløb").pk,
                                                                 "start": START.isoformat()})
    assert started.status_code == 201, started.content
    course = started.json()
    assert [d["due"] for d in course["deadlines"]] == ["2026-03-30", "2026-05-11", "2026-07-20"]
    early = api("post", f"/people/{person.pk}/activities",
                data={"kind": "follow_up", "on": "2026-03-01", "course_id": course["id"], "delivered_hours": "1"})
    assert early.status_code == 400 and "før forløbets start" in early.json()["detail"]
    follow_up = api("post", f"/people/{person.pk}/activities",
                    data={"kind": "follow_up", "on": "2026-03-20", "course_id": course["id"], "delivered_hours": "1",
                          "channel": "phone"})
    assert follow_up.status_code == 201
    no_destination = api("post", f"/courses/{course['id']}/close", data={"closed_on": "2026-06-01", "destination": "",
                                                                          "version": course["version"]})
    assert no_destination.status_code == 400 and "Vælg hvor borgeren går videre" in no_destination.json()["detail"]
    before_start = api("post", f"/courses/{course['id']}/close", data={"closed_on": "2026-02-01",
                                                                        "destination": "civil_society", "version": 1})
    assert before_start.status_code == 400 and "før forløbets start" in before_start.json()["detail"]
    close = {"closed_on": "2026-06-01", "destination": "civil_society", "kickoff_on": "2026-06-03", "version": 1}
    no_shadow = api("post", f"/courses/{course['id']}/close", data=close)
    assert no_shadow.status_code == 400 and "skyggevisitationen" in no_shadow.json()["detail"]
    assert Course.objects.get(pk=course["id"]).status == "active"  # nothing half-saved
    item = PriceItem.objects.filter(active=True).first()
    closed = api("post", f"/courses/{course['id']}/close",
                 data=close | {"shadow": {"would_have_id": item.pk, "confidence": "high"}})
    assert closed.status_code == 400 and "afslutningsnotatet" in closed.json()["detail"]
    assert Course.objects.get(pk=course["id"]).status == "active"
    closed = api("post", f"/courses/{course['id']}/close",
                 data=close | {"shadow": {"would_have_id": item.pk, "confidence": "high"},
                               "ending": {"what_helped": "At komme ud", "klip": 2}})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # The same as closing on the page: the shadow visitation and the kick-off on the coordinator's list.
    shadow = ShadowAssessment.objects.get(course_id=course["id"])
    assert (shadow.would_have, shadow.confidence, shadow.assessed_by) == (item, "high", guide)
    assert Match.objects.get(course_id=course["id"]).kickoff_on == datetime.date(2026, 6, 3)
    again = api("post", f"/courses/{course['id']}/close", data={"closed_on": "2026-06-01", "destination": "other",
                                                                 "version": 1})
    assert again.status_code == 409
    listed = api("get", f"/people/{person.pk}/courses").json()
    assert listed["courses"][0]["destination"] == "civil_society" and listed["bypass"] is None
    assert [a["kind"] for a in api("get", f"/people/{person.pk}/activities").json()] == ["follow_up"]
    channels = set(AuditEvent.objects.filter(person_id=person.pk, section__in=["course", "activity"]).values_list("channel", flat=True))
    assert channels == {"api"}


def test_soft_cap_is_a_409_until_a_reason_is_given(api, guide, make_person, team):
    person = make_person(guide, team=team)
    for name in ("Individuelt §82b-forløb (6 måneder)", "Akut rådgivning (§82c)", "Opsøgende SKP (§99)"):
        assert api("post", f"/people/{person.pk}/courses", data={"offer_id": _offer(name).pk, "start": "2026-03-02"}).status_code == 201
    data = {"offer_id": _offer("Din Indgang – forløb").pk, "start": "2026-03-02"}
    assert api("post", f"/people/{person.pk}/courses", data=data).status_code == 409
    assert api("post", f"/people/{person.pk}/courses", data=data | {"cap_reason": "Aftalt med leder"}).status_code == 201


def test_the_api_refuses_citizens_outside_the_caseload(call, make_user, other_team, guide, make_person, team):
    person = make_person(guide, team=team)
    outsider = call(make_user(Role.GUIDE, [other_team]))
    assert outsider("get", f"/people/{person.pk}/courses").status_code == 403
    assert outsider("post", f"/people/{person.pk}/activities", data={"kind": "coaching", "on": "2026-03-02"}).status_code == 403
    analyst = call(make_user(Role.ANALYST))
    assert analyst("post", "/contacts", data={}).status_code == 403
    assert not Activity.objects.exists()


def test_group_enrolment_and_attendance_through_the_api(api, guide, make_person, team):
    group = groups.create_group(guide, _offer("Gruppeforløb"), theme="NADA", start=START, planned_sessions=8,
                                session_hours=2, capacity=1, facilitators=[guide])
    a, b = make_person(guide, team=team), make_person(guide, team=team)
    assert api("post", f"/groups/{group.pk}/enrolments", data={"person_id": a.pk}).status_code == 201
    assert api("post", f"/groups/{group.pk}/enrolments", data={"person_id": a.pk}).status_code == 400
    full = api("post", f"/groups/{group.pk}/enrolments", data={"person_id": b.pk})
    assert full.status_code == 409 and "fuldt" in full.json()["detail"]
    assert api("post", f"/groups/{group.pk}/enrolments", data={"person_id": b.pk, "cap_reason": "Ekstra stol"}).status_code == 201
    session = api("post", f"/groups/{group.pk}/sessions", data={
        "on": START.isoformat(), "hours": "2", "facilitator_ids": [guide.pk], "cap_reason": "Kollegaen var syg",
        "attendance": [{"person_id": a.pk, "attendance": "attended"}, {"person_id": b.pk, "attendance": "no_show"}]})
    assert session.status_code == 201, session.content
    body = session.json()
    stale = api("put", f"/sessions/{body['id']}/attendance", data={"version": 0, "attendance": []})
    assert stale.status_code == 409
    fixed = api("put", f"/sessions/{body['id']}/attendance", data={
        "version": body["version"], "attendance": [{"person_id": b.pk, "attendance": "attended"}]})
    assert fixed.status_code == 200
    assert dict(Activity.objects.values_list("person_id", "attendance")) == {a.pk: "attended", b.pk: "attended"}
    assert Course.objects.filter(group=group).count() == 2
    assert len(api("get", f"/groups/{group.pk}/sessions").json()) == 1
