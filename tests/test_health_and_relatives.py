"""Issue 27, parts 3 and 9: the plan's health section (decision 0050) and relatives' advice conversations and joint
sessions (decision 0051). Real database, fixed dates."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login_verified
from traedesten.accounts.models import CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.courses import groups, rules, services as courses
from traedesten.courses.models import Activity, Offer
from traedesten.gate import Relation, Section, clearance
from traedesten.insights import kpis
from traedesten.insights.scope import Scope
from traedesten.interop.records import ActivityRecord
from traedesten.people import services as people
from traedesten.people.consent import consented_scopes, gp_consent, withdraw_consent
from traedesten.plans import services as plans
from traedesten.plans.content import PlanContent
from traedesten.usecases import courses as course_cases, people as people_cases, plans as plan_cases
from traedesten.usecases.worklists import worklist

TODAY = datetime.date(2026, 3, 2)
NOON = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC)
HEALTH = {"gp_name": "Læge Birgitte Holm", "gp_clinic": "Lægehuset Vestergade", "gp_phone": "75 92 00 00",
          "medication": "pharmacy", "medication_note": "Dosisdispenseret, hentes om fredagen"}


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def person(guide, make_person, team):
    return make_person(guide, team=team, first_name="Sara", last_name="Holm")


@pytest.fixture
def course(guide, person, team):
    return courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                                start=TODAY - datetime.timedelta(days=60), team=team, responsible=guide)


@pytest.fixture
def jobcentre_user(make_user, person):
    team = Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))
    CaseloadAssignment.objects.create(person=person, team=team)
    return make_user(Role.AUTHORITY, [team])


def _save(guide, person, health, version=0, **more):
    return plans.save_plan(guide, person, {"goals": [{"citizen_text": "Jeg vil sove bedre", "health": True}],
                                           "health": health, **more}, expected_version=version)


# -- the health section ------------------------------------------------------------------------------------------

def test_the_health_section_is_a_plan_version_and_its_own_gate_section(guide, person):
    version = _save(guide, person, HEALTH)
    content = PlanContent.model_validate(version.content)
    assert (content.health.gp_name, content.health.medication) == ("Læge Birgitte Holm", "pharmacy")
    assert [g.citizen_text for g in content.health_goals] == ["Jeg vil sove bedre"]
    c = clearance(guide, person)
    assert Section.HEALTH in c.readable and Section.HEALTH in c.writable
    with pytest.raises(ValidationError):
        plans.parse({"health": {"medication": "the_neighbour"}})


def test_another_department_sees_the_health_section_only_by_a_consent_naming_health(
        client, guide, person, jobcentre_user):
    _save(guide, person, HEALTH)
    jobcentre = Department.objects.get(code="jobcentre")
    people_cases.give_consent(clearance(guide, person), recipient=jobcentre, scope=["goals"], purpose="Én plan",
                              given_on=TODAY)
    login_verified(client, jobcentre_user)
    page = client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    assert "Jeg vil sove bedre" in page and "Birgitte Holm" not in page and "Sundhed" in page  # named as hidden
    api = client.get(f"/api/v1/people/{person.pk}/plan").json()
    assert api["content"]["health"]["gp_name"] == "" and "Sundhed" in api["hidden_parts"]
    people_cases.give_consent(clearance(guide, person), recipient=jobcentre, scope=["health"], purpose="Sundhed",
                              given_on=TODAY)
    assert "Birgitte Holm" in client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    assert client.get(f"/api/v1/people/{person.pk}/plan").json()["content"]["health"]["gp_name"] == HEALTH["gp_name"]
    # a consent shares to read: the health check is the owning department's to register
    response = client.post(f"/api/v1/people/{person.pk}/plan/health-check", {"version": 1, "checked_on": "2026-03-01"},
                           content_type="application/json")
    assert response.status_code == 403


# -- the annual health check -------------------------------------------------------------------------------------

def _health_items(user):
    return [i for i in worklist(user, today=TODAY).items if i.kind == "health_check"]


def test_the_annual_check_is_due_a_year_after_the_last_and_registering_it_clears_it(guide, person, course):
    _save(guide, person, HEALTH | {"annual_check": True, "last_check": "2025-03-05"})
    [item] = _health_items(guide)
    assert (item.due, item.overdue, item.course) == (datetime.date(2026, 3, 5), False, course)
    version = plan_cases.register_health_check(clearance(guide, person), checked_on=TODAY, expected_version=1)
    assert PlanContent.model_validate(version.content).health.check_due() == datetime.date(2027, 3, 2)
    assert version.number == 2 and "helbredstjek" in version.note
    assert _health_items(guide) == []


def test_a_citizen_flagged_without_a_check_is_due_from_the_day_of_the_flag(guide, person, course):
    _save(guide, person, HEALTH | {"annual_check": True})
    [item] = _health_items(guide)
    assert item.due == TODAY
    _save(guide, person, HEALTH, version=1)  # the flag taken off: no deadline
    assert _health_items(guide) == []


def test_the_check_is_not_on_the_list_of_a_worker_who_does_not_read_health(guide, make_user, person, course, team):
    _save(guide, person, HEALTH | {"annual_check": True, "last_check": "2025-03-01"})
    host = make_user(Role.HOST, [team])
    assert [i for i in worklist(host, scope="team", today=TODAY).items if i.kind == "health_check"] == []
    assert [i.kind for i in worklist(guide, scope="team", today=TODAY).items].count("health_check") == 1


def test_a_check_is_refused_when_not_flagged_in_the_future_or_not_after_the_last(guide, person):
    _save(guide, person, HEALTH)
    c = clearance(guide, person)
    with pytest.raises(ValidationError, match="ikke markeret"):
        plan_cases.register_health_check(c, checked_on=TODAY, expected_version=1)
    _save(guide, person, HEALTH | {"annual_check": True, "last_check": "2026-02-01"}, version=1)
    with pytest.raises(ValidationError, match="allerede"):
        plan_cases.register_health_check(c, checked_on=datetime.date(2026, 1, 15), expected_version=2)
    with pytest.raises(ValidationError, match="fremtiden"):
        plan_cases.register_health_check(c, checked_on=TODAY + datetime.timedelta(days=2), expected_version=2)


def test_the_page_and_the_api_register_the_check_through_the_same_use_case(client, guide, person, course):
    _save(guide, person, HEALTH | {"annual_check": True, "last_check": "2025-03-05"})
    login_verified(client, guide)
    client.post(reverse("plans:health_check", args=[person.pk]), {"checked_on": "2026-02-27"})
    response = client.post(f"/api/v1/people/{person.pk}/plan/health-check", {"version": 1, "checked_on": "2026-03-01"},
                           content_type="application/json")
    assert response.status_code == 409  # the page saved version 2 in between
    response = client.post(f"/api/v1/people/{person.pk}/plan/health-check", {"version": 2, "checked_on": "2026-03-01"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["content"]["health"]["last_check"] == "2026-03-01"


# -- consent to the GP -------------------------------------------------------------------------------------------

def test_the_gp_consent_is_recorded_by_the_owning_department_only_and_opens_no_department(
        guide, person, jobcentre_user):
    jobcentre = Department.objects.get(code="jobcentre")
    with pytest.raises(PermissionDenied):
        people_cases.give_consent(clearance(jobcentre_user, person), recipient=None, external="gp", scope=["health"],
                                  purpose="Til lægen", given_on=TODAY)
    with pytest.raises(ValidationError, match="én modtager"):
        people_cases.give_consent(clearance(guide, person), recipient=jobcentre, external="gp", scope=["health"],
                                  purpose="Til lægen", given_on=TODAY)
    consent = people_cases.give_consent(clearance(guide, person), recipient=None, external="gp",
                                        scope=["health", "measures"], purpose="Til lægen", given_on=TODAY)
    assert (consent.recipient_name, consent.recipient_code) == ("Borgerens egen læge", "gp")
    assert gp_consent(person) == consent and consented_scopes(person, jobcentre) == set()
    assert Section.HEALTH not in clearance(jobcentre_user, person).readable


def test_a_citizen_cannot_give_the_gp_consent_on_min_side(person):
    from traedesten.accounts.principals import CitizenPrincipal

    c = clearance(CitizenPrincipal(person.pk), person)
    assert Relation.SELF in c.relations
    with pytest.raises(PermissionDenied):
        people_cases.give_consent(c, recipient=None, external="gp", scope=["health"], purpose="Til lægen",
                                  given_on=TODAY)


def test_the_print_for_the_gp_only_while_the_consent_is_in_force(client, guide, person):
    _save(guide, person, HEALTH)
    login_verified(client, guide)
    assert client.get(reverse("plans:gp_print", args=[person.pk])).status_code == 403
    consent = people_cases.give_consent(clearance(guide, person), recipient=None, external="gp",
                                        scope=["health", "goals"], purpose="Til lægen", given_on=TODAY)
    page = client.get(reverse("plans:gp_print", args=[person.pk])).content.decode()
    assert "Birgitte Holm" in page and "Jeg vil sove bedre" in page
    plan_page = client.get(reverse("plans:plan", args=[person.pk])).content.decode()
    assert reverse("plans:gp_print", args=[person.pk]) in plan_page and "Samtykke til deling med egen læge" in plan_page
    assert "Mål og trædesten, Sundhed: egen læge, medicin og helbredstjek" in plan_page  # the parts in words, not codes
    pdf = client.get(reverse("plans:gp_pdf", args=[person.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    withdraw_consent(guide, consent)
    assert client.get(reverse("plans:gp_print", args=[person.pk])).status_code == 403
    assert client.get(reverse("plans:gp_pdf", args=[person.pk])).status_code == 403


# -- escorts, relatives' advice and joint sessions ------------------------------------------------------------------

@pytest.fixture
def mother(guide, person):
    return people.add_network_person(guide, person, {"name": "Lene Holm", "relation": "parent"})


def test_relative_advice_and_joint_sessions_are_recorded_with_the_relative(guide, person, course, mother):
    c = clearance(guide, person)
    advice = course_cases.record_activity(c, kind="relative_advice", on=TODAY, course=course, relative=mother,
                                          channel="phone", delivered_hours=Decimal(1))
    joint = course_cases.record_activity(c, kind="joint_session", on=TODAY, course=course, relative=mother)
    escort = course_cases.record_activity(c, kind="health_escort", on=TODAY, course=course, channel="walk")
    assert (advice.person, advice.relative, joint.relative, escort.relative) == (person, mother, mother, None)


def test_a_relative_from_another_citizens_network_or_on_another_kind_is_refused(
        guide, person, course, mother, make_person, team):
    stranger = make_person(guide, team=team)
    their_sister = people.add_network_person(guide, stranger, {"name": "Søster", "relation": "sibling"})
    c = clearance(guide, person)
    with pytest.raises(PermissionDenied):
        course_cases.record_activity(c, kind="relative_advice", on=TODAY, course=course, relative=their_sister)
    with pytest.raises(ValidationError, match="anden borgers netværk"):
        courses.record_activity(guide, person, kind="relative_advice", on=TODAY, relative=their_sister)
    with pytest.raises(ValidationError, match="Kun en pårørenderådgivning"):
        course_cases.record_activity(c, kind="coaching", on=TODAY, course=course, relative=mother)


def test_choosing_a_relative_needs_the_network_open(guide, make_user, person, course, mother, team):
    host = make_user(Role.HOST, [team])
    c = clearance(host, person)
    assert Section.COURSES in c.writable and Section.NETWORK not in c.readable
    with pytest.raises(PermissionDenied):
        course_cases.record_activity(c, kind="relative_advice", on=TODAY, course=course, relative=mother)
    assert course_cases.record_activity(c, kind="relative_advice", on=TODAY, course=course).relative is None


def test_relatives_are_never_in_groups(guide, person, mother):
    group = groups.create_group(guide, Offer.objects.filter(kind="group").first(), theme="Følelser", start=TODAY,
                                planned_sessions=4, session_hours=Decimal(2), facilitators=[guide])
    with pytest.raises(ValidationError, match="Kun borgere"):
        groups.enrol(guide, group, mother)
    session = groups.register_session(guide, group, on=TODAY, hours=Decimal(2), attendance={}, staff_hours={guide: 2},
                                      cap_reason="Test")
    with pytest.raises(ValidationError, match="gruppegang"):
        courses.record_activity(guide, person, kind="relative_advice", on=TODAY, relative=mother, session=session)
    problems = rules.activity_problems(kind="joint_session", on=TODAY, attendance="attended", channel="group_room",
                                       delivered_hours=Decimal(1), citizen=1, course=None, today=TODAY)
    assert [field for field, _message in problems] == ["kind"]


def test_the_activities_key_figure_counts_attended_advice_and_joint_sessions(guide, person, course, mother,
                                                                              make_person, team):
    c = clearance(guide, person)
    for day, attendance in ((1, "attended"), (2, "attended"), (3, "cancelled")):
        course_cases.record_activity(c, kind="relative_advice", on=TODAY - datetime.timedelta(days=day), course=course,
                                     relative=mother, attendance=attendance, delivered_hours=Decimal(1))
    course_cases.record_activity(c, kind="joint_session", on=TODAY - datetime.timedelta(days=4), course=course,
                                 delivered_hours=Decimal("1.5"))
    course_cases.record_activity(c, kind="joint_session", on=datetime.date(2026, 1, 31), course=course)  # before
    table = kpis.activities(Scope(datetime.date(2026, 2, 1), datetime.date(2026, 3, 31))).exact()
    rows = {r.key: r.values for r in table.rows}
    assert rows["relative_advice"] == [1, Decimal(2), 2]
    assert rows["joint_session"] == [1, Decimal("1.5"), 1]
    assert rows["health_escort"] == [0, Decimal(0), 0]
    assert table.total.values[2] == 3


@pytest.mark.parametrize("kind", ["health_escort", "relative_advice", "joint_session"])
def test_the_interchange_accepts_the_new_kinds(kind):
    record = ActivityRecord.model_validate({"type": "activity", "id": "a1", "person": "p1", "kind": kind,
                                            "on": "2026-03-01"})
    assert record.kind == kind and kind in Activity.Kind.values
