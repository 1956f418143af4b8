"""Each KPI's definition at its boundaries (docs/kpis.md): the day a status is judged on, and what counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from traedesten.courses import services as courses
from traedesten.courses.models import Course, Destination, Offer
from traedesten.insights import kpis
from traedesten.insights.scope import Scope

DAY = datetime.timedelta(days=1)
START = datetime.date(2025, 1, 6)
YEAR = Scope(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture
def din(db):
    return Offer.objects.get(name="Din Indgang – forløb")


@pytest.fixture
def course_for(guide, make_person, team, din):
    def make(person=None, *, start=START, closed_on=None, destination="no_further_help", offer=None, **extra):
        person = person or make_person(guide, team=team)
        course = courses.start_course(guide, person, offer or din, start=start, **extra)
        if closed_on:
            course = courses.close_course(guide, course, closed_on=closed_on, destination=destination,
                                          expected_version=course.version)
        return course
    return make


def _count(table, key, column=0):
    return {row.key: row.values[column] for row in table.rows + ([table.total] if table.total else [])}[key]


# -- returns -------------------------------------------------------------------------------------------------------

def test_a_return_follows_the_same_citizens_course_closed_on_or_before_its_start(course_for, guide, make_person, team):
    """Boundary: closed the day the new course starts counts; closed the day after, or never, does not."""
    on_the_day = course_for(closed_on=START + 40 * DAY)
    counted = course_for(on_the_day.person, start=START + 40 * DAY, previous=on_the_day, offer=Offer.objects.get(
        name="Individuelt §82b-forløb (6 måneder)"))
    day_after = course_for(closed_on=START + 41 * DAY)
    early = course_for(day_after.person, start=START + 60 * DAY)
    still_active = course_for(start=START)
    linked_to_active = course_for(still_active.person, start=START + 70 * DAY, offer=Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"))
    other = course_for(closed_on=START + 10 * DAY)
    foreign = course_for(start=START + 90 * DAY)
    # rows from before the rule: links the use case now refuses
    Course.objects.filter(pk=early.pk).update(start=START + 40 * DAY, previous=day_after)
    Course.objects.filter(pk=linked_to_active.pk).update(previous=still_active)
    Course.objects.filter(pk=foreign.pk).update(previous=other)
    table = kpis.returns(YEAR)
    assert (_count(table, "courses"), _count(table, "persons")) == (1, 1)
    assert counted.previous_id == on_the_day.pk


def test_starting_a_course_refuses_a_return_from_an_active_or_anothers_course(course_for, guide, make_person, team, din):
    active = course_for()
    with pytest.raises(ValidationError, match="ikke afsluttet"):
        courses.start_course(guide, active.person, Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"), start=START + 5 * DAY,
                             previous=active)
    closed = course_for(closed_on=START + 5 * DAY)
    with pytest.raises(ValidationError, match="anden borger"):
        courses.start_course(guide, make_person(guide, team=team), din, start=START + 9 * DAY, previous=closed)
    with pytest.raises(ValidationError, match="efter det nye forløbs start"):
        courses.start_course(guide, closed.person, din, start=START + 4 * DAY, previous=closed)
    assert Course.objects.count() == 2


def test_a_course_started_without_a_link_returns_from_the_latest_course_closed_by_then(course_for, din):
    first = course_for(closed_on=START + 10 * DAY)
    later = course_for(first.person, start=START + 20 * DAY, closed_on=START + 30 * DAY)
    again = course_for(first.person, start=START + 25 * DAY, offer=Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"))
    assert again.previous_id == first.pk and later.previous_id == first.pk


# -- flow and every other KPI: as of the period's last day --------------------------------------------------------

PAST = Scope(datetime.date(2024, 6, 1), datetime.date(2024, 12, 31))


def _contact(person, day: datetime.date, origin="citizen"):
    from django.utils import timezone

    from traedesten.frontdoor.models import Contact, PartnerOrganisation

    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    partner = PartnerOrganisation.objects.first() if origin == "partner" else None
    return Contact.objects.create(person=person, at=at, origin=origin, channel="phone", partner=partner)


def _flow_cell(scope, origin, end):
    table = kpis.flow(scope)
    ends = ["active"] + [d for d, _l in Destination.choices] + ["all"]
    return {row.key: row.values for row in table.all_rows()}[origin][ends.index(end)]


def test_flow_judges_still_active_on_the_periods_last_day(course_for):
    closed_later = course_for(start=datetime.date(2024, 6, 10), closed_on=datetime.date(2025, 2, 1), destination="moved")
    closed_on_the_day = course_for(start=datetime.date(2024, 7, 1), closed_on=datetime.date(2024, 12, 31),
                                   destination="civil_society")
    _contact(closed_later.person, datetime.date(2024, 6, 3), origin="relative")
    _contact(closed_on_the_day.person, datetime.date(2025, 1, 5), origin="partner")  # after the period: not yet known
    assert _flow_cell(PAST, "relative", "active") == 1
    assert _flow_cell(PAST, "relative", "moved") == 0
    assert _flow_cell(PAST, "none", "civil_society") == 1
    assert _flow_cell(PAST, "total", "all") == 2


def test_a_past_period_gives_the_same_figures_after_later_events(course_for, guide, make_person, team):
    from decimal import Decimal

    from traedesten.authority.models import Grant

    running = [course_for(start=datetime.date(2024, 6, 3) + n * 7 * DAY) for n in range(6)]
    for course in running[:3]:
        _contact(course.person, course.start - 2 * DAY)
        courses.record_activity(guide, course.person, kind="coaching", on=course.start + DAY, course=course,
                                delivered_hours=Decimal(1))
    before = [(kpi.key, table.as_data()) for kpi, table in kpis.exact(PAST)]
    for n, course in enumerate(running):  # next year: courses close, citizens call, come back and are granted help
        course.refresh_from_db()
        courses.close_course(guide, course, closed_on=datetime.date(2025, 1, 2) + n * DAY, destination="authority",
                             expected_version=course.version)
        _contact(course.person, datetime.date(2025, 1, 10))
        course_for(course.person, start=datetime.date(2025, 3, 1))
        Grant.objects.create(person=course.person, case_number="X", legal_basis="SEL §85", service_code="", offer_type_code="",
                             support_need_code="", decided_on=datetime.date(2025, 8, 1), starts_on=datetime.date(2025, 8, 1),
                             follow_up_on=datetime.date(2026, 2, 1))
    assert [(kpi.key, table.as_data()) for kpi, table in kpis.exact(PAST)] == before


# -- bypass: "on or before" the grant -----------------------------------------------------------------------------

GRANTED = datetime.date(2025, 5, 15)


def _grant(person, day=GRANTED):
    from traedesten.authority.models import Grant

    return Grant.objects.create(person=person, case_number="B", legal_basis="SEL §85", service_code="", offer_type_code="",
                                support_need_code="", decided_on=day, starts_on=day, follow_up_on=day + 180 * DAY)


def _bypass(person) -> str:
    found = kpis.bypass_sets(YEAR)
    return "short_stay" if person.pk in found.short_stay else "direct" if person.pk in found.direct else ""


def test_bypass_counts_a_front_door_course_started_on_the_grants_day(course_for):
    same_day = course_for(start=GRANTED)
    day_after = course_for(start=GRANTED + DAY)
    for course in (same_day, day_after):
        _grant(course.person)
    assert _bypass(same_day.person) == ""  # came through the door that day, still there: no bypass
    assert _bypass(day_after.person) == "direct"


def test_a_short_stay_is_under_28_days_and_closed_on_or_before_the_grant(course_for):
    closed_on_the_day = course_for(start=GRANTED - 27 * DAY, closed_on=GRANTED)
    closed_after = course_for(start=GRANTED - 27 * DAY, closed_on=GRANTED + DAY)
    four_weeks = course_for(start=GRANTED - 28 * DAY, closed_on=GRANTED)
    for course in (closed_on_the_day, closed_after, four_weeks):
        _grant(course.person)
    assert [_bypass(c.person) for c in (closed_on_the_day, closed_after, four_weeks)] == ["short_stay", "", ""]


def test_a_contact_on_the_grants_day_means_no_direct_bypass(guide, make_person, team):
    called, later = make_person(guide, team=team), make_person(guide, team=team)
    _contact(called, GRANTED)
    _contact(later, GRANTED + DAY)
    for person in (called, later):
        _grant(person)
    assert (_bypass(called), _bypass(later)) == ("", "direct")


# -- group enrolments close with the group ------------------------------------------------------------------------

def test_citizens_in_a_group_that_has_ended_are_not_active_on_the_last_day(guide, make_person, team):
    from decimal import Decimal

    from traedesten.courses import groups

    group = groups.create_group(guide, Offer.objects.get(name="Gruppeforløb"), theme="Ro på", start=START,
                                planned_sessions=4, session_hours=Decimal(2), facilitators=[guide])
    people = [make_person(guide, team=team) for _ in range(6)]
    for person in people:
        groups.enrol(guide, group, person)
    for n in range(4):
        groups.register_session(guide, group, on=START + n * 7 * DAY, hours=Decimal(2),
                                attendance={p.pk: "attended" for p in people}, staff_hours={}, cap_reason="Én facilitator i dag")
    last = START + 21 * DAY
    persons = {row.key: row.values[0] for row in kpis.persons(Scope(START, last)).all_rows()}
    assert (persons["active"], persons["closed"]) == (0, 6)  # closed on the last session's day
    persons = {row.key: row.values[0] for row in kpis.persons(Scope(START, last - DAY)).all_rows()}
    assert (persons["active"], persons["closed"]) == (6, 0)
