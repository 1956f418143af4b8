"""The report page and the citizen survey in the browser."""

import io

from django.core.management import call_command

from traedesten.accounts.roles import Role
from traedesten.insights import surveys
from traedesten.insights.models import Questionnaire, Response


def test_an_analyst_filters_the_report_and_sees_the_figures_and_charts(page, transactional_db, make_user):
    call_command("seed_scenario", "fredericia", stdout=io.StringIO())
    make_user(Role.ANALYST, [], username="analytiker")
    page.login("analytiker")
    page.get_by_role("link", name="Nøgletal").click()
    # Let the default period's figures arrive first: the live server shares one in-memory SQLite connection between
    # its request threads, and two reports at once can deadlock in SQLite's Python date functions.
    page.locator("#figures > *").first.wait_for()
    page.get_by_label("Fra", exact=True).fill("2016-09-01")
    page.get_by_label("Til", exact=True).fill("2017-11-30")
    page.get_by_role("button", name="Vis").click()
    origin = page.locator("#kpi-contacts_by_origin")
    origin.get_by_role("cell", name="1.395").wait_for()  # 1,396 contacts, published rounded to 5
    assert origin.locator("svg.chart rect.bar").count() == 3
    assert page.locator("#kpi-flow svg path.band").count() >= 3
    assert page.locator("#kpi-persons").get_by_role("cell", name="270").is_visible()
    page.assert_accessible()
    page.screenshot_as("insights-report")
    page.get_by_label("Køn").select_option("female")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**koen=female**")
    page.locator("#kpi-contacts_by_origin").wait_for()
    assert not page.locator("#kpi-persons").get_by_role("cell", name="270", exact=True).is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_citizen_answers_the_closing_survey_on_a_phone(tablet, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team)
    invitation, _ = surveys.invite(guide, Questionnaire.objects.get(code="en-plan-afslutning"), person,
                                   base_url="http://testserver/")
    tablet.goto(f"/svar/{invitation.token}/")
    work = tablet.get_by_role("group", name="Er du begyndt at arbejde?")
    assert not work.is_visible()
    tablet.get_by_role("group", name="Hvad var dine mål?").get_by_label("Arbejde").check()
    work.get_by_label("Fleksjob").check()
    tablet.get_by_role("group", name="Har forløbet hjulpet dig?").get_by_label("I høj grad").check()
    tablet.assert_accessible()
    tablet.get_by_role("button", name="Send mine svar").click()
    tablet.get_by_text("Dine svar er gemt").wait_for()
    assert Response.objects.get().answers == {"goal_areas": ["work"], "work_status": "flex", "helped": "4"}
