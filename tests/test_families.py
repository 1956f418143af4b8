"""Families (Én plan, issue 26 item 3): the use cases, the gate per member, the family plan page and the population
count. Decision 0059."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login_verified
from traedesten.accounts.models import AuditEvent, CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.core.locking import VersionConflict
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.gate import Relation, Section, clearance, persons_reached
from traedesten.insights.population import counts, population
from traedesten.insights.scope import Scope
from traedesten.people import families
from traedesten.people.consent import give_consent
from traedesten.people.gdpr import anonymise
from traedesten.people.models import Household, HouseholdMember, Person
from traedesten.plans.services import save_plan
from traedesten.usecases import families as cases

START = datetime.date(2026, 1, 5)
CONSENTED = datetime.date(2026, 1, 6)


@pytest.fixture
def social_team(db):
    return Team.objects.create(name="Familieteam", department=Department.objects.get(code="social"))


@pytest.fixture
def guide(make_user, social_team):
    return make_user(Role.GUIDE, [social_team], username="guide")


@pytest.fixture
def jobcentre_team(db):
    return Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))


@pytest.fixture
def jobcentre_worker(make_user, jobcentre_team):
    return make_user(Role.GUIDE, [jobcentre_team], username="jobcentre")


def _member(guide, make_person, social_team, first, goal):
    person = make_person(guide, team=social_team, first_name=first, last_name="Familiesen")
    save_plan(guide, person, {"reason": f"Historie {first}", "goals": [{"citizen_text": goal}]}, expected_version=0)
    return person


@pytest.fixture
def family(guide, make_person, social_team):
    """Anna and Bo in one family, made by the guide who writes both plans."""
    anna = _member(guide, make_person, social_team, "Anna", "Anna vil have et job")
    bo = _member(guide, make_person, social_team, "Bo", "Bo vil i skole igen")
    household = cases.create_family(clearance(guide, anna), name="Familien Familiesen", started_on=START,
                                    role="adult")
    cases.add_member(clearance(guide, anna), household, clearance(guide, bo), role="young", joined_on=START)
    household.refresh_from_db()
    return household, anna, bo


# --- use cases ---------------------------------------------------------------------------------------------------

def test_create_family_makes_the_citizen_its_first_member_and_the_creator_its_coordinator(family, guide):
    household, anna, bo = family
    assert household.coordinator == guide and household.cluster == "family"
    assert [(m.person, m.role, m.joined_on) for m in families.members(household, START)] == [
        (anna, "adult", START), (bo, "young", START)]
    assert families.membership_of(anna, START).household == household


def test_create_family_refuses_bad_input_with_a_danish_message(guide, make_person, social_team):
    anna = make_person(guide, team=social_team)
    with pytest.raises(ValidationError, match="navn"):
        cases.create_family(clearance(guide, anna), name="  ", started_on=START, role="adult")
    with pytest.raises(ValidationError, match="rolle"):
        cases.create_family(clearance(guide, anna), name="Familien", started_on=START, role="chef")
    with pytest.raises(ValidationError, match="klynge"):
        cases.create_family(clearance(guide, anna), name="Familien", started_on=START, role="adult", cluster="x")
    assert not Household.objects.exists()


def test_only_the_plan_writers_make_a_family(make_user, make_person, guide, social_team):
    anna = make_person(guide, team=social_team)
    host = make_user(Role.HOST, [social_team])
    with pytest.raises(PermissionDenied):
        cases.create_family(clearance(host, anna), name="Familien", started_on=START, role="adult")


def test_members_join_and_leave_on_dates_and_belong_to_one_family(family, guide, make_person, social_team):
    household, anna, bo = family
    member = household.members.get(person=bo)
    with pytest.raises(ValidationError, match="før det kom med"):
        cases.remove_member(clearance(guide, anna), member, left_on=START - datetime.timedelta(days=1))
    cases.remove_member(clearance(guide, anna), member, left_on=datetime.date(2026, 6, 30))
    assert [m.person for m in families.members(household, datetime.date(2026, 6, 30))] == [anna, bo]
    assert [m.person for m in families.members(household, datetime.date(2026, 7, 1))] == [anna]
    with pytest.raises(ValidationError, match="allerede forladt"):
        cases.remove_member(clearance(guide, anna), member, left_on=datetime.date(2026, 8, 1))
    # a citizen is in one running family at a time; the other family refuses them
    cleo = make_person(guide, team=social_team, first_name="Cleo")
    other = cases.create_family(clearance(guide, cleo), name="Familien Andersen", started_on=START, role="adult")
    with pytest.raises(ValidationError, match="anden familie"):
        cases.add_member(clearance(guide, cleo), other, clearance(guide, anna), role="adult", joined_on=START)
    with pytest.raises(ValidationError, match="før familien startede"):
        cases.add_member(clearance(guide, anna), household, clearance(guide, cleo), role="child",
                         joined_on=START - datetime.timedelta(days=3))


def test_adding_a_member_needs_the_members_plan_open_to_write(family, guide, make_user, make_person):
    household, anna, _bo = family
    elsewhere = Team.objects.create(name="Andet", department=Department.objects.get(code="social"))
    stranger = make_person(make_user(Role.GUIDE, [elsewhere]), team=elsewhere)
    with pytest.raises(PermissionDenied):
        cases.add_member(clearance(guide, anna), household, clearance(guide, stranger), role="child",
                         joined_on=START)
    # and the family is changed only through a current member
    with pytest.raises(PermissionDenied):
        cases.write_direction(clearance(guide, stranger), household, "x", expected_version=household.version)


def test_the_coordinator_is_a_staff_user_who_can_coordinate(family, guide, make_user, social_team):
    household, anna, _bo = family
    bostotte = make_user(Role.BOSTOTTE, [social_team])
    cases.set_coordinator(clearance(guide, anna), household, bostotte)
    household.refresh_from_db()
    assert household.coordinator == bostotte
    with pytest.raises(ValidationError, match="koordinator"):
        cases.set_coordinator(clearance(guide, anna), household, make_user(Role.VOLUNTEER, []))
    assert AuditEvent.objects.filter(section="family", fields=["coordinator"], person_id=anna.pk).exists()


def test_a_stale_edit_of_the_shared_direction_is_refused_in_danish(family, guide):
    household, anna, _bo = family
    read = household.version
    cases.write_direction(clearance(guide, anna), household, "Vi vil have ro derhjemme", expected_version=read)
    with pytest.raises(VersionConflict, match="En anden har ændret familiens fælles retning"):
        cases.write_direction(clearance(guide, anna), household, "Noget andet", expected_version=read)
    household.refresh_from_db()
    assert household.direction == "Vi vil have ro derhjemme" and household.version == read + 1


def test_the_coordinator_writes_the_direction_without_a_plan_of_their_own(family, guide, jobcentre_worker):
    household, anna, _bo = family
    cases.set_coordinator(clearance(guide, anna), household, jobcentre_worker)
    household.refresh_from_db()
    c = clearance(jobcentre_worker, anna)
    assert Relation.FAMILY_COORDINATOR in c.relations
    cases.write_direction(c, household, "Fælles retning", expected_version=household.version)
    with pytest.raises(PermissionDenied):  # but not a member's plan, nor who coordinates
        cases.set_coordinator(c, household, guide)


def test_cluster_and_sub_target_group_on_citizen_and_family(family, guide):
    household, anna, _bo = family
    cases.set_cluster(clearance(guide, anna), cluster="adult", sub_target_group="  hjerne  skade ")
    anna.refresh_from_db()
    assert (anna.cluster, anna.sub_target_group) == ("adult", "hjerne skade")
    cases.set_cluster(clearance(guide, anna), cluster="", sub_target_group="")
    anna.refresh_from_db()
    assert anna.cluster == ""
    with pytest.raises(ValidationError, match="klynge"):
        cases.set_cluster(clearance(guide, anna), cluster="senior")
    cases.set_family_cluster(clearance(guide, anna), household, cluster="youth", sub_target_group="uddannelse")
    household.refresh_from_db()
    assert (household.cluster, household.sub_target_group) == ("youth", "uddannelse")
    with pytest.raises(ValidationError, match="klynge"):
        cases.set_family_cluster(clearance(guide, anna), household, cluster="")


# --- the gate, per member ------------------------------------------------------------------------------------------

def _consent(guide, person, scope=("story", "goals", "actions")):
    give_consent(guide, person, recipient=Department.objects.get(code="jobcentre"), scope=list(scope),
                 purpose="Én plan for familien", given_on=CONSENTED)


def test_a_worker_with_consent_from_one_member_sees_that_sub_plan_only(client, family, guide, jobcentre_worker):
    """The jobcentre worker has both members on the caseload; only Anna has consented to the jobcentre."""
    household, anna, bo = family
    for person in (anna, bo):
        CaseloadAssignment.objects.create(person=person, team=jobcentre_worker.teams.get())
    _consent(guide, anna)
    login_verified(client, jobcentre_worker)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    page = client.get(reverse("plans:family", args=[anna.pk])).content.decode()
    assert "Anna vil have et job" in page and "Historie Anna" not in page.split("Delplaner")[0]
    assert "Bo vil i skole igen" not in page
    assert "Delplanen er ikke delt med dig" in page
    reads = AuditEvent.objects.filter(pk__gt=before, user=jobcentre_worker, section="family_plan")
    by_person = {e.person_id: e.fields for e in reads}
    assert set(by_person) == {anna.pk, bo.pk}
    assert set(by_person[anna.pk]) == {"identity", "story", "goals", "actions", "family_direction"}
    assert by_person[bo.pk] == ["identity", "family_direction"]


def test_the_coordinator_sees_the_members_names_and_only_the_consented_sub_plans(client, family, guide,
                                                                                 jobcentre_worker):
    household, anna, bo = family
    cases.set_coordinator(clearance(guide, anna), household, jobcentre_worker)
    _consent(guide, bo, scope=["goals"])
    anna_c, bo_c = clearance(jobcentre_worker, anna), clearance(jobcentre_worker, bo)
    assert anna_c.relations == {Relation.FAMILY_COORDINATOR} == bo_c.relations
    assert anna_c.readable == {Section.IDENTITY}
    assert bo_c.readable == {Section.IDENTITY, Section.GOALS}
    login_verified(client, jobcentre_worker)
    page = client.get(reverse("plans:family", args=[anna.pk])).content.decode()
    assert "Anna Familiesen" in page and "Bo Familiesen" in page
    assert "Bo vil i skole igen" in page and "Anna vil have et job" not in page
    assert "Historie Bo" not in page  # the story was not in Bo's consent


def test_the_coordinator_relation_opens_no_plan_in_the_owning_department_and_no_lists(family, guide, make_user):
    """A coordinator in the department that owns the plans, with no caseload: the names, not the sub-plans (a
    consent is never given to the owning department), and the members are not on their plan lists."""
    household, anna, _bo = family
    elsewhere = Team.objects.create(name="Koordinatorer", department=Department.objects.get(code="social"))
    coordinator = make_user(Role.BOSTOTTE, [elsewhere])
    cases.set_coordinator(clearance(guide, anna), household, coordinator)
    c = clearance(coordinator, anna)
    assert c.readable == {Section.IDENTITY} and c.writable == {Section.IDENTITY}
    assert not set(persons_reached(coordinator, Section.GOALS))
    assert set(persons_reached(coordinator, Section.IDENTITY)) == {anna, _bo}


def test_a_member_who_left_or_an_ended_family_opens_nothing_to_the_coordinator(family, guide, jobcentre_worker):
    household, anna, bo = family
    cases.set_coordinator(clearance(guide, anna), household, jobcentre_worker)
    cases.remove_member(clearance(guide, anna), household.members.get(person=bo), left_on=datetime.date(2026, 2, 1))
    assert Relation.FAMILY_COORDINATOR not in clearance(jobcentre_worker, bo).relations
    Household.objects.filter(pk=household.pk).update(ended_on=datetime.date(2026, 2, 2))
    assert not clearance(jobcentre_worker, anna).readable


def test_someone_reaching_one_member_does_not_learn_the_others_name(client, family, guide, make_user, make_person):
    household, anna, _bo = family
    elsewhere = Team.objects.create(name="Andet team", department=Department.objects.get(code="social"))
    other_guide = make_user(Role.GUIDE, [elsewhere])
    CaseloadAssignment.objects.create(person=anna, team=elsewhere)
    login_verified(client, other_guide)
    page = client.get(reverse("plans:family", args=[anna.pk])).content.decode()
    assert "Anna vil have et job" in page
    assert "Bo Familiesen" not in page and "Bo vil i skole igen" not in page
    assert "Et andet medlem af familien" in page


# --- the pages -----------------------------------------------------------------------------------------------------

def test_make_a_family_from_a_citizen_and_add_a_member_found_by_search(client, guide, make_person, social_team):
    anna = _member(guide, make_person, social_team, "Anna", "Et job")
    bo = _member(guide, make_person, social_team, "Bo", "Skole")
    login_verified(client, guide)
    overview = client.get(reverse("people:overview", args=[anna.pk])).content.decode()
    assert reverse("plans:family_new", args=[anna.pk]) in overview
    response = client.post(reverse("plans:family_new", args=[anna.pk]),
                           {"name": "Familien F", "role": "adult", "cluster": "family", "started_on": "2026-01-05"})
    assert response.status_code == 302
    found = client.get(reverse("plans:family", args=[anna.pk]), {"q": "Bo Familiesen"}).content.decode()
    assert f'name="member" value="{bo.pk}"' in found
    client.post(reverse("plans:family_add", args=[anna.pk]), {"member": bo.pk, "role": "young",
                                                              "joined_on": "2026-01-05"})
    household = Household.objects.get()
    assert set(household.members.values_list("person_id", flat=True)) == {anna.pk, bo.pk}
    assert reverse("plans:family", args=[bo.pk]) in client.get(reverse("plans:plan", args=[bo.pk])).content.decode()
    assert "Familieplan: Familien F" in client.get(reverse("people:overview", args=[bo.pk])).content.decode()
    # a stale direction is refused on the page with the Danish message, nothing saved
    client.post(reverse("plans:family_direction", args=[anna.pk]), {"direction": "Ro", "version": household.version})
    page = client.post(reverse("plans:family_direction", args=[bo.pk]), {"direction": "Uro",
                                                                         "version": household.version}, follow=True)
    assert "En anden har ændret familiens fælles retning" in page.content.decode()
    household.refresh_from_db()
    assert household.direction == "Ro"


def test_bad_input_on_the_family_pages_is_a_message_not_an_error(client, family, guide):
    household, anna, _bo = family
    login_verified(client, guide)
    for name in ("family_add", "family_remove", "family_direction", "family_coordinator", "family_cluster", "cluster"):
        response = client.post(reverse(f"plans:{name}", args=[anna.pk]), {"member": "x", "joined_on": "igår",
                                                                          "version": "nej", "cluster": "?"})
        assert response.status_code == 302, name
    page = client.post(reverse("plans:family_new", args=[anna.pk]), {"name": "", "started_on": "x"})
    assert page.status_code == 200 and "gyldig dato" in page.content.decode()


def test_anonymising_a_member_removes_the_membership_and_the_last_takes_the_familys_words(family, guide):
    household, anna, bo = family
    cases.write_direction(clearance(guide, anna), household, "Sammen om hverdagen", expected_version=household.version)
    assert families.subject_access(anna)[0]["direction"] == "Sammen om hverdagen"
    anonymise(Person.objects.get(pk=anna.pk))
    household.refresh_from_db()
    assert household.direction == "Sammen om hverdagen" and not household.members.filter(person=anna).exists()
    anonymise(Person.objects.get(pk=bo.pk))
    household.refresh_from_db()
    assert household.direction == "" and household.name == "Anonymiseret familie"
    assert not HouseholdMember.objects.exists()


# --- the population ------------------------------------------------------------------------------------------------

def test_population_counts_families_as_units_and_members_as_persons(guide, make_person, social_team):
    """Two families of three and two persons, one of them in the youth cluster; two citizens in courses outside any
    family (one adult, one without a cluster); a family member in a course is counted once, with the family."""
    offer = Offer.objects.get(name="Din Indgang – forløb")
    people = [make_person(guide, team=social_team, first_name=f"P{i}") for i in range(7)]
    anna = people[0]
    first = families.create_household(guide, anna, name="Familien A", started_on=START, role="adult")
    for p in people[1:3]:
        families.add_member(guide, first, p, role="child", joined_on=START)
    second = families.create_household(guide, people[3], name="Familien B", started_on=START, role="adult",
                                       cluster="youth")
    families.add_member(guide, second, people[4], role="young", joined_on=START)
    Person.objects.filter(pk=people[5].pk).update(cluster="adult")
    for p in (anna, people[5], people[6]):
        courses.start_course(guide, p, offer, start=START, team=social_team)
    # a family that ended before the period and a member who left before it are not counted
    gone = make_person(guide, team=social_team, first_name="Gone")
    old = families.create_household(guide, gone, name="Familien C", started_on=datetime.date(2025, 1, 6),
                                    role="adult")
    Household.objects.filter(pk=old.pk).update(ended_on=datetime.date(2025, 12, 31))
    left = make_person(guide, team=social_team, first_name="Left")
    families.add_member(guide, first, left, role="young", joined_on=START)
    families.remove_member(guide, first.members.get(person=left), left_on=datetime.date(2026, 1, 31))

    scope = Scope(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    found = counts(scope)
    assert found["family"] == {"families": 1, "family_persons": 3, "own": 0, "cases": 1, "persons": 3}
    assert found["youth"] == {"families": 1, "family_persons": 2, "own": 0, "cases": 1, "persons": 2}
    assert found["adult"] == {"families": 0, "family_persons": 0, "own": 1, "cases": 1, "persons": 1}
    assert found["none"]["own"] == 1
    exact = population(scope).exact()
    assert exact.total.values == [2, 5, 2, 4, 7]
    published = population(scope).published()
    assert published.total.values == [0, 5, 0, 5, 5]  # rounded to five by core.disclosure
    january = counts(Scope(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)))
    assert january["family"]["family_persons"] == 4  # the member who left on 31 January was there
