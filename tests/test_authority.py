"""Hand-over, case conference, rights, grants with FFB goals, and consent at the boundary."""

import datetime
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import AuditEvent, CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import ffb, grants, handover as handovers, rights
from traedesten.authority.conference import build_agenda, close_conference, decide
from traedesten.authority.models import AgendaItem, CaseConference, Grant, Handover
from traedesten.core.locking import VersionConflict
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.measures.models import Instrument
from traedesten.measures.services import administer
from traedesten.people.consent import withdraw_consent
from traedesten.people.models import Consent
from traedesten.plans.services import save_plan

TODAY = timezone.localdate()


@pytest.fixture
def authority_team(db):
    return Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))


@pytest.fixture
def front_team(team):
    team.department = Department.objects.get(code="social")
    team.save()
    return team


@pytest.fixture
def caseworker(make_user, authority_team):
    return make_user(Role.AUTHORITY, [authority_team], username="myndighed")


@pytest.fixture
def citizen(guide, make_person, front_team):
    return make_person(guide, team=front_team, cpr="1010901233")


@pytest.fixture
def course(guide, citizen):
    offer = Offer.objects.get(name="Din Indgang – forløb")
    return courses.start_course(guide, citizen, offer, start=TODAY - datetime.timedelta(weeks=12))


def sent_handover(guide, citizen, course):
    h = handovers.start_handover(guide, citizen, course)
    h = handovers.save_handover(guide, h, {"reason": "Jeg var alene", "future_goal": "Klare mig selv"}, version=h.version)
    return handovers.send_handover(guide, h, consent_now={"form": "oral", "given_by": "citizen"})


# --- FFB code list -------------------------------------------------------------------------------------------------

FFB_FILES = [Path(p) for p in [os.environ.get("TRAEDESTEN_FFB_CODESYSTEM", "")] if p] + [
    Path(__file__).resolve().parents[2] / "shared" / "standards" / "CodeSystem-FFB.json",
    Path("/work/shared/standards/CodeSystem-FFB.json")]


def test_the_ffb_code_list_matches_kls_code_system():
    source = next((p for p in FFB_FILES if p.exists()), None)
    if source is None:
        pytest.skip("KL's FFB code system is not present")
    official = {}

    def walk(concepts, parent):
        for c in concepts:
            official[c["code"]] = (c["display"], parent, not c.get("concept"))
            walk(c.get("concept", []), c["display"])
    raw = json.loads(source.read_text(encoding="utf-8"))
    walk(raw["concept"], None)
    ours = json.loads((Path(ffb.__file__).parent / "data" / "ffb-codes.json").read_text(encoding="utf-8"))
    assert ours["system"] == raw["url"] == ffb.SYSTEM and ours["version"] == raw["version"]
    for c in ours["concepts"]:
        assert official[c["code"]] == (c["display"], c["parent"], c["leaf"]), c
    assert len(ffb.activity_conditions()) == 31 and len(ffb.levels()) == 5 and len(ffb.goal_types()) == 3


def test_every_hand_over_theme_maps_to_ffb_conditions():
    for key, _label, _areas in ffb.THEMES:
        assert ffb.theme_conditions(key), key
    assert {c.display for c in ffb.theme_conditions("finances")} == {"Varetage økonomi", "Økonomisk situation"}


# --- Hand-over -----------------------------------------------------------------------------------------------------

