"""The page, the API and the importer accept and refuse the same activities: one set of rules (courses/rules.py)."""

import datetime
import json

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings, strategies as st

from traedesten.courses import services as courses
from traedesten.courses.models import Activity, Offer
from traedesten.interop.importer import import_lines
from traedesten.interop.models import ExternalId


@pytest.fixture
def citizens(guide, team, make_person, make_user, other_team):
    """Citizen A with an active and a closed course, and another citizen's course."""
    today = timezone.localdate()
    a = make_person(guide, team=team)
    b = make_person(make_user("guide", [other_team]), team=other_team)
    front = Offer.objects.get(name="Din Indgang – forløb")
    active = courses.start_course(guide, a, Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"),
                                  start=today - datetime.timedelta(days=100))
    closed = courses.start_course(guide, a, front, start=today - datetime.timedelta(days=300))
    closed = courses.close_course(guide, closed, closed_on=today - datetime.timedelta(days=150), destination="other",
                                  expected_version=closed.version)
    theirs = courses.start_course(guide, b, front, start=today - datetime.timedelta(days=100))
    for kind, key, obj in (("person", "A", a), ("course", "active", active), ("course", "closed", closed),
                           ("course", "other", theirs)):
        ExternalId.objects.create(kind=kind, key=key, object_id=obj.pk)
    return a, {"active": active, "closed": closed, "other": theirs}


def _web(client, person, course, fields) -> bool:
    data = {"kind": fields["kind"], "course": course.pk if course else "", "on": fields["on"],
            "attendance": fields["attendance"], "channel": fields["channel"], "delivered_hours": fields["hours"],
            "outcome": fields["outcome"]}
    before = Activity.objects.count()
    client.post(reverse("courses:activity", args=[person.pk]), data)
    return Activity.objects.count() > before


def _api(client, person, course, fields) -> bool:
    payload = {"kind": fields["kind"], "on": fields["on"], "attendance": fields["attendance"],
               "channel": fields["channel"], "delivered_hours": fields["hours"], "outcome": fields["outcome"]}
    if course:
        payload["course_id"] = course.pk
    response = client.post(f"/api/v1/people/{person.pk}/activities", payload, content_type="application/json")
    assert response.status_code < 500, response.content
    return response.status_code == 201


def _importer(course_key, fields) -> bool:
    record = {"type": "activity", "id": "X-1", "person": "A", "kind": fields["kind"], "on": fields["on"],
              "hours": fields["hours"], "attendance": fields["attendance"], "channel": fields["channel"],
              "outcome": fields["outcome"]}
    if course_key:
        record["course"] = course_key
    header = {"type": "header", "format": "traedesten-jsonl", "version": 1, "source": "test"}
    return import_lines([json.dumps(header), json.dumps(record)]).ok


def _attempt(submit) -> bool:
    with transaction.atomic():
        accepted = submit()
        transaction.set_rollback(True)
    return accepted


@settings(max_examples=40)
@given(kind=st.sampled_from(["coaching", "follow_up", "home_visit", "bostotte_contact"]),
       attendance=st.sampled_from(["attended", "cancelled", "no_show"]),
       channel=st.sampled_from(["home", "phone", "office"]),
       hours=st.sampled_from(["0", "1.5", "24", "24.5", "30"]),
       offset=st.integers(min_value=-320, max_value=4),
       course=st.sampled_from(["", "active", "closed", "other"]),
       outcome=st.sampled_from(["", "no_need"]))
def test_the_page_the_api_and_the_importer_agree(client, guide, citizens, kind, attendance, channel, hours, offset,
                                                 course, outcome):
    person, by_key = citizens
    client.force_login(guide)
    on = (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()
    fields = {"kind": kind, "attendance": attendance, "channel": channel, "hours": hours, "on": on,
              "outcome": outcome}
    chosen = by_key.get(course)
    verdicts = {"web": _attempt(lambda: _web(client, person, chosen, fields)),
                "api": _attempt(lambda: _api(client, person, chosen, fields)),
                "importer": _attempt(lambda: _importer(course, fields))}
    assert len(set(verdicts.values())) == 1, (fields, course, verdicts)


def test_the_reproduction_an_activity_on_another_citizen_s_closed_course_late_and_too_long(citizens):
    """Citizen A on citizen B's course, six weeks after it closed, 30 hours in a day: refused, line by line."""
    _person, by_key = citizens
    theirs = by_key["other"]
    courses.close_course(theirs.responsible, theirs, closed_on=timezone.localdate() - datetime.timedelta(days=60),
                         destination="other", expected_version=theirs.version)
    on = (timezone.localdate() - datetime.timedelta(days=18)).isoformat()
    record = {"type": "activity", "id": "X-2", "person": "A", "course": "other", "kind": "coaching", "on": on,
              "hours": "30"}
    report = import_lines([json.dumps({"type": "header", "format": "traedesten-jsonl", "version": 1, "source": "t"}),
                           json.dumps(record)])
    reasons = {(e.field, e.reason) for e in report.errors}
    assert ("course", "Forløbet tilhører en anden borger.") in reasons
    assert ("hours", "Mere end 24 timer på én dag er ikke muligt.") in reasons
    assert not Activity.objects.filter(kind="coaching").exists()


@pytest.mark.parametrize("course, offset, hours, accepted", [
    ("active", -1, "1.5", True), ("closed", -200, "1", True), ("", 1, "0", True),
    ("closed", -100, "1", False), ("active", 2, "1", False), ("other", -1, "1", False), ("active", -1, "25", False)])
def test_each_channel_draws_the_line_in_the_same_place(client, guide, citizens, course, offset, hours, accepted):
    person, by_key = citizens
    client.force_login(guide)
    fields = {"kind": "coaching", "attendance": "attended", "channel": "home", "hours": hours, "outcome": "",
              "on": (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()}
    chosen = by_key.get(course)
    assert _attempt(lambda: _web(client, person, chosen, fields)) is accepted
    assert _attempt(lambda: _api(client, person, chosen, fields)) is accepted
    assert _attempt(lambda: _importer(course, fields)) is accepted
