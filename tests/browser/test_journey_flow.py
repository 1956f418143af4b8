"""The case moves, in the browser: walk-in → guide conversation → course → hand-over → case conference → grant →
order accepted by the bostøtte team → contacts and progression with no flagged access → the authority's follow-up
with expected against achieved, kept in its history → the front-door course closed to the authority with its shadow
visitation. Each step is a screenshot (docs/screenshots/journey-*.png are copies of these)."""

from traedesten.accounts.models import Background, Department, OutsideAccess, Team
from traedesten.accounts.roles import Role
from traedesten.authority.models import FollowUpResult, Order
from traedesten.courses.models import Activity, Course
from traedesten.economy.models import PriceItem


def test_the_case_moves_from_the_front_door_to_a_provider_and_back(page, transactional_db, make_user, team):
    from traedesten.economy.catalogue import ensure_price_items

    ensure_price_items()
    social = Department.objects.get(code="social")
    team.department = social
    team.save()
    bostotte = Team.objects.create(name="Bostøtte Nord", department=social)
    authority = Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))
    make_user(Role.PEER, [team], username="peer", first_name="Pia", last_name="Peer")
    guide = make_user(Role.GUIDE, [team], username="guide", first_name="Gitte", last_name="Guide")
    raad = make_user(Role.GUIDE, [team], username="raad", first_name="Rasmus", last_name="Rådgiver",
                     background=Background.AUTHORITY)
    make_user(Role.AUTHORITY, [authority], username="myndighed", first_name="Mona", last_name="Myndig")
    worker = make_user(Role.BOSTOTTE, [bostotte], username="bo", first_name="Bo", last_name="Støtte")

    # 1. The peer worker hosts the desk: a walk-in, sent to a guide conversation.
    page.login("peer")
    page.get_by_role("link", name="Indgangen").click()
    page.get_by_label("Årsag (kort)").fill("Ensom, vil gerne tale med nogen")
    page.get_by_role("button", name="Registrér").click()
    page.get_by_role("button", name="Guidesamtale").click()
    page.get_by_text("Borgeren er modtaget: Guidesamtale").wait_for()
    page.assert_accessible()
    page.screenshot_as("journey-01-desk")
    page.get_by_role("button", name="Log ud").click()

    # 2. The guide conversation starts the course.
    page.login("guide")
    page.get_by_role("link", name="Indgangen").click()
    page.get_by_role("link", name="Start guidesamtale").click()
    page.get_by_label("Fornavn").fill("Karen")
    page.get_by_label("Efternavn").fill("Lund")
    page.get_by_label("Adresse").fill("Vestergade 3")
    page.get_by_label("Postnummer").fill("7000")
    page.get_by_label("By").fill("Fredericia")
    page.get_by_role("textbox", name="Telefon").fill("20304050")
    page.get_by_label("Medarbejder 2").select_option(label="Rasmus Rådgiver (Myndighed)")
    page.get_by_label("Forløb startet – borgeren sagde ja").check()
    page.screenshot_as("journey-02-guide-conversation")
    page.get_by_role("button", name="Gem samtale og indgangsseddel").click()
    page.get_by_text("Guidesamtalen er registreret").wait_for()
    course = Course.objects.get()
    person = course.person

    # 3. The hand-over, with the citizen's consent recorded as it is sent.
    page.get_by_role("link", name="Overdrag til myndighed").click()
    page.get_by_role("button", name="Start overdragelse").click()
    page.get_by_label("Det fik mig til at søge støtte").fill("Jeg var meget alene og fik ikke åbnet min post.")
    page.get_by_label("Målet med en eventuel fremtidig støtte").fill("At klare min post og mine regninger selv.")
    page.get_by_label("Mundtligt").check()
    page.assert_accessible()
    page.screenshot_as("journey-03-handover")
    page.get_by_role("button", name="Send til myndighed").click()
    page.get_by_text("Overdragelsen er sendt").wait_for()
    page.get_by_role("button", name="Log ud").click()

    # 4. The authority's case conference decides: handed over to the authority.
    page.login("myndighed")
    page.get_by_role("link", name="Myndighed", exact=True).click()
    page.get_by_role("button", name="Ny sagsdrøftelse i dag").click()
    item = page.locator("form", has_text="Karen Lund")
    item.get_by_label("Overdrages til myndighed").check()
    item.get_by_role("button", name="Gem beslutning").click()
    page.get_by_text("Gemt: Overdrages til myndighed").wait_for()
    page.get_by_label("Mona Myndig").check()
    page.get_by_role("textbox", name="Referat").fill("Karen får bostøtte efter § 85.")
    page.screenshot_as("journey-04-case-conference")
    page.get_by_role("button", name="Afslut mødet").click()
    page.get_by_text("Sagsdrøftelsen er afsluttet").wait_for()
    course.refresh_from_db()
    assert course.close_to == "authority" and course.close_due_on is not None

    # 5. The grant names the provider and its offer; the first follow-up follows the cadence for § 85.
    page.get_by_role("link", name="Myndighed", exact=True).click()
    page.get_by_role("link", name="Karen Lund").click()
    page.get_by_role("button", name="Kvittér for modtagelsen").click()
    page.get_by_role("link", name="Registrér bevilling").click()
    page.get_by_label("Sagsnummer").fill("27.12.20-G01-77-26")
    page.get_by_label("Ydelse (FFB)").select_option(label="Støtte til administration")
    page.get_by_label("Tilbud (FFB)").select_option(label="Mobilt tilbud")
    page.get_by_label("Målgrupper (FFB)").select_option(label="Social isolation")
    page.get_by_label("Moderat støttebehov").check()
    page.get_by_label("Timer pr. uge").fill("3")
    page.get_by_label("Leverandør (team)").select_option(label="Bostøtte Nord")
    page.get_by_label("Leverandørens tilbud").select_option(label="Bostøtte (§85)")
    page.get_by_label("Borgeren har fået klagevejledning").check()
    goal = page.get_by_role("group", name="Mål 1")
    goal.get_by_label("Indsatsmål").fill("Åbner selv sin digitale post")
    goal.get_by_label("Primær tilstand (Aktivitet og deltagelse)").select_option(label="Håndtere post")
    goal.get_by_label("Funktionsevne nu").select_option("3")
    goal.get_by_label("Målsat funktionsevne").select_option("1")
    goal.get_by_label("Forventet ved første opfølgning").select_option("2")
    page.screenshot_as("journey-05-grant")
    page.get_by_role("button", name="Registrér bevilling").click()
    page.get_by_text("Bevillingen er registreret").wait_for()
    page.get_by_text("Sendt til leverandøren").wait_for()
    grant_url = page.url
    page.get_by_role("button", name="Log ud").click()

    # 6. The bostøtte team accepts the order: the team is the citizen's provider while the grant runs.
    page.login("bo")
    page.get_by_role("link", name="Bestillinger").first.click()
    page.get_by_role("link", name="Karen Lund").click()
    page.get_by_text("Åbner selv sin digitale post").wait_for()
    page.assert_accessible()
    page.screenshot_as("journey-06-order")
    page.get_by_role("button", name="Modtag bestillingen").click()
    page.get_by_text("Bestillingen er modtaget").wait_for()
    assert Order.objects.get().status == "accepted"

    # 7. Contacts and progression, with no stated reason and nothing flagged.
    page.get_by_role("link", name="Registrér aktivitet").click()
    page.get_by_label("Forløb", exact=True).select_option(label=str(Course.objects.get(offer__kind="bostotte")))
    page.get_by_label("Aktivitet", exact=True).select_option("bostotte_contact")
    page.get_by_role("button", name="Gem aktiviteten").click()
    page.get_by_text("Aktiviteten er registreret").wait_for()
    page.goto(grant_url)
    progress = page.locator("section", has_text="Åbner selv sin digitale post").filter(has_text="Gem progression")
    progress.get_by_label("1 · ").check()
    progress.get_by_role("button", name="Gem progression").click()
    page.get_by_text("Progressionen er registreret").wait_for()
    page.screenshot_as("journey-07-provider-progress")
    assert Activity.objects.filter(kind="bostotte_contact", registered_by=worker).exists()
    assert not OutsideAccess.objects.filter(user=worker).exists()
    page.get_by_role("button", name="Log ud").click()

    # 8. The authority follows up: expected against achieved, kept in the history.
    page.login("myndighed")
    page.goto(grant_url)
    page.get_by_role("cell", name="Bedre end forventet").wait_for()
    follow = page.locator("section", has_text="Registrér opfølgning")
    follow.get_by_label("Træf afgørelse om fortsættelse af indsats").check()
    follow.get_by_label("Forventet funktionsevne ved næste opfølgning: Åbner selv sin digitale post").select_option("1")
    follow.get_by_role("button", name="Registrér opfølgning").click()
    page.get_by_text("Opfølgningen er registreret").wait_for()
    page.get_by_role("heading", name="Historik: forventet og opnået ved hver opfølgning").wait_for()
    page.get_by_text("Bedre end forventet").first.wait_for()
    page.assert_accessible()
    page.screenshot_as("journey-08-follow-up-history")
    assert FollowUpResult.objects.get().verdict == "better"
    page.get_by_role("button", name="Log ud").click()

    # 9. The guide closes the front-door course to the authority, with the shadow visitation in the same form.
    page.login("guide")
    page.get_by_role("link", name="Arbejdsliste").click()
    page.get_by_role("link", name="Afslut forløbet: Overdraget til myndighed").click()
    page.get_by_label("Vurderet af").select_option(label="Rasmus Rådgiver (myndighedserfaring)")
    page.get_by_label("Uden indgangen ville borgeren have fået").select_option(index=1)
    page.assert_accessible()
    page.screenshot_as("journey-09-close-with-shadow-visitation")
    page.get_by_role("button", name="Afslut forløbet").click()
    page.get_by_text("Forløbet er afsluttet").wait_for()
    course.refresh_from_db()
    assert (course.status, course.destination) == ("closed", "authority")
    assert course.shadow.assessed_by == raad and course.shadow.authority_experience
    assert course.shadow.would_have in PriceItem.objects.all()
    assert guide.pk != raad.pk and person.pk == course.person_id
