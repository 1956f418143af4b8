"""Two real database connections racing for the same record: one wins, the other is told, nothing is lost."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import ffb, grants
from traedesten.authority.models import GrantStatus
from traedesten.core.locking import VersionConflict
from traedesten.courses import services as courses
from traedesten.courses.models import Course, Offer
from traedesten.plans.models import Plan, PlanVersion
from traedesten.plans.services import save_plan
from traedesten.records import notes
from traedesten.records.models import Note

pytestmark = pytest.mark.skipif("connection.vendor == 'sqlite'",
                                reason="SQLite serialises writers; the race needs PostgreSQL's concurrent connections")


def race(*jobs):
    """Run each job in its own thread and database connection, released at the same moment."""
    start, results = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(i, job):
        try:
            start.wait()
            results[i] = ("ok", job())
        except Exception as exc:  # noqa: BLE001 - the loser's exception is the result we assert on
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_saves_of_the_same_plan_version_do_not_lose_an_update(transactional_db, guide, make_person, team):
    person = make_person(guide, team=team)
    save_plan(guide, person, {"reason": "Første"}, expected_version=0)
    results = race(lambda: save_plan(guide, person, {"reason": "Anne skrev"}, expected_version=1),
                   lambda: save_plan(guide, person, {"reason": "Bo skrev"}, expected_version=1))
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"]
    assert isinstance(next(v for k, v in results if k == "error"), VersionConflict)
    plan = Plan.objects.get(person=person)
    assert plan.version == 2 and PlanVersion.objects.filter(plan=plan).count() == 2


def test_two_closings_of_the_same_course(transactional_db, guide, make_person, team):
    person = make_person(guide, team=team)
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                                  start=timezone.localdate() - datetime.timedelta(days=10))
    close = lambda destination: courses.close_course(guide, course, closed_on=timezone.localdate(),  # noqa: E731
                                                     destination=destination, expected_version=course.version)
    results = race(lambda: close("civil_society"), lambda: close("authority"))
    assert sorted(kind for kind, _v in results) == ["error", "ok"]
    winner = next(v for k, v in results if k == "ok")
    assert Course.objects.get(pk=course.pk).destination == winner.destination


def test_two_follow_ups_on_one_grant(transactional_db, guide, make_user, make_person, team):
    authority = Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))
    caseworker = make_user(Role.AUTHORITY, [authority])  # a department that decides grants: no approval is awaited
    person = make_person(guide, team=team)
    today = timezone.localdate()
    grant = grants.create_grant(caseworker, person, goals=[goal_input()], **grant_kwargs())
    end = ffb.code_named(ffb.intervention_statuses(), "Træf afgørelse om afslutning af indsats")
    follow = lambda: grants.record_follow_up(caseworker, grant, version=grant.version, held_on=today,  # noqa: E731
                                             status_code=end)
    assert grant.status == GrantStatus.DECIDED
    results = race(follow, follow)
    assert sorted(kind for kind, _v in results) == ["error", "ok"]
    assert grant.follow_ups.count() == 1


def test_connections_are_really_separate(transactional_db):
    def backend():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]
    results = race(backend, backend)
    assert len({value for _kind, value in results}) == 2


def test_two_withdrawals_of_one_consent(transactional_db, guide, make_person, team):
    from traedesten.accounts.models import Department
    from traedesten.people.consent import give_consent, withdraw_consent

    person = make_person(guide, team=team)
    consent = give_consent(guide, person, recipient=Department.objects.get(code="jobcentre"), scope=["goals"],
                           purpose="Én plan", given_on=timezone.localdate())
    results = race(lambda: withdraw_consent(guide, consent), lambda: withdraw_consent(guide, consent))
    assert sorted(kind for kind, _v in results) == ["error", "ok"]
    consent.refresh_from_db()
    assert consent.version == 2 and consent.withdrawn_at is not None


def test_two_enrolments_for_the_last_seat(transactional_db, guide, make_person, team):
    from decimal import Decimal

    from traedesten.courses import groups
    from traedesten.courses.services import SoftCapExceeded

    group = groups.create_group(guide, Offer.objects.filter(kind="group").first(), theme="Sidste plads",
                                start=timezone.localdate(), planned_sessions=4, session_hours=Decimal(2), capacity=1,
                                facilitators=[guide], team=team)
    ane, bo = make_person(guide, team=team), make_person(guide, team=team)
    results = race(lambda: groups.enrol(guide, group, ane), lambda: groups.enrol(guide, group, bo))
    assert sorted(kind for kind, _v in results) == ["error", "ok"]
    assert isinstance(next(v for k, v in results if k == "error"), SoftCapExceeded)
    assert group.enrolments.count() == 1


def test_two_corrections_of_the_same_note_version(transactional_db, guide, make_person, team):
    person = make_person(guide, team=team)
    first = notes.write(guide, person, kind="phone", text="Første udgave")
    results = race(lambda: notes.correct(guide, first, text="Anne rettede", reason="Annes rettelse"),
                   lambda: notes.correct(guide, first, text="Bo rettede", reason="Bos rettelse"))
    assert sorted(kind for kind, _value in results) == ["error", "ok"]
    loser = next(v for k, v in results if k == "error")
    assert isinstance(loser, notes.NoteChanged) and loser.current.version == 2
    assert sorted(Note.objects.filter(person=person).values_list("version", flat=True)) == [1, 2]
