"""The offer's planned number of coaching conversations and of facilitators per group session are read: going beyond
them asks for a reason on the page and in the API, and the reason is kept (seed 000; issue 27)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from traedesten.accounts.api_auth import issue_token
from traedesten.courses import groups, services as courses
from traedesten.courses.models import Activity, GroupSession, Offer
from traedesten.courses.services import SoftCapExceeded
from traedesten.interop import exporter

START = datetime.date(2026, 3, 2)
ONE = Decimal(1)


@pytest.fixture
def coaching_course(guide, team, make_person):
    offer = Offer.objects.get(name="Din Indgang – forløb")
    Offer.objects.filter(pk=offer.pk).update(max_coaching_sessions=2)
    person = make_person(guide, team=team)
    return courses.start_course(guide, person, Offer.objects.get(pk=offer.pk), start=START)


def _coach(guide, course, day: int, **extra) -> Activity:
    return courses.record_activity(guide, course.person, kind="coaching", on=START + datetime.timedelta(days=day),
                                   course=course, delivered_hours=ONE, staff_hours={guide: ONE}, **extra)


def test_a_coaching_conversation_beyond_the_offer_s_number_asks_for_a_reason_and_keeps_it(guide, coaching_course):
    _coach(guide, coaching_course, 7)
    _coach(guide, coaching_course, 14, attendance="no_show")  # a missed conversation was not held
    _coach(guide, coaching_course, 21)
    with pytest.raises(SoftCapExceeded, match="har haft 2 coachende samtaler.*ca. 2"):
        _coach(guide, coaching_course, 28)
    assert coaching_course.activities.count() == 3
    _coach(guide, coaching_course, 28, attendance="cancelled")  # nothing held, nothing to explain
    courses.record_activity(guide, coaching_course.person, kind="follow_up", on=START + datetime.timedelta(days=29),
                            course=coaching_course, delivered_hours=ONE)  # other kinds are not counted
    third = _coach(guide, coaching_course, 35, cap_reason="  Borgeren  er tæt på et job ")
    assert third.over_plan_reason == "Borgeren er tæt på et job"


def test_without_a_planned_number_no_reason_is_asked(guide, coaching_course):
    Offer.objects.filter(pk=coaching_course.offer_id).update(max_coaching_sessions=None)
    coaching_course.offer.refresh_from_db()
    for day in range(7, 70, 7):
        assert _coach(guide, coaching_course, day).over_plan_reason == ""


def test_the_activity_page_shows_the_warning_saves_nothing_and_saves_with_a_reason(client, guide, coaching_course):
    for day in (7, 14):
        _coach(guide, coaching_course, day)
    client.force_login(guide)
    url = reverse("courses:activity", args=[coaching_course.person_id])
    form = {"kind": "coaching", "course": coaching_course.pk, "on": "2026-03-30", "attendance": "attended",
            "channel": "office", "delivered_hours": "1"}
    page = client.post(url, form)
    assert page.status_code == 200 and "ca. 2" in page.content.decode() and 'name="cap_reason_text"' in page.content.decode()
    assert coaching_course.activities.count() == 2
    assert client.post(url, {**form, "cap_reason_text": "Aftalt med borgeren"}).status_code == 302
    assert coaching_course.activities.latest("pk").over_plan_reason == "Aftalt med borgeren"


def test_the_api_answers_409_and_accepts_the_reason(client, guide, coaching_course):
    for day in (7, 14):
        _coach(guide, coaching_course, day)
    headers = {"Authorization": f"Bearer {issue_token(guide, 'test')}"}
    path = f"/api/v1/people/{coaching_course.person_id}/activities"
    payload = {"kind": "coaching", "on": "2026-03-30", "course_id": coaching_course.pk, "delivered_hours": "1"}
    refused = client.post(path, payload, content_type="application/json", headers=headers)
    assert refused.status_code == 409 and refused.json()["errors"] == [{"field": "cap_reason", "message": "cap_exceeded"}]
    accepted = client.post(path, {**payload, "cap_reason": "Aftalt med borgeren"}, content_type="application/json",
                           headers=headers)
    assert accepted.status_code == 201
    assert Activity.objects.get(pk=accepted.json()["id"]).over_plan_reason == "Aftalt med borgeren"


def test_the_reason_travels_in_the_interchange_file(guide, coaching_course):
    for day in (7, 14):
        _coach(guide, coaching_course, day)
    _coach(guide, coaching_course, 21, cap_reason="Aftalt med borgeren")
    reasons = [r.get("over_plan_reason") for r in exporter.records(actor=guide) if r["type"] == "activity"]
    assert reasons == [None, None, "Aftalt med borgeren"]


@pytest.fixture
def group(guide, make_user, team, make_person):
    """A group whose offer plans for two facilitators, run by the guide and a colleague, with one participant."""
    offer = Offer.objects.get(name="Gruppeforløb")
    assert offer.group_facilitators == 2  # the catalogue's rule
    colleague = make_user("guide", [team])
    run = groups.create_group(guide, offer, theme="Struktur i hverdagen", start=START, planned_sessions=8,
                              session_hours=Decimal(2), facilitators=[guide, colleague])
    groups.enrol(guide, run, make_person(guide, team=team), on=START)
    return run


def _attendance(group) -> dict[int, str]:
    return {c.person_id: "attended" for c in groups.participants(group)}


def test_a_session_with_fewer_facilitators_than_planned_asks_for_a_reason_and_keeps_it(guide, group):
    colleague = group.facilitators.exclude(pk=guide.pk).get()
    with pytest.raises(SoftCapExceeded, match="2 facilitatorer pr. gang, og 1 er registreret"):
        groups.register_session(guide, group, on=START, hours=Decimal(2), attendance=_attendance(group),
                                staff_hours={guide: Decimal(2), colleague: Decimal(0)})
    assert not GroupSession.objects.exists() and not Activity.objects.exists()
    full = groups.register_session(guide, group, on=START, hours=Decimal(2), attendance=_attendance(group),
                                   staff_hours={guide: Decimal(2), colleague: Decimal(2)})
    assert full.few_facilitators_reason == ""
    short = groups.register_session(guide, group, on=START + datetime.timedelta(days=7), hours=Decimal(2),
                                    attendance=_attendance(group), staff_hours={guide: Decimal(2)},
                                    cap_reason="Kollegaen var syg")
    assert short.few_facilitators_reason == "Kollegaen var syg"


def test_the_register_page_and_the_api_ask_for_the_reason(client, guide, group):
    client.force_login(guide)
    url = reverse("courses:session_new", args=[group.pk])
    form = {"on": "2026-03-09", "hours": "2", "staff": [guide.pk]}
    page = client.post(url, form)
    assert page.status_code == 200 and "2 facilitatorer pr. gang" in page.content.decode()
    assert not GroupSession.objects.exists()
    assert client.post(url, {**form, "cap_reason_text": "Kollegaen var syg"}).status_code == 302
    assert GroupSession.objects.get().few_facilitators_reason == "Kollegaen var syg"
    assert "9/3: færre facilitatorer end planlagt (Kollegaen var syg)" in client.get(
        reverse("courses:group", args=[group.pk])).content.decode()

    headers = {"Authorization": f"Bearer {issue_token(guide, 'test')}"}
    path = f"/api/v1/groups/{group.pk}/sessions"
    payload = {"on": "2026-03-16", "hours": "2", "attendance": [], "facilitator_ids": [guide.pk]}
    assert client.post(path, payload, content_type="application/json", headers=headers).status_code == 409
    assert client.post(path, {**payload, "cap_reason": "Kollegaen var syg"}, content_type="application/json",
                       headers=headers).status_code == 201
