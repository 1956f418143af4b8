"""Issue 26, item 4 (decision 0060) in the browser: the coordinator adds a resource, a derived barrier and a waiting
intervention in the plan editor and sees them on the plan page, with how long the intervention has waited."""

import datetime

from django.utils import timezone

from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.plans import services
from traedesten.plans.models import Plan


def test_coordinator_adds_a_resource_a_derived_barrier_and_a_waiting_intervention(
        page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Sara", last_name="Holm")
    today = timezone.localdate()
    courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                         start=today - datetime.timedelta(days=90), team=team, responsible=guide)
    requested = today - datetime.timedelta(days=45)
    page.login("guide")
    page.goto(f"/plan/{person.pk}/")
    page.get_by_role("link", name="Skriv planen").click()
    page.get_by_label("Drømme (én pr. linje)").fill("Mit eget sted at bo")
    page.get_by_label("Ressourcer: det er jeg god til (én pr. linje)").fill("God til at lave mad")
    page.get_by_label("Ny barriere 1", exact=True).fill("Har ingen cykel eller bil")
    page.get_by_label("Art af ny barriere 1", exact=True).select_option("derived:mobility")
    page.get_by_label("Målet med borgerens ord").fill("Jeg vil have mit eget sted at bo")
    page.get_by_role("textbox", name="Handling").first.fill("Bostøtte efter § 85")
    page.get_by_role("combobox", name="Ansvarlig").first.select_option("department:authority")
    page.get_by_label("Status for indsatsen").first.select_option("waiting")
    page.get_by_label("Søgt den").first.fill(requested.isoformat())
    page.assert_accessible()
    page.screenshot_as("plan-parts-editor")
    page.get_by_role("button", name="Gem planen").click()
    page.get_by_text("Planen er gemt").wait_for()

    page.get_by_role("heading", name="Ressourcer").wait_for()
    page.locator("#resources").get_by_text("God til at lave mad").wait_for()
    barrier = page.locator("#barriers li", has_text="Har ingen cykel eller bil")
    assert "afledt" in barrier.inner_text() and "Mobilitet" in barrier.inner_text()
    row = page.locator("tr.intervention-waiting", has_text="Bostøtte efter § 85")
    assert "Venter" in row.inner_text() and "har ventet 45 dage" in row.inner_text()
    page.assert_accessible()
    page.screenshot_as("plan-parts")
    content = services.current_content(Plan.objects.get(person=person))
    assert content.resources == ["God til at lave mad"]
    assert [(b.kind, b.derived_type) for b in content.barriers] == [("derived", "mobility")]
    assert (content.goals[0].actions[0].status, content.goals[0].actions[0].requested_on) == ("waiting", requested)
