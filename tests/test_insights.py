"""KPI reports reproduce the seeds' published figures, suppress small cells, and export the same figures."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

from traedesten.accounts.roles import Role
from traedesten.core import disclosure
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.economy import calculation
from traedesten.frontdoor.models import Contact
from traedesten.insights import kpis, research
from traedesten.insights.scenarios import FREDERICIA_END, FREDERICIA_START, NORDJYLLAND_END, NORDJYLLAND_START
from traedesten.insights.scope import Scope


def kpi_json(start, end, *keys) -> dict:
    out = io.StringIO()
    args = ["kpi", "--from", start.isoformat(), "--to", end.isoformat(), "--json"]
    for key in keys:
        args += ["--kpi", key]
    call_command(*args, stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    return {k["key"]: k for k in data["kpis"]} | {"_empty": data["empty"]}


def values(table: dict) -> dict:
    rows = table["rows"] + ([table["total"]] if table["total"] else [])
    return {row["key"]: row["values"] for row in rows}


@pytest.fixture
def fredericia(db):
    call_command("seed_scenario", "fredericia", stdout=io.StringIO())


def exact(scope: Scope, key: str) -> dict:
    """A KPI's exact figures by row key (what the published figures are rounded from)."""
    [(_kpi, table)] = kpis.exact(scope, [key])
    return {row.key: row.values for row in table.all_rows()}


def test_fredericia_din_indgang_i_tal_is_reproduced(fredericia):
    scope = Scope(FREDERICIA_START, FREDERICIA_END)
    origin = exact(scope, "contacts_by_origin")
    assert origin["total"][0] == 1396
    assert [origin[k] for k in ("citizen", "relative", "partner")] == [[698, 50], [126, 9], [572, 41]]
    persons = exact(scope, "persons")
    assert (persons["total"][0], persons["active"][0], persons["closed"][0]) == (269, 83, 186)
    activities = exact(scope, "activities")
    assert activities["ad_hoc"][:2] == [67, 200]
    assert activities["group_session"][0] == 57
    assert activities["guide_conversation"][1] == 275
    assert activities["coaching"][1] == 218
    assert exact(scope, "returns")["courses"] == [14]
    bypass = exact(scope, "bypass")
    assert bypass["total"] == [32, 12]
    assert (bypass["short_stay"][0], bypass["direct"][0]) == (16, 16)


def test_fredericia_figures_are_published_rounded_to_five(fredericia):
    got = kpi_json(FREDERICIA_START, FREDERICIA_END)
    origin = values(got["contacts_by_origin"])
    assert origin["total"] == [1395, 100]
    assert [origin[k] for k in ("citizen", "relative", "partner")] == [[700, 50], [125, 9], [570, 41]]
    persons = values(got["persons"])
    assert (persons["total"][0], persons["active"][0], persons["closed"][0]) == (270, 85, 185)
    activities = values(got["activities"])
    assert activities["ad_hoc"][:2] == [65, 200] and activities["coaching"][1] == 220
    assert values(got["returns"])["courses"] == [15]
    assert values(got["bypass"])["total"] == [30, 11]  # 30 of 270 published new citizens


def test_fredericia_business_case_shows_the_published_gain(fredericia):
    case = calculation.business_case(FREDERICIA_START, FREDERICIA_END)
    assert (case.closed, case.would_have, case.actually_got) == (186, 106, 26)
    assert (case.counterfactual_cost, case.actual_cost, case.gross_gain) == (D(4_104_000), D(1_936_000), D(2_168_000))
    assert case.hours == D(3350)
    assert abs(case.hours_cost - D(1_045_000)) < 1_000
    out = io.StringIO()
    call_command("business_case", "--from", FREDERICIA_START.isoformat(), "--to", FREDERICIA_END.isoformat(), "--json",
                 stdout=out)
    assert json.loads(out.getvalue())["gross_gain"] == "2168000"


