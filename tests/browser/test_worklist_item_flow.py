"""Putting a worklist item off and handing one on (issue 30: the list renders a link per item, and the two forms
come for the one item opened, in place through htmx)."""

import datetime

from django.utils import timezone

from traedesten.accounts.roles import Role
from traedesten.courses import services
from traedesten.courses.models import Offer, WorkItemNote


def test_a_worker_puts_one_item_off_and_hands_another_on(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    make_user(Role.GUIDE, [team], username="kaj", first_name="Kaj", last_name="Kollega")
    person = make_person(guide, team=team, first_name="Ida", last_name="Lund", cpr="0707771237")
    services.start_course(guide, person, Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"),
                          start=timezone.localdate() - datetime.timedelta(days=120), team=team, responsible=guide)
    page.login("guide")
    page.get_by_role("link", name="Arbejdsliste").click()
    rows = page.locator("#h-overdue + table tbody tr")
    before = rows.count()
    assert page.get_by_label("Udsæt til").count() == 0  # no forms until an item is opened
    unique = rows.filter(has_not_text="skal måles")  # the measurements due share a day; each of these is alone
    assert unique.count() >= 2

    unique.first.get_by_role("link", name="Udsæt / giv videre").click()
    unique.first.get_by_label("Begrundelse").fill("Borgeren er syg denne uge")
    assert page.get_by_label("Udsæt til").count() == 1  # only the opened item's forms
    page.assert_accessible()
    page.screenshot_as("worklist-01-item-opened-in-place")
    unique.first.get_by_role("button", name="Udsæt").click()
    page.get_by_text("Opgaven er udsat til").wait_for()
    assert rows.count() == before - 1

    unique.first.get_by_role("link", name="Udsæt / giv videre").click()
    unique.first.get_by_label("Giv til").select_option(label="Kaj Kollega")
    unique.first.get_by_role("button", name="Giv videre").click()
    page.get_by_text("Opgaven er givet til Kaj Kollega").wait_for()
    assert rows.count() == before - 2
    notes = WorkItemNote.objects.order_by("pk")
    assert [n.reason for n in notes] == ["Borgeren er syg denne uge", ""] and notes[1].assigned_to.username == "kaj"
