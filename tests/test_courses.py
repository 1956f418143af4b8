import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from traedesten.core.locking import VersionConflict
from traedesten.courses import services
from traedesten.courses.models import Activity, Course, Offer

START = datetime.date(2026, 1, 5)  # a Monday


@pytest.fixture
def din_indgang(db):
    return Offer.objects.get(name="Din Indgang – forløb")


@pytest.fixture
def six_months(db):
    return Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)")


def test_deadlines_come_from_the_offer(guide, make_person, team, din_indgang, six_months):
    person = make_person(guide, team=team)
    course = services.start_course(guide, person, din_indgang, start=START)
    due = {d.kind: d.due for d in services.deadlines(course)}
    assert due == {"follow_up": datetime.date(2026, 2, 2), "assessment": datetime.date(2026, 3, 16),
                   "end": datetime.date(2026, 5, 25)}
    other = services.start_course(guide, make_person(guide, team=team), six_months, start=datetime.date(2026, 8, 31))
    assert {d.kind: d.due for d in services.deadlines(other)}["limit"] == datetime.date(2027, 2, 28)  # by law


def test_worklist_with_a_frozen_clock(guide, make_person, team, din_indgang):
    a = services.start_course(guide, make_person(guide, team=team), din_indgang, start=START)
    b = services.start_course(guide, make_person(guide, team=team), din_indgang, start=START - datetime.timedelta(weeks=2))
    courses = Course.objects.all()
    items = services.worklist(courses, today=datetime.date(2026, 1, 11))
    assert items == []
    items = services.worklist(courses, today=datetime.date(2026, 1, 27))
    assert [(i.course, i.deadline.kind, i.overdue) for i in items] == [(b, "follow_up", True), (a, "follow_up", False)]
    items = services.worklist(courses, today=datetime.date(2026, 2, 3))
    assert [(i.course, i.deadline.kind, i.overdue) for i in items] == [(b, "follow_up", True), (a, "follow_up", True)]
    services.record_activity(guide, a.person, kind=Activity.Kind.FOLLOW_UP, on=datetime.date(2026, 2, 2), course=a,
                             delivered_hours=Decimal("1"))
    items = services.worklist(courses, today=datetime.date(2026, 2, 3))
    assert [(i.course, i.deadline.kind) for i in items] == [(b, "follow_up")]
    # A no-show does not count as the follow-up, and is itself to be followed up within three days.
    services.record_activity(guide, b.person, kind=Activity.Kind.FOLLOW_UP, on=datetime.date(2026, 2, 2), course=b,
                             attendance="no_show")
    items = services.worklist(courses, today=datetime.date(2026, 2, 3))
    assert [(i.course, i.deadline.kind, i.deadline.due) for i in items] == [
        (b, "follow_up", datetime.date(2026, 1, 19)), (b, "no_show", datetime.date(2026, 2, 5))]
    # Once the citizen attends again, the no-show drops off the list.
    services.record_activity(guide, b.person, kind=Activity.Kind.COACHING, on=datetime.date(2026, 2, 3), course=b)
    assert [i.deadline.kind for i in services.worklist(courses, today=datetime.date(2026, 2, 3))] == ["follow_up"]


