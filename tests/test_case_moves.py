"""The case moves: hand-offs that close the loop, worklists that show today's work, and the search rule."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import Background, CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.authority.conference import decide
from traedesten.authority.models import AgendaItem, CaseConference
from traedesten.civil.models import Match
from traedesten.courses import services as courses
from traedesten.courses.models import Activity, Course, Offer, WorkItemNote
from traedesten.economy.models import PriceItem
from traedesten.gate import Section, clearance
from traedesten.interop.importer import import_lines
from traedesten.people.services import search_persons
from traedesten.usecases import courses as course_cases, people as people_cases, worklists

TODAY = datetime.date(2026, 3, 2)  # a Monday


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False):
        yield


@pytest.fixture
def social(db):
    return Department.objects.get(code="social")


@pytest.fixture
def front(team, social):
    team.department = social
    team.save()
    return team


@pytest.fixture
def front_offer(db):
    return Offer.objects.get(name="Din Indgang – forløb")


def _course(guide, person, offer, weeks_ago):
    return courses.start_course(guide, person, offer, start=TODAY - datetime.timedelta(weeks=weeks_ago))


# --- Hand-offs close the loop ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("decision, destination, within", [
    (AgendaItem.Decision.HANDOVER, "authority", 14), (AgendaItem.Decision.AUTHORITY, "authority", 14),
    (AgendaItem.Decision.CLOSE, "", 7)])
def test_a_conference_decision_moves_the_front_door_course_on(guide, make_person, front, front_offer, decision,
                                                               destination, within):
    course = _course(guide, make_person(guide, team=front), front_offer, 12)
    conference = CaseConference.objects.create(held_on=TODAY, team=front, chair=guide)
    item = AgendaItem.objects.create(conference=conference, person=course.person, course=course, kind="move_on")
    decide(guide, item, decision)
    course.refresh_from_db()
    assert course.status == Course.Status.ACTIVE
    assert (course.close_due_on, course.close_to) == (TODAY + datetime.timedelta(days=within), destination)
    # the overdue assessment and follow-up give way to the one thing left: closing the course
    left = courses.deadlines(course)
    assert [d.kind for d in left] == ["close"]


def test_continuing_leaves_the_course_alone(guide, make_person, front, front_offer):
    course = _course(guide, make_person(guide, team=front), front_offer, 2)
    conference = CaseConference.objects.create(held_on=TODAY, team=front, chair=guide)
    decide(guide, AgendaItem.objects.create(conference=conference, person=course.person, course=course, kind="new"),
           AgendaItem.Decision.CONTINUE)
    course.refresh_from_db()
    assert course.close_due_on is None


def test_a_grant_moves_the_front_door_course_to_the_authority(guide, make_user, make_person, front, front_offer):
    person = make_person(guide, team=front)
    course = _course(guide, person, front_offer, 12)
    caseworker = make_user(Role.AUTHORITY, [Team.objects.create(name="M", department=Department.objects.get(
        code="authority"))])
    grants.create_grant(caseworker, person, goals=[goal_input()], **grant_kwargs(
        decided_on=TODAY, starts_on=TODAY + datetime.timedelta(days=7), follow_up_on=TODAY + datetime.timedelta(days=120)))
    course.refresh_from_db()
    assert (course.close_due_on, course.close_to) == (TODAY + datetime.timedelta(days=7), "authority")


def test_closing_asks_for_the_shadow_visitation_and_says_who_assessed_it(client, guide, make_user, make_person, front,
                                                                         front_offer):
    colleague = make_user(Role.GUIDE, [front], first_name="Anne", last_name="Myndig", background=Background.AUTHORITY)
    person = make_person(guide, team=front)
    course = _course(guide, person, front_offer, 12)
    courses.plan_closing(guide, course, on=TODAY, destination="authority", because="Bevilling")
    course.refresh_from_db()
    client.force_login(guide)
    page = client.get(reverse("courses:close", args=[course.pk])).content.decode()
    assert "Skyggevisitation" in page and "Anne Myndig (myndighedserfaring)" in page
    assert 'value="authority" selected' in page
    item = PriceItem.objects.filter(active=True).first()
    response = client.post(reverse("courses:close", args=[course.pk]), {
        "closed_on": TODAY.isoformat(), "destination": "authority", "version": course.version,
        "shadow-would_have": item.pk, "shadow-confidence": "high", "shadow-assessed_by": colleague.pk})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.status == "closed" and course.destination == "authority"
    assert course.shadow.assessed_by == colleague and course.shadow.authority_experience
    assert course.shadow.would_have == item


def test_a_group_enrolment_ends_with_the_group(guide, make_person, front):
    from traedesten.courses import groups

    group = groups.create_group(guide, Offer.objects.filter(kind="group").first(), theme="Struktur",
                                start=TODAY - datetime.timedelta(weeks=3), planned_sessions=2,
                                session_hours=Decimal(2), facilitators=[guide])
    person = make_person(guide, team=front)
    enrolment = groups.enrol(guide, group, person)
    for week in (2, 1):
        groups.register_session(guide, group, on=TODAY - datetime.timedelta(weeks=week), hours=Decimal(2),
                                attendance={person.pk: "attended"}, staff_hours={}, cap_reason="Én facilitator i dag")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.destination) == ("closed", "group_ended")


def test_the_coordinator_opens_a_limited_view_of_a_kickoff_citizen(client, guide, make_user, make_person, front,
                                                                     front_offer, social):
    coordinator = make_user(Role.VOLUNTEER_COORDINATOR, [Team.objects.create(name="Frivillighed", department=social)])
    person = make_person(guide, team=front, cpr="1010901233")
    course = _course(guide, person, front_offer, 10)
    courses.close_course(guide, course, closed_on=TODAY, destination="civil_society",
                         kickoff_on=TODAY + datetime.timedelta(days=3), expected_version=course.version)
    from traedesten.civil.services import kickoff_from_closing

    course.refresh_from_db()
    kickoff_from_closing(guide, course)
    assert Match.objects.filter(person=person).exists()
    client.force_login(coordinator)
    listing = client.get(reverse("civil:coordinator")).content.decode()
    assert person.display_name in listing
    community = client.get(reverse("civil:citizen", args=[person.pk]))
    overview = client.get(reverse("people:overview", args=[person.pk]))
    assert community.status_code == 200 and overview.status_code == 200
    body = overview.content.decode()
    assert person.display_name in body and "101090" not in body  # who it is, never the CPR number
    assert clearance(coordinator, person).readable == {Section.IDENTITY, Section.COMMUNITY}


# --- Worklists -------------------------------------------------------------------------------------------------------

def test_a_bostotte_contact_is_the_follow_up(guide, make_person, front):
    offer = Offer.objects.get(name="Bostøtte (§85)")
    course = courses.start_course(guide, make_person(guide, team=front), offer, start=TODAY - datetime.timedelta(weeks=8),
                                  hours_package="3-6")
    assert [d.done for d in courses.deadlines(course) if d.kind == "follow_up"] == [False]
    courses.record_activity(guide, course.person, kind=Activity.Kind.BOSTOTTE_CONTACT, course=course,
                            on=TODAY - datetime.timedelta(weeks=7), delivered_hours=Decimal(1))
    assert [d.done for d in courses.deadlines(course) if d.kind == "follow_up"] == [True]


def test_the_worklist_groups_today_this_week_and_overdue(guide, make_person, front, front_offer):
    late = _course(guide, make_person(guide, team=front), front_offer, 5)  # first follow-up was due a week ago
    today = _course(guide, make_person(guide, team=front), front_offer, 4)  # due today
    soon = courses.start_course(guide, make_person(guide, team=front), front_offer,
                                start=TODAY - datetime.timedelta(weeks=4) + datetime.timedelta(days=3))
    work = worklists.worklist(guide, scope="mine", today=TODAY)
    follow_ups = lambda items: {i.course.pk for i in items if i.kind == "follow_up"}  # noqa: E731
    assert follow_ups(work.overdue) == {late.pk}
    assert follow_ups(work.today) == {today.pk}
    assert follow_ups(work.week) == {soon.pk}
    assert dict(work.by_kind)["Opfølgning"] == 3


def test_an_item_is_put_off_with_a_reason_or_handed_to_a_colleague(guide, make_user, make_person, front, front_offer):
    colleague = make_user(Role.GUIDE, [front])
    course = _course(guide, make_person(guide, team=front), front_offer, 5)
    c = clearance(guide, course.person)
    item = next(i for i in worklists.worklist(guide, today=TODAY).overdue if i.kind == "follow_up")
    with pytest.raises(ValidationError):
        worklists.snooze(c, course, kind=item.kind, due=item.due, until=TODAY + datetime.timedelta(days=3), reason="",
                         today=TODAY)
    worklists.snooze(c, course, kind=item.kind, due=item.due, until=TODAY + datetime.timedelta(days=3),
                     reason="Borgeren er indlagt til torsdag", today=TODAY)
    work = worklists.worklist(guide, today=TODAY)
    assert work.snoozed == 1 and not [i for i in work.items if i.kind == "follow_up"]
    later = worklists.worklist(guide, today=TODAY + datetime.timedelta(days=3))
    assert [i.kind for i in later.today] == ["follow_up"]  # back on the day it was put off to

    worklists.hand_to(c, course, kind=item.kind, due=item.due, colleague=colleague)
    assert not [i for i in worklists.worklist(guide, today=TODAY).items if i.kind == "follow_up"]
    theirs = worklists.worklist(colleague, today=TODAY).items
    assert [(i.course.pk, i.kind) for i in theirs if i.kind == "follow_up"] == [(course.pk, "follow_up")]
    outsider = make_user(Role.GUIDE, [Team.objects.create(name="Andet", department=front.department)])
    with pytest.raises(PermissionDenied):
        worklists.hand_to(c, course, kind="assessment", due=item.due, colleague=outsider)
    assert WorkItemNote.objects.count() == 1


def test_my_citizens_sorted_by_next_deadline_and_last_contact(client, guide, make_person, front, front_offer):
    early = _course(guide, make_person(guide, team=front, first_name="Anna"), front_offer, 5)
    late = _course(guide, make_person(guide, team=front, first_name="Bo"), front_offer, 1)
    courses.record_activity(guide, late.person, kind="coaching", course=late, on=TODAY - datetime.timedelta(days=6),
                            delivered_hours=Decimal(1))
    courses.record_activity(guide, early.person, kind="coaching", course=early, on=TODAY - datetime.timedelta(days=1),
                            delivered_hours=Decimal(1))
    rows = worklists.my_citizens(guide, today=TODAY)
    assert [r.person for r in rows] == [early.person, late.person] and rows[0].overdue
    rows = worklists.my_citizens(guide, sort="contact", today=TODAY)
    assert [r.person for r in rows] == [late.person, early.person]
    client.force_login(guide)
    page = client.get(reverse("courses:my_citizens") + "?sorter=contact").content.decode()
    assert page.index("Bo ") < page.index("Anna ")


# --- Search ----------------------------------------------------------------------------------------------------------

def test_search_shows_an_outside_match_only_as_a_citizen_that_exists(client, guide, make_user, make_person, front,
                                                                      social):
    other = Team.objects.create(name="Andet team", department=social)
    theirs = make_person(make_user(Role.GUIDE, [other]), team=other, first_name="Jonas", last_name="Vestergaard",
                         cpr="0505751235")
    mine = make_person(guide, team=front, first_name="Jonas", last_name="Holm", cpr="0606661235")
    client.force_login(guide)
    page = client.post(reverse("people:search"), {"q": "jonas"}).content.decode()
    assert "Jonas Holm" in page and "Vestergaard" not in page
    assert "En borger findes uden for din sagsstamme" in page
    assert reverse("accounts:outside_access", args=[theirs.pk]) in page
    assert "1975" not in page and "maj" not in page  # no birth date of the outside match
    api = client.get("/api/v1/people?q=jonas").json()
    outside = next(h for h in api if h["id"] == theirs.pk)
    assert outside["birth_date"] is None and "Vestergaard" not in outside["display_name"]
    assert next(h for h in api if h["id"] == mine.pk)["display_name"] == "Jonas Holm"
    assert {r.person for r in search_persons(guide, reached=people_cases.persons_reached(guide), outside=True,
                                             text="jonas")} == {theirs, mine}


def test_the_caseload_count_on_the_home_page_leads_to_my_citizens(client, guide, make_person, front, front_offer):
    _course(guide, make_person(guide, team=front), front_offer, 1)
    CaseloadAssignment.objects.update(worker=guide)
    client.force_login(guide)
    assert reverse("courses:my_citizens") in client.get("/").content.decode()


# --- The peer worker at the desk -------------------------------------------------------------------------------------

def test_the_peer_worker_hosts_the_desk_without_cpr(client, guide, make_user, make_person, front):
    from traedesten.frontdoor.models import Contact

    peer = make_user(Role.PEER, [front])
    visitor = make_person(guide, team=front, first_name="Vera", last_name="Besøg", cpr="0202821238")
    waiting = Contact.objects.create(origin="citizen", channel="walk_in", person=visitor, reason="Brev fra kommunen",
                                     queue_status=Contact.Queue.WAITING)
    client.force_login(peer)
    desk = client.get(reverse("frontdoor:desk"))
    assert desk.status_code == 200 and "Vera Besøg" in desk.content.decode()
    client.post(reverse("frontdoor:desk"), {"origin": "citizen", "channel": "walk_in", "reason": "Skattekort"})
    assert Contact.objects.filter(reason="Skattekort", queue_status="waiting").exists()
    client.post(reverse("frontdoor:route", args=[waiting.pk]), {"outcome": "ad_hoc"})
    waiting.refresh_from_db()
    assert waiting.queue_status == "received"
    overview = client.get(reverse("people:overview", args=[visitor.pk]))
    body = overview.content.decode()
    assert overview.status_code == 200 and "Vera Besøg" in body and "020282" not in body
    c = clearance(peer, visitor)
    assert Section.CPR not in c.readable and Section.GOALS not in c.readable
    form = client.get(reverse("people:create")).content.decode()
    assert 'name="cpr"' not in form
    with pytest.raises(PermissionDenied):
        people_cases.create_person(peer, {"first_name": "Ny", "last_name": "Borger", "cpr": "0101801233"})
    from traedesten.frontdoor.models import AdHocTopic

    topic = AdHocTopic.objects.filter(active=True).first()
    anonymous = client.post(reverse("frontdoor:ad_hoc"), {"topic": topic.pk, "on": TODAY.isoformat(), "hours": "0.5",
                                                          "anon-sex": "female", "anon-approx_age": "40"})
    assert anonymous.status_code == 302


# --- Caseload norms --------------------------------------------------------------------------------------------------

def test_the_manager_sees_each_worker_against_the_norm(client, guide, make_user, make_person, front, front_offer):
    from traedesten.accounts.models import CaseloadNorm

    manager = make_user(Role.MANAGER, [front])
    light = make_user(Role.GUIDE, [front], first_name="Lise")
    outreach = make_user(Role.OUTREACH, [front], first_name="Ole")
    CaseloadNorm.objects.create(team=front, max_citizens=2, note="Egedal: 32 i psykiatri og misbrug")
    CaseloadNorm.objects.create(role=Role.OUTREACH, max_citizens=45)
    for weeks in (5, 1, 1):  # three citizens; the first one's follow-up is overdue
        course = _course(guide, make_person(guide, team=front), front_offer, weeks)
    courses.record_activity(guide, course.person, kind="coaching", course=course, on=TODAY - datetime.timedelta(days=2),
                            delivered_hours=Decimal(1), staff_hours={guide: Decimal("1.5")})
    _course(light, make_person(light, team=front), front_offer, 1)
    rows = {r.user: r for r in worklists.caseload_norms(manager, today=TODAY)}
    assert set(rows) == {guide, light, outreach}
    assert (rows[guide].active, rows[guide].norm.max_citizens, rows[guide].over) == (3, 2, True)
    assert rows[guide].hours == Decimal("1.5")
    assert rows[guide].overdue == len(worklists.worklist(guide, today=TODAY).overdue) > 0
    assert (rows[light].active, rows[light].over) == (1, False)
    # the team's norm is for the team; a function without one on the team falls back to the role's
    assert rows[outreach].norm.max_citizens == 2
    client.force_login(manager)
    page = client.get(reverse("courses:caseload_norms")).content.decode()
    assert "over normen" in page and "1 medarbejder har flere borgere end normen" in page
    client.force_login(guide)
    assert client.get(reverse("courses:caseload_norms")).status_code == 403


# --- The § 82b six-month limit ----------------------------------------------------------------------------------------

@pytest.fixture
def limited(guide, make_person, front):
    offer = Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)")
    start = datetime.date(2025, 9, 20)  # the limit is 20 March 2026; month 5 began 20 February
    return courses.start_course(guide, make_person(guide, team=front), offer, start=start)


def test_from_month_five_the_worklist_offers_an_extension_or_a_group(guide, limited):
    assert courses.course_limit(limited) == datetime.date(2026, 3, 20)
    work = worklists.worklist(guide, today=TODAY)
    item = next(i for i in work.items if i.kind == "limit")
    assert item.due == datetime.date(2026, 3, 20) and not item.overdue
    assert "forlæng" in item.label and "gruppeforløb" in item.label
    before = worklists.worklist(guide, today=datetime.date(2026, 2, 10))
    assert not [i for i in before.items if i.kind == "limit"]  # month 4: not yet


def test_an_activity_after_the_limit_is_refused_until_the_course_is_extended(guide, limited):
    c = clearance(guide, limited.person)
    after = datetime.date(2026, 3, 25)
    with time_machine.travel(datetime.datetime(2026, 3, 26, 10, 0), tick=False):
        with pytest.raises(ValidationError, match="lovbestemte grænse 20.03.2026"):
            course_cases.record_activity(c, course=limited, kind="coaching", on=after, delivered_hours=Decimal(1))
        with pytest.raises(ValidationError, match="hvorfor"):
            course_cases.extend_course(c, limited, months=3, reason="kort", on=after)
        with pytest.raises(ValidationError, match="3 til 6"):
            course_cases.extend_course(c, limited, months=8, reason="Særligt tilfælde: venter på botilbud", on=after)
        course_cases.extend_course(c, limited, months=3, reason="Særligt tilfælde: venter på botilbud", on=after)
        assert courses.course_limit(limited) == datetime.date(2026, 6, 20)
        course_cases.record_activity(c, course=limited, kind="coaching", on=after, delivered_hours=Decimal(1))


def test_at_the_limit_the_citizen_can_go_on_in_a_group(client, guide, limited):
    from traedesten.courses import groups

    group = groups.create_group(guide, Offer.objects.filter(kind="group").first(), theme="Følelseshåndtering",
                                start=TODAY, planned_sessions=8, session_hours=Decimal(2), facilitators=[guide])
    client.force_login(guide)
    page = client.get(reverse("courses:limit", args=[limited.pk])).content.decode()
    assert "Forlæng forløbet" in page and "Følelseshåndtering" in page
    response = client.post(reverse("courses:limit", args=[limited.pk]), {"move": "1", "group": group.pk})
    assert response.status_code == 302
    limited.refresh_from_db()
    assert limited.status == "closed" and "Følelseshåndtering" in limited.closing_note
    assert Course.objects.filter(person=limited.person, group=group, status="active").exists()


def test_status_notes_at_two_and_a_half_and_five_months(guide, limited):
    due = {d.label: (d.due, d.done) for d in courses.deadlines(limited) if d.kind == "status_note"}
    assert due == {"Statusnotat efter 2½ måneder": (datetime.date(2025, 12, 5), False),
                   "Statusnotat efter 5 måneder": (datetime.date(2026, 2, 20), False)}
    course_cases.write_status_note(clearance(guide, limited.person), limited, text="Går fremad med strukturen.",
                                   on=datetime.date(2025, 12, 4))
    limited.refresh_from_db()
    assert [d.done for d in courses.deadlines(limited) if d.kind == "status_note"] == [True, False]
    # an offer that asks for none has none
    front = courses.deadlines(courses.start_course(guide, limited.person, Offer.objects.get(
        name="Din Indgang – forløb"), start=TODAY, cap_reason="Test"))
    assert not [d for d in front if d.kind in ("status_note", "limit")]


def test_the_importer_draws_the_limit_where_the_pages_do(db):
    def file(on: str) -> list[str]:
        return [json.dumps(r) for r in (
            {"type": "header", "format": "traedesten-jsonl", "version": 1, "source": "test"},
            {"type": "person", "id": "P", "first_name": "Grænse", "last_name": "Sag"},
            {"type": "course", "id": "C", "person": "P", "offer": "Individuelt §82b-forløb (6 måneder)",
             "start": "2025-09-20"},
            {"type": "activity", "id": "A", "person": "P", "course": "C", "kind": "coaching", "on": on, "hours": "1"})]

    with time_machine.travel(datetime.datetime(2026, 4, 1, 10, 0), tick=False):
        refused = import_lines(file("2026-03-25"))
        assert [(e.line, e.field) for e in refused.errors] == [(4, "on")]
        assert "lovbestemte grænse 20.03.2026" in refused.errors[0].reason
        assert import_lines(file("2026-03-20")).ok  # the limit's own day is still inside it
