"""Each KPI's definition at its boundaries (docs/kpis.md): the day a status is judged on, and what counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from traedesten.courses import services as courses
from traedesten.courses.models import Course, Offer

DAY = datetime.timedelta(days=1)
START = datetime.date(2025, 1, 6)


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


# -- returns -------------------------------------------------------------------------------------------------------

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
