"""Én plan outcomes in the browser (decision 0061): the authority records the case's progression category at a
grant's follow-up, and registers a complaint about the grant with its four-week deadline."""

import datetime

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.authority.models import CaseProgression, Complaint, FollowUp


def test_progression_at_a_follow_up_and_a_complaint(page, transactional_db, make_user, make_person):
    authority = Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))
    caseworker = make_user(Role.AUTHORITY, [authority], username="myndighed", first_name="Mona", last_name="Myndig")
    person = make_person(caseworker, team=authority, first_name="Karen", last_name="Lund")
    grant = grants.create_grant(caseworker, person, goals=[goal_input()], **grant_kwargs())
    FollowUp.objects.create(grant=grant, held_on=datetime.date(2026, 1, 5), status_code="x", held_by=caseworker)

    page.login("myndighed")
    page.goto(f"/myndighed/bevilling/{grant.pk}/")
    page.get_by_role("link", name="Registrér progression").click()
    page.get_by_text("Progression: tydelig bevægelse").wait_for()
    page.get_by_role("button", name="Registrér progression").click()
    page.get_by_text("Vælg en kategori og skriv en kort begrundelse.").wait_for()
    page.get_by_label("Delvis progression").check()
    page.get_by_label("Kort begrundelse").fill("Er begyndt i praktik 10 timer om ugen")
    page.assert_accessible()
    page.screenshot_as("case-progression")
    page.get_by_role("button", name="Registrér progression").click()
    page.get_by_text("Progressionen er registreret.").wait_for()
    row = CaseProgression.objects.get()
    assert (row.category, row.occasion, row.person_id) == ("partial", "follow_up", person.pk)

    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Klager", exact=True).click()
    page.get_by_label("Modtaget").fill("2026-01-05")
    page.get_by_label("Skriftlig klage til kommunen").check()
    page.get_by_label("Uenig i en afgørelse").check()
    page.get_by_label("Afgørelsen der klages over").select_option(str(grant.pk))
    page.get_by_label("Hvad klagen handler om").fill("Karen mener, at tre timer om ugen er for lidt.")
    page.assert_accessible()
    page.get_by_role("button", name="Registrér klagen").click()
    page.get_by_text("Klagen er registreret med svarfrist 02.02.2026.").wait_for()
    page.screenshot_as("complaints")
    complaint = Complaint.objects.get()
    assert complaint.due_on == datetime.date(2026, 2, 2) and complaint.grant_id == grant.pk
