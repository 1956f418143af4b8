"""Issue 26, item 4 (decision 0060): the plan's missing parts. Resources and barriers next to the dreams,
interventions with status and dates so waiting is visible, grant goals tied to plan goals, and the history of the
citizen's contact persons with gaps in cover on the worklist. Real database, fixed dates."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import goal_input, grant_kwargs, login_verified
from traedesten.accounts.models import CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import ffb, grants
from traedesten.authority.models import GrantGoal
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.gate import clearance
from traedesten.people.consent import give_consent
from traedesten.people.contacts import COVER_GAP_WEEKS
from traedesten.people.models import ContactKind, ContactPeriod
from traedesten.plans import pdf, services as plans
from traedesten.plans.content import PlanContent
from traedesten.plans.models import Plan
from traedesten.plans.parts import WAITING_ALERT_DAYS
from traedesten.plans.sharing import visible
from traedesten.usecases import people as people_cases, plans as plan_cases
from traedesten.usecases.worklists import worklist

TODAY = datetime.date(2026, 3, 2)
NOON = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC)
GOAL = "Jeg vil have mit eget sted at bo"


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def person(guide, make_person, team):
    team.department = Department.objects.get(code="social")
    team.save()
    return make_person(guide, team=team, first_name="Sara", last_name="Holm")


@pytest.fixture
def course(guide, person, team):
    return courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                                start=TODAY - datetime.timedelta(days=120), team=team, responsible=guide)


def _waiting(requested_on: datetime.date, text="Bostøtte efter § 85") -> dict:
    return {"text": text, "responsible": "department", "department": "authority", "legal_basis": "SEL § 85",
            "status": "waiting", "requested_on": requested_on.isoformat()}


def _save(actor, person, *, version=0, started_on=None, **content):
    return plans.save_plan(actor, person, content, expected_version=version,
                           started_on=started_on or TODAY - datetime.timedelta(days=120))


# -- the content schema -------------------------------------------------------------------------------------------

def test_a_version_written_before_the_new_parts_still_loads():
    old = {"reason": "Ensom", "dreams": ["Et job"], "goals": [{"id": "g1", "citizen_text": "Sove bedre", "actions": [
        {"id": "a1", "text": "Ring til lægen", "responsible": "citizen", "done": True},
        {"id": "a2", "text": "Find en sovepude", "responsible": "citizen"}]}]}
    content = PlanContent.model_validate(old)
    assert (content.resources, content.barriers) == ([], [])
    assert [(a.status, a.done) for a in content.goals[0].actions] == [("done", True), ("planned", False)]
    assert content.goals[0].actions[0].requested_on is None


@pytest.mark.parametrize("barrier, message", [
    ({"text": "Angst", "kind": ""}, "grundlæggende eller afledt"),
    ({"text": "Angst", "kind": "sometimes"}, "grundlæggende eller afledt"),
    ({"text": "Angst", "kind": "basic", "basic_type": "flu"}, "fysisk eller psykisk sygdom"),
    ({"text": "Ingen bil", "kind": "derived", "derived_type": "weather"}, "mobilitet, økonomi, bolig"),
    ({"text": "Ingen bil", "kind": "derived", "derived_type": ""}, "mobilitet, økonomi, bolig"),
    ({"text": "Angst", "kind": "basic", "basic_type": "mental_illness", "derived_type": "housing"}, "ingen afledt type"),
    ({"text": "Gæld", "kind": "derived", "derived_type": "economy", "basic_type": "mental_illness"}, "ingen sygdomstype"),
    ({"text": " ", "kind": "basic", "basic_type": "mental_illness"}, "Skriv barrieren"),
])
def test_a_barrier_of_no_known_type_is_refused_in_danish(guide, person, barrier, message):
    with pytest.raises(ValidationError, match=message):
        _save(guide, person, barriers=[barrier])
    assert not Plan.objects.exists()


def test_the_derived_types_are_the_five_of_the_evaluation():
    for derived in ("mobility", "economy", "housing", "self_belief", "family_wellbeing"):
        barrier = PlanContent.model_validate({"barriers": [{"text": "x", "kind": "derived", "derived_type": derived}]})
        assert barrier.barriers[0].choice == f"derived:{derived}"


@pytest.mark.parametrize("action, message", [
    ({"status": "waiting"}, "blev søgt"),
    ({"status": "active", "requested_on": "2026-02-01", "started_on": "2026-01-01"}, "forkert rækkefølge"),
    ({"status": "done", "started_on": "2026-02-01", "ended_on": "2026-01-01"}, "forkert rækkefølge"),
])
def test_an_intervention_without_its_waiting_day_or_with_dates_out_of_order_is_refused(guide, person, action, message):
    goal = {"citizen_text": GOAL, "actions": [{"text": "Bostøtte", "responsible": "citizen", **action}]}
    with pytest.raises(ValidationError, match=message):
        _save(guide, person, goals=[goal])


# -- save and show: page, API, PDF --------------------------------------------------------------------------------

def test_the_editor_saves_resources_barriers_and_a_waiting_intervention_and_the_plan_page_shows_them(
        client, guide, person, course):
    client.force_login(guide)
    response = client.post(reverse("plans:edit", args=[person.pk]), {
        "version": "0", "dreams": "Mit eget sted", "resources": "God til at lave mad\nHar en god søster",
        "barrier-new0-text": "Angst i store grupper", "barrier-new0-type": "basic:mental_illness",
        "barrier-new1-text": "Har ingen cykel eller bil", "barrier-new1-type": "derived:mobility",
        "goal-new0-citizen_text": GOAL,
        "goal-new0-action-new0-text": "Bostøtte efter § 85", "goal-new0-action-new0-responsible": "department:authority",
        "goal-new0-action-new0-status": "waiting", "goal-new0-action-new0-requested_on": "2026-01-21",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    content = plans.current_content(Plan.objects.get(person=person))
    assert content.resources == ["God til at lave mad", "Har en god søster"]
    assert [(b.kind, b.basic_type, b.derived_type) for b in content.barriers] == [
        ("basic", "mental_illness", ""), ("derived", "", "mobility")]
    [action] = content.goals[0].actions
    assert (action.status, action.requested_on) == ("waiting", datetime.date(2026, 1, 21))
    page = client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    assert "God til at lave mad" in page and "Angst i store grupper" in page and "Psykisk sygdom" in page
    assert "Har ingen cykel eller bil" in page and "Mobilitet" in page and "afledt" in page
    assert "har ventet 40 dage" in page  # 21 January to 2 March
    # the editor shows it back, with the choices kept
    editor = client.get(reverse("plans:edit", args=[person.pk])).content.decode()
    assert 'value="derived:mobility" selected' in editor and 'value="waiting" selected' in editor


def test_a_bad_barrier_in_the_editor_is_a_danish_message_and_nothing_is_saved(client, guide, person):
    client.force_login(guide)
    response = client.post(reverse("plans:edit", args=[person.pk]), {
        "version": "0", "barrier-new0-text": "Gæld", "barrier-new0-type": ""})
    assert response.status_code == 200 and "grundlæggende eller afledt" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_api_round_trips_the_new_parts_and_refuses_a_bad_barrier(client, guide, person):
    login_verified(client, guide)
    url = f"/api/v1/people/{person.pk}/plan"
    body = {"version": 0, "content": {
        "resources": ["Holder af dyr"],
        "barriers": [{"text": "Bor på en sofa", "kind": "derived", "derived_type": "housing"}],
        "goals": [{"citizen_text": GOAL, "actions": [_waiting(datetime.date(2026, 2, 1))]}]}}
    saved = client.put(url, body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    got = client.get(url).json()["content"]
    assert got["resources"] == ["Holder af dyr"]
    assert got["barriers"][0] | {"id": ""} == {"id": "", "text": "Bor på en sofa", "kind": "derived", "basic_type": "",
                                               "derived_type": "housing"}
    action = got["goals"][0]["actions"][0]
    assert (action["status"], action["requested_on"], action["decided_on"]) == ("waiting", "2026-02-01", None)
    bad = client.put(url, {"version": 1, "content": {"barriers": [{"text": "Gæld", "kind": "derived",
                                                                   "derived_type": "debt"}]}},
                     content_type="application/json")
    assert bad.status_code == 422 and "mobilitet, økonomi, bolig" in str(bad.json())
    assert Plan.objects.get().version == 1


def test_the_citizens_print_names_resources_barriers_and_the_wait(guide, person):
    version = _save(guide, person, resources=["Holder af dyr"],
                    barriers=[{"text": "Bor på en sofa", "kind": "derived", "derived_type": "housing"}],
                    goals=[{"citizen_text": GOAL, "actions": [_waiting(datetime.date(2026, 2, 1))]}])
    body = pdf.render("plan", person, version.plan, PlanContent.model_validate(version.content))
    assert body.startswith(b"%PDF")


def test_the_consent_part_story_covers_resources_and_barriers(guide, person, make_user):
    _save(guide, person, resources=["Holder af dyr"], goals=[{"citizen_text": GOAL}],
          barriers=[{"text": "Bor på en sofa", "kind": "derived", "derived_type": "housing"}])
    jobteam = Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))
    CaseloadAssignment.objects.create(person=person, team=jobteam)
    give_consent(guide, person, recipient=jobteam.department, scope=["goals"], purpose="Én plan", given_on=TODAY)
    shared, hidden = visible(plans.current_content(Plan.objects.get()), {"goals"})
    assert (shared.resources, shared.barriers, shared.goals[0].citizen_text) == ([], [], GOAL)
    assert "Borgerens fortælling og drømme" in hidden


# -- waiting on the worklist --------------------------------------------------------------------------------------

def _waits(user, scope="mine"):
    return [i for i in worklist(user, scope=scope, today=TODAY).items if i.kind == "waiting"]


def test_a_wait_comes_on_the_coordinators_list_only_after_the_threshold(guide, make_user, team, person, course):
    coordinator = make_user(Role.GUIDE, [team])
    at_threshold = TODAY - datetime.timedelta(days=WAITING_ALERT_DAYS)
    version = _save(guide, person, goals=[{"citizen_text": GOAL, "actions": [_waiting(at_threshold)]}])
    plan_cases.set_coordinator(clearance(guide, person), version.plan, coordinator)
    assert _waits(coordinator) == []  # waited exactly the threshold: not yet
    content = plans.current_content(Plan.objects.get())
    content.goals[0].actions[0].requested_on = at_threshold - datetime.timedelta(days=1)
    plans.save_plan(guide, person, content, expected_version=1)
    [item] = _waits(coordinator)
    assert (item.course, item.due, item.overdue) == (course, TODAY, False)
    assert "Bostøtte efter § 85 har ventet 31 dage" in item.label
    assert _waits(make_user(Role.GUIDE, [team])) == []  # neither responsible nor coordinator
    assert len(_waits(make_user(Role.GUIDE, [team]), scope="team")) == 1
    # the intervention starts: the item goes
    content.goals[0].actions[0].status = "active"
    content.goals[0].actions[0].started_on = TODAY
    plans.save_plan(guide, person, content, expected_version=2)
    assert _waits(coordinator) == []


# -- grant goals tied to plan goals -------------------------------------------------------------------------------

@pytest.fixture
def caseworker(make_user, person, guide):
    team = Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))
    worker = make_user(Role.AUTHORITY, [team], username="myndighed")
    CaseloadAssignment.objects.create(person=person, team=team, worker=worker)
    give_consent(guide, person, recipient=team.department, scope=["goals"], purpose="Én plan", given_on=TODAY)
    return worker


def _grant_post(plan_goal: str) -> dict:
    goal = goal_input()
    return {"case_number": "27.12.20-G01-1-26", "legal_basis": "SEL § 85",
            "service_code": ffb.code_named(ffb.services(), "Støtte til administration"),
            "offer_type_code": ffb.code_named(ffb.offer_types(), "Mobilt tilbud"),
            "target_groups": [ffb.code_named(ffb.target_groups(), "Social isolation")],
            "support_need_code": ffb.code_named(ffb.support_needs(), "Moderat støttebehov"), "hours_per_week": "3",
            "decided_on": "2026-03-02", "starts_on": "2026-03-02", "follow_up_on": "2026-05-01",
            "appeal_informed": "on", "goal-TOTAL_FORMS": "3", "goal-INITIAL_FORMS": "0", "goal-MIN_NUM_FORMS": "0",
            "goal-MAX_NUM_FORMS": "5", "goal-0-title": goal.title, "goal-0-condition_code": goal.condition_code,
            "goal-0-baseline_level": "3", "goal-0-target_level": "1", "goal-0-goal_type_code": goal.goal_type_code,
            "goal-0-expected_level": "2", "goal-0-plan_goal": plan_goal}


def test_the_grant_page_ties_a_grant_goal_to_a_plan_goal_and_both_pages_show_it(client, guide, person, caseworker):
    version = _save(guide, person, goals=[{"citizen_text": GOAL}, {"citizen_text": "Jeg vil i praktik"}])
    goal_id = PlanContent.model_validate(version.content).goals[0].id
    login_verified(client, caseworker)
    form = client.get(reverse("authority:grant_new", args=[person.pk])).content.decode()
    assert f'value="{goal_id}"' in form and GOAL in form
    response = client.post(reverse("authority:grant_new", args=[person.pk]), _grant_post(goal_id))
    assert response.status_code == 302, response.content.decode()[:3000]
    tied = GrantGoal.objects.get()
    assert tied.plan_goal_id == goal_id
    detail = client.get(response.url).content.decode()
    assert f"Mål i planen: {GOAL}" in detail
    client.force_login(guide)
    page = client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    section = page.split(f"Mål: {GOAL}")[1].split("Mål: Jeg vil i praktik")[0]
    assert "Indsatsmål i bevillinger" in section and tied.title in section and "27.12.20-G01-1-26" in section
    api = client.get(f"/api/v1/people/{person.pk}/plan").json()
    assert api["grant_goals"] == [{"id": tied.pk, "grant_id": tied.grant_id, "title": tied.title,
                                   "plan_goal_id": goal_id}]


def test_a_grant_goal_tied_to_a_goal_not_in_the_plan_is_refused(guide, person, caseworker):
    _save(guide, person, goals=[{"citizen_text": GOAL}])
    goal = goal_input()
    goal.plan_goal_id = "nosuch"
    with pytest.raises(ValidationError, match="ikke findes i borgerens plan"):
        grants.create_grant(caseworker, person, goals=[goal], **grant_kwargs())
    assert not GrantGoal.objects.exists()


# -- contact persons: history and gaps in cover ------------------------------------------------------------------

def test_every_change_of_contact_person_is_recorded(client, guide, make_user, team, person, course):
    version = plan_cases.save_plan(clearance(guide, person), {"goals": [{"citizen_text": GOAL}]}, expected_version=0,
                                   started_on=TODAY - datetime.timedelta(days=120))
    [first] = ContactPeriod.objects.filter(person=person)
    assert (first.kind, first.worker, first.starts_on, first.ends_on) == (
        "coordinator", guide, version.plan.started_on, None)
    colleague = make_user(Role.GUIDE, [team], first_name="Lene", last_name="Berg")
    plan_cases.set_coordinator(clearance(guide, person), version.plan, colleague)
    c = clearance(guide, person)
    people_cases.change_contact_person(c, ContactKind.MENTOR, on=TODAY - datetime.timedelta(days=10),
                                       name="Mentor Ib Lund")
    people_cases.change_contact_person(c, ContactKind.SUPPORT_CONTACT, on=TODAY, worker=colleague)
    rows = {(p.kind, str(p.worker or p.name), p.starts_on, p.ends_on, p.recorded_by_id)
            for p in ContactPeriod.objects.filter(person=person)}
    assert rows == {("coordinator", str(guide), version.plan.started_on, TODAY, guide.pk),
                    ("coordinator", str(colleague), TODAY, None, guide.pk),
                    ("mentor", "Mentor Ib Lund", TODAY - datetime.timedelta(days=10), None, guide.pk),
                    ("support_contact", str(colleague), TODAY, None, guide.pk)}
    # the same person again changes nothing; a change before the current one started is refused
    assert people_cases.change_contact_person(c, ContactKind.SUPPORT_CONTACT, on=TODAY, worker=colleague) is None
    with pytest.raises(ValidationError, match="før den nuværende"):
        people_cases.change_contact_person(c, ContactKind.MENTOR, on=TODAY - datetime.timedelta(days=20), name="Bo")
    # the page records a change too, and the plan page shows the history
    client.force_login(guide)
    response = client.post(reverse("people:contact_persons", args=[person.pk]),
                           {"kind": "caseworker", "name": "Sagsbehandler Kim Dahl", "on": "2026-03-01"})
    assert response.status_code == 302
    future = client.post(reverse("people:contact_persons", args=[person.pk]),
                         {"kind": "caseworker", "name": "Kim", "on": "2026-04-01"})
    assert future.status_code == 200 and "i fremtiden" in future.content.decode()
    overview = client.get(reverse("people:overview", args=[person.pk])).content.decode()
    assert reverse("people:contact_persons", args=[person.pk]) in overview
    page = client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    assert "Sagsbehandler Kim Dahl" in page and "Mentor Ib Lund" in page and "Støttekontaktperson (§85)" in page


def test_a_role_that_does_not_write_courses_cannot_record_a_change(make_user, team, person):
    outsider = make_user(Role.VOLUNTEER_COORDINATOR, [team])
    with pytest.raises(PermissionDenied):
        people_cases.change_contact_person(clearance(outsider, person), ContactKind.MENTOR, on=TODAY, name="Ib")


def _gaps(user, day, scope="mine"):
    return [i for i in worklist(user, scope=scope, today=day).items if i.kind == "cover_gap"]


def test_a_gap_in_cover_comes_on_the_list_at_the_boundary_and_goes_when_someone_takes_over(
        guide, make_user, team, person, course):
    manager = make_user(Role.MANAGER, [team])
    c = clearance(guide, person)
    ended = TODAY - datetime.timedelta(weeks=COVER_GAP_WEEKS)
    people_cases.change_contact_person(c, ContactKind.MENTOR, on=ended - datetime.timedelta(days=90), name="Ib Lund")
    people_cases.change_contact_person(c, ContactKind.MENTOR, on=ended)  # Ib stops, nobody takes over
    day_before = TODAY - datetime.timedelta(days=1)
    assert _gaps(guide, day_before) == [] and _gaps(manager, day_before) == []
    [item] = _gaps(manager, TODAY)
    assert (item.course, item.due, item.overdue) == (course, TODAY, False)
    assert "Ingen mentor siden" in item.label
    assert len(_gaps(guide, TODAY)) == 1  # the course's responsible worker and the plan's coordinator see it too
    assert _gaps(make_user(Role.GUIDE, [team]), TODAY) == []
    people_cases.change_contact_person(c, ContactKind.MENTOR, on=TODAY, name="Mentor Åse Bak")
    assert _gaps(manager, TODAY) == []


def test_no_gap_without_an_open_course(guide, make_user, team, person):
    manager = make_user(Role.MANAGER, [team])
    c = clearance(guide, person)
    people_cases.change_contact_person(c, ContactKind.MENTOR, on=TODAY - datetime.timedelta(days=100), name="Ib")
    people_cases.change_contact_person(c, ContactKind.MENTOR, on=TODAY - datetime.timedelta(days=60))
    assert _gaps(manager, TODAY, scope="team") == []
