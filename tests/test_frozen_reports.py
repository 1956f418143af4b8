"""A published report can be frozen (figures, definitions' version, checksum) and re-run to show it is unchanged."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.frontdoor.models import Contact
from traedesten.insights import frozen, kpis
from traedesten.insights.models import FrozenReport
from traedesten.insights.scope import Scope

PERIOD = Scope(datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


@pytest.fixture
def half_year(guide, make_person, team):
    din = Offer.objects.get(name="Din Indgang – forløb")
    for n in range(12):
        course = courses.start_course(guide, make_person(guide, team=team), din, start=datetime.date(2025, 1, 6 + n))
        if n < 8:
            courses.close_course(guide, course, closed_on=datetime.date(2025, 4, 1 + n), destination="civil_society",
                                 expected_version=course.version)


def test_a_frozen_report_is_stored_with_its_definitions_and_checksum_and_re_runs_unchanged(half_year):
    out = io.StringIO()
    call_command("kpi", "--from", "2025-01-01", "--to", "2025-06-30", "--freeze", "--note", "Halvårsrapport", stdout=out)
    report = FrozenReport.objects.get()
    assert report.definitions == kpis.DEFINITIONS_VERSION and report.note == "Halvårsrapport"
    assert report.checksum == frozen.checksum(report.figures) and report.checksum in out.getvalue()
    closings = next(t for t in report.figures["kpis"] if t["key"] == "closings")
    assert closings["total"]["values"][0] == 10  # 8 closings, published rounded
    verified = io.StringIO()
    call_command("kpi_verify", str(report.pk), stdout=verified)
    assert "uændret" in verified.getvalue()


def test_a_registration_dated_back_into_the_period_shows_as_a_changed_figure(half_year, guide, make_person, team):
    report = frozen.freeze(guide, PERIOD)
    din = Offer.objects.get(name="Din Indgang – forløb")
    for _n in range(3):  # registered later, dated in the frozen period: 8 closings become 11, published 10 → 10
        course = courses.start_course(guide, make_person(guide, team=team), din, start=datetime.date(2025, 2, 3))
        courses.close_course(guide, course, closed_on=datetime.date(2025, 5, 5), destination="moved",
                             expected_version=course.version)
    result = frozen.verify(report)
    assert not result.unchanged and result.stored_intact
    assert "closings / Fraflyttet / Afsluttede forløb: 0 → 5" in result.differences
    with pytest.raises(CommandError, match="1 frosne rapporter"):
        call_command("kpi_verify", stdout=io.StringIO())


def test_edited_figures_no_longer_match_their_checksum(half_year, guide):
    report = frozen.freeze(guide, PERIOD)
    report.figures["kpis"][0]["total"]["values"][0] = 999
    report.save()
    result = frozen.verify(report)
    assert not result.stored_intact and not result.unchanged


def test_the_checksum_is_sha256_of_canonical_json():
    import hashlib

    figures = {"b": [1, 2.5], "a": "æ"}
    canonical = '{"a":"æ","b":[1,2.5]}'
    assert frozen.checksum(figures) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert json.loads(canonical) == figures


def test_analysts_freeze_the_report_on_screen_and_check_it_from_the_page(half_year, client, make_user):
    client.force_login(make_user(Role.ANALYST, [], username="analytiker"))
    query = {"fra": "2025-01-01", "til": "2025-06-30"}
    assert "Frys rapporten" in client.get("/indsigt/", query).content.decode()
    response = client.post("/indsigt/frosne/", query | {"note": "Til byrådet"})
    report = FrozenReport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?vis={report.pk}")
    assert (report.start, report.end, report.created_by.username) == (PERIOD.start, PERIOD.end, "analytiker")
    page = client.get(response["Location"]).content.decode()
    assert "Til byrådet" in page and report.checksum in page
    checked = client.post("/indsigt/frosne/", {"verify": report.pk}).content.decode()
    assert f"Rapport {report.pk} er uændret." in checked
    Contact.objects.create(at=timezone.make_aware(datetime.datetime(2025, 3, 3, 10)), origin="citizen", channel="phone")
    for _n in range(3):
        Contact.objects.create(at=timezone.make_aware(datetime.datetime(2025, 3, 4, 10)), origin="citizen", channel="phone")
    checked = client.post("/indsigt/frosne/", {"verify": report.pk}).content.decode()
    assert "giver ikke længere de samme tal" in checked
