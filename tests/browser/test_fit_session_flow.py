"""A session with FIT on the tablet (issue 27): the ORS before and the SRS after, both on the session's activity."""

import datetime
from decimal import Decimal

from django.utils import timezone

from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Activity, Offer
from traedesten.measures.models import Administration

ORS = ("Mig selv", "Familie og nære relationer", "Arbejde, skole og venner", "Alt i alt")
SRS = ("Relationen", "Mål og emner", "Tilgang og metode", "Alt i alt")


def _score_on_the_tablet(page, labels, values) -> None:
    page.get_by_text("Sæt et mærke på hver linje").wait_for()
    page.wait_for_load_state()  # the lines count as marked once vas.js listens
    for label, value in zip(labels, values, strict=True):
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Færdig").click()
    page.get_by_text("Tak!").wait_for()
    page.get_by_role("link", name="Medarbejder: tag tabletten tilbage").click()
    page.get_by_label("Din adgangskode").fill("test-password-123")
    page.get_by_role("button", name="Tilbage til medarbejdervisning").click()


def test_a_session_with_ors_before_and_srs_after_on_the_tablet(tablet, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Maja", last_name="Vang")
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                                  start=timezone.localdate() - datetime.timedelta(weeks=3))
    page = tablet
    page.login("guide")
    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Samtale med FIT").click()
    page.get_by_role("button", name="Start samtalen").click()
    page.get_by_role("button", name="Giv tabletten til borgeren (ORS)").click()
    assert "Maja" not in page.content()
    _score_on_the_tablet(page, ORS, ("4", "5.5", "5", "4.5"))

    page.get_by_role("heading", name="Før samtalen: ORS").wait_for()
    page.get_by_text("19").first.wait_for()
    page.assert_accessible()
    page.get_by_role("button", name="Giv tabletten til borgeren (SRS)").click()
    _score_on_the_tablet(page, SRS, ("9", "9.5", "9", "9.5"))

    page.get_by_text("ORS og SRS er gemt på samtalen").wait_for()
    page.assert_accessible()
    page.screenshot_as("fit-session")
    activity = Activity.objects.get(person=person)
    scores = {a.instrument.code: (a.activity_id, a.course_id, a.total)
              for a in Administration.objects.filter(person=person).select_related("instrument")}
    assert activity.kind == "coaching" and activity.course_id == course.pk
    assert scores == {"ORS": (activity.pk, course.pk, Decimal(19)), "SRS": (activity.pk, course.pk, Decimal(37))}
    page.get_by_role("link", name="Se forløbet pr. samtale").click()
    page.get_by_role("heading", name="Pr. samtale").wait_for()
