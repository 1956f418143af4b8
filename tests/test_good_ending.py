"""The good ending (issue 27 part 8, decision 0052): the expected end known from the start, the ending record written
in the closing step, the after-care visit on the worklist, the klippekort, and a return that keeps the history."""

import datetime

import pypdfium2
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import login_citizen, login_verified
from traedesten.core.citizen_data import about
from traedesten.courses import services
from traedesten.courses.models import Activity, Course, Ending, Offer
from traedesten.gate import clearance
from traedesten.usecases import courses as cases, records as record_cases
from traedesten.usecases.worklists import worklist

TODAY = datetime.date(2026, 6, 1)
START = datetime.date(2026, 1, 5)
CLOSED = datetime.date(2026, 5, 29)
ENDING = {"what_helped": "At du gik med mig til lægen", "coping_plan_checked": True, "community": "Løbeklubben\nCaféen",
          "call_name": "Guide Hansen", "call_phone": "12 34 56 78"}


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0), tick=False):
        yield


@pytest.fixture
def citizen(guide, make_person, team):
    return make_person(guide, team=team)


@pytest.fixture
def course(guide, citizen, team):
    return services.start_course(guide, citizen, Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"),
                                 start=START, team=team, responsible=guide)


def _close(guide, course, ending=ENDING, destination="no_further_help", on=CLOSED):
    return cases.close_course(clearance(guide, course.person), course, closed_on=on, destination=destination,
                              expected_version=course.version, ending=ending)


def _activity(guide, course, kind, on, attendance="attended", with_course=True):
    return cases.record_activity(clearance(guide, course.person), course=course if with_course else None, kind=kind,
                                 on=on, attendance=attendance, channel="phone")


# --- The ending record -------------------------------------------------------------------------------------------

def test_closing_keeps_the_ending_record_with_the_after_care_visit_and_the_klippekort(guide, course):
    closed = _close(guide, course)
    ending = Ending.objects.get(course=closed)
    assert (ending.what_helped, ending.community_list(), ending.call_name, ending.call_phone) == (
        "At du gik med mig til lægen", ["Løbeklubben", "Caféen"], "Guide Hansen", "12 34 56 78")
    # The defaults: the coping plan checked on the closing day, the after-care visit three months on, three klip.
    assert (ending.coping_plan_checked_on, ending.after_care_on, ending.klip_granted) == (
        CLOSED, datetime.date(2026, 8, 29), 3)
    assert closed.status == Course.Status.CLOSED


def test_an_individual_course_does_not_close_without_what_helped_but_a_drop_out_does(guide, course, make_person, team):
    with pytest.raises(ValidationError, match="afslutningsnotatet"):
        _close(guide, course, ending=None)
    with pytest.raises(ValidationError, match="afslutningsnotatet"):
        _close(guide, course, ending={"what_helped": "  ", "klip": 3})
    course.refresh_from_db()
    assert course.status == Course.Status.ACTIVE and not Ending.objects.exists()  # nothing half-saved
    dropped = _close(guide, course, ending=None, destination="dropped_out")
    assert dropped.status == Course.Status.CLOSED and not Ending.objects.exists()
    # An open offer never asks for it; bostøtte does.
    bostotte = services.start_course(guide, make_person(guide, team=team), Offer.objects.get(name="Bostøtte (§85)"),
                                     start=START, hours_package="3-6")
    with pytest.raises(ValidationError, match="afslutningsnotatet"):
        _close(guide, bostotte, ending=None)


@pytest.mark.parametrize("change, message", [
    ({"after_care_on": CLOSED}, "Efterværnsbesøget skal ligge efter afslutningen"),
    ({"after_care_on": datetime.date(2027, 12, 1)}, "højst 12 måneder"),
    ({"klip": 11}, "mellem 0 og 10 klip"),
    ({"call_phone": "ring til mig"}, "Telefonnummeret"),
    ({"coping_plan_checked_on": datetime.date(2026, 5, 30)}, "efter afslutningen"),
])
def test_an_ending_record_that_cannot_be_true_is_refused_in_danish(guide, course, change, message):
    with pytest.raises(ValidationError, match=message):
        _close(guide, course, ending=ENDING | change)
    course.refresh_from_db()
    assert course.status == Course.Status.ACTIVE


