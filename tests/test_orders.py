"""Orders (bestilling): a grant reaches the provider it names, and accepting it makes the provider team the citizen's
provider through the gate, until the grant ends or names another provider."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import CaseloadAssignment, Department, OutsideAccess, Team
from traedesten.accounts.roles import Role
from traedesten.authority import ffb, grants, orders
from traedesten.authority.models import Order
from traedesten.courses.models import Activity, Offer
from traedesten.gate import Action, NeedsReason, Relation, Section, clearance
from traedesten.gate.relations import relation_expressions
from traedesten.gate.rules import rule_for
from traedesten.people.models import Person
from traedesten.usecases import authority as authority_cases, courses as course_cases


@pytest.fixture
def social(db):
    return Department.objects.get(code="social")


@pytest.fixture
def bostotte_team(social):
    return Team.objects.create(name="Bostøtte Nord", department=social)


@pytest.fixture
def worker(make_user, bostotte_team):
    return make_user(Role.BOSTOTTE, [bostotte_team], username="bostoette")


@pytest.fixture
def caseworker(make_user):
    team = Team.objects.create(name="Myndighed", department=Department.objects.get(code="authority"))
    return make_user(Role.AUTHORITY, [team], username="raadgiver")


@pytest.fixture
def citizen(make_user, make_person, social):
    front = Team.objects.create(name="Indgangen", department=social)
    return make_person(make_user(Role.GUIDE, [front]), team=front, cpr="1010901233")


@pytest.fixture
def bostotte_offer(db):
    return Offer.objects.get(name="Bostøtte (§85)")


def _grant(caseworker, citizen, team, offer, **extra):
    CaseloadAssignment.objects.get_or_create(person=citizen, team=caseworker.teams.get())
    c = clearance(caseworker, citizen)
    return authority_cases.create_grant(c, goals=[goal_input()], **grant_kwargs(provider_team=team,
                                                                               provider_offer=offer, **extra))


def test_a_grant_sends_an_order_and_accepting_it_makes_the_team_the_provider(caseworker, citizen, worker,
                                                                             bostotte_team, bostotte_offer):
    grant = _grant(caseworker, citizen, bostotte_team, bostotte_offer, hours_per_week=Decimal(4))
    order = Order.objects.get(grant=grant)
    assert order.status == Order.Status.SENT and order.provider_team == bostotte_team
    assert list(orders.inbox([bostotte_team.pk])) == [order]

    waiting = clearance(worker, citizen)
    assert Relation.ORDER_RECIPIENT in waiting.relations and Relation.GRANT_PROVIDER not in waiting.relations
    assert waiting.can(Section.AUTHORITY) and not waiting.can(Section.COURSES)
    with pytest.raises(NeedsReason):
        waiting.require(Section.COURSES, action=Action.WRITE)

    order = authority_cases.accept_order(waiting, order, version=order.version)
    assert order.status == Order.Status.ACCEPTED and order.answered_by == worker
    course = order.course
    assert course.offer == bostotte_offer and course.team == bostotte_team and course.responsible == worker
    assert course.hours_package == "3-6" and course.start == grant.starts_on

    c = clearance(worker, citizen)
    assert Relation.GRANT_PROVIDER in c.relations and not c.flagged
    course_cases.record_activity(c, course=course, kind=Activity.Kind.BOSTOTTE_CONTACT, on=timezone.localdate(),
                                 delivered_hours=Decimal(1), channel="home")
    goal = grant.goals.get()
    authority_cases.score_progress(c, goal, level=2, on=timezone.localdate())
    assert not OutsideAccess.objects.filter(user=worker).exists()


def test_the_provider_relation_ends_with_the_grant(caseworker, citizen, worker, bostotte_team, bostotte_offer):
    grant = _grant(caseworker, citizen, bostotte_team, bostotte_offer)
    order = grant.orders.get()
    orders.accept_order(worker, order, version=order.version)
    assert Relation.GRANT_PROVIDER in clearance(worker, citizen).relations
    end = next(s.code for s in ffb.intervention_statuses() if s.display != grants.CONTINUE_STATUS)
    grants.record_follow_up(caseworker, grant, version=grant.version, held_on=timezone.localdate(), status_code=end)
    order.refresh_from_db()
    assert order.ended_on == timezone.localdate()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    expressions = relation_expressions(worker, rule_for(worker), today=tomorrow)
    assert not Person.objects.filter(pk=citizen.pk).filter(expressions[Relation.GRANT_PROVIDER]).exists()


def test_naming_another_provider_ends_the_order_and_sends_a_new_one(caseworker, citizen, worker, bostotte_team,
                                                                     bostotte_offer, social):
    grant = _grant(caseworker, citizen, bostotte_team, bostotte_offer)
    first = grant.orders.get()
    orders.accept_order(worker, first, version=first.version)
    other = Team.objects.create(name="Bostøtte Syd", department=social)
    grant.refresh_from_db()
    new = authority_cases.change_provider(clearance(caseworker, citizen), grant, version=grant.version,
                                          provider_team=other, provider_offer=bostotte_offer)
    first.refresh_from_db()
    assert first.ended_on == timezone.localdate() and new.status == Order.Status.SENT and new.provider_team == other
    # The old team keeps the relation to the end of the day the grant changed, and loses it after.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    expressions = relation_expressions(worker, rule_for(worker), today=tomorrow)
    assert not Person.objects.filter(pk=citizen.pk).filter(expressions[Relation.GRANT_PROVIDER]).exists()


def test_declining_needs_a_reason_and_only_the_provider_team_answers(caseworker, citizen, worker, bostotte_team,
                                                                      bostotte_offer, make_user):
    grant = _grant(caseworker, citizen, bostotte_team, bostotte_offer)
    order = grant.orders.get()
    with pytest.raises(ValidationError):
        authority_cases.decline_order(clearance(worker, citizen), order, version=order.version, note="")
    stranger = make_user(Role.BOSTOTTE, [Team.objects.create(name="Andet", department=bostotte_team.department)])
    with pytest.raises(PermissionDenied):
        authority_cases.accept_order(clearance(stranger, citizen), order, version=order.version)
    declined = authority_cases.decline_order(clearance(worker, citizen), order, version=order.version,
                                             note="Ingen ledig kapacitet før efter sommer")
    assert declined.status == Order.Status.DECLINED
    assert Relation.ORDER_RECIPIENT not in clearance(worker, citizen).relations


def test_the_inbox_and_the_order_page(client, caseworker, citizen, worker, bostotte_team, bostotte_offer):
    grant = _grant(caseworker, citizen, bostotte_team, bostotte_offer)
    order = grant.orders.get()
    client.force_login(worker)
    inbox = client.get("/myndighed/bestillinger/").content.decode()
    assert citizen.display_name in inbox and "Venter på svar" in inbox
    page = client.get(f"/myndighed/bestilling/{order.pk}/").content.decode()
    assert "Modtag bestillingen" in page and "Åbner selv sin digitale post" in page
    response = client.post(f"/myndighed/bestilling/{order.pk}/", {"version": order.version, "accept": "1"})
    assert response.status_code == 302 and response["Location"] == f"/borgere/{citizen.pk}/"
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
