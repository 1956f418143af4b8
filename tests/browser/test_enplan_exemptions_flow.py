"""Exemptions and decision mandates in the browser (issue 26 items 1 and 2, decisions 0057 and 0058): the authority
records an exemption on its page; the exempt citizen's plan, course and grant pages show no field or deadline the
exemption switched off while the same pages for a citizen without it do; a jobcentre caseworker with a social-law
mandate grants § 85 within it, is sent to approval above it, and the manager approves from the worklist.

The clock is fixed at Monday 2 March 2026 10:00 (it ticks on from there)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.authority.models import Competence, DecisionMandate, Grant, GrantStatus
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.plans.models import Exemption

NOW = datetime.datetime(2026, 3, 2, 10, 0)
TODAY = NOW.date()


@pytest.fixture
def fixed_clock(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


def _fill_grant(page, case_number, hours):
    page.get_by_label("Sagsnummer").fill(case_number)
    page.get_by_label("Ydelse (FFB)").select_option(label="Støtte til administration")
    page.get_by_label("Tilbud (FFB)").select_option(label="Mobilt tilbud")
    page.get_by_label("Målgrupper (FFB)").select_option(label="Social isolation")
    page.get_by_label("Moderat støttebehov").check()
    page.get_by_label("Timer pr. uge").fill(str(hours))
    page.get_by_label("Borgeren har fået klagevejledning").check()
    goal = page.get_by_role("group", name="Mål 1")
    goal.get_by_label("Indsatsmål").fill("Betaler selv sine regninger")
    goal.get_by_label("Primær tilstand (Aktivitet og deltagelse)").select_option(label="Varetage økonomi")
    goal.get_by_label("Funktionsevne nu").select_option("3")
    goal.get_by_label("Målsat funktionsevne").select_option("1")
    page.get_by_role("button", name="Registrér bevilling").click()


def test_an_exempt_citizen_and_a_jobcentre_mandate(page, transactional_db, fixed_clock, make_user, make_person, team):
    team.department = Department.objects.get(code="social")
    team.save()
    authority_team = Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))
    jobcentre_team = Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))
    guide = make_user(Role.GUIDE, [team], username="guide")
    mona = make_user(Role.AUTHORITY, [authority_team], username="mona", first_name="Mona", last_name="Myndig")
    make_user(Role.MANAGER, [authority_team], username="leder", first_name="Lis", last_name="Leder")
    make_user(Role.AUTHORITY, [jobcentre_team], username="jens", first_name="Jens", last_name="Jobcenter")
    DecisionMandate.objects.create(department=jobcentre_team.department, legal_basis="SEL § 85",
                                   max_hours_per_week=Decimal(5), starts_on=TODAY - datetime.timedelta(days=30))
    people, limited = {}, {}
    for key, first, last in (("exempt", "Ida", "Fritaget"), ("plain", "Ole", "Almindelig")):
        person = make_person(guide, team=team, first_name=first, last_name=last)
        for t in (authority_team, jobcentre_team):
            CaseloadAssignment.objects.create(person=person, team=t, start=TODAY - datetime.timedelta(days=90))
        limited[key] = courses.start_course(guide, person, Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"),
                                            start=datetime.date(2025, 9, 20))
        people[key] = person

    # The authority records the exemptions on the citizen's page.
    page.login("mona")
    page.goto(reverse("plans:exemptions", args=[people["exempt"].pk]))
    page.get_by_role("heading", name="Fritagelser: Ida Fritaget").wait_for()
    for kind in ("Procesmål", "Sektoropdelt organisering", "Sektoropdelte planer"):
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Lovgrundlag").fill("Lov om frikommunenetværk, LBK 831/2018")
        page.get_by_label("Til og med").fill("2026-12-31")
        page.assert_accessible()
        page.get_by_role("button", name="Registrér fritagelsen").click()
        page.get_by_text("er registreret").first.wait_for()
    assert Exemption.objects.filter(person=people["exempt"], decided_by=mona).count() == 3
    page.get_by_text("Fritaget for procesmål efter Lov om frikommunenetværk, LBK 831/2018, til 31.12.2026").wait_for()

    # The grant form asks no follow-up date or level at follow-up of the exempt citizen, and does of the other.
    page.goto(reverse("authority:grant_new", args=[people["exempt"].pk]))
    page.get_by_role("heading", name="Ny bevilling: Ida Fritaget").wait_for()
    assert page.get_by_label("Første opfølgning", exact=True).count() == 0
    assert page.get_by_label("Forventet ved første opfølgning").count() == 0
    page.get_by_text("Fritaget for procesmål").first.wait_for()
    page.goto(reverse("authority:grant_new", args=[people["plain"].pk]))
    assert page.get_by_label("Første opfølgning", exact=True).count() == 1
    assert page.get_by_label("Forventet ved første opfølgning").count() >= 1
    made = {key: grants.create_grant(mona, person, goals=[goal_input(expected=None if key == "exempt" else 2)],
                                     **grant_kwargs(case_number=f"G-{key}", decided_on=TODAY, starts_on=TODAY,
                                                    follow_up_on=None))
            for key, person in people.items()}
    page.goto(reverse("authority:grant", args=[made["exempt"].pk]))
    page.get_by_text("Ingen fast opfølgning").wait_for()
    assert page.get_by_text("Opfølgningsrytme for").count() == 0 and page.locator('input[name="next_on"]').count() == 0
    page.get_by_text("erstatter sektorplanerne").first.wait_for()
    page.assert_accessible()
    page.goto(reverse("authority:grant", args=[made["plain"].pk]))
    page.get_by_text("Opfølgningsrytme for").wait_for()
    assert page.get_by_text("Ingen fast opfølgning").count() == 0 and page.locator('input[name="next_on"]').count() == 1
    page.get_by_text("§ 141-handleplan", exact=True).wait_for()

    # The plan and the course: the exempt citizen's show no status-note or first-follow-up deadline, the other's do.
    page.context.clear_cookies()
    page.login("guide")
    page.goto(reverse("plans:plan", args=[people["exempt"].pk]))
    page.get_by_text("Fritaget for procesmål efter").first.wait_for()
    page.get_by_text("planen erstatter sektorplanerne").wait_for()
    page.assert_accessible()
    page.goto(reverse("plans:plan", args=[people["plain"].pk]))
    page.get_by_role("heading", name="Min plan: Ole Almindelig").wait_for()
    assert page.get_by_text("Fritaget for").count() == 0
    page.goto(reverse("courses:limit", args=[limited["exempt"].pk]))
    page.get_by_text("Grænsen nås").first.wait_for()  # a time limit by law runs on
    assert page.get_by_text("Statusnotat efter").count() == 0
    assert page.get_by_role("button", name="Gem statusnotat").count() == 0
    page.assert_accessible()
    page.goto(reverse("courses:limit", args=[limited["plain"].pk]))
    page.get_by_text("Statusnotat efter").first.wait_for()
    assert page.get_by_role("button", name="Gem statusnotat").count() == 1
    page.goto(reverse("people:overview", args=[people["exempt"].pk]))
    page.get_by_text("Grænsen nås").first.wait_for()
    assert page.get_by_text("Første opfølgning:").count() == 0 and page.get_by_text("Statusnotat efter").count() == 0
    page.goto(reverse("people:overview", args=[people["plain"].pk]))
    page.get_by_text("Første opfølgning:").first.wait_for()

    # The jobcentre caseworker grants § 85 within the mandate, and is sent to approval above it.
    page.context.clear_cookies()
    page.login("jens")
    page.goto(reverse("authority:grant_new", args=[people["exempt"].pk]))
    _fill_grant(page, "27.12.20-G01-88-26", 4)
    page.get_by_text("Bevillingen er registreret").wait_for()
    page.get_by_text("Bevillingskompetence: SEL § 85").wait_for()
    page.assert_accessible()
    page.goto(reverse("authority:grant_new", args=[people["exempt"].pk]))
    _fill_grant(page, "27.12.20-G01-89-26", 8)
    page.get_by_text("venter på en leders godkendelse").first.wait_for()
    above = Grant.objects.get(case_number="27.12.20-G01-89-26")
    assert above.status == GrantStatus.AWAITING
    assert Grant.objects.get(case_number="27.12.20-G01-88-26").competence == Competence.MANDATE
    page.goto(reverse("authority:grant_new", args=[people["plain"].pk]))  # no exemption: the mandate does not reach
    assert page.get_by_role("button", name="Registrér bevilling").count() == 0

    # The manager approves from the worklist.
    page.context.clear_cookies()
    page.login("leder")
    page.goto(reverse("courses:worklist"))
    page.get_by_role("heading", name="Bevillinger til godkendelse (1)").wait_for()
    page.assert_accessible()
    page.get_by_role("link", name="SEL § 85 · 27.12.20-G01-89-26 · 8 timer pr. uge").click()
    page.get_by_role("button", name="Godkend bevillingen").click()
    page.get_by_text("Bevillingen er godkendt og sendt videre").wait_for()
    page.get_by_text("Leders godkendelse").wait_for()
    page.assert_accessible()
    above.refresh_from_db()
    assert (above.status, above.competence, above.approved_by.username) == (GrantStatus.DECIDED, Competence.APPROVAL,
                                                                             "leder")