def test_worklist_page_flags_overdue(client, guide, make_person, team, din_indgang):
    person = make_person(guide, team=team, first_name="Vera", last_name="Frist")
    services.start_course(guide, person, din_indgang, start=START)
    client.force_login(guide)
    with time_machine.travel(datetime.datetime(2026, 2, 4, 10, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("courses:worklist")).content.decode()
    assert "Vera Frist" in page and "Første opfølgning" in page and "overskredet" in page


def test_a_worklist_item_opens_its_forms_one_at_a_time(client, guide, make_user, make_person, team, din_indgang):
    """The list carries a link per item; the put-off and hand-on forms come for the one item asked for, in place
    (htmx) or as a page, with the colleagues of the user's teams."""
    from traedesten.accounts.roles import Role

    colleague = make_user(Role.GUIDE, [team], first_name="Kaj", last_name="Kollega")
    course = services.start_course(guide, make_person(guide, team=team, first_name="Vera", last_name="Frist"),
                                   din_indgang, start=START)
    client.force_login(guide)
    with time_machine.travel(datetime.datetime(2026, 2, 4, 10, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("courses:worklist")).content.decode()
        url = reverse("courses:work_item", args=[course.pk]) + "?kind=follow_up&due=2026-02-02&vis=mine"
        fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
        whole = client.get(url).content.decode()
        wrong = client.get(reverse("courses:work_item", args=[course.pk]) + "?kind=nonsense&due=2026-01-19")
    assert url.replace("&", "&amp;") in page and 'name="colleague"' not in page
    assert f'value="{colleague.pk}">Kaj Kollega</option>' in fragment and 'name="until"' in fragment
    assert "<html" not in fragment and 'value="2026-02-02"' in fragment and 'value="2026-02-11"' in fragment
    assert "Vera Frist" in whole and 'name="reason"' in whole
    assert wrong.status_code == 302 and "findes ikke" in client.get(wrong.url).content.decode()


def test_closing_requires_a_destination_and_a_valid_date(guide, make_person, team, din_indgang):
    course = services.start_course(guide, make_person(guide, team=team), din_indgang, start=START)
    with pytest.raises(ValidationError, match="Vælg hvor borgeren går videre"):
        services.close_course(guide, course, closed_on=START, destination="", expected_version=1)
    with pytest.raises(ValidationError, match="før forløbets start"):
        services.close_course(guide, course, closed_on=START - datetime.timedelta(days=1), destination="moved",
                              expected_version=1)
    course.refresh_from_db()
    assert course.status == "active" and course.version == 1
    services.close_course(guide, course, closed_on=START + datetime.timedelta(weeks=18), destination="civil_society",
                          kickoff_on=START + datetime.timedelta(weeks=17), expected_version=1)
    with pytest.raises(VersionConflict):
        services.close_course(guide, course, closed_on=START, destination="moved", expected_version=1)


def test_database_refuses_a_closed_course_without_destination(guide, make_person, team, din_indgang):
    course = services.start_course(guide, make_person(guide, team=team), din_indgang, start=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(status="closed", closed_on=START)


def test_session_before_the_course_start_is_refused(guide, make_person, team, din_indgang):
    person = make_person(guide, team=team)
    course = services.start_course(guide, person, din_indgang, start=START)
    with pytest.raises(ValidationError, match="før forløbets start"):
        services.record_activity(guide, person, kind="coaching", on=START - datetime.timedelta(days=1), course=course)
    assert not Activity.objects.exists()


def test_staff_hours_and_delivered_hours_are_separate(guide, make_user, make_person, team, din_indgang):
    person = make_person(guide, team=team)
    other = make_user("guide", [team])
    activity = services.record_activity(guide, person, kind="guide_conversation", on=START, delivered_hours=Decimal(1),
                                        staff_hours={guide: Decimal(1), other: Decimal(1)})
    assert activity.delivered_hours == 1
    assert sum(s.hours for s in activity.staff_time.all()) == 2


def test_one_active_course_per_offer_and_soft_cap(guide, make_person, team, din_indgang, six_months):
    person = make_person(guide, team=team)
    services.start_course(guide, person, din_indgang, start=START)
    with pytest.raises(ValidationError, match="allerede et aktivt forløb"):
        services.start_course(guide, person, din_indgang, start=START)
    services.start_course(guide, person, six_months, start=START)
    group = Offer.objects.get(name="Gruppeforløb")
    with pytest.raises(ValidationError, match="tilmelde borgeren et hold"):  # a group offer is joined, not started
        services.start_course(guide, person, group, start=START)
    third = Offer.objects.create(name="Tredje", legal_basis=group.legal_basis)
    services.start_course(guide, person, third, start=START)
    bostotte = Offer.objects.get(name="Bostøtte (§85)")
    with pytest.raises(ValidationError, match="timepakke"):
        services.start_course(guide, person, bostotte, start=START)
    services.start_course(guide, person, bostotte, start=START, hours_package="3-6")  # no cap on this offer
    fourth = Offer.objects.create(name="Ekstra", legal_basis=group.legal_basis, max_municipal_offers=3)
    with pytest.raises(services.SoftCapExceeded):
        services.start_course(guide, person, fourth, start=START)
    course = services.start_course(guide, person, fourth, start=START, cap_reason="Borgeren ønsker det, aftalt med leder")
    assert course.cap_override_reason.startswith("Borgeren ønsker")


def test_a_return_links_to_the_earlier_course(guide, make_person, team, din_indgang):
    person = make_person(guide, team=team)
    first = services.start_course(guide, person, din_indgang, start=START)
    services.close_course(guide, first, closed_on=START + datetime.timedelta(weeks=12), destination="no_further_help",
                          expected_version=1)
    again = services.start_course(guide, person, din_indgang, start=START + datetime.timedelta(weeks=30))
    assert again.previous == first


def test_bostotte_and_82_course_show_together_on_the_overview(client, guide, make_person, team, din_indgang):
    person = make_person(guide, team=team)
    services.start_course(guide, person, din_indgang, start=START)
    services.start_course(guide, person, Offer.objects.get(name="Bostøtte (§85)"), start=START, hours_package="3-6")
    client.force_login(guide)
    page = client.get(reverse("people:overview", args=[person.pk])).content.decode()
    assert "Din Indgang – forløb" in page and "Bostøtte (§85)" in page and "3-6 timer/uge" in page


def test_close_form_without_destination_shows_a_message(client, guide, make_person, team, din_indgang):
    course = services.start_course(guide, make_person(guide, team=team), din_indgang, start=START)
    client.force_login(guide)
    page = client.post(reverse("courses:close", args=[course.pk]), {"closed_on": "2026-03-01", "version": 1})
    assert "Vælg hvor borgeren går videre til" in page.content.decode()
    course.refresh_from_db()
    assert course.status == "active"


def test_activity_form_refuses_a_session_before_the_course_start(client, guide, make_person, team, din_indgang):
    person = make_person(guide, team=team)
    course = services.start_course(guide, person, din_indgang, start=START)
    client.force_login(guide)
    url = reverse("courses:activity", args=[person.pk])
    data = {"kind": "coaching", "course": course.pk, "on": "2026-01-02", "attendance": "attended", "channel": "video",
            "delivered_hours": "1"}
    page = client.post(url, data).content.decode()
    assert "før forløbets start" in page and not Activity.objects.exists()
    client.post(url, data | {"on": "2026-01-07", "colleague": ""})
    activity = Activity.objects.get()
    assert (activity.channel, activity.course) == ("video", course)


def test_a_no_show_delivers_no_hours(guide, make_person, team, din_indgang):
    person = make_person(guide, team=team)
    course = services.start_course(guide, person, din_indgang, start=START)
    activity = services.record_activity(guide, person, kind="coaching", on=START, course=course, attendance="no_show",
                                        delivered_hours=Decimal(1), staff_hours={guide: Decimal("0.5")})
    assert activity.delivered_hours == 0 and activity.staff_time.get().hours == Decimal("0.5")


def test_hours_page_is_for_managers_and_analysts(client, guide, make_user, make_person, team, din_indgang):
    from traedesten.accounts.roles import Role

    person = make_person(guide, team=team)
    course = services.start_course(guide, person, din_indgang, start=START)
    services.record_activity(guide, person, kind="coaching", on=START, course=course, delivered_hours=Decimal("1.5"),
                             staff_hours={guide: Decimal("1.5")})
    client.force_login(guide)
    assert client.get(reverse("courses:hours")).status_code == 403
    client.force_login(make_user(Role.MANAGER, [team]))
    page = client.get(reverse("courses:hours"), {"fra": "2026-01-01", "til": "2026-01-31"}).content.decode()
    assert "Din Indgang – forløb" in page and "1,5" not in page  # one citizen, 1.5 h: published as 0 and 0
    assert [(r.persons, r.delivered, r.staff) for r in services.publish_hours(services.hours_report(START, START))] == [
        (0, 0, 0)]
    page = client.get(reverse("courses:hours"), {"fra": "2026-02-01", "til": "2026-01-01"}).content.decode()
    assert "Slutdatoen ligger før startdatoen" in page
