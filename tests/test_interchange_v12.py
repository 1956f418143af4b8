"""Interchange 1.2: a citizen's Én plan cluster and families with their members survive export → import, a 1.1 file
leaves them as they are, and the importer refuses a family it cannot place."""

import datetime
import io
import json
import re

import pytest
from django.db import transaction

from traedesten.accounts.models import AuditEvent
from traedesten.authority.models import CaseProgression, Complaint, Grant
from traedesten.courses.models import Course, Offer
from traedesten.insights.models import Invitation, Response
from traedesten.interop import exporter
from traedesten.interop.importer import import_lines
from traedesten.interop.models import ExternalId
from traedesten.people.models import Cluster, ContactPeriod, Household, HouseholdMember, HouseholdRole, Person
from traedesten.plans.models import Exemption, ExemptionKind

START = datetime.date(2025, 2, 3)


def line(**record) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


class _Undo(Exception):
    pass


def _exported() -> list[str]:
    out = io.StringIO()
    exporter.export(out)
    return [re.sub(r',"exported_at":"[^"]*"', "", text) for text in out.getvalue().splitlines()]


def _family(guide, make_person, team):
    mother = make_person(guide, team=team, first_name="Katja")
    son = make_person(guide, team=team, first_name="Emil")
    Person.objects.filter(pk=mother.pk).update(cluster=Cluster.FAMILY, sub_target_group="enlige forsørgere")
    household = Household.objects.create(name="Familien Holm", cluster=Cluster.FAMILY, coordinator=guide,
                                         direction="Ro i hverdagen og et job til Katja", started_on=START)
    HouseholdMember.objects.create(household=household, person=mother, role=HouseholdRole.ADULT, joined_on=START)
    HouseholdMember.objects.create(household=household, person=son, role=HouseholdRole.CHILD, joined_on=START,
                                   left_on=datetime.date(2025, 6, 30))
    return household


def test_export_then_import_into_an_empty_installation_keeps_families_and_clusters(guide, make_person, team):
    with pytest.raises(_Undo), transaction.atomic():
        _family(guide, make_person, team)
        first = _exported()
        raise _Undo
    assert not Person.objects.exists() and not Household.objects.exists()
    assert json.loads(first[0])["version"] == "1.2"
    family = next(json.loads(t) for t in first if '"household"' in t)
    assert family["name"] == "Familien Holm" and family["coordinator"] == "guide"
    assert [(m["role"], m.get("left_on")) for m in family["members"]] == [("adult", None), ("child", "2025-06-30")]
    report = import_lines(first)
    assert report.ok, report.errors
    assert report.created["household"] == 1 and report.created["household_member"] == 2
    assert sorted(_exported()) == sorted(first)
    katja = Person.objects.get(first_name="Katja")
    assert (katja.cluster, katja.sub_target_group) == ("family", "enlige forsørgere")


def test_importing_the_same_file_again_changes_nothing(guide, make_person, team):
    _family(guide, make_person, team)
    first = _exported()
    report = import_lines(first)
    assert report.ok, report.errors
    assert report.updated["household"] == 0 and report.unchanged["household"] == 1
    assert report.created["household_member"] == 0 and report.updated["household_member"] == 0
    assert Household.objects.get().version == 1


def test_a_1_1_person_record_leaves_the_cluster_as_it_is(guide, make_person, team):
    household = _family(guide, make_person, team)
    mother = household.members.get(role="adult").person
    lines = [line(type="header", format="traedesten-jsonl", version="1.1"),
             line(type="person", id="p-katja", first_name="Katja", last_name=mother.last_name)]
    ExternalId.objects.create(kind="person", key="p-katja", object_id=mother.pk)
    assert import_lines(lines).ok
    mother.refresh_from_db()
    assert (mother.cluster, mother.sub_target_group) == ("family", "enlige forsørgere")


