"""A citizen is matched to a community offer with a volunteer escort; the volunteer records that the citizen arrived."""

import datetime

from django.utils import timezone

from traedesten.accounts.models import CaseloadAssignment
from traedesten.accounts.roles import Role
from traedesten.civil import services
from traedesten.civil.models import Escort, Volunteer


def test_match_with_escort_and_arrival(page, browser, live_server, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team])
    coordinator = make_user(Role.VOLUNTEER_COORDINATOR, [team], username="koordinator")
    volunteer = make_user(Role.VOLUNTEER, username="frivillig")
    Volunteer.objects.create(user=volunteer, name="Birthe Frivillig", interests=["walks"], postal_code="7000")
    services.import_offers("navn;type;arrangør;hvornår;sted;postnummer;interesser;ledige_pladser\n"
                           "Gåklubben;Forening;DGI;Tirsdage 10-12;Madsby Park;7000;walks;6\n".encode())
    person = make_person(guide, team=team, first_name="Karen", last_name="Skov", postal_code="7000", cpr="0101901234")
    CaseloadAssignment.objects.create(person=person, team=team, worker=coordinator)

    page.login("koordinator")
    page.goto(f"/faellesskaber/borger/{person.pk}/")
    page.get_by_label("Gåture og natur").check()
    page.get_by_role("button", name="Foreslå").click()
    page.get_by_role("region", name="Forslag til tilbud").get_by_text("Gåklubben").wait_for()
    page.get_by_label("Tilbud", exact=True).select_option(label="Gåklubben")
    page.get_by_label("Frivillig der følger borgeren første gang").select_option(label="Birthe Frivillig")
    meet = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Mødes", exact=True).fill(meet)
    page.get_by_label("Mødested").fill("Ved biblioteket")
    page.get_by_label("Opgave for den frivillige").fill("Gå med til første gåtur")
    page.assert_accessible()
    page.screenshot_as("civil-match")
    page.get_by_role("button", name="Gem match").click()
    page.get_by_text("Borgeren er matchet").wait_for()

    from .conftest import AXE, Page
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.add_init_script(path=str(AXE))
    helper = Page(context.new_page(), live_server.url)
    helper.login("frivillig")
    helper.get_by_role("link", name="Mine opgaver").click()
    helper.get_by_role("heading", name="Følg Karen til Gåklubben").wait_for()
    assert "Skov" not in helper.content() and "010190" not in helper.content()
    helper.get_by_label("Ja").check()
    helper.get_by_role("button", name="Gem").click()
    helper.get_by_text("Borgeren kom.").wait_for()
    helper.assert_accessible()
    helper.screenshot_as("volunteer-tasks")
    context.close()
    escort = Escort.objects.get()
    assert escort.arrived is True and escort.match.status == "started"
