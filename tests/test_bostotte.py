import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from traedesten.core.locking import VersionConflict
from traedesten.courses import bostotte, services
from traedesten.courses.models import Activity, Course, Offer, PackageChange

START = datetime.date(2026, 1, 12)


@pytest.fixture
def episode(guide, make_person, team):
    person = make_person(guide, team=team)
    return services.start_course(guide, person, Offer.objects.get(name="Bostøtte (§85)"), start=START, hours_package="6-20")


def test_contacts_by_mode_are_recorded(guide, episode):
    for mode in ("home", "walk", "video", "sms", "drop_in"):
        services.record_activity(guide, episode.person, kind="bostotte_contact", on=START, course=episode, channel=mode)
    assert set(Activity.objects.values_list("channel", flat=True)) == {"home", "walk", "video", "sms", "drop_in"}
    with pytest.raises(ValidationError, match="kanal"):
        services.record_activity(guide, episode.person, kind="bostotte_contact", on=START, course=episode, channel="fax")


def test_planned_step_down_then_carried_out_keeps_the_history(guide, episode):
    course = bostotte.plan_step_down(guide, episode, on=datetime.date(2026, 4, 1), to_package="3-6",
                                     expected_version=episode.version)
    assert (course.step_down_on, course.step_down_to) == (datetime.date(2026, 4, 1), "3-6")
    with pytest.raises(VersionConflict):
        bostotte.plan_step_down(guide, course, on=datetime.date(2026, 5, 1), to_package="<3", expected_version=1)
    course = bostotte.change_package(guide, course, on=datetime.date(2026, 4, 1), to_package="3-6",
                                     expected_version=course.version)
    assert (course.hours_package, course.step_down_on) == ("3-6", None)
    assert list(PackageChange.objects.values_list("from_package", "to_package")) == [("", "6-20"), ("6-20", "3-6")]


def test_step_down_before_the_start_is_refused(guide, episode):
    with pytest.raises(ValidationError, match="før forløbets start"):
        bostotte.plan_step_down(guide, episode, on=START - datetime.timedelta(days=1), to_package="<3",
                                expected_version=episode.version)


def test_the_way_back_in_reuses_the_package_and_links_the_episodes(guide, episode):
    closed = services.close_course(guide, episode, closed_on=datetime.date(2026, 6, 1), destination="no_further_help",
                                   expected_version=episode.version)
    again = bostotte.reenter(guide, closed, on=datetime.date(2026, 8, 3))
    assert (again.previous, again.hours_package, again.status) == (closed, "6-20", "active")
    with pytest.raises(ValidationError, match="før det forrige"):
        bostotte.reenter(guide, closed, on=datetime.date(2026, 5, 1))


def test_overview_offers_the_way_back_in(client, guide, episode):
    services.close_course(guide, episode, closed_on=datetime.date(2026, 6, 1), destination="no_further_help",
                          expected_version=episode.version)
    client.force_login(guide)
    page = client.get(reverse("people:overview", args=[episode.person_id])).content.decode()
    assert "Tilbage i bostøtte" in page
    client.post(reverse("courses:reenter", args=[episode.pk]))
    assert Course.objects.filter(person=episode.person, status="active").count() == 1
    assert "Tilbage i bostøtte" not in client.get(reverse("people:overview", args=[episode.person_id])).content.decode()


def test_bostotte_needs_a_package_in_the_start_form(client, guide, make_person, team):
    person = make_person(guide, team=team)
    client.force_login(guide)
    offer = Offer.objects.get(name="Bostøtte (§85)")
    page = client.post(reverse("courses:start", args=[person.pk]), {"offer": offer.pk, "start": "2026-02-02"})
    assert "Vælg bostøttens timepakke" in page.content.decode()
    assert not Course.objects.exists()


def test_a_step_down_cannot_go_up(guide, episode):
    course = bostotte.change_package(guide, episode, on=START, to_package="3-6", expected_version=episode.version)
    with pytest.raises(ValidationError, match="mindre timepakke"):
        bostotte.plan_step_down(guide, course, on=datetime.date(2026, 5, 1), to_package="6-20",
                                expected_version=course.version)
