"""Plans that bend (issue 27, seed 003 theme 1): a pause in a low phase puts deadlines and measurement alerts off until
it ends, shows on the plan, and leaves a time limit by law running."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from traedesten.accounts.models import Department
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.gate import clearance
from traedesten.measures import services as measures
from traedesten.measures.models import Instrument
from traedesten.plans import pauses, services as plans
from traedesten.plans.models import Pause
from traedesten.usecases import plans as plan_cases, worklists

TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False):
        yield


@pytest.fixture
def front(team):
    team.department = Department.objects.get(code="social")
    team.save()
    return team


@pytest.fixture
def late(guide, make_person, front):
    """A front-door course whose first follow-up was due a week ago."""
    return courses.start_course(guide, make_person(guide, team=front), Offer.objects.get(name="Din Indgang – forløb"),
                                start=TODAY - datetime.timedelta(weeks=5))


def _pause(guide, person, *, starts_on=TODAY, ends_on=TODAY + 20 * DAY, reason="low_phase", note="", today=TODAY):
    return plan_cases.pause_plan(clearance(guide, person), starts_on=starts_on, ends_on=ends_on, reason=reason,
                                 note=note, today=today)


def _kinds(items, course):
    return {i.kind for i in items if i.course.pk == course.pk}


def test_a_paused_plan_has_no_overdue_items_until_it_resumes(guide, late):
    assert "follow_up" in _kinds(worklists.worklist(guide, today=TODAY).overdue, late)
    pause = _pause(guide, late.person)
    during = worklists.worklist(guide, today=TODAY)
    assert not _kinds(during.items, late) and during.paused >= 1
    rows = {r.person.pk: r for r in worklists.my_citizens(guide, today=TODAY)}
    assert not rows[late.person_id].overdue and rows[late.person_id].paused_until == TODAY + 20 * DAY
    assert rows[late.person_id].next_due == pause.resumes_on
    back = worklists.worklist(guide, today=pause.resumes_on)
    assert "follow_up" in _kinds(back.today, late)  # due again the day the pause ends
    assert "follow_up" in _kinds(worklists.worklist(guide, today=pause.resumes_on + DAY).overdue, late)


def test_ending_a_pause_early_brings_the_deadlines_back_that_day(guide, late):
    pause = _pause(guide, late.person)
    later = TODAY + 5 * DAY
    plan_cases.resume_plan(clearance(guide, late.person), pause, on=later)
    assert pauses.in_force([late.person_id], later) == {}
    assert "follow_up" in _kinds(worklists.worklist(guide, today=later).today, late)
    with pytest.raises(ValidationError, match="ikke i kraft"):
        plan_cases.resume_plan(clearance(guide, late.person), pause, on=later)


def test_a_time_limit_by_law_is_not_paused(guide, make_person, front):
    limited = courses.start_course(guide, make_person(guide, team=front),
                                   Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"),
                                   start=datetime.date(2025, 9, 20))  # the limit is 20 March 2026
    _pause(guide, limited.person, ends_on=TODAY + 60 * DAY)
    work = worklists.worklist(guide, today=TODAY + 19 * DAY)
    assert _kinds(work.items, limited) == {"limit"}
    assert pauses.put_off("limit", datetime.date(2026, 3, 20), pauses.in_force([limited.person_id], TODAY)[
        limited.person_id]) == datetime.date(2026, 3, 20)


@pytest.mark.parametrize("details, message", [
    ({"reason": "other"}, "hvorfor"),
    ({"reason": "nap"}, "årsagen"),
    ({"ends_on": TODAY - DAY}, "samme dag eller efter"),
    ({"ends_on": datetime.date(2026, 9, 2)}, "højst 6 måneder"),
    ({"starts_on": TODAY - 15 * DAY}, "14 dage tilbage"),
])
def test_a_pause_is_refused_with_a_clear_message(guide, late, details, message):
    with pytest.raises(ValidationError, match=message):
        _pause(guide, late.person, **details)
    assert not Pause.objects.exists()


def test_pauses_do_not_overlap_and_the_next_may_follow(guide, late):
    first = _pause(guide, late.person, ends_on=TODAY + 9 * DAY)
    with pytest.raises(ValidationError, match="allerede en pause"):
        _pause(guide, late.person, starts_on=TODAY + 9 * DAY, ends_on=TODAY + 30 * DAY)
    second = _pause(guide, late.person, starts_on=first.resumes_on, ends_on=TODAY + 30 * DAY)
    assert pauses.in_force([late.person_id], TODAY + 10 * DAY)[late.person_id] == second


def test_the_plan_page_pauses_shows_and_resumes(client, guide, late):
    client.force_login(guide)
    page = client.post(reverse("plans:pause", args=[late.person_id]),
                       {"reason": "hospital", "starts_on": "2026-03-02", "ends_on": "2026-03-20", "note": "Kontakt via søsteren"})
    assert page.status_code == 302
    shown = client.get(reverse("plans:plan", args=[late.person_id])).content.decode()
    assert "Planen er på pause til og med 20. Mar 2026" in shown and "Indlagt: Kontakt via søsteren" in shown
    overview = client.get(reverse("people:overview", args=[late.person_id])).content.decode()
    assert "på pause" in overview and "overskredet" not in overview
    assert client.post(reverse("plans:resume", args=[late.person_id])).status_code == 302
    assert Pause.objects.get().resumed_on == TODAY
    after = client.get(reverse("people:overview", args=[late.person_id])).content.decode()
    assert "efter pausen" in after and "Planen er på pause" not in after  # due from today: a fresh start


def test_a_refused_pause_is_explained_on_the_page_and_nothing_is_saved(client, guide, late):
    client.force_login(guide)
    page = client.post(reverse("plans:pause", args=[late.person_id]),
                       {"reason": "other", "starts_on": "2026-03-02", "ends_on": "2026-03-20"})
    assert page.status_code == 200 and "Skriv kort hvorfor" in page.content.decode()
    assert not Pause.objects.exists()


def test_goal_and_action_deadlines_inside_the_pause_show_as_paused_not_as_pressure(client, guide, late):
    content = {"goals": [{"citizen_text": "Komme ud at gå", "deadline": "2026-03-10",
                          "actions": [{"text": "Gå en tur med naboen", "responsible": "citizen", "due": "2026-03-12"},
                                      {"text": "Ring til klubben", "responsible": "citizen", "due": "2026-04-20"}]}]}
    plans.save_plan(guide, late.person, content, expected_version=0)
    _pause(guide, late.person, ends_on=TODAY + 20 * DAY)
    client.force_login(guide)
    page = client.get(reverse("plans:plan", args=[late.person_id])).content.decode()
    assert page.count("på pause</span>") == 2  # the goal's deadline and the first action's; the later one is not


def test_a_pause_puts_measurement_alerts_off_like_deadlines(guide, late):
    srs = Instrument.objects.get(code="SRS")
    low_alliance = dict(zip(["relationship", "goals", "approach", "overall"], map(Decimal, (8, 8, 8, 8))))
    measures.administer(guide, late.person, srs, on=TODAY - 10 * DAY, values=low_alliance)
    alert_kinds = {"measure_low", "measure_due"}
    assert alert_kinds & _kinds(worklists.worklist(guide, today=TODAY).overdue, late)
    pause = _pause(guide, late.person)
    assert not alert_kinds & _kinds(worklists.worklist(guide, today=TODAY).items, late)
    assert "measure_low" in _kinds(worklists.worklist(guide, today=pause.resumes_on).today, late)
