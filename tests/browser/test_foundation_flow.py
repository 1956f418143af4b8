from traedesten.accounts.models import AuditEvent
from traedesten.accounts.roles import Role


def test_login_search_and_open_overview_leaves_an_audit_record(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Hanne", last_name="Søgaard", cpr="1503781234",
                         phone="22446688", address="Vestre Ringvej 12", postal_code="7000", city="Fredericia")
    page.goto("/log-ind/")
    page.assert_accessible()
    page.login("guide")
    page.assert_accessible()

    page.get_by_role("link", name="Borgere", exact=True).click()
    page.get_by_label("Navn eller telefon").fill("hanne sø")
    page.get_by_role("link", name="Hanne Søgaard").wait_for()
    page.assert_accessible()
    page.screenshot_as("search")

    page.get_by_role("link", name="Hanne Søgaard").click()
    page.get_by_role("heading", name="Hanne Søgaard").wait_for()
    assert "150378-1234" in page.content()
    page.assert_accessible()
    page.screenshot_as("overview")
    assert AuditEvent.objects.filter(user=guide, person_id=person.pk, action="view", section="overview").exists()


def test_cpr_search_keeps_the_number_out_of_the_url(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    make_person(guide, team=team, first_name="Arne", last_name="Skov", cpr="0909591235")
    page.login("guide")
    page.goto("/borgere/")
    page.get_by_label("CPR-nummer").fill("090959-1235")
    page.get_by_role("button", name="Søg").click()
    page.get_by_role("link", name="Arne Skov").wait_for()
    assert "0909" not in page.url


def test_create_person_with_duplicate_cpr_offers_the_existing(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    existing = make_person(guide, team=team, first_name="Rikke", last_name="Dam", cpr="0202021234")
    page.login("guide")
    page.goto("/borgere/ny/")
    page.get_by_label("Fornavn").fill("Rikke")
    page.get_by_label("Efternavn").fill("Dam")
    page.get_by_label("CPR-nummer").fill("020202-1234")
    page.get_by_role("button", name="Gem").click()
    page.get_by_text("Der findes allerede en borger med dette CPR-nummer").wait_for()
    page.assert_accessible()
    page.get_by_role("link", name="Åbn den eksisterende borger").click()
    page.wait_for_url(f"**/borgere/{existing.pk}/")


def test_volunteer_sees_no_citizens(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Hemmelig", last_name="Person")
    make_user(Role.VOLUNTEER, [team], username="frivillig")
    page.login("frivillig")
    assert page.get_by_role("link", name="Borgere", exact=True).count() == 0
    page.goto(f"/borgere/{person.pk}/")
    assert "Hemmelig" not in page.content()
    page.get_by_role("heading", name="Ingen adgang").wait_for()
    page.assert_accessible()
