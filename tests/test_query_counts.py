"""Key pages make the same number of queries however long the citizen's history is (no N+1)."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import pdf_bytes
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.gate import clearance
from traedesten.measures import services as measures
from traedesten.measures.models import Instrument
from traedesten.plans import services as plans
from traedesten.usecases import records

START = datetime.date(2026, 1, 5)


def _history(guide, person, n: int) -> None:
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=START)
    ors = Instrument.objects.get(code="ORS")
    content = {"goals": [{"citizen_text": "Mål", "sub_goals": [{"text": "Skridt"}]}]}
    for i in range(n):
        day = START + datetime.timedelta(days=i)
        courses.record_activity(guide, person, kind="coaching", on=day, course=course, delivered_hours=Decimal(1),
                                cap_reason="Lang historik")
        measures.administer(guide, person, ors, on=day, values={"individual": Decimal(5), "interpersonal": Decimal(5),
                                                                 "social": Decimal(5), "overall": Decimal(5)})
        plans.save_plan(guide, person, content, expected_version=i)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_citizen_pages_do_not_grow_with_history(client, guide, make_person, team):
    short, long = make_person(guide, team=team), make_person(guide, team=team)
    _history(guide, short, 2)
    _history(guide, long, 25)
    client.force_login(guide)
    for name, args in (("people:overview", []), ("plans:plan", []), ("measures:person", []),
                       ("measures:trajectory", ["ORS"]), ("plans:versions", [])):
        few = _count(client, reverse(name, args=[short.pk, *args]))
        many = _count(client, reverse(name, args=[long.pk, *args]))
        assert many == few, f"{name}: {few} queries for a short history, {many} for a long one"


def test_the_timeline_costs_the_same_queries_for_every_page_and_any_history(client, guide, make_person, team):
    short, long = make_person(guide, team=team), make_person(guide, team=team)
    _history(guide, short, 2)
    _history(guide, long, 25)
    for person, n in ((short, 1), (long, 30)):
        c = clearance(guide, person)
        for i in range(n):
            records.write_note(c, kind="phone", text=f"Notat {i}", happened_on=timezone.localdate())
        records.upload_document(c, pdf_bytes(), name="a.pdf", title="Bilag")
    client.force_login(guide)
    few = _count(client, reverse("overview:timeline", args=[short.pk]))
    assert _count(client, reverse("overview:timeline", args=[long.pk])) == few
    assert _count(client, reverse("overview:timeline", args=[long.pk]) + "?side=4") == few


def test_worklist_does_not_grow_with_courses(client, guide, make_person, team):
    client.force_login(guide)
    for _n in range(3):
        _history(guide, make_person(guide, team=team), 1)
    few = _count(client, reverse("courses:worklist") + "?vis=team")
    for _n in range(12):
        _history(guide, make_person(guide, team=team), 1)
    assert _count(client, reverse("courses:worklist") + "?vis=team") == few


def test_api_lists_do_not_grow_with_history(client, guide, make_person, team, django_assert_max_num_queries):
    from traedesten.accounts.api_auth import issue_token

    headers = {"Authorization": f"Bearer {issue_token(guide, 'query-count')}"}
    short, long = make_person(guide, team=team), make_person(guide, team=team)
    _history(guide, short, 2)
    _history(guide, long, 25)
    paths = ["/people/{id}/activities", "/people/{id}/courses", "/people/{id}/trajectories/ORS",
             "/people/{id}/plan/versions", "/people/{id}/plan"]
    for path in paths:
        with CaptureQueriesContext(connection) as few:
            assert client.get("/api/v1" + path.format(id=short.pk), headers=headers).status_code == 200
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get("/api/v1" + path.format(id=long.pk), headers=headers)
        assert response.status_code == 200, path
    assert len(client.get(f"/api/v1/people/{long.pk}/activities", headers=headers).json()) >= 25