def test_a_family_from_a_file_gets_its_members_and_the_members_are_audited(guide):
    lines = [line(type="header", format="traedesten-jsonl", version="1.2"),
             line(type="person", id="a", first_name="Ida", last_name="Berg", cluster="family"),
             line(type="person", id="b", first_name="Bo", last_name="Berg"),
             line(type="household", id="f1", name="Familien Berg", started_on=START, coordinator="guide",
                  members=[{"person": "a", "role": "adult", "joined_on": START},
                           {"person": "b", "role": "young", "joined_on": START}])]
    report = import_lines(lines, actor=guide)
    assert report.ok, report.errors
    household = Household.objects.get()
    assert household.coordinator == guide and household.cluster == "family"
    assert sorted(household.members.values_list("person__first_name", "role")) == [("Bo", "young"), ("Ida", "adult")]
    created = AuditEvent.objects.filter(section="import", action="create")
    assert set(created.values_list("person_id", flat=True)) == set(household.members.values_list("person_id", flat=True))
    # the same family again with one member less: the members listed replace the stored ones
    again = lines[:3] + [line(type="household", id="f1", name="Familien Berg", started_on=START,
                              members=[{"person": "a", "role": "adult", "joined_on": START}])]
    report = import_lines(again, actor=guide)
    assert report.ok, report.errors
    assert list(household.members.values_list("person__first_name", flat=True)) == ["Ida"]
    household.refresh_from_db()
    assert household.coordinator is None and household.version == 2


@pytest.mark.parametrize("record, field, message", [
    ({"members": [{"person": "nobody", "role": "adult", "joined_on": "2025-02-03"}]}, "members.0.person", "ukendt borger"),
    ({"coordinator": "no-such-user"}, "coordinator", "ukendt medarbejder"),
    ({"members": [{"person": "a", "role": "adult", "joined_on": "2025-02-03", "left_on": "2025-01-01"}]},
     "members.0", "med til ligger før med fra"),
    ({"members": [{"person": "a", "role": "adult", "joined_on": "2025-02-03"},
                  {"person": "a", "role": "child", "joined_on": "2025-02-03"}]}, "", "to gange"),
    ({"members": []}, "members", ""),
])
def test_a_family_the_importer_cannot_place_is_refused_and_nothing_is_saved(db, record, field, message):
    family = {"type": "household", "id": "f1", "name": "Familien Berg", "started_on": "2025-02-03",
              "members": [{"person": "a", "role": "adult", "joined_on": "2025-02-03"}]} | record
    report = import_lines([line(type="person", id="a", first_name="Ida", last_name="Berg"), json.dumps(family)])
    assert not report.ok
    assert any(e.line == 2 and e.field == field and message in e.reason for e in report.errors), report.errors
    assert not Person.objects.exists() and not Household.objects.exists()


def _invited(db_person_key="a", **survey):
    record = {"type": "survey", "id": "s1", "questionnaire": "en-plan-afslutning", "person": db_person_key,
              "channel": "sms", "invited_at": "2025-03-01T10:00:00+01:00", "sent_at": "2025-03-01T10:00:00+01:00"}
    return [line(type="person", id="a", first_name="Ida", last_name="Berg", cluster="adult"),
            json.dumps(record | survey)]


def test_a_survey_answer_survives_export_and_import_and_is_judged_complete_by_the_questionnaire(db):
    answers = {"coherence": "4", "goal_areas": ["health"], "satisfied": "5", "comment": "Tak"}
    report = import_lines(_invited(response={"answers": answers, "submitted_at": "2025-03-02T09:00:00+01:00",
                                             "helped_by_professional": True}, reminders_sent=1))
    assert report.ok, report.errors
    invitation = Invitation.objects.get()
    assert (invitation.channel, invitation.reminders_sent, invitation.questionnaire.code) == ("sms", 1, "en-plan-afslutning")
    assert invitation.response.answers == answers and invitation.response.helped_by_professional
    assert not invitation.response.complete  # most questions are unanswered
    first = _exported()
    assert import_lines(first).ok
    assert sorted(_exported()) == sorted(first)
    assert Response.objects.count() == 1


def test_a_survey_without_an_answer_keeps_its_reason(db):
    assert import_lines(_invited(non_response="moved")).ok
    assert Invitation.objects.get().non_response == "moved" and not Response.objects.exists()