def test_hand_over_is_prefilled_from_plan_activities_and_ffb(guide, citizen, course):
    save_plan(guide, citizen, {"reason": "Jeg kunne ikke åbne min post", "dreams": ["Eget hjem"],
                               "goals": [{"citizen_text": "Styr på posten"}], "future_support": "Hjælp til post",
                               "citizen_can_do_after": "Jeg åbner e-Boks selv"}, expected_version=0)
    courses.record_activity(guide, citizen, kind="coaching", on=TODAY - datetime.timedelta(days=3), course=course,
                            delivered_hours=Decimal(1), channel="office")
    post = ffb.code_named(ffb.activity_conditions(), "Håndtere post")
    administer(guide, citizen, Instrument.objects.get(code="FFB-FUNKTIONSEVNE"), on=TODAY, rater="joint",
               values={post: Decimal(3)})
    h = handovers.start_handover(guide, citizen, course)
    assert h.reason == "Jeg kunne ikke åbne min post" and h.dream == "Eget hjem" and h.future_goal == "Hjælp til post"
    assert h.benefit == "Jeg åbner e-Boks selv" and "12 uger" in h.duration
    assert "Styr på posten" in h.worked_on and "Coachende samtale × 1" in h.worked_on
    assert h.themes == {"community": {"text": "Håndtere post: svært nedsat funktionsevne", "conditions": [post]}}
    assert h.sender.code == "social" and h.recipient.code == "authority"
    assert handovers.start_handover(guide, citizen, course) == h  # one open draft per citizen


def test_a_hand_over_without_consent_is_refused_and_nothing_is_sent(guide, citizen, course):
    h = handovers.start_handover(guide, citizen, course)
    h = handovers.save_handover(guide, h, {"reason": "Jeg var alene", "future_goal": "Klare mig selv"}, version=h.version)
    with pytest.raises(ValidationError, match="ikke givet samtykke"):
        handovers.send_handover(guide, h)
    h.refresh_from_db()
    assert h.status == "draft" and h.consent is None and not Consent.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.filter(pk=h.pk).update(status="sent")  # the database refuses it too


def test_a_stale_hand_over_edit_is_a_conflict(guide, citizen, course):
    h = handovers.start_handover(guide, citizen, course)
    handovers.save_handover(guide, h, {"reason": "Først"}, version=h.version)
    with pytest.raises(VersionConflict):
        handovers.save_handover(guide, h, {"reason": "Anden"}, version=h.version - 1 if h.version > 1 else 1)


def test_consent_given_at_sending_is_recorded_and_the_caseworker_acknowledges(guide, caseworker, citizen, course):
    h = sent_handover(guide, citizen, course)
    consent = h.consent
    assert h.status == "sent" and consent.scope == ["handover"] and consent.form == "oral"
    assert consent.recipient.code == "authority"
    assert AuditEvent.objects.filter(section="handover", action="export", person_id=citizen.pk).exists()
    assert [x.pk for x in handovers.inbox(caseworker)] == [h.pk]
    handovers.acknowledge(caseworker, h)
    h.refresh_from_db()
    assert h.status == "received" and h.received_by == caseworker
    assert CaseloadAssignment.objects.filter(person=citizen, team__department__code="authority", worker=caseworker).exists()
    with pytest.raises(ValidationError):
        handovers.acknowledge(guide, h)