def test_the_close_page_and_the_api_take_the_ending_record(client, guide, course, make_person, team):
    login_verified(client, guide)
    url = reverse("courses:close", args=[course.pk])
    page = client.get(url).content.decode()
    assert "Afslutningsnotat" in page and "ending-what_helped" in page
    refused = client.post(url, {"closed_on": CLOSED.isoformat(), "destination": "no_further_help",
                                "version": course.version})
    assert refused.status_code == 200 and "afslutningsnotatet" in refused.content.decode()
    response = client.post(url, {"closed_on": CLOSED.isoformat(), "destination": "no_further_help",
                                 "version": course.version, "ending-what_helped": "Gåturene",
                                 "ending-call_phone": "87654321", "ending-klip": "2",
                                 "ending-after_care_on": "2026-07-01"})
    assert response.status_code == 302
    ending = Ending.objects.get(course=course)
    assert (ending.what_helped, ending.call_phone, ending.klip_granted, ending.after_care_on) == (
        "Gåturene", "87654321", 2, datetime.date(2026, 7, 1))


def test_the_ending_record_is_on_the_overview_and_the_timeline_and_in_the_letter(client, guide, course):
    _close(guide, course)
    login_verified(client, guide)
    overview = client.get(reverse("people:overview", args=[course.person_id])).content.decode()
    assert "Afslutningsnotat" in overview and "At du gik med mig til lægen" in overview
    assert "Guide Hansen 12 34 56 78" in overview and "Klippekort: 3 af 3 klip tilbage" in overview
    timeline = client.get(reverse("overview:timeline", args=[course.person_id])).content.decode()
    assert "Afslutningsnotat" in timeline and "At du gik med mig til lægen" in timeline
    form = client.get(reverse("records:letter", args=[course.person_id]),
                      {"skabelon": "end_of_course", "forloeb": course.pk}).content.decode()
    assert "At du gik med mig til lægen" in form and "Guide Hansen på telefon 12 34 56 78" in form
    c = clearance(guide, course.person)
    letter = record_cases.send_letter(c, "end_of_course", {
        "end_date": CLOSED, "achieved": "Jeg går til lægen selv", "what_helped": "At du gik med mig til lægen",
        "contact": "Guide Hansen på telefon 12 34 56 78"}, channel="paper", course=course)
    pdf = pypdfium2.PdfDocument(record_cases.open_document(c, letter.document))
    text = " ".join(" ".join(p.get_textpage().get_text_range() for p in pdf).split())
    assert "Det hjalp" in text and "At du gik med mig til lægen" in text and "12 34 56 78" in text


def test_the_ending_records_words_are_declared_for_anonymisation():
    # people.gdpr.anonymise blanks every declared free text (tests/test_gdpr.py runs it over every declaration).
    declared = about()["courses.Ending"]
    assert (declared.citizen, set(declared.free_text)) == (
        "course__person", {"what_helped", "community", "call_name", "call_phone"})


# --- Activities after the end --------------------------------------------------------------------------------------

def test_after_the_end_only_an_after_care_visit_or_a_klip_is_registered_and_the_course_stays_closed(guide, course):
    closed = _close(guide, course)
    with pytest.raises(ValidationError, match="Efter afslutningen registreres kun et efterværnsbesøg eller et klip"):
        _activity(guide, closed, "coaching", TODAY)
    with pytest.raises(ValidationError, match="ligger efter forløbets afslutning. Afslut"):
        _activity(guide, closed, "after_care_visit", CLOSED)  # on the closing day: not after it
    with pytest.raises(ValidationError, match="registreres på det afsluttede forløb"):
        _activity(guide, closed, "after_care_visit", TODAY, with_course=False)
    active = services.start_course(guide, course.person, Offer.objects.get(name="Bostøtte (§85)"), start=START,
                                   hours_package="3-6")
    with pytest.raises(ValidationError, match="Afslut forløbet først"):
        _activity(guide, active, "on_demand_session", TODAY)
    visit = _activity(guide, closed, "after_care_visit", TODAY)
    closed.refresh_from_db()
    assert (visit.course, closed.status, closed.closed_on) == (closed, Course.Status.CLOSED, CLOSED)


def test_the_after_care_visit_is_on_the_responsible_workers_worklist_when_due_until_it_is_held(guide, course):
    _close(guide, course, ending=ENDING | {"after_care_on": datetime.date(2026, 6, 6)})
    early = worklist(guide, today=datetime.date(2026, 5, 29))
    assert [i.kind for i in early.items if i.course.pk == course.pk] == []  # more than a week off
    due = worklist(guide, today=TODAY)
    [item] = [i for i in due.items if i.kind == "after_care"]
    assert (item.course.pk, item.due, item.overdue) == (course.pk, datetime.date(2026, 6, 6), False)
    late = worklist(guide, today=datetime.date(2026, 6, 10))
    assert [i.kind for i in late.overdue] == ["after_care"]
    _activity(guide, course, "after_care_visit", TODAY, attendance="no_show")
    assert [i.kind for i in worklist(guide, today=TODAY).items] == ["after_care"]  # a no-show leaves it due
    _activity(guide, course, "after_care_visit", TODAY)
    assert [i.kind for i in worklist(guide, today=TODAY).items] == []