@pytest.mark.parametrize("survey, field, message", [
    ({"questionnaire": "no-such"}, "questionnaire", "ukendt spørgeskema"),
    ({"response": {"answers": {"nope": "4"}, "submitted_at": "2025-03-02T09:00:00"}}, "response.answers", "ukendt spørgsmål"),
    ({"response": {"answers": {"satisfied": "9"}, "submitted_at": "2025-03-02T09:00:00"}}, "response.answers",
     "er ikke et svar"),
    ({"response": {"answers": {"goal_areas": "health"}, "submitted_at": "2025-03-02T09:00:00"}}, "response.answers",
     "en liste af svar"),
    ({"response": {"answers": {}, "submitted_at": "2025-02-02T09:00:00"}}, "response.submitted_at", "før invitationen"),
    ({"non_response": "moved", "response": {"answers": {}, "submitted_at": "2025-03-02T09:00:00"}}, "", "årsag"),
])
def test_a_survey_the_web_would_not_take_is_refused(db, survey, field, message):
    report = import_lines(_invited(**survey))
    assert not report.ok
    assert any(e.line == 2 and e.field == field and message in e.reason for e in report.errors), report.errors
    assert not Invitation.objects.exists()


def test_a_citizen_is_invited_to_a_questionnaire_once(db):
    lines = _invited()
    second = json.loads(lines[1]) | {"id": "s2"}
    report = import_lines([*lines, json.dumps(second)])
    assert [(e.line, e.field) for e in report.errors] == [(3, "person")]
    assert import_lines(lines).ok
    report = import_lines([lines[0], json.dumps(second)])
    assert [(e.line, e.field, e.reason) for e in report.errors] == [
        (2, "person", "borgeren er allerede inviteret til spørgeskemaet")]


def test_a_member_joins_while_the_family_runs_and_is_in_one_family_at_a_time(db):
    person = line(type="person", id="a", first_name="Ida", last_name="Berg")
    early = {"type": "household", "id": "f1", "name": "Familien Berg", "started_on": "2025-02-03",
             "members": [{"person": "a", "role": "adult", "joined_on": "2025-01-01"}]}
    report = import_lines([person, json.dumps(early)])
    assert [(e.field, e.reason) for e in report.errors] == [
        ("members.0.joined_on", "Et medlem kan ikke komme med, før familien startede (03.02.2025).")]
    first = early | {"members": [{"person": "a", "role": "adult", "joined_on": "2025-02-03", "left_on": "2025-05-31"}]}
    second = {"type": "household", "id": "f2", "name": "Familien Berg-Holm", "started_on": "2025-05-01",
              "members": [{"person": "a", "role": "adult", "joined_on": "2025-05-01"}]}
    report = import_lines([person, json.dumps(first), json.dumps(second)])
    assert [e.reason for e in report.errors] == ["Borgeren er allerede med i en anden familie. (a)"]
    assert import_lines([person, json.dumps(first)]).ok
    # the stored family counts too, and moving on the day after leaving is fine
    report = import_lines([person, json.dumps(second)])
    assert [e.reason for e in report.errors] == ["Borgeren er allerede med i en anden familie. (a)"]
    moved = second | {"members": [{"person": "a", "role": "adult", "joined_on": "2025-06-01"}]}
    assert import_lines([person, json.dumps(moved)]).ok


def _case(guide, make_person, team):
    """A citizen on the guide's caseload with a closed course, a grant, a split family and a complaint."""
    household = _family(guide, make_person, team)
    katja, emil = [m.person for m in household.members.order_by("pk")]
    course = Course.objects.create(person=katja, offer=Offer.objects.get(name="Din Indgang – forløb"), team=team,
                                   start=START, status="closed", closed_on=datetime.date(2025, 6, 1),
                                   destination="no_further_help")
    grant = Grant.objects.create(person=katja, legal_basis="SEL §85", decided_on=START, starts_on=START,
                                 follow_up_on=datetime.date(2025, 6, 3))
    for person, category in ((katja, "progression"), (emil, "none")):
        CaseProgression.objects.create(person=person, household=household, occasion="closing", course=course,
                                       cluster="family", assessed_on=datetime.date(2025, 6, 1), category=category,
                                       reason="Job på 15 timer" if person == katja else "Trives ikke i skolen",
                                       assessed_by=guide)
    Complaint.objects.create(person=katja, received_on=datetime.date(2025, 4, 1), channel="written", kind="decision",
                             grant=grant, due_on=datetime.date(2025, 4, 29), responsible=guide, outcome="upheld",
                             outcome_on=datetime.date(2025, 4, 20), related_to_experiment=True, registered_by=guide)
    return household