def test_withdrawing_consent_stops_sharing_the_hand_over(client, guide, caseworker, citizen, course):
    h = sent_handover(guide, citizen, course)
    client.force_login(caseworker)
    url = reverse("authority:handover", args=[h.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Jeg var alene" in page.content.decode()
    withdraw_consent(guide, h.consent)
    page = client.get(url)
    assert page.status_code == 403 and "Jeg var alene" not in page.content.decode()
    assert handovers.inbox(caseworker) == [] and handovers.withheld_count(caseworker) == 1
    assert client.post(url).status_code == 403
    assert AuditEvent.objects.filter(section="consent", fields=["withdrawn"], person_id=citizen.pk).exists()
    assert AuditEvent.objects.filter(section="handover", action="denied", user=caseworker).exists()
    client.force_login(guide)  # the sending side still has its own copy
    assert client.get(url).status_code == 200


def test_closing_a_course_to_the_authority_leads_to_the_hand_over(client, guide, citizen, course):
    client.force_login(guide)
    response = client.post(reverse("courses:close", args=[course.pk]), {
        "closed_on": TODAY.isoformat(), "destination": "authority", "version": course.version,
        "shadow-confidence": "medium"})
    assert response.status_code == 302 and response.url == reverse("authority:person_handover", args=[citizen.pk])
    page = client.get(response.url)
    assert "Start overdragelse" in page.content.decode()


# --- Case conference and rights ------------------------------------------------------------------------------------

def test_case_conference_agenda_decisions_and_minutes(guide, caseworker, make_person, front_team):
    offer = Offer.objects.get(name="Din Indgang – forløb")
    new = courses.start_course(guide, make_person(guide, team=front_team), offer, start=TODAY - datetime.timedelta(days=2),
                               team=front_team)
    ending = courses.start_course(guide, make_person(guide, team=front_team), offer,
                                  start=TODAY - datetime.timedelta(weeks=19), team=front_team)
    courses.start_course(guide, make_person(guide, team=front_team), offer, start=TODAY - datetime.timedelta(weeks=5),
                         team=front_team)  # neither new nor ending: not on the agenda
    conference = CaseConference.objects.create(held_on=TODAY, team=front_team, chair=caseworker)
    assert build_agenda(guide, conference) == 2
    items = {i.course_id: i for i in conference.items.all()}
    assert items[new.pk].kind == "new" and items[ending.pk].kind == "move_on"
    assert build_agenda(guide, conference) == 0
    decide(caseworker, items[new.pk], AgendaItem.Decision.CONTINUE)
    with pytest.raises(ValidationError, match="1 borgere"):
        close_conference(caseworker, conference, minutes="x", attendees=[guide], version=conference.version)
    decide(caseworker, items[ending.pk], AgendaItem.Decision.HANDOVER, "Bostøtte")
    assert Handover.objects.get(person=ending.person).status == "draft"
    close_conference(caseworker, conference, minutes="Referat", attendees=[guide, caseworker], version=conference.version)
    conference.refresh_from_db()
    assert conference.closed and set(conference.attendees.all()) == {guide, caseworker}
    with pytest.raises(ValidationError):
        decide(caseworker, items[new.pk], AgendaItem.Decision.CLOSE)


def test_an_assessment_request_is_tracked_until_answered(guide, caseworker, citizen):
    rights.record_rights(guide, citizen, may_apply=True, may_return=True)
    with pytest.raises(ValidationError):
        rights.record_rights(guide, citizen, may_apply=False, may_return=False)
    request = rights.request_assessment(guide, citizen, on=TODAY - datetime.timedelta(days=3))
    assert list(rights.open_requests()) == [request]
    with pytest.raises(ValidationError):
        rights.answer_request(caseworker, request, answer="granted", on=TODAY - datetime.timedelta(days=5))
    rights.answer_request(caseworker, request, answer="started", on=TODAY)
    assert list(rights.open_requests()) == []
    with pytest.raises(ValidationError, match="allerede"):
        rights.answer_request(caseworker, request, answer="granted", on=TODAY)


# --- Grants --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("goal, message", [
    (goal_input(area=""), "primær tilstand"),
    (grants.GoalInput("Sover bedre", ffb.code_named(ffb.conditions_in("Sundhedsforhold"), "Søvn"), 2, 1,
                      ffb.code_named(ffb.goal_types(), "Udvikle funktionsevne"), 1), "primær tilstand under Aktivitet"),
    (goal_input(target=7), "FFB-skalaen 0-4"),
    (goal_input(baseline=-1), "FFB-skalaen 0-4"),
])
def test_a_grant_with_a_bad_goal_is_refused_and_nothing_is_saved(caseworker, citizen, goal, message):
    with pytest.raises(ValidationError, match=message):
        grants.create_grant(caseworker, citizen, goals=[goal_input(), goal], **grant_kwargs())
    assert not Grant.objects.exists()


def test_a_grant_needs_ffb_codes_and_sane_dates(caseworker, citizen):
    with pytest.raises(ValidationError, match="målgruppe"):
        grants.create_grant(caseworker, citizen, goals=[goal_input()], **grant_kwargs(target_groups=[]))
    with pytest.raises(ValidationError, match="Opfølgningen"):
        grants.create_grant(caseworker, citizen, goals=[goal_input()],
                            **grant_kwargs(follow_up_on=TODAY - datetime.timedelta(days=90)))


