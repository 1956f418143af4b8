"""The front door end to end: a walk-in who gets ad hoc help, and one who gets a guide conversation and a course."""

from traedesten.accounts.models import Background
from traedesten.accounts.roles import Role
from traedesten.courses.models import Activity, Course
from traedesten.frontdoor.models import Contact, GuideConversation


def test_walk_in_who_gets_ad_hoc_help(page, transactional_db, make_user, team):
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
    page.get_by_role("link", name="Registrér ad hoc-hjælp").click()
    page.get_by_label("Skattekort og forskudsopgørelse").check()
    page.get_by_label("Kvinde").check()
    page.get_by_label("Alder ca.").fill("34")
    page.assert_accessible()
    page.screenshot_as("frontdoor-ad-hoc")
    page.get_by_role("button", name="Registrér hjælpen").click()
    page.get_by_text("Ad hoc-hjælpen er registreret: Skattekort og forskudsopgørelse").wait_for()
    contact = Contact.objects.get()
    assert (contact.queue_status, contact.outcome, contact.handled) == ("received", "ad_hoc", True)
    help_given = Activity.objects.get()
    assert (help_given.kind, help_given.topic, help_given.person.is_pseudonymous) == ("ad_hoc", "Skattekort og forskudsopgørelse", True)


def test_walk_in_guide_conversation_20_week_course_closed_to_volunteering(page, transactional_db, make_user, team):
    make_user(Role.HOST, [team], username="vaert")
    guide = make_user(Role.GUIDE, [team], username="guide", first_name="Gitte", last_name="Guide")
    make_user(Role.AUTHORITY, [team], username="raad", first_name="Rasmus", last_name="Rådgiver",
              background=Background.AUTHORITY)
    page.login("guide")
    page.get_by_role("link", name="Indgangen").click()
    page.get_by_label("Årsag (kort)").fill("Vil gerne tale med nogen")
    page.get_by_role("button", name="Registrér").click()
    page.get_by_role("button", name="Guidesamtale").click()
    page.get_by_role("link", name="Start guidesamtale").click()

    page.get_by_label("Fornavn").fill("Karin")
    page.get_by_label("Efternavn").fill("Møller")
    page.get_by_label("Adresse").fill("Vestergade 3")
    page.get_by_label("Postnummer").fill("7000")
    page.get_by_label("By").fill("Fredericia")
    page.get_by_role("textbox", name="Telefon").fill("20 30 40 50")
    page.get_by_label("Ønsker kontakt via").select_option("sms")
    page.get_by_label("Medarbejder 2").select_option(label="Rasmus Rådgiver (Myndighed)")
    page.get_by_label("Forløb startet – borgeren sagde ja").check()
    page.get_by_label("Person borgeren tager med næste gang").fill("Søsteren Lene")
    page.assert_accessible()
    page.screenshot_as("guide-conversation")
    page.get_by_role("button", name="Gem samtale og indgangsseddel").click()
    page.get_by_text("Guidesamtalen er registreret").wait_for()
    page.get_by_text("Første opfølgning").wait_for()
    page.get_by_text("Vurdering af fremtidigt behov").first.wait_for()

    course = Course.objects.get()
    assert course.offer.max_weeks == 20
    conversation = GuideConversation.objects.get()
    assert (conversation.staff_1_background, conversation.staff_2_background) == ("provider", "authority")

    for kind in ("follow_up", "assessment"):
        page.get_by_role("link", name="Aktivitet", exact=True).click()
        page.get_by_label("Aktivitet", exact=True).select_option(kind)
        page.get_by_role("button", name="Gem aktiviteten").click()
        page.get_by_text("Aktiviteten er registreret").wait_for()
    assert page.get_by_text("✓ Første opfølgning").is_visible()
    page.assert_accessible()
    page.screenshot_as("overview-course-follow-ups")

    page.get_by_role("link", name="Afslut").click()
    page.get_by_label("Borgeren går videre til").select_option("civil_society")
    page.get_by_label("Kick off-møde med frivilligkoordinator").fill(course.start.isoformat())
    page.get_by_label("Hvad hjalp? (med borgerens egne ord)").fill("Fællesskabet i caféen")
    page.get_by_role("button", name="Afslut forløbet").click()
    page.get_by_text("Forløbet er afsluttet").wait_for()
    course.refresh_from_db()
    assert (course.status, course.destination, course.kickoff_on) == ("closed", "civil_society", course.start)
    assert set(course.activities.values_list("kind", flat=True)) == {"guide_conversation", "follow_up", "assessment"}
    assert guide.pk in set(Activity.objects.values_list("registered_by", flat=True))


def test_a_partner_phone_call_is_registered_with_the_keyboard_alone(page, transactional_db, make_user, team):
    make_user(Role.HOST, [team], username="vaert")
    page.login("vaert")
    page.goto("/indgang/")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'origin'")
    keyboard = page.keyboard
    keyboard.press("s")  # Hvem: Samarbejdspartner (the field has focus on arrival)
    keyboard.press("Tab")
    keyboard.press("t")  # Hvordan: Telefon
    keyboard.press("Tab")
    keyboard.press("j")  # Samarbejdspartner: Jobcenter
    keyboard.press("Tab")
    keyboard.press("a")  # Udfald: Ad hoc-hjælp
    keyboard.press("a")  # … Anmodning om hjemmebesøg
    keyboard.press("Tab")
    keyboard.type("Bekymring for borger")
    keyboard.press("Enter")
    page.get_by_text("Henvendelsen er registreret").wait_for()
    contact = Contact.objects.get()
    assert (contact.origin, contact.channel, contact.partner.name, contact.reason, contact.outcome, contact.queue_status) == (
        "partner", "phone", "Jobcenter", "Bekymring for borger", "home_visit", "")
