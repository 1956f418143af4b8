import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from traedesten.accounts.roles import Role
from traedesten.core.locking import VersionConflict
from traedesten.courses import groups
from traedesten.courses.models import Activity, Course, GroupSession, Offer, StaffTime
from traedesten.courses.services import SoftCapExceeded

START = datetime.date(2026, 3, 2)


@pytest.fixture
def group_offer(db):
    """The catalogue's group offer, without its facilitator rule (which has tests of its own below)."""
    offer = Offer.objects.get(name="Gruppeforløb")
    Offer.objects.filter(pk=offer.pk).update(group_facilitators=None)
    offer.refresh_from_db()
    return offer


@pytest.fixture
def make_group(guide, group_offer, make_user, team):
    def make(**kwargs):
        kwargs.setdefault("facilitators", [guide])
        return groups.create_group(guide, group_offer, theme=kwargs.pop("theme", "Struktur i hverdagen"), start=START,
                                   planned_sessions=8, session_hours=Decimal(2), **kwargs)
    return make


def test_a_group_gets_its_capacity_from_the_offer_and_warns_above_it(make_group):
    assert make_group().capacity == 8
    with pytest.raises(SoftCapExceeded, match="højst 8"):
        make_group(capacity=10)
    assert make_group(capacity=10, cap_reason="Stort lokale og tre facilitatorer").capacity == 10


def test_a_group_needs_a_theme_and_a_facilitator(make_group):
    with pytest.raises(ValidationError, match="tema"):
        make_group(theme="   ")
    with pytest.raises(ValidationError, match="facilitator"):
        make_group(facilitators=[])


def test_enrolling_twice_is_refused_and_over_capacity_needs_a_reason(guide, make_person, team, make_group):
    group = make_group(capacity=2)
    a, b, c = (make_person(guide, team=team) for _ in range(3))
    groups.enrol(guide, group, a)
    with pytest.raises(ValidationError, match="allerede tilmeldt"):
        groups.enrol(guide, group, a)
    groups.enrol(guide, group, b)
    with pytest.raises(SoftCapExceeded, match="fuldt"):
        groups.enrol(guide, group, c)
    assert Course.objects.filter(group=group).count() == 2
    course = groups.enrol(guide, group, c, cap_reason="Kommer fra ventelisten")
    assert course.cap_override_reason == "Kommer fra ventelisten"
    assert Course.objects.filter(group=group).count() == 3


def test_two_groups_on_the_same_offer_are_allowed(guide, make_person, team, make_group):
    person = make_person(guide, team=team)
    groups.enrol(guide, make_group(), person)
    groups.enrol(guide, make_group(theme="NADA"), person)
    assert Course.objects.filter(person=person).count() == 2


def test_attendance_register_counts_staff_and_delivered_hours(guide, make_user, make_person, team, make_group):
    """Three facilitators for two hours are six staff hours; each present participant receives two."""
    peer = make_user(Role.PEER, [team])
    volunteer = make_user(Role.VOLUNTEER)
    group = make_group(facilitators=[guide, peer, volunteer])
    people = [make_person(guide, team=team) for _ in range(8)]
    for p in people:
        groups.enrol(guide, group, p)
    marks = {p.pk: "attended" for p in people} | {people[0].pk: "no_show", people[1].pk: "cancelled"}
    session = groups.register_session(guide, group, on=START, hours=Decimal(2), attendance=marks,
                                      staff_hours={guide: Decimal(2), peer: Decimal(2), volunteer: Decimal(2)})
    assert sum(s.hours for s in StaffTime.objects.filter(session=session)) == 6
    delivered = {a.person_id: a.delivered_hours for a in session.attendance.all()}
    assert delivered[people[0].pk] == 0 and delivered[people[1].pk] == 0 and delivered[people[2].pk] == 2
    assert sum(delivered.values()) == 12
    with pytest.raises(ValidationError, match="allerede en gang"):
        groups.register_session(guide, group, on=START, hours=Decimal(2), attendance={}, staff_hours={})