def test_replaying_a_scenario_twice_changes_nothing(fredericia):
    before = kpi_json(FREDERICIA_START, FREDERICIA_END)
    call_command("seed_scenario", "fredericia", stdout=io.StringIO())
    assert kpi_json(FREDERICIA_START, FREDERICIA_END) == before
    assert Contact.objects.count() == 1396


def test_fredericia_secondary_tables_are_reproduced(fredericia):
    """Seed 000 gives no values for these; the replay's invented shapes (insights.scenarios) must come out whole."""
    scope = Scope(FREDERICIA_START, FREDERICIA_END)
    channels = exact(scope, "contacts_by_channel")
    assert [channels[k][0] for k in ("walk_in", "phone", "email", "form", "outreach", "total")] == [700, 557, 139, 0, 0, 1396]
    months = exact(scope, "contacts_per_month")
    assert [months[f"{y}-{m:02d}"][0] for y, m in [(2016, 9), (2016, 10), (2017, 6), (2017, 11)]] == [60, 75, 100, 111]
    assert len(months) == 16 and months["total"] == [1396]
    waiting = exact(scope, "waiting")
    assert waiting["walk_in"] == [D("10.0"), 30, 700] and waiting["guide_conversation"] == [D("1.0"), 5, 269]
    closings = exact(scope, "closings")
    assert [closings[k][0] for k in ("no_further_help", "civil_society", "authority", "outreach", "other", "total")] == [
        82, 34, 16, 34, 34, 200]
    flow = exact(scope, "flow")
    ends = ["active", "no_further_help", "civil_society", "authority", "outreach", "dropped_out", "moved", "other",
            "group_ended", "all"]
    assert dict(zip(ends, flow["total"])) == {"active": 83, "no_further_help": 68, "civil_society": 34, "authority": 16,
                                              "outreach": 34, "dropped_out": 0, "moved": 0, "other": 34, "group_ended": 0,
                                              "all": 269}
    assert [flow[k][-1] for k in ("none", "citizen", "relative", "partner")] == [0, 180, 20, 69]
    published = kpi_json(FREDERICIA_START, FREDERICIA_END, "waiting", "contacts_by_channel", "closings")
    assert values(published["waiting"])["walk_in"] == [10.0, 30, 700]
    assert values(published["contacts_by_channel"])["phone"] == [555, 40]
    assert values(published["closings"])["no_further_help"] == [80, 40]


def test_nordjylland_appendix_tables_are_reproduced(db):
    """seed-001 §2.7: the appendix's tables, whose values the source lost, with the replay's invented shapes."""
    call_command("seed_scenario", "nordjylland", stdout=io.StringIO())
    scope = Scope(NORDJYLLAND_START, NORDJYLLAND_END)
    assert exact(scope, "citizens_by_paragraph") == {"SEL §82a": [37], "SEL §82b": [189], "SEL §85": [20], "total": [231]}
    ages = exact(scope, "completed_by_age")
    assert [ages[k][0] for k in ("under_18", "18-29", "30-49", "50-64", "65+", "unknown", "total")] == [0, 64, 84, 42, 21, 0, 211]
    months = exact(scope, "course_months")
    assert [months[k][0] for k in ("0-1", "1-2", "2-3", "3-4", "4-5", "5-6", "6-9")] == [0, 43, 42, 42, 42, 42, 0]
    assert months["total"] == [211, D("3.7"), D("3.4")]
    assert exact(scope, "services_around") == {"§ 83": [0, 21, 19], "§ 85": [21, 0, 59], "§ 104": [0, 0, 19]}
    since = Scope(datetime.date(2018, 1, 1), NORDJYLLAND_END)
    bostotte = exact(since, "bostotte")
    assert len(bostotte) == 45
    assert [bostotte[m] for m in ("2018-01", "2019-06", "2020-06", "2020-07", "2021-09")] == [
        [20, 160, 48_000], [16, 128, 38_400], [14, 112, 33_600], [18, 144, 43_200], [18, 144, 43_200]]
    published = kpi_json(NORDJYLLAND_START, NORDJYLLAND_END, "citizens_by_paragraph", "course_months", "services_around")
    assert values(published["citizens_by_paragraph"]) == {"SEL §82a": [35], "SEL §82b": [190], "SEL §85": [20],
                                                          "total": [230]}
    assert values(published["course_months"])["total"] == [210, 3.7, 3.4]
    assert values(published["services_around"])["§ 85"] == [20, 0, 60]
    series = values(kpi_json(datetime.date(2018, 1, 1), NORDJYLLAND_END, "bostotte")["bostotte"])
    assert series["2019-06"] == [15, 130, 38_000]  # 16 citizens, 128 h, 38,400 kr


