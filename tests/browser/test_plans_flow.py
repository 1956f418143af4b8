"""Min Plan end to end: written during the guide conversation, updated at follow-up, printed, shared and contested."""


import pypdfium2
from django.utils import timezone

from traedesten.accounts.models import CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.people.consent import give_consent
from traedesten.plans import services
from traedesten.plans.models import Plan

from .conftest import ARTIFACTS


def test_guide_writes_the_plan_in_the_conversation_updates_it_and_sees_the_diff(page, transactional_db, make_user, team):
    make_user(Role.GUIDE, [team], username="guide")
    page.login("guide")
    page.goto("/indgang/guidesamtale/")
    page.get_by_label("Fornavn").fill("Sara")
    page.get_by_label("Efternavn").fill("Holm")
    page.get_by_label("Forløb startet – borgeren sagde ja").check()
    page.get_by_role("button", name="Gem samtale og indgangsseddel").click()
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("link", name="Skriv planen").click()
    page.get_by_label("Derfor kom jeg").fill("Jeg er ensom og har svært ved at komme ud")
    page.get_by_label("Drømme (én pr. linje)").fill("Et arbejde med dyr\nEn ven at gå tur med")
    page.get_by_label("Målet med borgerens ord").fill("Komme ud af lejligheden hver dag")
    page.get_by_label("Ny trædesten 1", exact=True).fill("Gå ned med skraldet")
    page.get_by_label("Ny trædesten 2", exact=True).fill("Gå en tur rundt om blokken")
    page.get_by_role("textbox", name="Handling").first.fill("Følges med Lene om tirsdagen")
    page.get_by_role("combobox", name="Ansvarlig").first.select_option("relative")
    page.get_by_role("textbox", name="Navn på ansvarlig").first.fill("Lene")
    page.assert_accessible()
    page.screenshot_as("plan-editor")
    page.get_by_role("button", name="Gem planen").click()
    page.get_by_text("Planen er gemt").wait_for()
    page.get_by_text("0 af 2 trædesten nået").wait_for()

    page.get_by_role("link", name="Ret planen").click()
    page.get_by_label("Status for Gå ned med skraldet").select_option("done")
    page.get_by_label("Ny trædesten 1", exact=True).first.fill("Tage bussen til byen")  # under the existing goal
    page.get_by_label("Dette er en opfølgning").check()
    page.get_by_role("button", name="Gem planen").click()
    page.get_by_text("1 af 3 trædesten nået").wait_for()
    page.assert_accessible()
    page.screenshot_as("plan")
    page.get_by_role("link", name="Ændringer", exact=True).click()
    page.get_by_text("Tage bussen til byen").wait_for()
    assert page.locator("ul.diff li", has_text="Gå ned med skraldet").first.is_visible()
    page.assert_accessible()
    page.screenshot_as("plan-diff")
    plan = Plan.objects.get()
    assert plan.version == 2 and plan.versions.get(number=2).follow_up


def test_citizen_print_is_a_readable_pdf(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Sara", last_name="Holm", cpr="0101901234")
    services.save_plan(guide, person, {"reason": "Jeg vil gerne have en hverdag", "dreams": ["Et arbejde med dyr"],
                                       "goals": [{"citizen_text": "Faste rutiner", "sub_goals": [{"text": "Stå op kl. 8"}]}]},
                       expected_version=0)
    page.login("guide")
    page.goto(f"/plan/{person.pk}/udskrift/plan/")
    page.get_by_role("heading", name="Min plan – Sara").wait_for()
    page.assert_accessible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    path = download.value.path()
    page.emulate_media(media="print")
    page.screenshot_as("plan-print")
    doc = pypdfium2.PdfDocument(path)
    image = doc[0].render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "plan-pdf.png")
    assert image.convert("L").getextrema()[0] < 80  # there is dark ink on the page
    text = doc[0].get_textpage().get_text_range()
    assert "Min plan – Sara" in text and "Et arbejde med dyr" in text and "Stå op kl. 8" in text
    assert "0101901234" not in text and "010190-1234" not in text


def test_jobcentre_sees_only_the_consented_parts(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Sara", last_name="Holm")
    services.save_plan(guide, person, {"reason": "Min mor er syg", "goals": [{"citizen_text": "Arbejde med dyr", "actions": [
        {"text": "Virksomhedspraktik", "responsible": "department", "department": "jobcentre"}]}]}, expected_version=0)
    jobteam = Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))
    make_user(Role.AUTHORITY, [jobteam], username="jobcenter")
    CaseloadAssignment.objects.create(person=person, team=jobteam)
    give_consent(guide, person, recipient=jobteam.department, scope=["goals", "actions"], purpose="Én plan",
                 given_on=timezone.localdate())
    page.login("jobcenter")
    page.goto(f"/plan/{person.pk}/")
    page.get_by_text("Virksomhedspraktik").wait_for()
    assert page.get_by_text("Arbejde med dyr").first.is_visible()
    assert page.get_by_text("Min mor er syg").count() == 0
    page.get_by_text("Du ser de dele, borgeren har givet samtykke til").wait_for()
    page.assert_accessible()
    page.screenshot_as("plan-jobcentre")


def test_two_concurrent_edits_produce_a_conflict(page, browser, live_server, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    make_user(Role.GUIDE, [team], username="guide2", first_name="Ole")
    person = make_person(guide, team=team)
    services.save_plan(guide, person, {"reason": "Start"}, expected_version=0)
    page.login("guide")
    page.goto(f"/plan/{person.pk}/ret/")
    from .conftest import Page
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    other = Page(context.new_page(), live_server.url)
    other.login("guide2")
    other.goto(f"/plan/{person.pk}/ret/")
    other.get_by_label("Derfor kom jeg").fill("Oles version")
    other.get_by_role("button", name="Gem planen").click()
    other.get_by_text("Planen er gemt").wait_for()
    page.get_by_label("Derfor kom jeg").fill("Min version")
    page.get_by_role("button", name="Gem planen").click()
    page.get_by_text("gemte planen").wait_for()
    assert page.get_by_text("Oles version").first.is_visible()
    page.screenshot_as("plan-conflict")
    assert services.current_content(Plan.objects.get()).reason == "Oles version"
    page.get_by_role("button", name="Gem planen").click()  # the worker decides to lay their text on top
    page.get_by_text("Planen er gemt").wait_for()
    assert services.current_content(Plan.objects.get()).reason == "Min version"
    context.close()
