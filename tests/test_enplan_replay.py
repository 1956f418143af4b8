"""The Én plan replay (seed 004): `seed_scenario enplan` loads the experiment's participants and closing survey through
the importer, and the Én plan report gives the published tables, every share computed from the counts."""

import datetime
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from traedesten.insights import enplan, kpis, population
from traedesten.insights.scope import Scope
from traedesten.interop.models import ExternalId

EXPERIMENT = Scope(datetime.date(2016, 9, 1), datetime.date(2020, 7, 31))


@pytest.fixture
def loaded(db):
    call_command("seed_scenario", "enplan", stdout=io.StringIO())


def _rows(table):
    exact = table.exact()
    return {r.key: r.values for r in exact.all_rows()}


def test_1254_participants_and_the_survey_s_504_answers_with_its_sms_funnel(loaded):
    rows = _rows(population.population(EXPERIMENT))
    # families, persons in them, citizens on their own, cases, persons
    assert rows["family"] == [208, 306 + 3 * 109, 0, 208, 633]  # Helsingør's 99 families were 306 persons; the
    assert rows["adult"] == [0, 0, 867, 867, 867]                # other 109 are three persons each (invented)
    assert rows["youth"] == [0, 0, 179, 179, 179]
    assert rows["none"] == [0, 0, 0, 0, 0]
    assert rows["total"][3] == 1254 and rows["total"][4] == 1679
    answers, sms = enplan.survey(EXPERIMENT, ("en-plan-slut-vu", "en-plan-slut-familie"))
    rows = _rows(answers)
    assert rows["adult_youth"] == [1046, 423, D(40), 366, 57]
    assert rows["family"] == [208, 81, D(39), 71, 10]
    assert rows["total"] == [1254, 504, D(40), 437, 67]  # 504 / 1,254 = 40.2 %: the report's "40 %"
    assert _rows(sms) == {"adult_youth": [216, 41, 16], "family": [68, 17, 4]}


def test_the_report_command_publishes_rounded_counts_and_shares_of_them(loaded):
    out = io.StringIO()
    call_command("enplan_report", "--from", "2016-09-01", "--to", "2020-07-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    survey = next(t for t in data["tables"] if t["key"] == "enplan_survey")
    assert survey["total"]["values"] == [1255, 505, 40, 435, 65]
    participants = next(t for t in data["tables"] if t["key"] == "population")
    assert participants["total"]["values"] == [210, 635, 1045, 1255, 1680]


def test_the_98_cases_are_34_progression_23_partial_32_none_and_11_regression(loaded):
    [(_kpi, table)] = kpis.exact(EXPERIMENT, ["case_progression"])
    rows = _rows(table)  # family, adult, youth, no cluster, all, share, of which split family cases
    assert rows["progression"] == [12, 10, 12, 0, 34, D(35), 1]
    assert rows["partial"] == [7, 11, 5, 0, 23, D(23), 1]
    assert rows["none"] == [7, 15, 10, 0, 32, D(33), 2]
    assert rows["regression"] == [5, 4, 2, 0, 11, D(11), 0]
    assert rows["total"] == [29, 40, 29, 0, 98, D(100), 2]
    # one row per citizen and per family member: 69 citizens and the 92 members of 29 families (24 of three and
    # Helsingør's five, of four)
    assert ExternalId.objects.filter(kind="case_progression").count() == 69 + 24 * 3 + 5 * 4
    out = io.StringIO()
    call_command("kpi", "--from", "2016-09-01", "--to", "2020-07-31", "--kpi", "case_progression", "--json", stdout=out)
    [published] = json.loads(out.getvalue())["kpis"]
    assert [r["values"][4] for r in published["rows"]] == [35, 25, 30, 10] and published["total"]["values"][4] == 100
