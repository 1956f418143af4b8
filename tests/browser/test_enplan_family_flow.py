"""A family plan with two sub-plans and consent per member (issue 26 item 3, decision 0059).

A guide in social services makes a family from Anna, finds Bo through the search and adds him, writes the family's
shared direction and hands the coordination to a jobcentre caseworker. Anna has consented to share her plan with the
jobcentre; Bo has not. The coordinator sees the direction, both names, Anna's sub-plan, and Bo's as not shared.

The clock is fixed at Monday 2 March 2026 10:00 (it ticks on from there), as in the other flows.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from traedesten.accounts.models import AuditEvent, Department, Team
from traedesten.accounts.roles import Role
from traedesten.people.consent import give_consent
from traedesten.people.models import Household
from traedesten.plans.services import save_plan

NOW = datetime.datetime(2026, 3, 2, 10, 0)
TODAY = NOW.date()


@pytest.fixture
def fixed_clock(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


def test_family_plan_with_two_sub_plans_and_consent_per_member(page, transactional_db, fixed_clock, make_user,
                                                               make_person, team):
    team.department = Department.objects.get(code="social")
    team.save()
    guide = make_user(Role.GUIDE, [team], username="guide")
    jobcentre = Department.objects.get(code="jobcentre")
    coordinator = make_user(Role.GUIDE, [Team.objects.create(name="Jobcenter", department=jobcentre)],
                            username="koordinator", first_name="Karin", last_name="Koordinator")
    anna = make_person(guide, team=team, first_name="Anna", last_name="Holm")
    bo = make_person(guide, team=team, first_name="Bo", last_name="Holm")
    save_plan(guide, anna, {"reason": "Annas historie", "goals": [{"citizen_text": "Anna vil have et arbejde"}]},
              expected_version=0)
    save_plan(guide, bo, {"reason": "Bos historie", "goals": [{"citizen_text": "Bo vil tage 9. klasse"}]},
              expected_version=0)
    give_consent(guide, anna, recipient=jobcentre, scope=["story", "goals", "actions"], purpose="Familiens plan",
                 given_on=TODAY)

    page.login("guide")
    page.goto(reverse("people:overview", args=[anna.pk]))
    page.get_by_role("link", name="Opret familie").click()
    page.get_by_label("Familiens navn").fill("Familien Holm")
    page.get_by_label("Anna Holms rolle i familien").select_option("adult")
    page.get_by_label("Startede").fill(TODAY.isoformat())
    page.assert_accessible()
    page.get_by_role("button", name="Opret familien").click()
    page.get_by_role("heading", name="Familieplan: Familien Holm").wait_for()

    page.get_by_label("Find borger (navn eller telefon)").fill("Bo Holm")
    page.get_by_role("button", name="Søg").click()
    page.get_by_label("Rolle").select_option("young")
    page.get_by_role("button", name="Tilføj Bo Holm").click()
    page.get_by_text("Bo Holm er med i familien.").wait_for()

    page.get_by_label("Skriv familiens fælles retning").fill("Vi vil have en rolig hverdag, hvor alle kommer afsted")
    page.get_by_role("button", name="Gem retningen").click()
    page.get_by_text("Familiens fælles retning er gemt.").wait_for()
    page.get_by_label("Familiens koordinator").select_option(label="Karin Koordinator")
    page.get_by_role("button", name="Gem koordinator").click()
    page.get_by_text("Karin Koordinator er nu familiens koordinator.").wait_for()
    # the guide writes both plans: both sub-plans are open to them
    assert page.get_by_text("Anna vil have et arbejde").count() == 1
    assert page.get_by_text("Bo vil tage 9. klasse").count() == 1
    page.assert_accessible()
    household = Household.objects.get()
    assert household.coordinator == coordinator and household.members.count() == 2

    # Bo's plan links to the family plan
    page.goto(reverse("plans:plan", args=[bo.pk]))
    page.get_by_role("link", name="Familieplanen").click()
    page.get_by_role("heading", name="Familieplan: Familien Holm").wait_for()

    # the coordinator in the jobcentre: the direction, both names, Anna's sub-plan; Bo's is not shared
    page.raw.context.clear_cookies()
    page.login("koordinator")
    page.goto(reverse("people:overview", args=[bo.pk]))
    page.get_by_role("link", name="Familieplan: Familien Holm").click()
    page.get_by_role("heading", name="Familiens fælles retning").wait_for()
    page.locator("#family-direction .prewrap").get_by_text("Vi vil have en rolig hverdag, hvor alle kommer afsted").wait_for()
    anna_part = page.get_by_role("region", name="Anna Holm")
    bo_part = page.get_by_role("region", name="Bo Holm")
    anna_part.get_by_text("Anna vil have et arbejde").wait_for()
    bo_part.get_by_text("Delplanen er ikke delt med dig").wait_for()
    assert page.get_by_text("Bo vil tage 9. klasse").count() == 0
    assert page.get_by_text("Bos historie").count() == 0
    page.assert_accessible()
    page.screenshot_as("family-plan-coordinator")
    reads = AuditEvent.objects.filter(user=coordinator, section="family_plan")
    assert {e.person_id for e in reads} == {anna.pk, bo.pk}
    assert {tuple(e.fields) for e in reads if e.person_id == bo.pk} == {("identity", "family_direction")}