def test_case_progressions_and_complaints_survive_export_and_import(guide, make_person, team):
    with pytest.raises(_Undo), transaction.atomic():
        _case(guide, make_person, team)
        first = _exported()
        raise _Undo
    report = import_lines(first)
    assert report.ok, report.errors
    assert sorted(_exported()) == sorted(first)
    assert sorted(CaseProgression.objects.values_list("person__first_name", "category", "cluster")) == [
        ("Emil", "none", "family"), ("Katja", "progression", "family")]
    complaint = Complaint.objects.get()
    assert (complaint.grant.person, complaint.due_on, complaint.outcome) == (
        complaint.person, datetime.date(2025, 4, 29), "upheld")
    again = import_lines(first)
    assert again.updated["complaint"] == 0 and again.updated["case_progression"] == 0


@pytest.mark.parametrize("record, field, message", [
    ({"type": "case_progression", "id": "cp", "person": "a", "occasion": "closing", "assessed_on": "2025-03-01",
      "category": "partial", "reason": "Tættere på uddannelse"}, "course", "nævner forløbet"),
    ({"type": "case_progression", "id": "cp", "person": "a", "occasion": "follow_up", "assessed_on": "2025-03-01",
      "category": "partial", "reason": "  "}, "reason", "kort begrundelse"),
    ({"type": "case_progression", "id": "cp", "person": "a", "household": "nope", "occasion": "follow_up",
      "assessed_on": "2025-03-01", "category": "none", "reason": "Uændret"}, "household", "ukendt familie"),
    ({"type": "complaint", "id": "k", "person": "a", "received_on": "2025-03-01", "channel": "mayor",
      "kind": "decision"}, "", "Vælg den afgørelse"),
    ({"type": "complaint", "id": "k", "person": "a", "received_on": "2025-03-01", "channel": "written",
      "kind": "handling", "outcome": "changed", "outcome_on": "2025-02-01"}, "", "før klagen blev modtaget"),
    ({"type": "complaint", "id": "k", "person": "a", "received_on": "2025-03-01", "channel": "written",
      "kind": "decision", "grant": "g-other"}, "", "anden borger"),
])
def test_progressions_and_complaints_are_checked_as_on_the_page(db, record, field, message):
    lines = [line(type="person", id="a", first_name="Ida", last_name="Berg"),
             line(type="person", id="b", first_name="Bo", last_name="Berg"),
             line(type="grant", id="g-other", person="b", legal_basis="SEL §85", decided_on="2025-01-01",
                  starts_on="2025-01-01"),
             json.dumps(record)]
    report = import_lines(lines)
    assert any(e.line == 4 and e.field == field and message in e.reason for e in report.errors), report.errors


def test_a_before_and_after_instrument_needs_its_phase_in_a_file_too(db):
    person = line(type="person", id="a", first_name="Ida", last_name="Berg")
    items = dict.fromkeys(["job_education", "health", "everyday", "social", "contact", "belief", "competences",
                           "labour_market", "family"], 3)
    report = import_lines([person, line(type="measurement", id="m", person="a", instrument="FOER-EFTER",
                                        on="2025-03-01", rater="joint", items=items)])
    assert [e.field for e in report.errors] == ["phase"]
    assert import_lines([person, line(type="measurement", id="m", person="a", instrument="FOER-EFTER",
                                      on="2025-03-01", rater="joint", items=items, phase="before")]).ok


def test_contact_periods_and_a_grant_goal_s_plan_goal_survive_export_and_import(guide, make_person, team):
    with pytest.raises(_Undo), transaction.atomic():
        katja = make_person(guide, team=team, first_name="Katja")
        ContactPeriod.objects.create(person=katja, kind="mentor", name="Lone fra praktikstedet",
                                     starts_on=datetime.date(2025, 1, 6), ends_on=datetime.date(2025, 3, 31))
        ContactPeriod.objects.create(person=katja, kind="caseworker", worker=guide, starts_on=datetime.date(2025, 1, 6))
        first = _exported()
        raise _Undo
    periods = [json.loads(t) for t in first if '"contact_period"' in t]
    assert [(p["kind"], p.get("worker"), p.get("name")) for p in periods] == [
        ("mentor", None, "Lone fra praktikstedet"), ("caseworker", "guide", None)]
    report = import_lines(first)
    assert report.ok, report.errors
    assert sorted(_exported()) == sorted(first)
    # a second open caseworker is refused in Danish before the database's own rule is reached
    katja = json.loads(next(t for t in first if '"person"' in t and "Katja" in t))["id"]
    second = line(type="contact_period", id="cp-new", person=katja, kind="caseworker", name="Ny sagsbehandler",
                  starts_on="2025-05-01")
    report = import_lines([second])
    assert [(e.field, e.reason) for e in report.errors] == [
        ("ends_on", "borgeren har allerede en nuværende kontaktperson af den slags")]


