"""FIT per session (issue 27, seed 003): the ORS before and the SRS after a session belong to that session's activity;
a group's SRS belongs to the group session; workers rate their own FIT practice every fourth session."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from traedesten.courses import groups, services as courses
from traedesten.courses.models import Activity, Offer
from traedesten.gate import clearance
from traedesten.measures import sessions
from traedesten.measures.alerts import alerts
from traedesten.measures.models import Administration, FitPracticeRating, Instrument, KioskSession
from traedesten.usecases import measures as cases

START = datetime.date(2026, 3, 2)
TODAY = datetime.date(2026, 3, 16)
ITEMS = {"ORS": ["individual", "interpersonal", "social", "overall"],
         "SRS": ["relationship", "goals", "approach", "overall"]}


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(datetime.datetime(2026, 3, 16, 10, 0), tick=False):
        yield


@pytest.fixture
def course(guide, make_person, team):
    return courses.start_course(guide, make_person(guide, team=team), Offer.objects.get(name="Din Indgang – forløb"),
                                start=START)


def _post_scores(client, code: str, values: list[str]) -> None:
    kiosk = KioskSession.objects.latest("pk")
    client.post(reverse("measures:kiosk", args=[kiosk.token]),
                {"action": "save", **{f"item-{item}": v for item, v in zip(ITEMS[code], values, strict=True)}})
    back = client.post(reverse("measures:kiosk_return", args=[kiosk.token]), {"password": "test-password-123"})
    assert back.url == reverse("measures:fit_session", args=[kiosk.person_id, kiosk.activity_id])


def test_a_session_takes_the_ors_before_and_the_srs_after_both_on_its_activity(client, guide, course):
    client.force_login(guide)
    started = client.post(reverse("measures:fit_start", args=[course.person_id]), {"course": course.pk, "hours": "1"})
    activity = Activity.objects.get()
    assert started.url == reverse("measures:fit_session", args=[course.person_id, activity.pk])
    assert (activity.kind, activity.on, activity.course, activity.delivered_hours) == ("coaching", TODAY, course, D(1))
    page = client.get(started.url).content.decode()
    assert "Giv tabletten til borgeren (ORS)" in page and "(SRS)" not in page  # the SRS comes after the session

    client.post(reverse("measures:fit_kiosk", args=[course.person_id, activity.pk, "ORS"]))
    _post_scores(client, "ORS", ["5", "6", "4", "5"])
    client.post(reverse("measures:fit_kiosk", args=[course.person_id, activity.pk, "SRS"]))
    _post_scores(client, "SRS", ["9", "8", "8.5", "9"])

    scored = {a.instrument.code: a for a in Administration.objects.select_related("instrument")}
    assert {code: (a.activity_id, a.course_id, a.on, a.total) for code, a in scored.items()} == {
        "ORS": (activity.pk, course.pk, TODAY, D(20)), "SRS": (activity.pk, course.pk, TODAY, D("34.5"))}
    summary = client.get(started.url).content.decode()
    assert "ORS og SRS er gemt på samtalen" in summary and "under 36: spørg til samarbejdet" in summary
    trajectory = client.get(reverse("measures:trajectory", args=[course.person_id, "SRS"])).content.decode()
    assert "Pr. samtale" in trajectory and "34.5" in trajectory and "20" in trajectory


def test_each_score_is_taken_once_and_only_for_a_held_conversation(guide, course, make_person, team):
    c = clearance(guide, course.person)
    held = cases.start_fit_session(c, course, on=TODAY, hours=D(1))
    cases.open_session_kiosk(c, held, "ORS")
    services_administer(guide, course, held, "ORS", ["5", "5", "5", "5"])
    with pytest.raises(ValidationError, match="allerede givet"):
        cases.open_session_kiosk(c, held, "ORS")
    missed = courses.record_activity(guide, course.person, kind="coaching", on=TODAY, course=course,
                                     attendance="no_show")
    with pytest.raises(ValidationError, match="mødte ikke"):
        cases.open_session_kiosk(c, missed, "ORS")
    ad_hoc = courses.record_activity(guide, course.person, kind="ad_hoc", on=TODAY, delivered_hours=D(1))
    with pytest.raises(ValidationError, match="samtale med borgeren"):
        cases.open_session_kiosk(c, ad_hoc, "SRS")
    other = courses.start_course(guide, make_person(guide, team=team), course.offer, start=START)
    with pytest.raises(PermissionDenied):
        cases.open_session_kiosk(clearance(guide, other.person), held, "SRS")


def services_administer(guide, course, activity, code, values):
    return cases.administer(clearance(guide, course.person), Instrument.objects.get(code=code), on=START,
                            values={k: D(v) for k, v in zip(ITEMS[code], values, strict=True)}, activity=activity)


def test_the_score_takes_the_session_s_day_and_course(guide, course):
    activity = courses.record_activity(guide, course.person, kind="coaching", on=TODAY - datetime.timedelta(days=3),
                                       course=course, delivered_hours=D(1))
    scored = services_administer(guide, course, activity, "ORS", ["5", "5", "5", "5"])
    assert (scored.on, scored.course_id, scored.activity_id) == (activity.on, course.pk, activity.pk)


def test_a_low_srs_alert_names_its_session(guide, course):
    activity = courses.record_activity(guide, course.person, kind="coaching", on=TODAY - datetime.timedelta(days=3),
                                       course=course, delivered_hours=D(1))
    services_administer(guide, course, activity, "SRS", ["8", "8", "8", "8"])
    Instrument.objects.get(code="SRS").offers.add(course.offer)
    low = [a for a in alerts([course], today=TODAY) if a.kind == "measure_low"]
    assert [a.label for a in low] == ["SRS under 36 (32.00) ved samtalen 13.03"]


def test_a_group_srs_belongs_to_the_group_session(guide, make_person, team):
    offer = Offer.objects.get(name="Gruppeforløb")
    run = groups.create_group(guide, offer, theme="NADA", start=START, planned_sessions=8, session_hours=D(2),
                              facilitators=[guide])
    member, stranger = make_person(guide, team=team), make_person(guide, team=team)
    enrolment = groups.enrol(guide, run, member, on=START)
    session = groups.register_session(guide, run, on=TODAY, hours=D(2), attendance={member.pk: "attended"},
                                      staff_hours={guide: D(2)}, cap_reason="Én facilitator")
    gsrs = Instrument.objects.get(code="GSRS")
    values = {k: D(9) for k in ITEMS["SRS"]}
    scored = cases.administer(clearance(guide, member), gsrs, on=START, values=values, group_session=session)
    assert (scored.group_session_id, scored.course_id, scored.on) == (session.pk, enrolment.pk, TODAY)
    with pytest.raises(ValidationError, match="ikke tilmeldt holdet"):
        cases.administer(clearance(guide, stranger), gsrs, on=START, values=values, group_session=session)


def test_workers_rate_their_own_fit_practice_every_fourth_session_where_the_team_uses_fit(guide, course, team):
    for day in range(4):
        activity = courses.record_activity(guide, course.person, kind="coaching", on=START + datetime.timedelta(days=day),
                                           course=course, delivered_hours=D(1))
        services_administer(guide, course, activity, "ORS", ["5", "5", "5", "5"])
    assert sessions.sessions_since_rating(guide) == 4 and not sessions.practice_rating_due(guide)  # team without FIT
    with pytest.raises(ValidationError, match="bruger ikke FIT"):
        cases.rate_fit_practice(guide, scores={"before": 3}, on=TODAY)
    team.uses_fit = True
    team.save()
    assert sessions.practice_rating_due(guide)
    with pytest.raises(ValidationError, match="1 til 5"):
        cases.rate_fit_practice(guide, scores={"before": 6, "focus": 3, "after": 3, "over_time": 3}, on=TODAY)
    rating = cases.rate_fit_practice(guide, scores={"before": 4, "focus": 3, "after": 5, "over_time": 2},
                                     comment="Husk SRS", on=TODAY)
    assert (rating.sessions, FitPracticeRating.objects.count()) == (4, 1)
    assert not sessions.practice_rating_due(guide) and sessions.sessions_since_rating(guide) == 0


def test_the_practice_page_saves_a_rating(client, guide, team):
    team.uses_fit = True
    team.save()
    client.force_login(guide)
    page = client.get(reverse("measures:fit_practice")).content.decode()
    assert "Scoren var med til at bestemme" in page
    answer = {f"s_{code}": "4" for code, _label in sessions.PRACTICE_STATEMENTS}
    assert client.post(reverse("measures:fit_practice"), answer).status_code == 302
    assert FitPracticeRating.objects.get().scores == {code: 4 for code, _label in sessions.PRACTICE_STATEMENTS}


def test_a_participant_gives_the_group_srs_on_the_tablet_from_the_register(client, guide, make_person, team):
    run = groups.create_group(guide, Offer.objects.get(name="Gruppeforløb"), theme="NADA", start=START,
                              planned_sessions=8, session_hours=D(2), facilitators=[guide])
    present, absent = make_person(guide, team=team, first_name="Ane"), make_person(guide, team=team, first_name="Bo")
    for person in (present, absent):
        groups.enrol(guide, run, person, on=START)
    session = groups.register_session(guide, run, on=TODAY, hours=D(2),
                                      attendance={present.pk: "attended", absent.pk: "no_show"},
                                      staff_hours={guide: D(2)}, cap_reason="Én facilitator")
    client.force_login(guide)
    register = client.get(reverse("courses:session_edit", args=[session.pk])).content.decode()
    assert "Gruppe-SRS: giv tabletten til Ane" in register and "giv tabletten til Bo" not in register
    opened = client.post(reverse("measures:group_srs", args=[session.pk, present.pk]))
    kiosk = KioskSession.objects.get()
    assert opened.url == reverse("measures:kiosk", args=[kiosk.token]) and kiosk.group_session_id == session.pk
    client.post(opened.url, {"action": "save", **{f"item-{item}": "9" for item in ITEMS["SRS"]}})
    back = client.post(reverse("measures:kiosk_return", args=[kiosk.token]), {"password": "test-password-123"})
    assert back.url == reverse("courses:session_edit", args=[session.pk])
    scored = Administration.objects.get()
    assert (scored.instrument.code, scored.group_session_id, scored.person_id) == ("GSRS", session.pk, present.pk)
    assert "Gruppe-SRS givet" in client.get(back.url).content.decode()
    again = client.post(reverse("measures:group_srs", args=[session.pk, present.pk]), follow=True)
    assert "allerede givet" in again.content.decode() and KioskSession.objects.count() == 1
