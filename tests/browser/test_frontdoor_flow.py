from traedesten.accounts.roles import Role
from traedesten.courses.models import Course
from traedesten.frontdoor.models import Contact


def test_walk_in_routed_to_ad_hoc_help_in_one_click(page, transactional_db, make_user, team):
    make_user(Role.HOST, [team], username="vaert")
    page.login("vaert")
    page.get_by_role("link", name="Indgangen").click()
    page.get_by_label("Årsag (kort)").fill("Hjælp til skattekort")
    page.get_by_label("Årsag (kort)").press("Enter")
    page.get_by_text("Henvendelsen er registreret").wait_for()
    page.get_by_role("cell", name="Hjælp til skattekort").wait_for()
    page.assert_accessible()
    page.screenshot_as("frontdoor-desk")
    page.get_by_role("button", name="Ad hoc-hjælp").click()
    page.get_by_text("Borgeren er modtaget: Ad hoc-hjælp").wait_for()
    contact = Contact.objects.get()
    assert (contact.queue_status, contact.outcome) == ("received", "ad_hoc")


def test_course_started_and_closed_to_volunteering(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Lone", last_name="Bak")
    page.login("guide")
    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Start forløb").click()
    page.get_by_label("Tilbud").select_option(label="Din Indgang – forløb")
    page.get_by_role("button", name="Start forløbet").click()
    page.get_by_text("Første opfølgning").wait_for()
    page.assert_accessible()
    page.screenshot_as("overview-course")
    page.get_by_role("link", name="Afslut").click()
    page.get_by_role("button", name="Afslut forløbet").click()
    page.get_by_text("Vælg hvor borgeren går videre til").first.wait_for()
    page.get_by_label("Borgeren går videre til").select_option("civil_society")
    page.get_by_role("button", name="Afslut forløbet").click()
    page.get_by_text("Forløbet er afsluttet").wait_for()
    course = Course.objects.get()
    assert (course.status, course.destination) == ("closed", "civil_society")
