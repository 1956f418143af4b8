"""Hours against the package (decision 0053): the bostøtte worker sees the weeks on the overview and the last week in
"Mine borgere"; the manager sees the rounded report per team and worker. Fixed clock: Monday 2 March 2026 10:00."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from traedesten.accounts.roles import Role
from traedesten.courses import bostotte, services
from traedesten.courses.models import Offer

NOW = datetime.datetime(2026, 3, 2, 10, 0)


@pytest.fixture
def fixed_clock(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


def test_worker_and_manager_see_hours_against_the_package(page, transactional_db, fixed_clock, make_user, make_person,
                                                           team):
    worker = make_user(Role.BOSTOTTE, [team], username="bo", first_name="Bo")
    make_user(Role.MANAGER, [team], username="leder")
    offer = Offer.objects.get(name="Bostøtte (§85)")
    people = []
    for i, hours in enumerate(("2", "5", "9")):
        person = make_person(worker, team=team, first_name="Borger", last_name=f"Nummer{i}")
        course = services.start_course(worker, person, offer, start=datetime.date(2026, 1, 5), hours_package="6-20",
                                       team=team)
        for day in (datetime.date(2026, 2, 24), datetime.date(2026, 2, 26)):
            services.record_activity(worker, person, kind="bostotte_contact", on=day, course=course,
                                     delivered_hours=Decimal(hours), channel="video" if i else "home")
        people.append((person, course))
    person, course = people[0]
    bostotte.change_package(worker, course, on=datetime.date(2026, 2, 25), to_package="3-6",
                            expected_version=course.version)

    page.login("bo")
    page.goto(reverse("people:overview", args=[person.pk]))
    table = page.locator("table.package-weeks")
    table.get_by_text("uge 9 (fra 23. Feb)").wait_for()
    table.get_by_text("skift i ugen").first.wait_for()
    assert "inden for pakken" in table.locator("tbody tr").first.inner_text()  # 4 h against (2 × 6 + 5 × 3)/7 – (2 × 20 + 5 × 6)/7 = 3.9–10
    page.assert_accessible()
    page.screenshot_as("package-hours-overview")
    page.goto(reverse("courses:my_citizens"))
    page.get_by_role("columnheader", name="Timer sidste uge").wait_for()
    page.get_by_text("18 / 6–20").wait_for()
    page.assert_accessible()

    page.context.clear_cookies()
    page.login("leder")
    page.goto(reverse("courses:package_hours") + "?fra=2026-02-01&til=2026-02-28")
    page.get_by_role("heading", name="Timer mod timepakken").wait_for()
    text = page.locator("main").inner_text()
    assert not any(p.last_name in text for p, _c in people)
    page.get_by_role("heading", name="Aflysninger og videostøtte pr. team").wait_for()
    page.assert_accessible()
    page.screenshot_as("package-hours-manager")
