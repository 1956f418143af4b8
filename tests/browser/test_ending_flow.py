"""An ending with letter, after-care visit and klippekort (issue 27 part 8, decision 0052): the worker closes a course
with the ending record, sends the end-of-course letter, finds the after-care visit on the worklist on the day it is due
(a fixed clock: the test travels to that day), registers it, and a klip from the klippekort is used."""

import datetime

import time_machine
from django.utils import timezone

from traedesten.accounts.roles import Role
from traedesten.core.dates import add_months
from traedesten.courses import services
from traedesten.courses.models import Activity, Course, Ending, Offer
from traedesten.records.models import Letter


def test_an_ending_with_letter_after_care_visit_and_klippekort(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Ida", last_name="Lund", cpr="0707771237")
    today = timezone.localdate()
    course = services.start_course(guide, person, Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"),
                                   start=today - datetime.timedelta(days=120), team=team, responsible=guide)
    page.login("guide")
    page.goto(f"/borgere/{person.pk}/")
    page.get_by_text("forventet slutdato").first.wait_for()  # known from the start
    page.get_by_role("link", name="Afslut").click()
    page.get_by_label("Borgeren går videre til").select_option("civil_society")
    page.get_by_label("Hvad hjalp? (med borgerens egne ord)").fill("At du gik med mig de første gange")
    page.get_by_label("Mestringsplanen er gennemgået med borgeren").check()
    page.get_by_label("Fællesskaber borgeren fortsætter i (ét pr. linje)").fill("Løbeklubben\nHaveforeningen")
    page.get_by_label("Hvem kan borgeren ringe til?").fill("Guide Hansen")
    page.get_by_label("Telefon").fill("12345678")
    page.assert_accessible()
    page.screenshot_as("ending-01-close-with-ending-record")
    page.get_by_role("button", name="Afslut forløbet").click()
    page.get_by_text("Forløbet er afsluttet").wait_for()
    page.get_by_text("Klippekort: 3 af 3 klip tilbage").wait_for()
    page.screenshot_as("ending-02-overview-with-ending-record")

    page.get_by_role("link", name="Skriv afslutningsbrev").click()
    assert page.get_by_label("Det hjalp (fra afslutningsnotatet, med borgerens egne ord)").input_value() == (
        "At du gik med mig de første gange")
    assert page.get_by_label("Hvem borgeren kan ringe til (navn og telefon)").input_value() == (
        "Guide Hansen på telefon 12345678")
    page.screenshot_as("ending-03-end-of-course-letter")
    page.get_by_role("button", name="Send brevet").click()
    page.get_by_text("Brevet er sendt med Digital Post").wait_for()
    assert Letter.objects.get(person=person).template == "end_of_course"

    due = add_months(today, 3)
    assert Ending.objects.get(course=course).after_care_on == due
    with time_machine.travel(datetime.datetime.combine(due, datetime.time(9, 0)).astimezone(), tick=True):
        page.login("guide")  # the session from three months ago has run out
        page.get_by_role("link", name="Arbejdsliste").click()
        page.get_by_role("link", name="Efterværnsbesøg efter Individuelt §82b-forløb (6 måneder)").click()
        page.get_by_label("Hvor eller hvordan").select_option("home")
        page.assert_accessible()
        page.screenshot_as("ending-04-after-care-visit-from-the-worklist")
        page.get_by_role("button", name="Gem aktiviteten").click()
        page.get_by_text("Aktiviteten er registreret").wait_for()
        page.get_by_role("link", name="Brug et klip").click()
        page.get_by_label("Hvor eller hvordan").select_option("phone")
        page.get_by_role("button", name="Gem aktiviteten").click()
        page.get_by_text("Aktiviteten er registreret").wait_for()
        page.get_by_text("Klippekort: 2 af 3 klip tilbage").wait_for()
        page.assert_accessible()
        page.screenshot_as("ending-05-klippekort-used")
        page.get_by_role("link", name="Arbejdsliste").click()
        assert page.get_by_role("link", name="Efterværnsbesøg efter Individuelt §82b-forløb (6 måneder)").count() == 0
    course.refresh_from_db()
    assert course.status == Course.Status.CLOSED  # nothing after the end reopens it
    assert sorted(course.activities.values_list("kind", "on")) == [
        (Activity.Kind.AFTER_CARE_VISIT, due), (Activity.Kind.ON_DEMAND_SESSION, due)]
