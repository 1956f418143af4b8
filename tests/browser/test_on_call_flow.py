"""The on-call worker reads only the crisis sheet (issue 27, decision 0048): found by the number the caller gives,
opened after a stated reason that is flagged for review, the contact registered; the plan's other parts, the courses
and the notes stay closed.

The clock is fixed at Tuesday 10 March 2026 23:30 Copenhagen time (a night call; it ticks on from there). Session and
CSRF cookies are made browser-session cookies, so the real browser keeps them whatever its own clock says.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from traedesten.accounts.models import AuditEvent, Department, OutsideAccess, Team
from traedesten.accounts.roles import Role
from traedesten.courses.models import Activity, Offer
from traedesten.gate import clearance
from traedesten.plans.services import save_plan
from traedesten.usecases import courses as course_cases

NIGHT = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
REASON = "Borgeren ringede til vagttelefonen i krise om natten"


@pytest.fixture
def fixed_clock(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NIGHT, tick=True):
        yield


def test_on_call_reads_only_the_crisis_sheet(page, transactional_db, fixed_clock, make_user, make_person):
    social = Department.objects.get(code="social")
    home_team = Team.objects.create(name="Hjemmeteam", department=social)
    on_call_team = Team.objects.create(name="Døgnvagten", department=social)
    worker = make_user(Role.BOSTOTTE, [home_team], username="bostoette")
    on_call = make_user(Role.ON_CALL, [on_call_team], username="vagt", first_name="Vera", last_name="Vagt")
    person = make_person(worker, team=home_team, first_name="Sofie", last_name="Krisesen", cpr="1010901233",
                         phone="22334455", address="Vejen 1")
    save_plan(worker, person, {"reason": "Historie XYZSTORY", "goals": [{"citizen_text": "Mål XYZGOAL"}],
                               "coping": {"warning_signs": ["Sover ikke XYZSIGN"], "strategies": ["Gå en tur XYZCOPING"]},
                               "crisis": {"about_me": "Jeg bliver stille XYZCRISIS", "what_helps": "Rolig stemme"}},
              expected_version=0)
    course_cases.start_course(clearance(worker, person), Offer.objects.get(name="Bostøtte (§85)"),
                              start=datetime.date(2026, 2, 2), hours_package="3-6")
    course_cases.record_activity(clearance(worker, person), kind="coaching", on=datetime.date(2026, 3, 9),
                                 course=None, topic="XYZTOPIC")

    page.login("vagt")
    page.get_by_role("link", name="Vagten").first.click()
    page.get_by_label("Telefonnummer").fill("22 33 44 55")
    page.get_by_role("button", name="Søg").click()
    result = page.locator("#lookup-result")
    result.get_by_text("Der er et akutark.").wait_for()
    assert "Krisesen" not in result.inner_text()  # the look-up names nobody
    page.assert_accessible()
    result.get_by_role("link", name="Åbn akutarket").click()

    # the reason form: the crisis sheet opens only after a stated reason
    page.get_by_role("heading", name="Borger uden for din sagsstamme").wait_for()
    page.get_by_label("Begrundelse").fill(REASON)
    page.get_by_role("button", name="Åbn borgeren").click()

    page.get_by_role("heading", name="Akutark – Sofie Krisesen").wait_for()
    sheet = page.locator("#crisis-sheet")
    for shown in ("XYZCRISIS", "XYZSIGN", "XYZCOPING", "Rolig stemme"):
        sheet.get_by_text(shown, exact=False).first.wait_for()
    page.locator("#flagged").get_by_text("markeret til gennemsyn", exact=False).wait_for()
    body = page.locator("main").inner_text()
    for hidden in ("XYZSTORY", "XYZGOAL", "XYZTOPIC", "1010901233", "101090-1233"):
        assert hidden not in body, hidden
    # the date is today's, in the form a date field takes (it was in Danish format, which a browser drops)
    assert page.get_by_label("Dato").input_value() == "2026-03-10"
    page.get_by_label("Kanal").select_option("phone")
    page.get_by_label("Kort om kontakten").fill("Talt ned, ringer til tovholder i morgen")
    page.assert_accessible()
    page.screenshot_as("on-call-crisis-sheet")
    page.get_by_role("button", name="Registrér").click()
    page.get_by_text("Vagtkontakten er registreret.").wait_for()
    page.locator("#on-call-contacts").get_by_text("Talt ned, ringer til tovholder i morgen", exact=False).wait_for()

    contact = Activity.objects.get(person=person, kind=Activity.Kind.ON_CALL_CONTACT)
    assert (contact.course, contact.channel, contact.registered_by, contact.on) == (None, "phone", on_call,
                                                                                    datetime.date(2026, 3, 10))
    # the read was flagged for review with the reason
    event = AuditEvent.objects.filter(user=on_call, person_id=person.pk, section="crisis_sheet").latest("id")
    assert event.flagged and event.reason == REASON
    assert set(event.fields) == {"identity", "coping", "on_call"}
    access = OutsideAccess.objects.get(user=on_call, person=person)
    assert access.reviewed_at is None

    # everything else stays closed, with the reason still in force
    plan = page.goto(reverse("plans:plan", args=[person.pk]))
    plan_text = page.locator("main").inner_text() if plan.ok else ""
    assert plan.status == 403 or ("XYZGOAL" not in plan_text and "XYZSTORY" not in plan_text)
    overview = page.goto(reverse("people:overview", args=[person.pk]))
    assert overview.status in (200, 403)
    if overview.ok:
        assert page.locator("#h-courses").count() == 0  # no courses section
        assert page.locator("#h-activities").count() == 0
        text = page.locator("main").inner_text()
        for hidden in ("Bostøtte (§85)", "XYZTOPIC", "XYZGOAL", "1010901233"):
            assert hidden not in text, hidden
    assert page.goto(reverse("records:journal", args=[person.pk])).status == 403
    assert page.goto(reverse("courses:activity", args=[person.pk])).status == 403
    # no read of a closed section was audited
    for e in AuditEvent.objects.filter(user=on_call, person_id=person.pk, action="view"):
        assert not set(e.fields) & {"courses", "goals", "story", "notes", "cpr"}, (e.section, e.fields)
