"""The case record in the browser: a guide writes a note from the activity form, uploads a document, sends an
end-of-course letter and sees all three on the timeline; a corrected note shows its history; a peer and a volunteer
see none of it."""

import datetime

from django.utils import timezone

from conftest import pdf_bytes
from traedesten.accounts.models import CaseloadAssignment
from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.records.models import DigitalPostMessage, Document, Letter, Note

from .conftest import Page


def test_a_guide_keeps_the_case_record_and_a_peer_and_a_volunteer_see_none_of_it(
        page, browser, live_server, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide", first_name="Gitte", last_name="Guide")
    peer = make_user(Role.PEER, [team], username="peer")
    make_user(Role.VOLUNTEER, [], username="frivillig")
    person = make_person(guide, team=team, first_name="Ole", last_name="Berg", cpr="0707771237")
    CaseloadAssignment.objects.create(person=person, team=team, worker=peer)
    start = timezone.localdate() - datetime.timedelta(days=60)
    courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=start, team=team)

    page.login("guide")
    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Registrér aktivitet").first.click()
    page.get_by_label("Emne (valgfrit)").fill("Opfølgning på budget")
    page.get_by_label("Journalnotat (valgfrit)").fill("Ole har lavet et budget og betalt husleje til tiden.")
    page.assert_accessible()
    page.screenshot_as("case-record-activity-note")
    page.get_by_role("button", name="Gem aktiviteten").click()
    page.get_by_text("Aktiviteten er registreret").wait_for()
    note = Note.objects.get(person=person)
    assert note.activity is not None

    page.get_by_role("link", name="Dokumenter", exact=True).click()
    page.get_by_text("Upload et dokument").click()
    page.get_by_label("Fil").set_input_files({"name": "erklaering.pdf", "mimeType": "application/pdf",
                                              "buffer": pdf_bytes("Erklaering fra egen laege")})
    page.get_by_label("Titel").fill("Lægeerklæring")
    page.get_by_role("button", name="Gem dokumentet").click()
    page.get_by_text("Dokumentet er gemt.").wait_for()
    page.get_by_text("Upload et dokument").click()
    page.get_by_label("Fil").set_input_files({"name": "billede.pdf", "mimeType": "application/pdf",
                                              "buffer": b"MZ\x90\x00" + b"\x00" * 60})
    page.get_by_label("Titel").fill("Forklædt program")
    page.get_by_role("button", name="Gem dokumentet").click()
    page.get_by_text("Filen er et program eller et script").wait_for()
    assert Document.objects.filter(person=person).count() == 1

    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Skriv brev").click()
    end = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Forløbet sluttede").fill(end.isoformat())
    page.get_by_label("Det har du opnået (med borgerens egne ord)").fill("Jeg har styr på min økonomi nu.")
    page.get_by_label("Det hjalp (fra afslutningsnotatet, med borgerens egne ord)").fill("At Gitte lyttede.")
    page.get_by_label("Hvem borgeren kan ringe til (navn og telefon)").fill("Gitte Guide på 12 34 56 78")
    page.assert_accessible()
    page.screenshot_as("case-record-letter")
    page.get_by_role("button", name="Send brevet").click()
    page.get_by_text("Brevet er sendt med Digital Post og gemt som dokument.").wait_for()
    letter = Letter.objects.get(person=person)
    assert DigitalPostMessage.objects.get().document == letter.document

    page.goto(f"/borgere/{person.pk}/")
    timeline = page.locator("#timeline")
    timeline.get_by_text("Ole har lavet et budget").wait_for()
    timeline.get_by_role("link", name="Lægeerklæring").wait_for()
    timeline.get_by_role("link", name="Dit forløb hos os er slut").wait_for()
    timeline.get_by_text("Opfølgning på budget").wait_for()
    page.locator("#h-timeline").scroll_into_view_if_needed()
    page.assert_accessible()
    page.screenshot_as("case-record-timeline")

    timeline.get_by_role("link", name="Ole har lavet et budget").click()
    page.get_by_text("Ret notatet").click()
    page.get_by_label("Rettet tekst").fill("Ole har lavet et budget og betalt husleje og el til tiden.")
    page.get_by_label("Hvorfor rettes notatet?").fill("Glemte elregningen")
    page.get_by_role("button", name="Gem rettelsen").click()
    page.get_by_text("Rettelsen er gemt som en ny version").wait_for()
    page.get_by_text("Version 2").wait_for()
    page.get_by_text("Version 1").wait_for()
    page.get_by_text("Ole har lavet et budget og betalt husleje til tiden.").wait_for()
    page.get_by_text("Glemte elregningen").wait_for()
    page.assert_accessible()
    page.screenshot_as("case-record-note-history")

    for username in ("peer", "frivillig"):
        context = browser.new_context(base_url=live_server.url, locale="da-DK")
        other = Page(context.new_page(), live_server.url)
        other.login(username)
        for path in ("journal/", f"journal/{note.pk}/", "dokumenter/", f"dokumenter/{letter.document_id}/",
                     "breve/nyt/"):
            response = other.goto(f"{live_server.url}/borgere/{person.pk}/{path}")
            assert response.status in (403, 404), (username, path, response.status)
        overview = other.goto(f"{live_server.url}/borgere/{person.pk}/")
        if overview.status == 200:  # the peer: the timeline loads, with the activity and nothing of the case record
            other.locator("#timeline").get_by_text("Opfølgning på budget").wait_for()
        body = other.content()
        for secret in ("budget og betalt", "Lægeerklæring", "Dit forløb hos os er slut", "Journal"):
            assert secret not in body, (username, secret)
        context.close()