def test_nordjylland_completed_courses_followed_by_a_grant(db):
    call_command("seed_scenario", "nordjylland", stdout=io.StringIO())
    table = exact(Scope(NORDJYLLAND_START, NORDJYLLAND_END), "followed_by_grant")
    assert table["Fremdrift (Aalborg)"][:2] == [38, 34]
    assert table["Den Gode Modtagelse (Hjørring)"][:2] == [119, 48]
    assert table["Det Sociale Pitstop (Frederikshavn)"][:2] == [32, 9]
    assert table["Daghuset (Thisted)"][:2] == [22, 6]
    assert table["total"][:2] == [211, 97]
    published = values(kpi_json(NORDJYLLAND_START, NORDJYLLAND_END, "followed_by_grant")["followed_by_grant"])
    assert published["Det Sociale Pitstop (Frederikshavn)"] == [30, 10, 33]
    assert published["Daghuset (Thisted)"] == [20, 5, None]  # no share of a published base under 25


def test_filters_narrow_the_figures(fredericia):
    offer = Offer.objects.get(name="Din Indgang – forløb")
    scope = Scope(FREDERICIA_START, FREDERICIA_END, offer_id=offer.pk)
    assert kpis.persons(scope).total.values[0] == 0
    women = Scope(FREDERICIA_START, FREDERICIA_END, sex="female")
    everyone = Scope(FREDERICIA_START, FREDERICIA_END)
    assert 0 < kpis.persons(women).total.values[0] < kpis.persons(everyone).total.values[0]
    young = Scope(FREDERICIA_START, FREDERICIA_END, age_group="18-29")
    old = Scope(FREDERICIA_START, FREDERICIA_END, age_group="65+")
    assert kpis.persons(young).total.values[0] + kpis.persons(old).total.values[0] < 269


def test_every_count_is_published_rounded_to_five_and_shares_come_from_the_rounded_counts(guide, make_person, team):
    din = Offer.objects.get(name="Din Indgang – forløb")
    start = datetime.date(2026, 1, 5)
    destinations = ["no_further_help"] * 18 + ["civil_society"] * 7 + ["moved"] * 2
    for destination in destinations:
        person = make_person(guide, team=team)
        course = courses.start_course(guide, person, din, start=start)
        courses.close_course(guide, course, closed_on=start + datetime.timedelta(days=40), destination=destination,
                             expected_version=course.version)
    [(_kpi, table)] = kpis.report(Scope(start, start + datetime.timedelta(days=90)), ["closings"])
    shown = {row.key: row.values for row in table.all_rows()}
    assert shown["moved"] == [0, 0]  # 2 citizens: published as 0
    assert shown["civil_society"] == [5, 20] and shown["no_further_help"] == [20, 80]  # 5/25 and 20/25
    assert shown["total"] == [25, 100]  # 27, rounded on its own
    [(_kpi, smaller)] = kpis.report(Scope(start, start + datetime.timedelta(days=90), sex="female"), ["closings"])
    assert all(row.values[1] is None for row in smaller.all_rows())  # no share of a published base under 25


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_no_two_published_counts_pin_a_difference_to_one_to_four(a, b):
    low_a, high_a = disclosure.possible(disclosure.count(a))
    low_b, high_b = disclosure.possible(disclosure.count(b))
    assert low_a <= a <= high_a and low_b <= b <= high_b
    fewest, most = low_b - high_a, high_b - low_a
    assert not (fewest >= 1 and most <= 4) and not (fewest >= -4 and most <= -1)


