"""A plan on pause leaves nothing overdue (issue 27): a guide opens a citizen whose first follow-up is overdue, puts
the plan on pause from "Min plan", and the worklist and the overview follow.

The clock is fixed at Monday 2 March 2026 10:00 (it ticks on from there). The session and CSRF cookies are made
browser-session cookies, so the real browser does not throw away cookies that expire, by its own clock, in the past.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from traedesten.accounts.models import Department
from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.plans.models import Pause
from traedesten.usecases import worklists

NOW = datetime.datetime(2026, 3, 2, 10, 0)
TODAY = NOW.date()


@pytest.fixture
def fixed_clock(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


def test_a_paused_plan_has_no_overdue_items(page, transactional_db, fixed_clock, make_user, make_person, team):
    team.department = Department.objects.get(code="social")
    team.save()
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Ida", last_name="Pausesen")
    # started five weeks ago: the first follow-up was due a week ago and has not been held
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                                  start=TODAY - datetime.timedelta(weeks=5))
    overdue = {i.course.pk: i.kind for i in worklists.worklist(guide, today=TODAY).overdue}
    assert overdue.get(course.pk) == "follow_up"

    page.login("guide")
    page.goto(reverse("courses:worklist"))
    assert page.locator("main").get_by_text("Ida Pausesen").count() >= 1  # overdue before the pause

    page.goto(reverse("people:overview", args=[person.pk]))
    page.get_by_text("overskredet").first.wait_for()
    page.goto(reverse("plans:plan", args=[person.pk]))
    page.get_by_role("heading", name="Min plan: Ida Pausesen").wait_for()
    page.get_by_role("link", name="Sæt på pause").click()
    page.get_by_label("Svær periode").check()
    page.get_by_label("Fra").fill(TODAY.isoformat())
    page.get_by_label("Til og med").fill("2026-03-22")
    page.assert_accessible()
    page.get_by_role("button", name="Sæt på pause").click()

    page.get_by_text("Planen er på pause til og med 22. Mar 2026").first.wait_for()
    page.assert_accessible()
    page.screenshot_as("plan-paused")
    pause = Pause.objects.get(person=person)
    assert (pause.starts_on, pause.ends_on, pause.reason, pause.created_by) == (TODAY, datetime.date(2026, 3, 22),
                                                                              "low_phase", guide)

    page.goto(reverse("courses:worklist"))
    page.get_by_text("venter på en plan på pause").wait_for()
    assert page.locator("main").get_by_text("Ida Pausesen").count() == 0
    assert not [i for i in worklists.worklist(guide, today=TODAY).overdue if i.course.pk == course.pk]

    page.goto(reverse("people:overview", args=[person.pk]))
    page.get_by_text("Planen er på pause til og med 22. Mar 2026: frister og målinger venter.").wait_for()
    page.get_by_text("efter pausen").first.wait_for()
    assert page.get_by_text("overskredet").count() == 0
    page.assert_accessible()
