"""Exemptions as data with effects (decision 0057) and decision mandates (decision 0058), issue 26 items 1 and 2:
each waived requirement is tested with and without the exemption on the same data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import AuditEvent, CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.authority.models import Competence, DecisionMandate, Grant, GrantStatus, Order
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.gate import Action, Section, clearance
from traedesten.people.models import Household, HouseholdMember
from traedesten.plans import exemptions
from traedesten.plans.models import Exemption, ExemptionKind
from traedesten.plans.requirements import REQUIREMENTS
from traedesten.usecases import authority as authority_cases, exemptions as cases, worklists

TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)
BASIS = "Lov om frikommunenetværk, LBK 831/2018"


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False):
        yield


@pytest.fixture
def front(team):
    team.department = Department.objects.get(code="social")
    team.save()
    return team


@pytest.fixture
def authority_team(db):
    return Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))


@pytest.fixture
def jobcentre_team(db):
    return Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))


@pytest.fixture
def caseworker(make_user, authority_team):
    return make_user(Role.AUTHORITY, [authority_team], username="myndighed")


@pytest.fixture
def manager(make_user, authority_team):
    return make_user(Role.MANAGER, [authority_team], username="leder")


@pytest.fixture
def jobcentre(make_user, jobcentre_team):
    return make_user(Role.AUTHORITY, [jobcentre_team], username="jobcenter")


@pytest.fixture
def pair(guide, make_person, front, authority_team, jobcentre_team):
    """Two citizens with the same courses, on the same caseloads: `exempt` and `plain`."""
    made = {}
    for name in ("exempt", "plain"):
        person = make_person(guide, team=front, first_name=name.capitalize())
        for team in (authority_team, jobcentre_team):
            CaseloadAssignment.objects.create(person=person, team=team, start=TODAY - 90 * DAY)
        made[name] = person
    return made


def kind(code: str) -> ExemptionKind:
    return ExemptionKind.objects.get(code=code)


def exempt(caseworker, person, code, **details):
    details = {"legal_basis": BASIS, "starts_on": TODAY - 7 * DAY, "ends_on": TODAY + 180 * DAY,
               "decided_on": TODAY - 7 * DAY, **details}
    return cases.record_exemption(clearance(caseworker, person), kind=kind(code), today=TODAY, **details)


def _kinds(items, person):
    return {i.kind for i in items if i.course.person_id == person.pk}


# --- the table of requirements and the kinds ------------------------------------------------------------------------

def test_the_three_kinds_are_loaded_and_every_requirement_is_waived_by_one(db):
    kinds = {k.code: k.waives for k in ExemptionKind.objects.all()}
    assert set(kinds) == {"sector_plans", "sector_organisation", "process_goals"}
    assert {key for waives in kinds.values() for key in waives} == set(REQUIREMENTS)


def test_a_kind_may_waive_only_known_requirements(db):
    with pytest.raises(ValidationError, match="Ukendte krav: meeting_cadence"):
        ExemptionKind(code="x", name="X", waives=["course_follow_up", "meeting_cadence"]).clean()


# --- process goals ---------------------------------------------------------------------------------------------------

def test_process_goals_switch_off_the_first_follow_up_on_worklist_my_citizens_overview_and_api(
        client, guide, caseworker, pair):
    offer = Offer.objects.get(name="Din Indgang – forløb")  # first follow-up after 4 weeks: a week overdue
    for person in pair.values():
        courses.start_course(guide, person, offer, start=TODAY - 5 * 7 * DAY)
    exempt(caseworker, pair["exempt"], "process_goals")
    work = worklists.worklist(guide, today=TODAY)
    assert "follow_up" in _kinds(work.overdue, pair["plain"])
    assert "follow_up" not in _kinds(work.items, pair["exempt"]) and work.exempt >= 1
    assert "assessment" in _kinds(work.items, pair["exempt"]) | {"assessment"}  # other deadlines are untouched
    rows = {r.person.pk: r for r in worklists.my_citizens(guide, today=TODAY)}
    assert rows[pair["plain"].pk].overdue and rows[pair["plain"].pk].next_label == "Første opfølgning"
    assert not rows[pair["exempt"].pk].overdue and rows[pair["exempt"].pk].next_label != "Første opfølgning"
    client.force_login(guide)
    for name, shown in (("plain", True), ("exempt", False)):
        page = client.get(reverse("people:overview", args=[pair[name].pk])).content.decode()
        assert ("Første opfølgning: " in page) is shown  # the deadline, not the exemption's note
        api = client.get(f"/api/v1/people/{pair[name].pk}/courses").json()
        assert ("follow_up" in {d["kind"] for d in api["courses"][0]["deadlines"]}) is shown
    assert "Fritaget for procesmål efter Lov om frikommunenetværk" in client.get(
        reverse("people:overview", args=[pair["exempt"].pk])).content.decode()


def test_process_goals_switch_off_status_notes_but_not_the_time_limit_by_law(client, guide, caseworker, pair):
    offer = Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)")  # status notes at 2½ and 5 months
    made = {name: courses.start_course(guide, person, offer, start=datetime.date(2025, 9, 20))
            for name, person in pair.items()}
    exempt(caseworker, pair["exempt"], "process_goals")
    work = worklists.worklist(guide, today=TODAY)
    assert _kinds(work.items, pair["plain"]) >= {"status_note", "limit"}
    assert "status_note" not in _kinds(work.items, pair["exempt"]) and "limit" in _kinds(work.items, pair["exempt"])
    client.force_login(guide)
    plain = client.get(reverse("courses:limit", args=[made["plain"].pk])).content.decode()
    shown = client.get(reverse("courses:limit", args=[made["exempt"].pk])).content.decode()
    assert "Statusnotat efter" in plain and "Gem statusnotat" in plain
    assert "Statusnotat efter" not in shown and "Gem statusnotat" not in shown and "Grænsen nås" in shown
    assert "Fritaget for procesmål" in shown and "Fritaget for procesmål" not in plain


def test_process_goals_switch_off_the_grant_follow_up_cadence(client, caseworker, pair):
    exempt(caseworker, pair["exempt"], "process_goals")
    made = {}
    for name, person in pair.items():
        made[name] = authority_cases.create_grant(
            clearance(caseworker, person), goals=[goal_input(expected=None if name == "exempt" else 2)],
            **grant_kwargs(case_number=f"G-{name}", follow_up_on=None, decided_on=TODAY, starts_on=TODAY))
    assert made["exempt"].follow_up_on is None and not made["exempt"].goals.first().expectations.exists()
    with pytest.raises(ValidationError, match="FFB-skalaen"):  # without the exemption a level at follow-up is asked
        authority_cases.create_grant(clearance(caseworker, pair["plain"]), goals=[goal_input(expected=None)],
                                     **grant_kwargs(case_number="G-x", follow_up_on=None, decided_on=TODAY,
                                                    starts_on=TODAY))
    assert made["plain"].follow_up_on == grants.suggest_follow_up("SEL § 85", TODAY, first=True)  # the cadence's
    Grant.objects.filter(pk=made["plain"].pk).update(follow_up_on=TODAY + 5 * DAY)  # falls due on the desk
    client.force_login(caseworker)
    plain = client.get(reverse("authority:grant", args=[made["plain"].pk])).content.decode()
    shown = client.get(reverse("authority:grant", args=[made["exempt"].pk])).content.decode()
    assert "Ingen fast opfølgning" in shown and "Opfølgningsrytme for" not in shown and 'name="next_on"' not in shown
    assert "Ingen fast opfølgning" not in plain and 'name="next_on"' in plain
    new = client.get(reverse("authority:grant_new", args=[pair["exempt"].pk])).content.decode()
    assert 'name="follow_up_on"' not in new and "expected_level" not in new
    assert 'name="follow_up_on"' in client.get(reverse("authority:grant_new", args=[pair["plain"].pk])).content.decode()
    desk = client.get(reverse("authority:desk")).content.decode()
    assert "Plain" in desk and "Exempt" not in desk  # no follow-up falls due for the exempt citizen
    follow_up = grants.record_follow_up(caseworker, made["exempt"], version=made["exempt"].version,
                                        held_on=TODAY + 30 * DAY,
                                        status_code=grants_continue_code())
    assert follow_up.next_on is None


def grants_continue_code():
    return next(c.code for c in grants.ffb.intervention_statuses() if grants.ffb.display(c.code) == grants.CONTINUE_STATUS)


# --- sector-divided plans --------------------------------------------------------------------------------------------

def test_sector_plans_the_plan_and_the_grant_say_the_one_plan_replaces_the_sector_plans(client, guide, caseworker, pair):
    exempt(caseworker, pair["exempt"], "sector_plans")
    client.force_login(guide)
    assert "erstatter sektorplanerne" in client.get(reverse("plans:plan", args=[pair["exempt"].pk])).content.decode()
    assert "erstatter sektorplanerne" not in client.get(reverse("plans:plan", args=[pair["plain"].pk])).content.decode()
    client.force_login(caseworker)
    for name, replaced in (("exempt", True), ("plain", False)):
        grant = authority_cases.create_grant(clearance(caseworker, pair[name]), goals=[goal_input()],
                                             **grant_kwargs(case_number=f"S-{name}"))
        page = client.get(reverse("authority:grant", args=[grant.pk])).content.decode()
        assert ("<dt>§ 141-handleplan</dt>" not in page) is replaced and ('id="one-plan"' in page) is replaced


# --- families --------------------------------------------------------------------------------------------------------

def test_a_family_exemption_applies_to_each_current_member(guide, caseworker, pair):
    family = Household.objects.create(name="Familien Holm", started_on=TODAY - 100 * DAY)
    HouseholdMember.objects.create(household=family, person=pair["exempt"], role="adult", joined_on=TODAY - 100 * DAY)
    HouseholdMember.objects.create(household=family, person=pair["plain"], role="adult", joined_on=TODAY - 100 * DAY,
                                   left_on=TODAY - 3 * DAY)
    made = exempt(caseworker, pair["exempt"], "process_goals", for_family=family)
    assert made.household == family and made.person is None
    assert set(exemptions.waived([pair["exempt"].pk, pair["plain"].pk], TODAY)) == {pair["exempt"].pk}
    assert exemptions.is_waived(pair["plain"].pk, "course_follow_up", TODAY - 5 * DAY)  # a member back then
    stranger = Household.objects.create(name="Andre", started_on=TODAY)
    with pytest.raises(ValidationError, match="ikke med i familien"):
        exempt(caseworker, pair["exempt"], "sector_plans", for_family=stranger)


# --- recording and ending ----------------------------------------------------------------------------------------------

def test_exemptions_are_recorded_and_ended_on_the_page_by_the_authority_only(client, guide, caseworker, pair):
    person = pair["exempt"]
    client.force_login(guide)
    assert client.get(reverse("plans:exemptions", args=[person.pk])).status_code == 403
    client.force_login(caseworker)
    page = client.post(reverse("plans:exemptions", args=[person.pk]), {
        "kind": kind("process_goals").pk, "legal_basis": BASIS, "starts_on": "2026-03-01", "ends_on": "2026-12-31",
        "decided_on": "2026-02-27"})
    assert page.status_code == 302
    made = Exemption.objects.get()
    assert (made.person, made.decided_by, made.decided_on) == (person, caseworker, datetime.date(2026, 2, 27))
    shown = client.get(reverse("plans:exemptions", args=[person.pk])).content.decode()
    assert "Fritaget for procesmål efter Lov om frikommunenetværk, LBK 831/2018, til 31.12.2026" in shown
    again = client.post(reverse("plans:exemptions", args=[person.pk]), {
        "kind": kind("process_goals").pk, "legal_basis": BASIS, "starts_on": "2026-04-01", "decided_on": "2026-03-02"})
    assert "allerede en fritagelse" in again.content.decode() and Exemption.objects.count() == 1
    blank = client.post(reverse("plans:exemptions", args=[person.pk]), {
        "kind": kind("sector_plans").pk, "legal_basis": " ", "starts_on": "2026-03-01", "decided_on": "2026-03-02"})
    assert blank.status_code == 200 and Exemption.objects.count() == 1
    assert client.post(reverse("plans:exemption_end", args=[person.pk, made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.ended_on == TODAY and not exemptions.is_waived(person.pk, "course_follow_up", TODAY)
    assert exemptions.is_waived(person.pk, "course_follow_up", TODAY - DAY)
    assert AuditEvent.objects.filter(section="exemption", person_id=person.pk).count() == 2
    with pytest.raises(PermissionDenied):
        cases.record_exemption(clearance(guide, person), kind=kind("sector_plans"), today=TODAY, legal_basis=BASIS,
                               starts_on=TODAY, ends_on=None, decided_on=TODAY)


# --- decision mandates -------------------------------------------------------------------------------------------------

@pytest.fixture
def mandate(db, jobcentre_team):
    return DecisionMandate.objects.create(department=jobcentre_team.department, legal_basis="SEL § 85",
                                          max_hours_per_week=Decimal(5), starts_on=TODAY - 30 * DAY)


def _grant(user, person, hours, **extra):
    return authority_cases.create_grant(clearance(user, person), goals=[goal_input()],
                                        **grant_kwargs(hours_per_week=Decimal(hours), decided_on=TODAY, starts_on=TODAY,
                                                       follow_up_on=TODAY + 90 * DAY, **extra))


def test_a_jobcentre_mandate_works_only_for_a_citizen_exempt_from_sector_divided_organisation(
        jobcentre, caseworker, pair, mandate):
    exempt(caseworker, pair["exempt"], "sector_organisation")
    assert clearance(jobcentre, pair["exempt"]).can(Section.AUTHORITY, Action.DECIDE)
    assert not clearance(jobcentre, pair["plain"]).can(Section.AUTHORITY, Action.DECIDE)
    with pytest.raises(PermissionDenied):
        _grant(jobcentre, pair["plain"], 3)
    within = _grant(jobcentre, pair["exempt"], 3)
    assert (within.status, within.competence, within.mandate) == (GrantStatus.DECIDED, Competence.MANDATE, mandate)


def test_above_the_mandate_the_grant_waits_for_the_manager_who_approves_or_rejects(
        jobcentre, caseworker, manager, pair, mandate, other_team):
    exempt(caseworker, pair["exempt"], "sector_organisation")
    above = _grant(jobcentre, pair["exempt"], 8, provider_team=other_team)
    assert (above.status, above.competence, above.mandate) == (GrantStatus.AWAITING, Competence.APPROVAL, mandate)
    assert not Order.objects.filter(grant=above).exists()  # nothing goes to the provider before the approval
    assert [g.pk for g in worklists.worklist(manager, today=TODAY).approvals] == [above.pk]
    assert worklists.worklist(caseworker, today=TODAY).approvals == []  # a caseworker does not approve
    with pytest.raises(PermissionDenied):
        authority_cases.approve_grant(clearance(caseworker, pair["exempt"]), above, version=above.version, on=TODAY)
    approved = authority_cases.approve_grant(clearance(manager, pair["exempt"]), above, version=above.version, on=TODAY)
    assert (approved.status, approved.competence, approved.approved_by) == (GrantStatus.DECIDED, Competence.APPROVAL,
                                                                            manager)
    assert Order.objects.filter(grant=above).exists()
    again = _grant(jobcentre, pair["exempt"], 10, case_number="G-2")
    with pytest.raises(ValidationError, match="hvorfor"):
        authority_cases.reject_grant(clearance(manager, pair["exempt"]), again, version=again.version, on=TODAY,
                                     note="")
    rejected = authority_cases.reject_grant(clearance(manager, pair["exempt"]), again, version=again.version, on=TODAY,
                                            note="Behovet er ikke belyst")
    assert rejected.status == GrantStatus.REJECTED and rejected.approval_note == "Behovet er ikke belyst"
    with pytest.raises(ValidationError):
        authority_cases.approve_grant(clearance(manager, pair["exempt"]), rejected, version=rejected.version, on=TODAY)


def test_ordinary_department_competence_is_recorded_and_a_role_mandate_narrows_it(caseworker, pair):
    plain = _grant(caseworker, pair["plain"], 12)
    assert (plain.status, plain.competence, plain.mandate) == (GrantStatus.DECIDED, Competence.DEPARTMENT, None)
    narrow = DecisionMandate.objects.create(role=Role.AUTHORITY, legal_basis="§85", max_hours_per_week=Decimal(10),
                                            starts_on=TODAY - DAY)
    assert _grant(caseworker, pair["plain"], 12, case_number="G-3").status == GrantStatus.AWAITING
    assert _grant(caseworker, pair["plain"], 10, case_number="G-4").mandate == narrow
    DecisionMandate.objects.filter(pk=narrow.pk).update(ends_on=TODAY - DAY)
    assert _grant(caseworker, pair["plain"], 12, case_number="G-5").competence == Competence.DEPARTMENT


def test_an_amount_limit_is_checked_too(jobcentre, caseworker, pair, jobcentre_team):
    exempt(caseworker, pair["exempt"], "sector_organisation")
    DecisionMandate.objects.create(user=jobcentre, legal_basis="SEL § 85", max_amount_per_year=Decimal(20000),
                                   starts_on=TODAY - DAY)
    assert _grant(jobcentre, pair["exempt"], 3, amount_per_year=Decimal(15000)).status == GrantStatus.DECIDED
    assert _grant(jobcentre, pair["exempt"], 3, amount_per_year=Decimal(25000),
                  case_number="G-6").status == GrantStatus.AWAITING


def _post_grant_page(client, person, hours):
    data = {"case_number": f"P-{hours}", "legal_basis": "SEL § 85", "hours_per_week": str(hours),
            "decided_on": TODAY.isoformat(), "starts_on": TODAY.isoformat(), "follow_up_on": "2026-06-01"}
    k = grant_kwargs()
    data |= {"service_code": k["service_code"], "offer_type_code": k["offer_type_code"],
             "target_groups": k["target_groups"], "support_need_code": k["support_need_code"]}
    g = goal_input()
    data |= {"goal-TOTAL_FORMS": "1", "goal-INITIAL_FORMS": "0", "goal-MIN_NUM_FORMS": "0",
             "goal-MAX_NUM_FORMS": "10", "goal-0-title": g.title, "goal-0-condition_code": g.condition_code,
             "goal-0-baseline_level": g.baseline_level, "goal-0-target_level": g.target_level,
             "goal-0-goal_type_code": g.goal_type_code, "goal-0-expected_level": g.expected_level}
    return client.post(reverse("authority:grant_new", args=[person.pk]), data)


def _post_grant_api(client, person, hours):
    k = grant_kwargs()
    g = goal_input()
    body = {"case_number": f"A-{hours}", "legal_basis": "SEL § 85", "service_code": k["service_code"],
            "offer_type_code": k["offer_type_code"], "target_groups": k["target_groups"],
            "support_need_code": k["support_need_code"], "hours_per_week": str(hours), "decided_on": TODAY.isoformat(),
            "starts_on": TODAY.isoformat(), "follow_up_on": "2026-06-01",
            "goals": [{"title": g.title, "condition_code": g.condition_code, "baseline_level": g.baseline_level,
                       "target_level": g.target_level, "goal_type_code": g.goal_type_code,
                       "expected_level": g.expected_level}]}
    return client.post(f"/api/v1/people/{person.pk}/grants", body, content_type="application/json")


def test_the_grant_page_and_the_api_agree_on_the_mandate(client, jobcentre, caseworker, manager, pair, mandate):
    exempt(caseworker, pair["exempt"], "sector_organisation")
    client.force_login(jobcentre)
    for hours, status in ((4, GrantStatus.DECIDED), (9, GrantStatus.AWAITING)):
        assert _post_grant_page(client, pair["exempt"], hours).status_code == 302
        api = _post_grant_api(client, pair["exempt"], hours)
        assert api.status_code == 201 and api.json()["status"] == status
        assert Grant.objects.get(case_number=f"P-{hours}").status == status
    assert _post_grant_api(client, pair["plain"], 4).status_code == 403
    assert _post_grant_page(client, pair["plain"], 4).status_code == 403
    waiting = Grant.objects.get(case_number="A-9")
    assert client.post(f"/api/v1/grants/{waiting.pk}/approval", {"version": waiting.version, "approve": True},
                       content_type="application/json").status_code == 403  # the caseworker does not approve
    client.force_login(manager)
    assert "Bevillinger til godkendelse" in client.get(reverse("courses:worklist")).content.decode()
    answer = client.post(f"/api/v1/grants/{waiting.pk}/approval", {"version": waiting.version, "approve": True},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["competence"] == "approval"
    page = Grant.objects.get(case_number="P-9")
    assert client.post(reverse("authority:grant", args=[page.pk]), {"version": page.version, "reject": "1",
                                                                    "note": "Ikke nok oplysninger"}).status_code == 302
    page.refresh_from_db()
    assert page.status == GrantStatus.REJECTED


def test_a_grant_awaiting_approval_goes_to_no_provider_on_any_channel(
        client, jobcentre, caseworker, manager, pair, mandate, other_team):
    """The reproduction: a direct POST of the provider form on a waiting grant sent an order before the approval."""
    exempt(caseworker, pair["exempt"], "sector_organisation")
    above = _grant(jobcentre, pair["exempt"], 8)
    with pytest.raises(ValidationError, match="afventer en leders godkendelse"):
        authority_cases.change_provider(clearance(jobcentre, pair["exempt"]), above, version=above.version,
                                        provider_team=other_team)
    client.force_login(jobcentre)
    response = client.post(reverse("authority:grant", args=[above.pk]),
                           {"provider": "1", "version": above.version, "provider_team": other_team.pk})
    assert response.status_code in (200, 403)
    assert not Order.objects.filter(grant=above).exists()
    above.refresh_from_db()
    assert above.provider_team is None and above.status == GrantStatus.AWAITING


def test_a_decision_is_not_dated_in_the_future(jobcentre, caseworker, pair, mandate):
    exempt(caseworker, pair["exempt"], "sector_organisation")
    with pytest.raises(ValidationError, match="fremtiden"):
        authority_cases.create_grant(clearance(jobcentre, pair["exempt"]), goals=[goal_input()], **grant_kwargs(
            hours_per_week=Decimal(3), decided_on=TODAY + DAY, starts_on=TODAY + DAY, follow_up_on=TODAY + 90 * DAY))