def _analyst(client, make_user):
    client.force_login(make_user(Role.ANALYST, [], username="analytiker"))


QUERY = f"?fra={FREDERICIA_START}&til={FREDERICIA_END}"


def test_the_page_the_command_and_the_exports_agree(fredericia, client, make_user):
    _analyst(client, make_user)
    page = client.get("/indsigt/tal/" + QUERY).content.decode()
    assert "1.395" in page and "270" in page and "2.090" in page and "1.396" not in page  # rounded: 1,396, 269, 2,088 h
    assert page.count("<svg") >= 5
    book = load_workbook(io.BytesIO(client.get("/indsigt/eksport.xlsx" + QUERY).content))
    sheet = book["contacts_by_origin"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["Borger"][0] == 700 and rows["Alle henvendelser"][0] == 1395
    response = client.get("/indsigt/eksport.csv" + QUERY)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["kpi", "titel", "række", "kolonne", "værdi"]
    assert ["persons", "Unikke borgere i forløb", "Aktive på periodens sidste dag", "Borgere", "85"] in lines
    assert "attachment" in response["Content-Disposition"]


def test_an_empty_period_says_so(db, client, make_user):
    _analyst(client, make_user)
    page = client.get("/indsigt/tal/?fra=2001-01-01&til=2001-12-31").content.decode()
    assert "Der er ingen data" in page
    assert kpi_json(datetime.date(2001, 1, 1), datetime.date(2001, 12, 31))["_empty"] is True


def test_bad_filters_get_a_danish_message_not_an_error(db, client, make_user):
    _analyst(client, make_user)
    response = client.get("/indsigt/tal/?fra=2026-05-01&til=2026-01-01")
    assert response.status_code == 200 and "Slutdatoen ligger før startdatoen" in response.content.decode()
    assert client.get("/indsigt/eksport.csv?fra=nonsens&til=2026-01-01").status_code == 400


def test_only_aggregate_roles_see_the_report(db, client, guide):
    client.force_login(guide)
    assert client.get("/indsigt/" + QUERY).status_code == 403


def test_the_research_export_holds_no_cpr_names_or_phone_numbers(guide, make_person, team, tmp_path):
    din = Offer.objects.get(name="Din Indgang – forløb")
    start = datetime.date(2026, 2, 2)
    secrets = []
    for n in range(6):
        person = make_person(guide, team=team, first_name=f"Karoline{n}", last_name="Søndergaard",
                             cpr=f"0{n + 1}0190-1234", phone=f"2{n}345678")
        secrets += [person.first_name, person.last_name, person.cpr, person.cpr[:6], person.phone]
        Contact.objects.create(person=person, reason=f"Karoline{n} Søndergaard ringede fra 2{n}345678", origin="citizen")
        course = courses.start_course(guide, person, din, start=start)
        courses.record_activity(guide, person, kind="coaching", on=start, course=course, delivered_hours=D(1))
    out = tmp_path / "udtraek.zip"
    call_command("research_export", "--from", "2026-01-01", "--to", "2026-12-31", "--out", str(out), stdout=io.StringIO())
    with zipfile.ZipFile(out) as archive:
        text = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
        people = list(csv.reader(io.StringIO(archive.read("borgere.csv").decode()), delimiter=";"))
    for secret in secrets:
        assert secret not in text
    assert len(people) == 7  # a header and six pseudonyms
    assert "2026-02" in text and "2026-02-02" not in text
    again = research.tables(Scope(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    assert sorted(r[0] for r in again["borgere.csv"][1]) == sorted(r[0] for r in people[1:])


def test_every_kpi_is_defined_in_the_docs():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "kpis.md").read_text(encoding="utf-8")
    missing = [kpi.key for kpi in kpis.CATALOGUE if f"`{kpi.key}`" not in text]
    assert not missing, missing
