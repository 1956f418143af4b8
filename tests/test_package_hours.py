"""Hours against the package (issue 27 part 7, decision 0053, docs/kpis.md "Hours against the package").

Fixed dates throughout: the course starts on Monday 12 January 2026 (ISO week 3); pages are asked on Monday 2 March
2026, so the last ended week is week 9 (23 February - 1 March)."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine
from django.urls import reverse

from traedesten.accounts.models import AuditEvent
from traedesten.accounts.roles import Role
from traedesten.core import disclosure
from traedesten.courses import bostotte, package_hours, services
from traedesten.courses.models import Activity, Offer
from traedesten.usecases import worklists

D = datetime.date
START = D(2026, 1, 12)  # Monday, ISO week 3
TODAY = datetime.datetime(2026, 3, 2, 10, 0)  # Monday, ISO week 10


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def bostotte_offer(db):
    return Offer.objects.get(name="Bostøtte (§85)")


@pytest.fixture
def episode(guide, make_person, team, bostotte_offer):
    person = make_person(guide, team=team, first_name="Karen", last_name="Bostøttesen")
    course = services.start_course(guide, person, bostotte_offer, start=START, hours_package="6-20", team=team)
    course.responsible = guide
    course.save(update_fields=["responsible"])
    return course


def contact(guide, course, on, hours, *, attendance="attended", channel="home"):
    return services.record_activity(guide, course.person, kind="bostotte_contact", on=on, course=course,
                                    delivered_hours=Decimal(hours), attendance=attendance, channel=channel)


def weeks_of(course, first, last):
    return {w.monday: w for w in package_hours.course_weeks([course], first=first, last=last)[course.pk]}


def test_iso_weeks_run_monday_to_sunday(guide, episode):
    contact(guide, episode, D(2026, 1, 18), "5")  # Sunday: week 3
    contact(guide, episode, D(2026, 1, 19), "7")  # Monday: week 4
    weeks = weeks_of(episode, D(2026, 1, 12), D(2026, 1, 25))
    assert (weeks[D(2026, 1, 12)].number, weeks[D(2026, 1, 12)].delivered) == (3, Decimal(5))
    assert (weeks[D(2026, 1, 19)].number, weeks[D(2026, 1, 19)].delivered) == (4, Decimal(7))
    # 6-20 a week: 5 hours is below the band, 7 within it
    assert weeks[D(2026, 1, 12)].variance == package_hours.BELOW
    assert weeks[D(2026, 1, 19)].variance == package_hours.WITHIN


def test_a_week_with_a_package_change_reads_the_band_day_by_day(guide, episode):
    # 6-20 Monday-Wednesday, 3-6 from Thursday 22 January: 3/7 of 6-20 and 4/7 of 3-6
    course = bostotte.change_package(guide, episode, on=D(2026, 1, 22), to_package="3-6",
                                     expected_version=episode.version)
    contact(guide, course, D(2026, 1, 20), "2.28")
    contact(guide, course, D(2026, 1, 23), "2")
    week = weeks_of(course, D(2026, 1, 19), D(2026, 1, 19))[D(2026, 1, 19)]
    assert week.packages == ("6-20", "3-6") and week.changed
    assert (week.low, week.high) == (Fraction(3 * 6 + 4 * 3, 7), Fraction(3 * 20 + 4 * 6, 7))  # 4.2857… – 12
    assert week.band == "4,3–12"
    # 4.28 hours are below 30/7 = 4.2857…, though the band is shown rounded to 4.3: the comparison is exact
    assert week.delivered == Decimal("4.28") and week.variance == package_hours.BELOW
    contact(guide, course, D(2026, 1, 25), "0.01")
    assert weeks_of(course, D(2026, 1, 19), D(2026, 1, 19))[D(2026, 1, 19)].variance == package_hours.WITHIN
    # the week before and after hold one package each; a change dated on a Monday changes the whole week
    assert weeks_of(course, D(2026, 1, 26), D(2026, 1, 26))[D(2026, 1, 26)].packages == ("3-6",)


def test_the_history_not_the_current_package_decides_a_past_week(guide, episode):
    # carried out today, dated 1 March: January's weeks keep 6-20 although the course now says <3
    course = bostotte.change_package(guide, episode, on=D(2026, 3, 1), to_package="<3", expected_version=episode.version)
    assert course.hours_package == "<3"
    week = weeks_of(course, D(2026, 1, 12), D(2026, 1, 12))[D(2026, 1, 12)]
    assert week.packages == ("6-20",) and (week.low, week.high) == (6, 20)


def test_cancelled_and_missed_activities_deliver_nothing_even_with_hours_stored(guide, episode):
    contact(guide, episode, D(2026, 1, 13), "3", attendance="cancelled")  # the use case stores 0
    # a record that holds hours on a cancelled activity (an old import) still delivers nothing
    Activity.objects.create(person=episode.person, course=episode, kind="bostotte_contact", on=D(2026, 1, 14),
                            delivered_hours=Decimal(4), attendance="cancelled", channel="home")
    Activity.objects.create(person=episode.person, course=episode, kind="bostotte_contact", on=D(2026, 1, 15),
                            delivered_hours=Decimal(2), attendance="no_show", channel="home")
    contact(guide, episode, D(2026, 1, 16), "6")
    week = weeks_of(episode, D(2026, 1, 12), D(2026, 1, 12))[D(2026, 1, 12)]
    assert week.delivered == Decimal(6) and week.variance == package_hours.WITHIN
    [row] = package_hours.attendance_report(D(2026, 1, 1), D(2026, 1, 31))
    assert (row.activities, row.attended, row.cancelled, row.no_show) == (4, 1, 2, 1)
    assert row.delivered == Decimal(6)


def test_a_video_contact_counts_as_delivered_and_as_video(guide, episode, team):
    contact(guide, episode, D(2026, 1, 13), "1.5", channel="video")
    contact(guide, episode, D(2026, 1, 14), "2", channel="phone")
    contact(guide, episode, D(2026, 1, 15), "1", channel="video", attendance="cancelled")
    week = weeks_of(episode, D(2026, 1, 12), D(2026, 1, 12))[D(2026, 1, 12)]
    assert week.delivered == Decimal("3.5")
    [row] = package_hours.attendance_report(D(2026, 1, 1), D(2026, 1, 31))
    assert (row.team, row.video, row.video_hours, row.cancelled) == (team.name, 1, Decimal("1.5"), 1)


def test_first_and_last_weeks_count_only_the_days_the_course_runs(guide, make_person, team, bostotte_offer):
    person = make_person(guide, team=team)
    course = services.start_course(guide, person, bostotte_offer, start=D(2026, 1, 14), hours_package="3-6", team=team)
    course = services.close_course(guide, course, closed_on=D(2026, 1, 20), destination="no_further_help",
                                   expected_version=course.version)
    weeks = weeks_of(course, D(2026, 1, 5), D(2026, 1, 26))
    assert sorted(weeks) == [D(2026, 1, 12), D(2026, 1, 19)]  # no band before the start or after closing
    assert (weeks[D(2026, 1, 12)].days, weeks[D(2026, 1, 12)].high) == (5, Fraction(30, 7))  # Wednesday-Sunday
    assert (weeks[D(2026, 1, 19)].days, weeks[D(2026, 1, 19)].low) == (2, Fraction(6, 7))  # Monday, closing Tuesday


def test_only_ended_weeks_are_shown():
    assert package_hours.last_ended_sunday(D(2026, 3, 1)) == D(2026, 2, 22)  # a Sunday has not ended while it lasts
    assert package_hours.last_ended_sunday(D(2026, 3, 2)) == D(2026, 3, 1)


def test_the_overview_shows_the_weeks_and_the_variance(client, guide, episode):
    bostotte.change_package(guide, episode, on=D(2026, 2, 4), to_package="3-6", expected_version=episode.version)
    contact(guide, episode, D(2026, 2, 24), "7", channel="video")  # week 9, 3-6: above
    contact(guide, episode, D(2026, 3, 2), "1")  # this week: not ended, not shown
    client.force_login(guide)
    page = client.get(reverse("people:overview", args=[episode.person_id])).content.decode()
    assert "Timer mod timepakken" in page
    assert "uge 9 (fra 23. Feb)" in page and "over pakken" in page
    assert "uge 6 (fra 2. Feb)" in page and "skift i ugen" in page  # 6-20 Monday-Tuesday, 3-6 from Wednesday
    assert "uge 10" not in page


def test_mine_borgere_shows_last_week_against_the_package(client, guide, episode):
    contact(guide, episode, D(2026, 2, 25), "2")
    [row] = worklists.my_citizens(guide, today=D(2026, 3, 2))
    assert row.package_week.monday == D(2026, 2, 23) and row.package_week.variance == package_hours.BELOW
    client.force_login(guide)
    page = client.get(reverse("courses:my_citizens")).content.decode()
    assert "Timer sidste uge" in page and "2 / 6–20" in page and "under pakken" in page


def _three_courses(guide, make_person, team, bostotte_offer):
    courses = []
    for i, hours in enumerate(("2", "8", "25")):
        person = make_person(guide, team=team, last_name=f"Pakkesen{i}")
        course = services.start_course(guide, person, bostotte_offer, start=D(2026, 1, 5), hours_package="6-20",
                                       team=team)
        course.responsible = guide
        course.save(update_fields=["responsible"])
        if hours == "25":  # over two days: a day holds at most 24 hours
            contact(guide, course, D(2026, 1, 7), "13")
            hours = "12"
        contact(guide, course, D(2026, 1, 6), hours, channel="video" if i else "home")
        courses.append(course)
    return courses


def test_manager_report_counts_course_weeks_per_team_and_worker(guide, make_person, team, bostotte_offer):
    _three_courses(guide, make_person, team, bostotte_offer)
    report = package_hours.variance_report(D(2026, 1, 1), D(2026, 1, 31))
    assert report["weeks"] == (D(2026, 1, 5), D(2026, 1, 19))  # weeks wholly in January: 5-25 Jan (26 Jan ends in Feb)
    [row] = report["teams"]
    # week 2: 2 h below, 8 h within, 25 h above 6-20; weeks 3 and 4: nothing delivered, below
    assert (row.courses, row.weeks, row.below, row.within, row.above) == (3, 9, 7, 1, 1)
    assert row.delivered == Decimal(35)
    [worker] = report["workers"]
    assert worker.label == guide.get_full_name() and worker.weeks == 9
    published = package_hours.publish_variance(row)
    assert (published.courses, published.weeks, published.below, published.within, published.above) == (5, 10, 5, 0, 0)
    assert published.delivered == disclosure.hours(Decimal(35), 10) == Decimal(35)


def test_the_manager_page_publishes_rounded_aggregates_and_names_no_citizen(client, guide, make_user, make_person,
                                                                             team, bostotte_offer):
    courses = _three_courses(guide, make_person, team, bostotte_offer)
    manager = make_user(Role.MANAGER, [team])
    client.force_login(manager)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(reverse("courses:package_hours"), {"fra": "2026-01-01", "til": "2026-01-31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Timer mod timepakken" in page and "Aflysninger og videostøtte pr. team" in page
    assert not any(c.person.last_name in page for c in courses)
    assert not AuditEvent.objects.filter(id__gt=before, person_id__isnull=False).exists()  # no citizen was read
    # attendance: 4 activities, 2 by video: published 5 and 0 (2 rounds to 0), video hours 0 beside a 0
    [row] = package_hours.attendance_report(D(2026, 1, 1), D(2026, 1, 31))
    published = package_hours.publish_attendance(row)
    assert (published.activities, published.video, published.video_hours) == (5, 0, Decimal(0))
    client.force_login(guide)
    assert client.get(reverse("courses:package_hours")).status_code == 403
