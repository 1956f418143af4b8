"""Follow-up cadence from the legal basis, and expected against achieved kept with every follow-up."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import ffb, grants
from traedesten.authority.models import FollowUpCadence, FollowUpResult

START = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10, 0), tick=False):
        yield


@pytest.fixture
def caseworker(make_user):
    return make_user(Role.AUTHORITY, [Team.objects.create(name="M", department=Department.objects.get(code="authority"))])


@pytest.fixture
def person(guide, make_person, team):
    return make_person(guide, team=team)


def _grant(caseworker, person, basis="SEL § 85", **extra):
    return grants.create_grant(caseworker, person, goals=[goal_input(baseline=3, target=1, expected=2)],
                               **grant_kwargs(legal_basis=basis, decided_on=START, starts_on=START, follow_up_on=None)
                               | extra)


@pytest.mark.parametrize("basis, first", [
    ("SEL § 85", datetime.date(2026, 7, 2)),  # every 4 months
    ("SEL § 104", datetime.date(2026, 9, 2)),  # every 6 months
    ("SEL § 107", START + datetime.timedelta(weeks=12)),  # at 10-12 weeks
    ("§85", datetime.date(2026, 7, 2)),  # however the basis is written
])
def test_the_first_follow_up_follows_the_legal_basis(caseworker, person, basis, first):
    assert _grant(caseworker, person, basis).follow_up_on == first


def test_a_basis_without_a_cadence_needs_a_date(caseworker, person):
    with pytest.raises(ValidationError, match="opfølgningsrytme"):
        _grant(caseworker, person, "SEL § 97")
    assert _grant(caseworker, person, "SEL § 97", follow_up_on=datetime.date(2026, 5, 1)).follow_up_on == \
        datetime.date(2026, 5, 1)


def test_the_cadence_is_data(caseworker, person):
    FollowUpCadence.objects.filter(legal_basis="SEL § 85").update(every_months=3)
    assert _grant(caseworker, person).follow_up_on == datetime.date(2026, 6, 2)


def test_each_follow_up_keeps_its_table_and_the_history_shows_them_side_by_side(client, caseworker, person, make_user):
    grant = _grant(caseworker, person)
    goal = grant.goals.get()
    provider = make_user(Role.BOSTOTTE)
    grants.score_progress(provider, goal, level=2, on=datetime.date(2026, 5, 1))
    grants.score_progress(provider, goal, level=1, on=datetime.date(2026, 6, 20))
    status = ffb.code_named(ffb.intervention_statuses(), grants.CONTINUE_STATUS)
    first = grants.record_follow_up(caseworker, grant, version=grant.version, held_on=datetime.date(2026, 7, 2),
                                    status_code=status, expectations={goal.pk: 1})
    assert first.next_on == datetime.date(2026, 11, 2)  # suggested from the cadence: 4 months on
    result = FollowUpResult.objects.get(follow_up=first)
    assert (result.expected_level, result.achieved_level, result.verdict) == (2, 1, "better")

    grant.refresh_from_db()
    grants.score_progress(provider, goal, level=2, on=datetime.date(2026, 8, 15))
    columns = grants.history(grant)
    assert [c.kind for c in columns] == ["scores", "follow_up", "scores"]
    assert [s.level for s in columns[0].cells[goal.pk]] == [2, 1] and columns[2].cells[goal.pk][0].level == 2

    CaseloadAssignment.objects.create(person=person, team=caseworker.teams.get())
    client.force_login(caseworker)
    page = client.get(reverse("authority:grant", args=[grant.pk])).content.decode()
    assert "Historik" in page and "Bedre end forventet" in page
    assert "Dårligere end forventet" in page  # the current period: 2 against the expected 1
    assert "Opfølgningsrytme for SEL § 85" in page