def test_expected_against_achieved_suggests_adjusting_down_and_up(caseworker, make_user, citizen):
    provider = make_user(Role.BOSTOTTE)
    grant = grants.create_grant(caseworker, citizen, goals=[goal_input(baseline=3, expected=2)], **grant_kwargs())
    goal = grant.goals.get()
    [row] = grants.expected_vs_achieved(grant)
    assert (row.expected, row.achieved, row.verdict) == (2, None, "")
    grants.score_progress(provider, goal, level=1, on=TODAY)
    [row] = grants.expected_vs_achieved(grant)
    assert (row.expected, row.achieved, row.verdict) == (2, 1, "better")
    assert "ned" in grants.suggestion([row])
    grants.score_progress(provider, goal, level=3, on=TODAY)
    [row] = grants.expected_vs_achieved(grant)
    assert row.verdict == "worse" and "op" in grants.suggestion([row])
    grants.add_sub_goal(provider, goal, "Åbne e-Boks mandag")
    assert goal.sub_goals.get().text == "Åbne e-Boks mandag"


def test_follow_up_sets_the_next_expectation_or_ends_the_grant(caseworker, citizen):
    grant = grants.create_grant(caseworker, citizen, goals=[goal_input()], **grant_kwargs())
    goal = grant.goals.get()
    statuses = {c.display: c.code for c in ffb.intervention_statuses()}
    go_on = statuses["Træf afgørelse om fortsættelse af indsats"]
    with pytest.raises(ValidationError, match="næste opfølgning"):
        grants.record_follow_up(caseworker, grant, version=grant.version, held_on=TODAY, status_code=go_on,
                                next_on=TODAY)
    with pytest.raises(ValidationError, match="FFB-skalaen"):
        grants.record_follow_up(caseworker, grant, version=grant.version, held_on=TODAY, status_code=go_on,
                                next_on=TODAY + datetime.timedelta(days=90), expectations={})
    grants.record_follow_up(caseworker, grant, version=grant.version, held_on=TODAY, status_code=go_on,
                            next_on=TODAY + datetime.timedelta(days=90), expectations={goal.pk: 1})
    grant.refresh_from_db()
    assert grant.follow_up_on == TODAY + datetime.timedelta(days=90)
    assert grants.expected_vs_achieved(grant)[0].expected == 1
    with pytest.raises(ValidationError, match="ændret af en anden"):
        grants.record_follow_up(caseworker, grant, version=grant.version - 1, held_on=TODAY,
                                status_code=statuses["Træf afgørelse om afslutning af indsats"])
    grants.record_follow_up(caseworker, grant, version=grant.version, held_on=TODAY,
                            status_code=statuses["Træf afgørelse om afslutning af indsats"])
    grant.refresh_from_db()
    assert grant.ended_on == TODAY


# --- FFB report ----------------------------------------------------------------------------------------------------

def test_a_grant_gives_a_valid_delivery_report_without_free_text(fhir_standards, guide, caseworker, citizen, course):
    from traedesten.interop.ffb_report import report

    h = sent_handover(guide, citizen, course)
    Handover.objects.filter(pk=h.pk).update(themes={"mental": {"text": "Uro", "conditions": [
        ffb.code_named(ffb.conditions_in("Mentale funktioner"), "Hukommelse")]}})
    handovers.acknowledge(caseworker, h)
    grant = grants.create_grant(caseworker, citizen, goals=[goal_input()], handover=h, **grant_kwargs())
    bundle, errors = report(citizen)
    assert errors == []
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    for kind in ["Patient", "ServiceRequest", "ClinicalImpression", "Condition", "Goal", "CarePlan", "Encounter",
                 "Observation", "CareTeam"]:
        assert kind in kinds
    text = json.dumps(bundle, ensure_ascii=False)
    assert "Uro" not in text and "Åbner selv" not in text and "Jeg var alene" not in text
    assert grant.case_number in text and citizen.cpr in text

    def conditions(bundle):
        return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition"
                and e["resource"]["meta"]["profile"][0].endswith("-condition")]
    with_severity = {c["code"]["coding"][0]["code"] for c in conditions(bundle) if "severity" in c}
    assert with_severity == {ffb.code_named(ffb.activity_conditions(), "Håndtere post")}
    assert len(conditions(bundle)) == 2
    withdraw_consent(guide, Handover.objects.get(pk=h.pk).consent)
    after, errors = report(citizen)
    assert errors == [] and len(conditions(after)) == 2  # the hand-over's condition is sent again, as inactive
    assert {c["clinicalStatus"]["coding"][0]["code"] for c in conditions(after) if "severity" not in c} == {"inactive"}


