"""The one-citizen relations query is compiled once per user, role, teams and day and run again per citizen: it must
answer exactly what the ORM expressions answer, and follow a change of teams, recusals and days at once."""

import datetime

import pytest
import time_machine

from traedesten.accounts.models import CaseloadAssignment, Recusal
from traedesten.accounts.roles import Role
from traedesten.gate import relations as rel
from traedesten.gate.rules import rule_for
from traedesten.gate.vocabulary import Relation
from traedesten.people.models import Person


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False):
        yield


def _by_the_orm(user, person):
    rule = rule_for(user)
    expressions = rel.relation_expressions(user, rule)
    row = Person.objects.filter(pk=person.pk).values_list(rel.recused(user), *expressions.values()).get()
    return bool(row[0]), {r for r, present in zip(expressions, row[1:], strict=True) if present}


def test_the_compiled_query_answers_as_the_orm_for_every_user_and_citizen(make_user, make_person, team,
                                                                           other_team):
    guide = make_user(Role.GUIDE, [team])
    colleague = make_user(Role.GUIDE, [team])
    outsider = make_user(Role.BOSTOTTE, [other_team])
    host = make_user(Role.HOST, [team])
    mine = make_person(guide, team=team, worker=guide)
    theirs = make_person(outsider, team=other_team)
    recused = make_person(guide, team=team)
    Recusal.objects.create(user=colleague, person=recused, reason="Nabo")
    for user in (guide, colleague, outsider, host):
        for person in (mine, theirs, recused):
            assert rel.facts(user, rule_for(user), person.pk) == _by_the_orm(user, person), (user.role, person)
    assert rel.facts(guide, rule_for(guide), mine.pk) == (False, {Relation.CASELOAD})
    assert rel.facts(colleague, rule_for(colleague), recused.pk)[0] is True
    assert rel.facts(outsider, rule_for(outsider), mine.pk) == (False, set())


def test_a_new_team_a_new_assignment_and_a_new_day_show_at_once(make_user, make_person, team, other_team):
    worker = make_user(Role.BOSTOTTE, [other_team])
    person = make_person(make_user(Role.GUIDE, [team]), team=team)
    rule = rule_for(worker)
    assert rel.facts(worker, rule, person.pk) == (False, set())
    worker.teams.add(team)
    del worker._gate_team_ids  # a new request reads the teams again
    assert Relation.CASELOAD in rel.facts(worker, rule, person.pk)[1]
    worker.teams.remove(team)
    del worker._gate_team_ids
    assert rel.facts(worker, rule, person.pk) == (False, set())
    CaseloadAssignment.objects.create(person=person, team=other_team, worker=worker, start=datetime.date(2026, 3, 1),
                                      end=datetime.date(2026, 3, 2))
    assert Relation.CASELOAD in rel.facts(worker, rule, person.pk)[1]
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, 0), tick=False):
        assert rel.facts(worker, rule, person.pk) == (False, set())  # the assignment ended yesterday
