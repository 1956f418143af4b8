"""Issue 27, parts 5 and 6: the on-call service reads the crisis sheet only, after a stated reason that is flagged;
the roster says who is on call now; a new § 85 order puts the citizen in the provider team's matching queue with a
14-day deadline; matching makes the worker responsible on the course; a request for another worker puts the citizen
back in the queue. Decisions 0048 and 0049."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import goal_input, grant_kwargs, login_verified
from traedesten.accounts.models import (
    AuditEvent,
    CaseloadAssignment,
    CaseloadNorm,
    Competence,
    Department,
    Method,
    OnCallShift,
    OutsideAccess,
    Team,
    WorkerProfile,
)
from traedesten.accounts.roles import Role
from traedesten.authority.models import Matching, WorkerChangeRequest
from traedesten.courses.models import Activity, Course, Offer
from traedesten.gate import Action, NeedsReason, Relation, Section, clearance, grant_outside_access
from traedesten.people.models import ContactPeriod
from traedesten.plans.services import save_plan
from traedesten.usecases import authority as authority_cases, courses as course_cases, matching, staff, worklists

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def social(db):
    return Department.objects.get(code="social")


@pytest.fixture
def home_team(social):
    return Team.objects.create(name="Hjemmeteam", department=social)


@pytest.fixture
def on_call_team(social):
    return Team.objects.create(name="Døgnvagten", department=social)


@pytest.fixture
def on_call(make_user, on_call_team):
    return make_user(Role.ON_CALL, [on_call_team], username="vagt")


@pytest.fixture
def worker(make_user, home_team):
    return make_user(Role.BOSTOTTE, [home_team], username="bostoette")


@pytest.fixture
def with_sheet(make_person, worker, home_team):
    person = make_person(worker, team=home_team, cpr="1010901233", phone="22334455", address="Vejen 1")
    save_plan(worker, person, {"reason": "Historie XYZSTORY", "goals": [{"citizen_text": "Mål XYZGOAL"}],
                               "coping": {"strategies": ["Gå en tur XYZCOPING"]},
                               "crisis": {"about_me": "Jeg bliver stille XYZCRISIS"}}, expected_version=0)
    course_cases.record_activity(clearance(worker, person), kind="coaching", on=timezone.localdate(),
                                 course=None, topic="XYZTOPIC")
    return person


@pytest.fixture
def without_sheet(make_person, worker, home_team):
    person = make_person(worker, team=home_team, cpr="0202821238")
    save_plan(worker, person, {"reason": "Kun en historie"}, expected_version=0)
    return person


def test_on_call_reaches_only_citizens_with_a_crisis_sheet_and_only_after_a_reason(on_call, with_sheet,
                                                                                   without_sheet):
    c = clearance(on_call, with_sheet)
    assert Relation.CRISIS_SHEET in c.relations
    assert not c.readable
    assert c.by_reason == {Section.IDENTITY, Section.COPING, Section.ON_CALL}
    with pytest.raises(NeedsReason):
        c.require(Section.COPING)
    nothing = clearance(on_call, without_sheet)
    assert not nothing.readable and not nothing.by_reason
    with pytest.raises(PermissionDenied):
        grant_outside_access(on_call, without_sheet, "Borgeren ringede i krise om natten")


def test_a_reason_opens_the_crisis_sheet_and_nothing_else_and_is_flagged(on_call, with_sheet):
    grant_outside_access(on_call, with_sheet, "Borgeren ringede i krise om natten")
    c = clearance(on_call, with_sheet)
    assert c.readable == {Section.IDENTITY, Section.COPING, Section.ON_CALL}
    assert c.writable == {Section.ON_CALL}
    assert c.flagged and c.reason == "Borgeren ringede i krise om natten"
    for closed in (Section.CPR, Section.COURSES, Section.STORY, Section.GOALS, Section.ACTIONS, Section.NETWORK,
                   Section.MEASURES, Section.NOTES, Section.AUTHORITY, Section.DOCUMENTS):
        assert not c.can(closed), closed
    assert OutsideAccess.objects.get(user=on_call, person=with_sheet).reviewed_at is None


def test_the_crisis_sheet_page_asks_for_a_reason_then_shows_the_sheet_flagged(client, on_call, with_sheet):
    login_verified(client, on_call)
    url = reverse("oncall:crisis_sheet", args=[with_sheet.pk])
    first = client.get(url)
    assert first.status_code == 302 and "/begrundelse/" in first["Location"] and "next=" in first["Location"]
    back = client.post(first["Location"], {"reason": "Borgeren ringede i krise om natten"})
    assert back.status_code == 302 and back["Location"] == url
    page = client.get(url).content.decode()
    assert "XYZCOPING" in page and "XYZCRISIS" in page and "Vejen 1" in page
    for hidden in ("XYZSTORY", "XYZGOAL", "XYZTOPIC", "1010901233", "101090-1233"):
        assert hidden not in page, hidden
    event = AuditEvent.objects.filter(user=on_call, person_id=with_sheet.pk, section="crisis_sheet").get()
    assert event.flagged and event.reason == "Borgeren ringede i krise om natten"
    assert set(event.fields) == {"identity", "coping", "on_call"}
    # the plan's other parts and the courses stay closed, even with the reason in force
    assert "XYZGOAL" not in client.get(reverse("plans:plan", args=[with_sheet.pk])).content.decode()
    assert client.get(reverse("courses:activity", args=[with_sheet.pk])).status_code == 403
    assert client.get(reverse("records:journal", args=[with_sheet.pk])).status_code == 403


def test_the_on_call_contact_is_an_activity_on_no_course_through_the_use_case(client, on_call, with_sheet, worker):
    grant_outside_access(on_call, with_sheet, "Borgeren ringede i krise om natten")
    login_verified(client, on_call)
    today = timezone.localdate()
    response = client.post(reverse("oncall:crisis_sheet", args=[with_sheet.pk]),
                           {"on": today.isoformat(), "channel": "phone", "topic": "Talte om at sove"})
    assert response.status_code == 302
    contact = Activity.objects.get(person=with_sheet, kind=Activity.Kind.ON_CALL_CONTACT)
    assert contact.course is None and contact.channel == "phone" and contact.registered_by == on_call
    # the on-call worker cannot use the activity use case for anything else: that is the courses'
    c = clearance(on_call, with_sheet)
    with pytest.raises(PermissionDenied):
        course_cases.record_activity(c, kind="coaching", on=today)
    # the citizen's own worker sees the contact among the activities
    assert clearance(worker, with_sheet).can(Section.ON_CALL)


def test_without_the_reason_the_on_call_worker_registers_nothing(on_call, with_sheet):
    with pytest.raises(NeedsReason):
        course_cases.record_on_call_contact(clearance(on_call, with_sheet), on=timezone.localdate(), channel="phone")


def test_the_lookup_finds_only_a_crisis_sheet_and_names_nobody(client, on_call, with_sheet, without_sheet):
    login_verified(client, on_call)
    page = client.get(reverse("oncall:home"), {"cpr": "101090-1233"}).content.decode()
    assert reverse("oncall:crisis_sheet", args=[with_sheet.pk]) in page
    assert with_sheet.first_name not in page and with_sheet.last_name not in page
    none = client.get(reverse("oncall:home"), {"cpr": "0202821238"}).content.decode()
    assert reverse("oncall:crisis_sheet", args=[without_sheet.pk]) not in none
    by_phone = client.get(reverse("oncall:home"), {"phone": "+45 22 33 44 55"}).content.decode()
    assert reverse("oncall:crisis_sheet", args=[with_sheet.pk]) in by_phone


@time_machine.travel(NOON, tick=False)
def test_the_roster_shows_who_is_on_call_now(client, make_user, on_call, on_call_team):
    manager = make_user(Role.MANAGER, [on_call_team], username="leder")
    night = make_user(Role.ON_CALL, [on_call_team], username="nat", first_name="Nanna")
    staff.add_shift(manager, on_call_team, on_call, starts_at=NOON - datetime.timedelta(hours=4),
                    ends_at=NOON + datetime.timedelta(hours=4))
    staff.add_shift(manager, on_call_team, night, starts_at=NOON + datetime.timedelta(hours=4),
                    ends_at=NOON + datetime.timedelta(hours=12))
    assert [s.user for s in staff.on_call_now(on_call, at=NOON)] == [on_call]
    with pytest.raises(ValidationError):
        staff.add_shift(manager, on_call_team, night, starts_at=NOON, ends_at=NOON)
    with pytest.raises(PermissionDenied):
        staff.add_shift(on_call, on_call_team, night, starts_at=NOON, ends_at=NOON + datetime.timedelta(hours=1))
    other = Team.objects.create(name="Andet team")
    with pytest.raises(PermissionDenied):
        staff.add_shift(manager, other, night, starts_at=NOON, ends_at=NOON + datetime.timedelta(hours=1))
    login_verified(client, manager)
    response = client.post(reverse("oncall:roster"), {"team": on_call_team.pk, "user": night.pk,
                                                      "starts_at": "2026-03-11T08:00", "ends_at": "2026-03-11T16:00"})
    assert response.status_code == 302 and OnCallShift.objects.filter(user=night).count() == 2
    login_verified(client, on_call)
    assert "Test" in client.get(reverse("oncall:home")).content.decode()
    assert client.get(reverse("oncall:roster")).status_code == 403


# Matching


@pytest.fixture
def caseworker(make_user):
    team = Team.objects.create(name="Myndighed", department=Department.objects.get(code="authority"))
    return make_user(Role.AUTHORITY, [team], username="raadgiver")


@pytest.fixture
def manager(make_user, home_team):
    return make_user(Role.MANAGER, [home_team], username="teamleder")


@pytest.fixture
def ordered(caseworker, make_person, make_user, social, home_team):
    front = Team.objects.create(name="Indgangen", department=social)
    person = make_person(make_user(Role.GUIDE, [front]), team=front, cpr="0303831232")
    CaseloadAssignment.objects.get_or_create(person=person, team=caseworker.teams.get())
    grant = authority_cases.create_grant(clearance(caseworker, person), goals=[goal_input()], **grant_kwargs(
        provider_team=home_team, provider_offer=Offer.objects.get(name="Bostøtte (§85)")))
    return person, grant.orders.get()


def test_a_new_section_85_order_waits_for_matching_with_a_14_day_deadline(ordered, manager):
    person, order = ordered
    waiting = Matching.objects.get(person=person)
    assert waiting.order == order and waiting.team == order.provider_team
    assert waiting.due_on == timezone.localdate(order.sent_at) + datetime.timedelta(days=14)
    today = timezone.localdate()
    assert [m.person for m in matching.queue(manager, today=today)] == [person]
    assert not matching.queue(manager, today=today, due_only=True)
    # due within the week: on the team manager's worklist; 15 days on: overdue there
    assert worklists.worklist(manager, today=waiting.due_on - datetime.timedelta(days=3)).matchings == [waiting]
    assert worklists.worklist(manager, today=waiting.due_on - datetime.timedelta(days=10)).matchings == []
    assert worklists.worklist(manager, today=waiting.due_on + datetime.timedelta(days=1)).matchings == [waiting]


def test_other_legal_bases_are_not_matched(caseworker, make_person, make_user, social, home_team):
    person = make_person(make_user(Role.GUIDE, [home_team]), team=home_team)
    CaseloadAssignment.objects.get_or_create(person=person, team=caseworker.teams.get())
    authority_cases.create_grant(clearance(caseworker, person), goals=[goal_input()],
                                 **grant_kwargs(provider_team=home_team, legal_basis="SEL § 107"))
    assert not Matching.objects.filter(person=person).exists()


def test_matching_by_profile_makes_the_worker_responsible_on_the_course(ordered, manager, worker, make_user,
                                                                        home_team):
    person, order = ordered
    authority_cases.accept_order(clearance(worker, person), order, version=order.version)
    waiting = Matching.objects.get(person=person)
    assert waiting.course is not None
    other = make_user(Role.BOSTOTTE, [home_team], username="anden", first_name="Ali")
    WorkerProfile.objects.create(user=other, gender="male", languages="arabisk, engelsk")
    mi = Method.objects.get(code="mi")
    Competence.objects.create(user=other, method=mi, certified_on=datetime.date(2024, 1, 1))
    Competence.objects.create(user=worker, method=mi, certified_on=datetime.date(2020, 1, 1),
                              expires_on=datetime.date(2021, 1, 1))
    CaseloadNorm.objects.create(team=home_team, max_citizens=20)
    c = clearance(manager, person)
    waiting = matching.save_wishes(c, waiting, version=waiting.version, gender="male", language="Arabisk", method=mi)
    ranked = matching.candidates(c, waiting, today=timezone.localdate())
    assert ranked[0].user == other and len(ranked[0].fits) == 3
    assert ranked[0].norm.max_citizens == 20
    assert [x.method for x in next(r for r in ranked if r.user == worker).competences] == []  # expired
    matching.match(c, waiting, other, version=waiting.version, on=timezone.localdate())
    assert Course.objects.get(pk=waiting.course_id).responsible == other
    assert Matching.objects.get(pk=waiting.pk).status == Matching.Status.MATCHED
    assert not matching.queue(manager, today=timezone.localdate())
    with pytest.raises(PermissionDenied):  # only the provider team's matching tool
        matching.match(clearance(worker, person), waiting, other, version=2, on=timezone.localdate())


def test_a_request_for_another_worker_goes_back_in_the_queue_with_its_outcome(ordered, manager, worker, make_user,
                                                                              home_team):
    person, order = ordered
    authority_cases.accept_order(clearance(worker, person), order, version=order.version)
    first = Matching.objects.get(person=person)
    c = clearance(manager, person)
    matching.match(c, first, worker, version=first.version, on=timezone.localdate())
    asked_on = timezone.localdate()
    request = matching.request_other_worker(clearance(worker, person), requested_on=asked_on,
                                            reason="Vi taler ikke godt sammen")
    assert request.previous_worker == worker and request.outcome == WorkerChangeRequest.Outcome.PENDING
    again = request.matching
    assert again.reason == Matching.Reason.CHANGE_REQUEST and again.due_on == asked_on + datetime.timedelta(days=14)
    assert [m.pk for m in matching.queue(manager, today=asked_on)] == [again.pk]
    with pytest.raises(ValidationError):
        matching.request_other_worker(c, requested_on=asked_on, reason="Igen")
    new = make_user(Role.BOSTOTTE, [home_team], username="ny")
    matching.match(c, again, new, version=again.version, on=asked_on)
    assert WorkerChangeRequest.objects.get(pk=request.pk).outcome == WorkerChangeRequest.Outcome.NEW_WORKER
    assert Course.objects.get(pk=again.course_id).responsible == new
    # each match is a change of support contact in the citizen's contact-person history (decision 0060)
    assert list(ContactPeriod.objects.filter(person=person).order_by("pk").values_list(
        "kind", "worker", "starts_on", "ends_on")) == [("support_contact", worker.pk, asked_on, asked_on),
                                                       ("support_contact", new.pk, asked_on, None)]


def test_competences_are_seen_by_the_worker_and_their_manager_only(client, manager, worker, make_user, home_team):
    stranger = make_user(Role.MANAGER, [Team.objects.create(name="Fremmed")], username="fremmed")
    Competence.objects.create(user=worker, method=Method.objects.get(code="fit"), certified_on=datetime.date(2025, 5, 1),
                              expires_on=datetime.date(2027, 5, 1), note="XYZNOTE")
    assert staff.may_see_competences(worker, worker) and staff.may_see_competences(manager, worker)
    assert not staff.may_see_competences(stranger, worker)
    with pytest.raises(PermissionDenied):
        staff.add_competence(stranger, worker, Method.objects.get(code="mi"), certified_on=datetime.date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        staff.add_competence(worker, worker, Method.objects.get(code="mi"), certified_on=datetime.date(2025, 1, 1))
    login_verified(client, stranger)
    assert "XYZNOTE" not in client.get(reverse("accounts:competences")).content.decode()
    login_verified(client, worker)
    assert "XYZNOTE" in client.get(reverse("accounts:competences")).content.decode()
    assert client.post(reverse("accounts:competences"), {"form": "competence"}).status_code == 403
    login_verified(client, manager)
    response = client.post(reverse("accounts:competences"), {
        "form": "competence", "worker": worker.pk, "method": Method.objects.get(code="mi").pk,
        "certified_on": "2025-02-01", "expires_on": ""})
    assert response.status_code == 302 and worker.competences.count() == 2


def test_a_reason_would_let_the_on_call_role_write_its_contacts_only(on_call, with_sheet):
    c = clearance(on_call, with_sheet)
    assert c.by_reason_writable == {Section.ON_CALL}
    assert not c.can(Section.ON_CALL, Action.WRITE)