def test_a_session_before_the_group_starts_saves_nothing(guide, make_person, team, make_group):
    group = make_group()
    person = make_person(guide, team=team)
    groups.enrol(guide, group, person)
    with pytest.raises(ValidationError, match="før holdets start"):
        groups.register_session(guide, group, on=START - datetime.timedelta(days=1), hours=Decimal(2),
                                attendance={person.pk: "attended"}, staff_hours={guide: Decimal(2)})
    assert not GroupSession.objects.exists() and not Activity.objects.exists() and not StaffTime.objects.exists()


def test_only_enrolled_participants_can_be_marked(guide, make_person, team, make_group):
    group = make_group()
    stranger = make_person(guide, team=team)
    with pytest.raises(ValidationError, match="tilmeldte"):
        groups.register_session(guide, group, on=START, hours=Decimal(2), attendance={stranger.pk: "attended"},
                                staff_hours={})
    assert not GroupSession.objects.exists()


def test_correcting_attendance_with_a_stale_version_is_a_conflict(guide, make_person, team, make_group):
    group = make_group()
    person = make_person(guide, team=team)
    groups.enrol(guide, group, person)
    session = groups.register_session(guide, group, on=START, hours=Decimal(2), attendance={person.pk: "attended"},
                                      staff_hours={})
    groups.update_attendance(guide, session, {person.pk: "no_show"}, expected_version=1)
    with pytest.raises(VersionConflict):
        groups.update_attendance(guide, session, {person.pk: "attended"}, expected_version=1)
    assert session.attendance.get().attendance == "no_show"


def test_register_page_marks_everyone_present_by_default(client, guide, make_person, team, make_group):
    group = make_group()
    a, b = make_person(guide, team=team, first_name="Ane"), make_person(guide, team=team, first_name="Bo")
    for p in (a, b):
        groups.enrol(guide, group, p)
    client.force_login(guide)
    page = client.get(reverse("courses:session_new", args=[group.pk])).content.decode()
    assert "Ane" in page and "Bo" in page
    response = client.post(reverse("courses:session_new", args=[group.pk]),
                           {"on": "2026-03-09", "hours": "2", f"p{b.pk}": "no_show", "staff": [guide.pk]})
    assert response.status_code == 302
    marks = dict(Activity.objects.values_list("person_id", "attendance"))
    assert marks == {a.pk: "attended", b.pk: "no_show"}
    detail = client.get(reverse("courses:group", args=[group.pk])).content.decode()
    assert "2 af 8 pladser besat" in detail


def test_group_pages_are_closed_to_staff_outside_the_team(client, make_user, other_team, make_group):
    group = make_group()
    outsider = make_user(Role.GUIDE, [other_team])
    client.force_login(outsider)
    assert client.get(reverse("courses:group", args=[group.pk])).status_code == 403
    assert client.get(reverse("courses:session_new", args=[group.pk])).status_code == 403


def test_hours_report_counts_staff_once_per_session_and_publishes_rounded_figures(guide, make_user, make_person, team, make_group):
    from traedesten.courses.services import hours_report

    peer = make_user(Role.PEER, [team])
    other = make_user(Role.GUIDE, [team])
    group = make_group(facilitators=[guide, peer, other])
    people = [make_person(guide, team=team) for _ in range(8)]
    for p in people:
        groups.enrol(guide, group, p)
    groups.register_session(guide, group, on=START, hours=Decimal(2), attendance={p.pk: "attended" for p in people},
                            staff_hours={guide: Decimal(2), peer: Decimal(2), other: Decimal(2)})
    rows = {r.offer: r for r in hours_report(START, START, teams=[team])}
    assert (rows["Gruppeforløb"].delivered, rows["Gruppeforløb"].staff, rows["Gruppeforløb"].persons) == (16, 6, 8)
    single = make_person(guide, team=team)
    from traedesten.courses import services
    course = services.start_course(guide, single, Offer.objects.get(name="Din Indgang – forløb"), start=START)
    services.record_activity(guide, single, kind="coaching", on=START, course=course, delivered_hours=Decimal(1),
                             staff_hours={guide: Decimal(1), other: Decimal(1)})
    row = {r.offer: r for r in hours_report(START, START)}["Din Indgang – forløb"]
    assert (row.delivered, row.staff, row.persons) == (1, 2, 1)
    published = {r.offer: r for r in services.publish_hours(hours_report(START, START))}
    assert (published["Gruppeforløb"].persons, published["Gruppeforløb"].delivered, published["Gruppeforløb"].staff) == (
        10, 15, 5)  # 8 citizens, 16 h, 6 staff hours
    assert (published["Din Indgang – forløb"].persons, published["Din Indgang – forløb"].delivered) == (0, 0)


