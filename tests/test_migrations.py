"""Data migrations move what is already stored, both ways."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("measures", "0005_person_series_index")]
AFTER = [("measures", "0006_item_scores_on_administration")]


@pytest.fixture(autouse=True)
def back_to_the_latest(transactional_db):
    """A test that migrates an app back also unapplies what depends on it (authority's orders name an offer); every
    test ends with the whole schema in place again, as the flush after it expects."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_item_score_rows_move_onto_their_administration_and_back(transactional_db, guide, make_person, team):
    person = make_person(guide, team=team)
    old = _migrate(BEFORE)
    Administration, ItemScore = old.get_model("measures", "Administration"), old.get_model("measures", "ItemScore")
    instrument = old.get_model("measures", "Instrument").objects.get(code="REM-9")
    common = {"person_id": person.pk, "instrument_id": instrument.pk, "version_id": instrument.versions.first().pk,
              "on": datetime.date(2026, 3, 2), "total": 3}
    joint, plain = Administration.objects.create(rater="joint", **common), Administration.objects.create(**common)
    ItemScore.objects.create(administration=joint, item="economy", value=Decimal("2.00"), citizen_value=Decimal("1.00"),
                             worker_value=Decimal("2.00"))
    ItemScore.objects.create(administration=joint, item="housing", value=Decimal("1.00"), citizen_value=Decimal("1.00"),
                             worker_value=Decimal("1.00"))
    ItemScore.objects.create(administration=plain, item="economy", value=Decimal("3.50"))

    new = _migrate(AFTER)
    moved = {a.pk: (a.item_scores, a.citizen_item_scores) for a in new.get_model("measures", "Administration").objects.all()}
    assert moved == {joint.pk: ({"economy": "2", "housing": "1"}, {"economy": "1", "housing": "1"}),
                     plain.pk: ({"economy": "3.5"}, {})}

    back = _migrate(BEFORE)
    rows = back.get_model("measures", "ItemScore").objects.order_by("administration_id", "item")
    assert [(r.administration_id, r.item, r.value, r.citizen_value, r.worker_value) for r in rows] == [
        (joint.pk, "economy", 2, 1, 2), (joint.pk, "housing", 1, 1, 1), (plain.pk, "economy", Decimal("3.5"), None, None)]
    _migrate(AFTER)


def test_hours_on_missed_activities_become_zero(transactional_db, guide, make_person, team):
    person = make_person(guide, team=team)
    old = _migrate([("courses", "0007_redundant_fk_indexes")])
    Activity = old.get_model("courses", "Activity")
    day = datetime.date(2026, 3, 2)
    for attendance, hours in (("attended", "1.5"), ("no_show", "2"), ("cancelled", "1")):
        Activity.objects.create(person_id=person.pk, kind="coaching", on=day, attendance=attendance,
                                delivered_hours=Decimal(hours))
    new = _migrate([("courses", "0008_no_hours_without_attendance")])
    delivered = dict(new.get_model("courses", "Activity").objects.values_list("attendance", "delivered_hours"))
    assert delivered == {"attended": Decimal("1.5"), "no_show": 0, "cancelled": 0}


def test_open_enrolments_of_groups_that_held_their_sessions_close_on_the_last_one(transactional_db, guide, make_person,
                                                                                 team):
    old = _migrate([("courses", "0008_no_hours_without_attendance")])
    GroupRun, GroupSession = old.get_model("courses", "GroupRun"), old.get_model("courses", "GroupSession")
    Course, Offer = old.get_model("courses", "Course"), old.get_model("courses", "Offer")
    offer = Offer.objects.get(name="Gruppeforløb")
    start = datetime.date(2025, 3, 3)
    held = GroupRun.objects.create(offer=offer, theme="Holdt", start=start, planned_sessions=2)
    running = GroupRun.objects.create(offer=offer, theme="Kører", start=start, planned_sessions=3)
    for group in (held, running):
        for week in range(2):
            GroupSession.objects.create(group=group, on=start + datetime.timedelta(weeks=week), hours=2)
    enrolments = {group.pk: Course.objects.create(person_id=make_person(guide, team=team).pk, offer=offer, group=group,
                                                  start=start) for group in (held, running)}
    new = _migrate([("courses", "0009_group_end")])
    Course = new.get_model("courses", "Course")
    assert Course.objects.filter(pk=enrolments[held.pk].pk).values_list("status", "closed_on", "destination").get() == (
        "closed", start + datetime.timedelta(weeks=1), "group_ended")
    assert Course.objects.get(pk=enrolments[running.pk].pk).status == "active"
    assert new.get_model("courses", "GroupRun").objects.get(pk=held.pk).ended_on == start + datetime.timedelta(weeks=1)
    back = _migrate([("courses", "0008_no_hours_without_attendance")])
    assert back.get_model("courses", "Course").objects.get(pk=enrolments[held.pk].pk).status == "active"
    _migrate([("courses", "0009_group_end")])


def _old_grant(old, person, team=None, **extra):
    Grant, GrantGoal = old.get_model("authority", "Grant"), old.get_model("authority", "GrantGoal")
    day = datetime.date(2026, 1, 5)
    grant = Grant.objects.create(person_id=person.pk, case_number="1", legal_basis="SEL § 85", service_code="s",
                                 offer_type_code="o", support_need_code="n", decided_on=day, starts_on=day,
                                 follow_up_on=datetime.date(2026, 5, 5), provider_team_id=team.pk if team else None,
                                 **extra)
    return grant, GrantGoal.objects.create(grant=grant, title="Mål", condition_code="c", baseline_level=3,
                                           target_level=1, goal_type_code="g")


def test_a_grant_that_named_its_provider_keeps_it_as_an_accepted_order(transactional_db, guide, make_person, team):
    old = _migrate([("authority", "0003_grant_provider_team")])
    named, _goal = _old_grant(old, make_person(guide, team=team), team)
    unnamed, _goal = _old_grant(old, make_person(guide, team=team))
    new = _migrate([("authority", "0004_orders")])
    Order = new.get_model("authority", "Order")
    assert list(Order.objects.values_list("grant_id", "provider_team_id", "status")) == [(named.pk, team.pk, "accepted")]
    assert not Order.objects.filter(grant_id=unnamed.pk).exists()


def test_past_follow_ups_get_their_table_from_the_stored_expectations_and_scores(transactional_db, guide, make_person,
                                                                                 team):
    old = _migrate([("authority", "0004_orders")])
    grant, goal = _old_grant(old, make_person(guide, team=team))
    Expectation, Score = old.get_model("authority", "GoalExpectation"), old.get_model("authority", "ProgressScore")
    FollowUp = old.get_model("authority", "FollowUp")
    Expectation.objects.create(goal=goal, due_on=datetime.date(2026, 5, 5), expected_level=2)
    Expectation.objects.create(goal=goal, due_on=datetime.date(2026, 9, 5), expected_level=1)
    Score.objects.create(goal=goal, on=datetime.date(2026, 3, 1), level=2)
    Score.objects.create(goal=goal, on=datetime.date(2026, 4, 20), level=1)
    Score.objects.create(goal=goal, on=datetime.date(2026, 8, 1), level=2)
    first = FollowUp.objects.create(grant=grant, held_on=datetime.date(2026, 5, 5), status_code="x",
                                    next_on=datetime.date(2026, 9, 5))
    second = FollowUp.objects.create(grant=grant, held_on=datetime.date(2026, 9, 5), status_code="y")
    new = _migrate([("authority", "0005_follow_up_cadence")])
    results = {r.follow_up_id: (r.expected_level, r.achieved_level, r.verdict)
               for r in new.get_model("authority", "FollowUpResult").objects.all()}
    assert results == {first.pk: (2, 1, "better"), second.pk: (1, 2, "worse")}