def test_ffb_report_command_writes_one_bundle_per_changed_citizen(fhir_standards, tmp_path, caseworker, citizen,
                                                                  make_person, guide):
    grants.create_grant(caseworker, citizen, goals=[goal_input()], **grant_kwargs())
    no_cpr = make_person(guide)
    grants.create_grant(caseworker, no_cpr, goals=[goal_input()], **grant_kwargs(case_number="X-2"))
    call_command("ffb_report", since=TODAY - datetime.timedelta(days=1), out=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [TODAY.isoformat()]  # one folder per day with changes
    files = list((tmp_path / TODAY.isoformat()).iterdir())
    assert len(files) == 1 and citizen.cpr not in files[0].name
    assert json.loads(files[0].read_text())["type"] == "collection"
    with pytest.raises(CommandError, match="ligger efter"):
        call_command("ffb_report", since=TODAY + datetime.timedelta(days=1), out=tmp_path / "later")
    call_command("ffb_report", since=TODAY - datetime.timedelta(days=3), until=TODAY - datetime.timedelta(days=2),
                 out=tmp_path / "earlier")
    assert not (tmp_path / "earlier").exists()  # nothing changed on those days


def test_ffb_report_through_the_api(fhir_standards, client, caseworker, make_user, citizen, authority_team):
    grants.create_grant(caseworker, citizen, goals=[goal_input()], **grant_kwargs())
    CaseloadAssignment.objects.create(person=citizen, team=authority_team, worker=caseworker)
    client.force_login(caseworker)
    body = client.get(f"/api/v1/people/{citizen.pk}/ffb-report").json()
    assert body["valid"] and body["bundle"]["resourceType"] == "Bundle"
    client.force_login(make_user(Role.ANALYST))
    assert client.get(f"/api/v1/people/{citizen.pk}/ffb-report").status_code == 403


def test_the_ffb_bundles_for_all_demo_citizens_validate(fhir_standards, db, tmp_path):
    from traedesten.interop.ffb_report import changed_since, report

    call_command("seed_demo", seed=3, citizens=120, today=datetime.date(2026, 11, 24))
    persons = list(changed_since(datetime.date(2000, 1, 1)))
    assert len(persons) >= 3
    for person in persons:
        assert report(person)[1] == []
    assert Handover.objects.filter(status="draft").exists() and Handover.objects.filter(status="received").exists()
    assert Handover.objects.filter(consent__withdrawn_at__isnull=False).exists()
    assert CaseConference.objects.filter(closed=True).exists()


# --- Boundaries found in review --------------------------------------------------------------------------------------

def test_the_authority_cannot_read_a_draft_or_the_plan_before_consent(client, guide, caseworker, citizen, course,
                                                                      authority_team):
    handovers.start_handover(guide, citizen, course)
    CaseloadAssignment.objects.create(person=citizen, team=authority_team, worker=caseworker)
    save_plan(guide, citizen, {"reason": "Min hemmelige historie"}, expected_version=0)
    client.force_login(caseworker)
    assert client.get(reverse("authority:person_handover", args=[citizen.pk])).status_code == 403
    plan = client.get(reverse("plans:plan", args=[citizen.pk]))
    assert "Min hemmelige historie" not in plan.content.decode()


def test_the_sending_side_still_needs_the_citizen_on_its_caseload(client, guide, make_user, citizen, course, front_team):
    h = sent_handover(guide, citizen, course)
    other_team = Team.objects.create(name="Bostøtte Nord", department=front_team.department)
    stranger = make_user(Role.BOSTOTTE, [other_team])
    client.force_login(stranger)
    response = client.get(reverse("authority:handover", args=[h.pk]))
    assert response.status_code == 302 and "Jeg var alene" not in response.content.decode()


def test_hosts_do_not_see_grants_and_other_teams_do_not_see_conferences(client, caseworker, make_user, citizen, team,
                                                                       front_team):
    grant = grants.create_grant(caseworker, citizen, goals=[goal_input()], **grant_kwargs())
    client.force_login(make_user(Role.HOST, [team]))
    assert client.get(reverse("authority:grant", args=[grant.pk])).status_code == 403
    conference = CaseConference.objects.create(held_on=TODAY, team=front_team)
    client.force_login(make_user(Role.GUIDE, [Team.objects.create(name="Andet team")]))
    assert client.get(reverse("authority:conference", args=[conference.pk])).status_code == 404


def test_garbage_ids_are_answered_without_a_server_error(client, guide, caseworker, citizen, course):
    client.force_login(guide)
    url = reverse("authority:person_handover", args=[citizen.pk])
    assert client.post(url, {"start": "1", "course": "abc"}).status_code == 302
    assert client.post(reverse("authority:rights", args=[citizen.pk]), {"answer": "1", "request_id": "²"}).status_code == 200
    grant = grants.create_grant(caseworker, citizen, goals=[goal_input()], **grant_kwargs())
    assert client.post(reverse("authority:grant", args=[grant.pk]), {"score": "1", "goal": "x"}).status_code == 404


def test_a_decision_by_the_authority_opens_the_draft_on_the_front_doors_side(guide, caseworker, citizen, course):
    conference = CaseConference.objects.create(held_on=TODAY, chair=caseworker)
    item = AgendaItem.objects.create(conference=conference, person=citizen, course=course, kind="new")
    decide(caseworker, item, AgendaItem.Decision.AUTHORITY)
    draft = Handover.objects.get(person=citizen)
    assert draft.sender.code == "social" and draft.recipient.code == "authority"


def test_an_old_score_does_not_judge_a_new_expectation(caseworker, make_user, citizen):
    grant = grants.create_grant(caseworker, citizen, goals=[goal_input(expected=2)], **grant_kwargs())
    goal = grant.goals.get()
    grants.score_progress(make_user(Role.BOSTOTTE), goal, level=2, on=TODAY - datetime.timedelta(days=10))
    go_on = ffb.code_named(ffb.intervention_statuses(), "Træf afgørelse om fortsættelse af indsats")
    grants.record_follow_up(caseworker, grant, version=grant.version, held_on=TODAY - datetime.timedelta(days=1),
                            status_code=go_on, next_on=TODAY + datetime.timedelta(days=90), expectations={goal.pk: 1})
    [row] = grants.expected_vs_achieved(grant)
    assert (row.expected, row.achieved, row.verdict) == (1, None, "")
    assert grants.suggestion([row]) == ""


def test_the_desk_and_the_grant_page_do_not_grow_with_the_inbox(client, guide, caseworker, make_person, front_team,
                                                                authority_team, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    offer = Offer.objects.get(name="Din Indgang – forløb")

    def hand_over(n):
        for _ in range(n):
            person = make_person(guide, team=front_team)
            h = sent_handover(guide, person, courses.start_course(guide, person, offer, start=TODAY))
            CaseloadAssignment.objects.create(person=person, team=authority_team, worker=caseworker)
            rights.request_assessment(guide, person, on=TODAY)
            grants.create_grant(caseworker, person, goals=[goal_input(), goal_input(area="Varetage økonomi")],
                                handover=h, **grant_kwargs(follow_up_on=TODAY + datetime.timedelta(days=3)))

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(caseworker)
    hand_over(2)
    few = count(reverse("authority:desk"))
    hand_over(8)
    assert count(reverse("authority:desk")) == few
    grant = Grant.objects.first()
    for n in range(6):
        grants.score_progress(make_user(Role.BOSTOTTE), grant.goals.first(), level=n % 4, on=TODAY)
    assert count(reverse("authority:grant", args=[grant.pk])) <= 26  # one for the exemptions in force (0057)
