"""`traedesten generate`: a coherent municipality in bulk that the application itself can open and report on."""

import datetime
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from traedesten.accounts.models import AuditEvent, CaseloadAssignment, User
from traedesten.core.bulk import dangling_references
from traedesten.courses.models import Activity, Course
from traedesten.demo.generator.municipality import MODELS
from traedesten.insights import kpis
from traedesten.insights.scope import Scope
from traedesten.measures.models import Administration
from traedesten.people.cpr import parse_cpr
from traedesten.people.models import Person
from traedesten.plans.models import Plan

TODAY = datetime.date(2026, 11, 20)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


@pytest.fixture
def generated(db):
    out = StringIO()
    call_command("generate", citizens=400, years=4, seed=7, today=TODAY, password="generated-pw", stdout=out)
    return out.getvalue()


def test_every_table_gets_rows_and_every_reference_holds(generated):
    for model in MODELS:
        assert model.objects.exists(), model.__name__
    assert dangling_references(MODELS) == {}
    assert Person.objects.count() == 400
    assert "rækker" in generated


def test_volumes_and_distributions_are_plausible(generated):
    sessions = Activity.objects.filter(kind__in=["coaching", "follow_up", "assessment"], attendance="attended").count()
    scored = Administration.objects.filter(instrument__code="ORS", course__offer__kind="course").count()
    assert 0.45 < scored / sessions < 0.75  # ORS at about 60 % of attended sessions
    assert Course.objects.filter(status="active").exists() and Course.objects.filter(status="closed").exists()
    assert Plan.objects.filter(version__gt=1).exists()
    assert not Activity.objects.filter(on__gt=TODAY).exists()
    assert Activity.objects.count() > 20 * Person.objects.count() / 2


def test_cpr_numbers_are_valid_unique_and_match_birth_date_and_sex(generated):
    seen = set()
    for cpr, birth_date, sex in Person.objects.values_list("cpr", "birth_date", "sex"):
        parsed = parse_cpr(cpr, today=TODAY)
        assert parsed.birth_date == birth_date and parsed.sex == sex
        seen.add(cpr)
    assert len(seen) == 400


def test_generated_staff_can_log_in_and_open_their_citizens(generated, client):
    assignment = CaseloadAssignment.objects.filter(end__isnull=True, worker__role="bostotte").first()
    logged_in = client.post(reverse("login"), {"username": assignment.worker.username, "password": "generated-pw"})
    assert logged_in.status_code == 302 and "/log-ind/" not in logged_in["Location"]
    for url in (reverse("people:overview", args=[assignment.person_id]), reverse("plans:plan", args=[assignment.person_id]),
                reverse("courses:worklist"), reverse("measures:person", args=[assignment.person_id])):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("session_status")).json() == {"user": assignment.worker.username, "teams": 1}


def test_the_year_report_runs_over_generated_data(generated):
    results = kpis.report(Scope(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)))
    persons = {kpi.key: table for kpi, table in results}["persons"]
    assert persons.total.values[0] and persons.total.values[0] > 20


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the hand-written SQL is PostgreSQL and DuckDB")
def test_hand_written_sql_and_duckdb_give_the_report_s_figures(generated, tmp_path):
    import kpi_sql

    scope = Scope(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))
    figures = kpi_sql.run(connection.cursor(), 2025)
    same = kpi_sql.compare(kpis.exact(scope), figures)
    compared = int(same.split("/")[1].split()[0])
    assert compared > 40 and same.startswith(f"{compared}/{compared}"), same
    _export_s, _duck_s, duck = kpi_sql.duckdb_run(connection, 2025, tmp_path)
    assert duck == figures


def test_refuses_a_database_with_citizens_and_bad_arguments(generated):
    with pytest.raises(CommandError, match="allerede borgere"):
        call_command("generate", citizens=10, stdout=StringIO())
    with pytest.raises(CommandError, match="mindst 1 borger"):
        call_command("generate", citizens=0, stdout=StringIO())


def test_generation_is_audit_logged_and_nobody_can_log_in_without_a_password(db):
    call_command("generate", citizens=20, years=2, seed=3, today=TODAY, stdout=StringIO())
    event = AuditEvent.objects.get(section="generate")
    assert "people_person=20" in event.fields
    assert not any(u.has_usable_password() for u in User.objects.filter(email__endswith="@generated.traedesten.dk"))