def test_a_group_ends_with_its_last_planned_session_and_its_enrolments_close_that_day(guide, make_person, team, make_group):
    group = make_group()
    people = [make_person(guide, team=team) for _ in range(3)]
    for p in people:
        groups.enrol(guide, group, p)
    week = datetime.timedelta(weeks=1)
    for n in range(7):
        groups.register_session(guide, group, on=START + n * week, hours=Decimal(2),
                                attendance={p.pk: "attended" for p in people}, staff_hours={})
    assert not Course.objects.filter(group=group, status="closed").exists()  # 7 of 8: still running
    last = START + 9 * week  # the eighth session, a week late
    groups.register_session(guide, group, on=last, hours=Decimal(2), attendance={p.pk: "attended" for p in people},
                            staff_hours={})
    group.refresh_from_db()
    assert group.ended_on == last
    assert set(Course.objects.filter(group=group).values_list("status", "closed_on", "destination")) == {
        ("closed", last, "group_ended")}
    with pytest.raises(ValidationError, match="Holdet sluttede"):
        groups.register_session(guide, group, on=last + week, hours=Decimal(2), attendance={}, staff_hours={})
    with pytest.raises(ValidationError, match="Holdet sluttede"):
        groups.enrol(guide, group, make_person(guide, team=team))


def test_staff_can_end_a_group_early_but_not_before_its_last_session(guide, make_person, team, make_group):
    group = make_group()
    person = make_person(guide, team=team)
    groups.enrol(guide, group, person)
    groups.register_session(guide, group, on=START + datetime.timedelta(days=7), hours=Decimal(2),
                            attendance={person.pk: "attended"}, staff_hours={})
    with pytest.raises(ValidationError, match="sidste gang"):
        groups.end_group(guide, group, on=START)
    groups.end_group(guide, group, on=START + datetime.timedelta(days=10))
    assert Course.objects.get(group=group).closed_on == START + datetime.timedelta(days=10)


def test_the_group_page_ends_a_group_for_those_who_run_it_and_no_one_else(client, guide, make_person, make_user, team,
                                                                          other_team, make_group):
    group = make_group(team=team)
    person = make_person(guide, team=team)
    groups.enrol(guide, group, person)
    groups.register_session(guide, group, on=START, hours=Decimal(2), attendance={person.pk: "attended"}, staff_hours={})
    stranger = make_user(Role.GUIDE, [other_team])
    client.force_login(stranger)
    assert client.post(reverse("courses:group_end", args=[group.pk]), {"on": START.isoformat()}).status_code == 403
    client.force_login(guide)
    page = client.get(reverse("courses:group", args=[group.pk])).content.decode()
    assert "Afslut holdet" in page
    refused = client.post(reverse("courses:group_end", args=[group.pk]), {"on": (START - datetime.timedelta(days=1)).isoformat()},
                          follow=True)
    assert "kan ikke slutte før" in refused.content.decode() and not Course.objects.filter(status="closed").exists()
    client.post(reverse("courses:group_end", args=[group.pk]), {"on": START.isoformat()})
    group.refresh_from_db()
    assert group.ended_on == START
    assert Course.objects.get(group=group).destination == "group_ended"
    assert "Holdet sluttede" in client.get(reverse("courses:group", args=[group.pk])).content.decode()