def test_the_worklist_page_links_the_after_care_visit_to_the_activity_form(client, guide, course):
    _close(guide, course, ending=ENDING | {"after_care_on": datetime.date(2026, 6, 2)})
    login_verified(client, guide)
    page = client.get(reverse("courses:worklist")).content.decode()
    link = f"{reverse('courses:activity', args=[course.person_id])}?forloeb={course.pk}&amp;type=after_care_visit"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{course.pk}" selected' in form and 'value="after_care_visit" selected' in form


def test_the_klippekort_counts_the_klip_used_and_refuses_one_more(client, guide, course):
    _close(guide, course, ending=ENDING | {"klip": 2})
    _activity(guide, course, "on_demand_session", TODAY - datetime.timedelta(days=2))
    _activity(guide, course, "on_demand_session", TODAY - datetime.timedelta(days=1), attendance="cancelled")
    login_citizen(client, course.person_id)
    assert "1 samtale tilbage af 2" in client.get(reverse("citizen:home")).content.decode()
    _activity(guide, course, "on_demand_session", TODAY)
    with pytest.raises(ValidationError, match="Klippekortet er brugt op: borgeren fik 2 klip"):
        _activity(guide, course, "on_demand_session", TODAY)
    assert Activity.objects.filter(kind="on_demand_session", attendance="attended").count() == 2
    assert "0 samtaler tilbage af 2" in client.get(reverse("citizen:plan")).content.decode()
    login_verified(client, guide)
    assert "Klippekort: 0 af 2 klip tilbage" in client.get(
        reverse("people:overview", args=[course.person_id])).content.decode()


def test_no_klippekort_no_klip(guide, course):
    _close(guide, course, ending=ENDING | {"klip": 0})
    with pytest.raises(ValidationError, match="fik ikke et klippekort"):
        _activity(guide, course, "on_demand_session", TODAY)


# --- Known from the start, and coming back -------------------------------------------------------------------------

def test_the_expected_end_is_on_the_plan_its_print_and_min_side(client, guide, course):
    from traedesten.plans.services import save_plan  # noqa: PLC0415 (a test helper)

    save_plan(guide, course.person, {"reason": "Jeg vil klare mig selv"}, expected_version=0)
    assert services.expected_end(course) == datetime.date(2026, 7, 5)
    login_verified(client, guide)
    plan = client.get(reverse("plans:plan", args=[course.person_id])).content.decode()
    assert "forventet slutdato 5. juli 2026" in plan
    printed = client.get(reverse("plans:print", args=[course.person_id, "plan"])).content.decode()
    assert "Forventet slutdato" in printed and "5. juli 2026" in printed
    pdf = pypdfium2.PdfDocument(client.get(reverse("plans:pdf", args=[course.person_id, "plan"])).content)
    assert "05.07.2026" in " ".join(p.get_textpage().get_text_range() for p in pdf)
    login_citizen(client, course.person_id)
    assert "forventet slutdato 5. juli 2026" in client.get(reverse("citizen:plan")).content.decode()
    # A decision that sets the closing (a grant's period, a case conference) is the date the citizen is told.
    services.plan_closing(guide, course, on=datetime.date(2026, 6, 20))
    course.refresh_from_db()
    assert services.expected_end(course) == datetime.date(2026, 6, 20)


def test_a_return_to_bostotte_keeps_the_ending_record_in_the_history(client, guide, citizen, team):
    episode = services.start_course(guide, citizen, Offer.objects.get(name="Bostøtte (§85)"), start=START,
                                    hours_package="3-6", responsible=guide, team=team)
    closed = _close(guide, episode, ending=ENDING | {"what_helped": "At vi ryddede op sammen"})
    again = cases.reenter(clearance(guide, citizen), closed, on=TODAY)
    assert again.previous == closed and Ending.objects.get(course=closed).what_helped == "At vi ryddede op sammen"
    login_verified(client, guide)
    overview = client.get(reverse("people:overview", args=[citizen.pk])).content.decode()
    assert "genhenvendelse" in overview and "At vi ryddede op sammen" in overview
    timeline = client.get(reverse("overview:timeline", args=[citizen.pk])).content.decode()
    assert "At vi ryddede op sammen" in timeline
