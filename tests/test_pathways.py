import datetime

from traedesten.courses import services
from traedesten.courses.models import Offer
from traedesten.frontdoor import services as frontdoor
from traedesten.frontdoor.pathways import front_door_bypass

START = datetime.date(2026, 1, 5)


def _offer(name):
    return Offer.objects.get(name=name)


def test_a_full_stay_at_the_front_door_is_not_a_bypass(guide, make_person, team):
    person = make_person(guide, team=team)
    course = services.start_course(guide, person, _offer("Din Indgang – forløb"), start=START)
    services.close_course(guide, course, closed_on=START + datetime.timedelta(weeks=10), destination="authority",
                          expected_version=course.version)
    assert front_door_bypass(person) is None


def test_under_four_weeks_before_the_authority_is_a_short_stay(guide, make_person, team):
    person = make_person(guide, team=team)
    course = services.start_course(guide, person, _offer("Din Indgang – forløb"), start=START)
    services.close_course(guide, course, closed_on=START + datetime.timedelta(days=20), destination="authority",
                          expected_version=course.version)
    bypass = front_door_bypass(person)
    assert (bypass.kind, bypass.on) == ("short", START + datetime.timedelta(days=20))
    assert "20 dage" in bypass.label


def test_a_grant_without_the_front_door_is_never_there(guide, make_person, team):
    person = make_person(guide, team=team)
    services.start_course(guide, person, _offer("Bostøtte (§85)"), start=START, hours_package="3-6")
    assert front_door_bypass(person).kind == "never"


def test_a_contact_sent_straight_to_the_authority_is_a_bypass(guide, make_person, team):
    person = make_person(guide, team=team)
    frontdoor.register_contact(guide, origin="citizen", channel="phone", person=person, outcome="authority")
    assert front_door_bypass(person).kind == "never"


def test_no_authority_no_bypass(guide, make_person, team):
    person = make_person(guide, team=team)
    services.start_course(guide, person, _offer("Individuelt §82b-forløb (6 måneder)"), start=START)
    assert front_door_bypass(person) is None