def test_a_grant_goal_names_a_goal_of_the_citizen_s_plan(db):
    goal = {"title": "Komme i praktik", "condition_code": "x", "baseline_level": 3, "target_level": 1,
            "goal_type_code": "y", "expectations": [{"due_on": "2025-06-01", "expected_level": 2}]}
    lines = [line(type="person", id="a", first_name="Ida", last_name="Berg"),
             line(type="plan", id="pl", person="a", started_on="2025-01-01", versions=[
                 {"number": 1, "content": {"goals": [{"id": "g1", "citizen_text": "Et arbejde"}]}}]),
             line(type="grant", id="g", person="a", legal_basis="SEL §85", decided_on="2025-01-01",
                  starts_on="2025-01-01", goals=[goal | {"plan_goal_id": "nope"}])]
    report = import_lines(lines)
    assert [(e.line, e.field) for e in report.errors if "plan_goal_id" in e.field] == [(3, "goals.0.plan_goal_id")]


def test_exemptions_and_a_grant_awaiting_approval_without_a_follow_up_survive_export_and_import(
        guide, make_person, team):
    with pytest.raises(_Undo), transaction.atomic():
        household = _family(guide, make_person, team)
        katja = household.members.get(role="adult").person
        kinds = {k.code: k for k in ExemptionKind.objects.all()}
        Exemption.objects.create(kind=kinds["process_goals"], household=household, legal_basis="LBK 831/2018",
                                 starts_on=START, decided_on=START)
        Exemption.objects.create(kind=kinds["sector_organisation"], person=katja, legal_basis="LBK 831/2018",
                                 starts_on=START, ends_on=datetime.date(2025, 12, 31), decided_on=START,
                                 ended_on=datetime.date(2025, 9, 1))
        Grant.objects.create(person=katja, legal_basis="SEL §85", decided_on=START, starts_on=START, follow_up_on=None,
                             hours_per_week=8, status="awaiting", competence="approval", amount_per_year=90_000)
        first = _exported()
        raise _Undo
    grant = next(json.loads(t) for t in first if '"grant"' in t)
    assert grant["follow_up_on"] is None and grant["status"] == "awaiting" and grant["competence"] == "approval"
    report = import_lines(first)
    assert report.ok, report.errors
    assert sorted(_exported()) == sorted(first)
    stored = Grant.objects.get()
    assert (stored.follow_up_on, stored.status, stored.amount_per_year) == (None, "awaiting", 90_000)
    assert sorted(Exemption.objects.values_list("kind__code", flat=True)) == ["process_goals", "sector_organisation"]
    # a 1.1 grant that leaves the follow-up out still gets one six months on
    person = next(json.loads(t)["id"] for t in first if '"type":"person"' in t)
    assert import_lines([line(type="grant", id="g2", person=person, legal_basis="SEL §85",
                              decided_on="2025-01-01", starts_on="2025-01-06")]).ok
    assert Grant.objects.get(decided_on=datetime.date(2025, 1, 1)).follow_up_on == datetime.date(2025, 7, 6)


@pytest.mark.parametrize("record, field, message", [
    ({"kind": "no_such"}, "kind", "ukendt fritagelse"),
    ({"legal_basis": " "}, "", "lovgrundlaget"),
    ({"ends_on": "2024-01-01"}, "", "slutte samme dag eller efter"),
    ({"household": "f9"}, "person", "én borger"),
])
def test_an_exemption_is_checked_as_on_the_page(db, record, field, message):
    exemption = {"type": "exemption", "id": "e1", "person": "a", "kind": "process_goals", "legal_basis": "LBK 831/2018",
                 "starts_on": "2025-02-01", "decided_on": "2025-02-01"} | record
    report = import_lines([line(type="person", id="a", first_name="Ida", last_name="Berg"), json.dumps(exemption)])
    assert any(e.line == 2 and message in e.reason for e in report.errors), report.errors
