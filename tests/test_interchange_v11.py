"""Interchange 1.1: fixed costs, payer shares, staff time, reception and guide-conversation times, grant goals and a
group's end survive export → import, and the importer refuses them by the web's own rules."""

import datetime
import io
import json
import re
from decimal import Decimal as D

import pytest
import time_machine
from django.db import transaction

from conftest import goal_input, grant_kwargs
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.authority.models import GoalExpectation, GrantGoal
from traedesten.courses import groups, services as courses
from traedesten.courses.models import Activity, Ending, Offer, StaffTime
from traedesten.economy import services as economy
from traedesten.economy.admin import PriceItemForm
from traedesten.economy.models import FixedCost, PriceItem
from traedesten.frontdoor import services as frontdoor
from traedesten.frontdoor.models import Contact, GuideConversation
from traedesten.insights import kpis
from traedesten.insights.scope import Scope
from traedesten.interop import exporter
from traedesten.interop.importer import import_lines

MARCH = Scope(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))


def line(**record) -> str:
    return json.dumps(record, ensure_ascii=False)


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, 3, day, hour, minute, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


class _Undo(Exception):
    pass


def _exported() -> list[str]:
    out = io.StringIO()
    exporter.export(out)
    return [re.sub(r',"exported_at":"[^"]*"', "", text) for text in out.getvalue().splitlines()]


def _municipality(guide, colleague, make_person, team):
    """Everything 1.1 carries, made through the web's use cases."""
    din = Offer.objects.get(name="Din Indgang – forløb")
    item = PriceItem.objects.get(name="§85 bostøtte, 3-6 timer/uge")
    PriceItem.objects.filter(pk=item.pk).update(share_kommune=D("0.5"), share_region=D("0.5"))
    economy.set_price(item, annual_cost=D(48_000), valid_from=datetime.date(2025, 1, 1))
    FixedCost.objects.create(name="Lokaler i Indgangen", annual_cost=D(120_000), valid_from=datetime.date(2025, 1, 1))
    person = make_person(guide, team=team)
    with time_machine.travel(_at(3, 10)):
        contact = frontdoor.register_contact(guide, origin="citizen", channel="walk_in", person=person)
    with time_machine.travel(_at(3, 10, 25)):
        frontdoor.route(guide, contact, "guide_conversation")
    with time_machine.travel(_at(10, 9)):
        conversation = frontdoor.hold_guide_conversation(
            guide, person=person, on=datetime.date(2025, 3, 10), location="front_door", outcome="course_started",
            hours=D(1), staff_2=colleague, contact=contact, offer=din)
        courses.record_activity(guide, person, kind="coaching", on=datetime.date(2025, 3, 10), course=conversation.course,
                                delivered_hours=D("1.5"), staff_hours={guide: D("1.5"), colleague: D("0.5")})
        grants.create_grant(guide, person, goals=[goal_input()], **grant_kwargs(
            decided_on=datetime.date(2025, 3, 5), starts_on=datetime.date(2025, 3, 5),
            follow_up_on=datetime.date(2025, 9, 5)))
        group = groups.create_group(guide, Offer.objects.get(name="Gruppeforløb"), theme="Ro på", planned_sessions=1,
                                    start=datetime.date(2025, 3, 3), session_hours=D(2), facilitators=[guide])
        groups.enrol(guide, group, person)
        groups.register_session(guide, group, on=datetime.date(2025, 3, 3), hours=D(2),
                                attendance={person.pk: "attended"}, staff_hours={guide: D(2)}, cap_reason="Én facilitator i dag")


def test_export_then_import_into_an_empty_installation_keeps_every_1_1_record(guide, make_user, make_person, team):
    colleague = make_user(Role.GUIDE, [team], username="kollega")
    try:
        with transaction.atomic():
            _municipality(guide, colleague, make_person, team)
            first = _exported()
            [(_k, waiting)] = kpis.exact(MARCH, ["waiting"])
            raise _Undo
    except _Undo:
        pass
    assert not Contact.objects.exists() and not StaffTime.objects.exists()
    assert json.loads(first[0])["version"] == "1.2"  # the export writes the newest version, which holds all of 1.1
    assert {json.loads(text)["type"] for text in first} >= {"fixed_cost", "guide_conversation"}
    report = import_lines(first)
    assert report.ok, report.errors
    assert sorted(_exported()) == sorted(first)
    [(_k, again)] = kpis.exact(MARCH, ["waiting"])
    assert again.rows == waiting.rows and waiting.rows[0].values[2] == 1 and waiting.rows[1].values[2] == 1
    assert Contact.objects.get().received_at - Contact.objects.get().at == datetime.timedelta(minutes=25)
    conversation = GuideConversation.objects.get()
    assert (conversation.staff_1, conversation.staff_2, conversation.outcome) == (guide, colleague, "course_started")
    item = PriceItem.objects.get(name="§85 bostøtte, 3-6 timer/uge")
    assert (item.share_kommune, item.share_region, item.share_stat) == (D("0.5"), D("0.5"), 0)
    assert FixedCost.objects.get().annual_cost == 120_000
    assert sorted(StaffTime.objects.filter(activity__isnull=False).values_list("user__username", "hours")) == [
        ("guide", D(1)), ("guide", D("1.5")), ("kollega", D("0.5")), ("kollega", D(1))]
    goal = GrantGoal.objects.get()
    assert (goal.baseline_level, goal.target_level, list(goal.expectations.values_list("expected_level", flat=True))) == (
        3, 1, [2])
    again = import_lines(first)
    assert again.rows == report.rows
    for kind in ("contact", "activity", "staff_time", "guide_conversation", "goal", "fixed_cost", "group", "grant"):
        assert (again.created[kind], again.updated[kind]) == (0, 0), kind


def test_a_1_0_file_is_read_and_leaves_what_1_1_added_alone(guide, make_user, make_person, team):
    colleague = make_user(Role.GUIDE, [team], username="kollega")
    _municipality(guide, colleague, make_person, team)
    plain = [text for text in _exported() if json.loads(text)["type"] not in ("fixed_cost", "guide_conversation")]
    old = []
    for text in plain:
        record = json.loads(text)
        record.pop("staff", None), record.pop("received_at", None), record.pop("goals", None), record.pop("ended_on", None)
        record.pop("payer_shares", None)
        if record["type"] == "header":
            record["version"] = "1.0"
        old.append(json.dumps(record, ensure_ascii=False))
    assert import_lines(old).ok
    assert Contact.objects.get().received_at is not None and StaffTime.objects.filter(activity__isnull=False).count() == 4
    assert GuideConversation.objects.exists() and GoalExpectation.objects.exists()


PERSON = line(type="person", id="N-1", first_name="Ane", last_name="Dam")


@pytest.mark.parametrize("record, field, reason", [
    (line(type="price", item="§85 bostøtte, 3-6 timer/uge", annual_cost=1, valid_from="2025-01-01",
          payer_shares={"kommune": 0.5, "region": 0.4, "stat": 0}),
     "payer_shares", "Betalerandelene (kommune, region, stat) skal tilsammen være 1 (100 %)."),
    (line(type="fixed_cost", name="Lokaler", annual_cost=-5, valid_from="2025-01-01"), "",
     "En fast udgift kan ikke være negativ."),
    (line(type="fixed_cost", name="Lokaler", annual_cost=5, valid_from="2025-01-01", valid_to="2024-01-01"), "",
     "Slutdatoen ligger før startdatoen."),
    (line(type="contact", id="H-1", at="2025-03-03T10:00:00+01:00", person="N-1", received_at="2025-03-03T09:59:00+01:00"),
     "received_at", "Borgeren kan ikke være modtaget, før henvendelsen blev registreret."),
    (line(type="activity", id="A-1", person="N-1", kind="coaching", on="2025-03-03", staff=[{"user": "ukendt", "hours": 1}]),
     "staff", "ukendt medarbejder »ukendt« (opret brugeren først, eller importér med --create-staff)"),
    (line(type="activity", id="A-1", person="N-1", kind="coaching", on="2025-03-03", staff=[{"user": "guide", "hours": 25}]),
     "staff", "Mere end 24 timer på én dag er ikke muligt."),
    (line(type="group", id="G-1", offer="Gruppeforløb", theme="Ro", start="2025-03-03", ended_on="2025-03-02"), "ended_on",
     "Holdet kan ikke slutte før sin start eller sin sidste gang (03.03.2025)."),
])
def test_1_1_records_are_refused_by_the_web_s_own_rules(guide, record, field, reason):
    report = import_lines([PERSON, record])
    assert (2, field, reason) in {(e.line, e.field, e.reason) for e in report.errors}, report.errors


def test_a_guide_conversation_and_goals_are_checked_as_on_the_grant_and_conversation_pages(guide):
    lines = [PERSON,
             line(type="activity", id="A-1", person="N-1", kind="coaching", on="2025-03-03"),
             line(type="activity", id="A-2", person="N-1", kind="guide_conversation", on="2025-03-03"),
             line(type="guide_conversation", activity="A-1", outcome="course_started", staff=["guide"]),
             line(type="guide_conversation", activity="A-2", outcome="course_started", staff=["guide", "guide"]),
             line(type="grant", id="B-1", person="N-1", legal_basis="SEL §85", decided_on="2025-03-01", starts_on="2025-03-01",
                  goals=[{"title": "Åbner selv sin post", "condition_code": goal_input().condition_code, "baseline_level": 3,
                          "target_level": 7, "goal_type_code": goal_input().goal_type_code,
                          "expectations": [{"due_on": "2025-09-01", "expected_level": 2}]}])]
    reasons = {(e.line, e.field): e.reason for e in import_lines(lines).errors}
    assert reasons[(4, "activity")] == "aktiviteten »A-1« er ikke en guidesamtale"
    assert reasons[(5, "staff")] == "den samme medarbejder står to gange"
    assert reasons[(5, "")] == "Medarbejder 2 skal være en anden end dig."
    assert reasons[(6, "goals.0")] == "Funktionsevneniveauet for målet »Åbner selv sin post« skal ligge på FFB-skalaen 0-4."


def test_staff_without_an_account_can_be_given_an_inactive_one(db):
    from traedesten.accounts.models import User

    lines = [PERSON, line(type="activity", id="A-1", person="N-1", kind="coaching", on="2025-03-03",
                          staff=[{"user": "nexus-4711", "hours": 1}])]
    assert not import_lines(lines).ok
    report = import_lines(lines, create_staff=True)
    assert report.ok and report.created["user"] == 1
    user = User.objects.get(username="nexus-4711")
    assert not user.is_active and not user.has_usable_password() and user.role == Role.VOLUNTEER
    assert StaffTime.objects.get().user == user


def test_the_admin_refuses_payer_shares_with_the_import_s_message(db):
    form = PriceItemForm({"name": "Ny post", "legal_basis": "SEL §85", "share_kommune": "0.5", "share_region": "0.4",
                          "share_stat": "0", "active": "on"})
    assert not form.is_valid()
    assert "Betalerandelene (kommune, region, stat) skal tilsammen være 1 (100 %)." in form.non_field_errors()


def _ended_with_a_klip(guide, make_person, team) -> None:
    person = make_person(guide, team=team)
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                                  start=datetime.date(2025, 1, 6))
    course = courses.close_course(guide, course, closed_on=datetime.date(2025, 3, 3), destination="civil_society",
                                  expected_version=course.version,
                                  ending={"what_helped": "At nogen lyttede", "klip": 1, "call_name": "Din Indgang",
                                          "after_care_on": datetime.date(2025, 6, 2)})
    courses.record_activity(guide, person, kind="on_demand_session", on=datetime.date(2025, 4, 7), course=course,
                            delivered_hours=D(1))


def test_the_ending_record_and_its_klippekort_travel_with_the_closing(guide, make_person, team):
    """An exported klip is imported again: the closing carries the ending that granted it (1.1, decision 0052)."""
    try:
        with transaction.atomic():
            _ended_with_a_klip(guide, make_person, team)
            first = _exported()
            raise _Undo
    except _Undo:
        pass
    closing = next(json.loads(text) for text in first if json.loads(text)["type"] == "closing")
    assert closing["ending"] == {"what_helped": "At nogen lyttede", "coping_plan_checked": False, "call_name": "Din Indgang",
                                 "after_care_on": "2025-06-02", "klip_granted": 1}
    [used] = [t for t in first if json.loads(t)["type"] == "activity" and json.loads(t)["kind"] == "on_demand_session"]
    second = used.replace(json.loads(used)["id"], "X-2").replace("2025-04-07", "2025-04-14")
    refused = import_lines([*first, second])
    assert not refused.ok and any("brugt op" in e.reason for e in refused.errors)
    report = import_lines(first)
    assert report.ok, report.errors
    ending = Ending.objects.get()
    assert (ending.what_helped, ending.klip_granted, ending.after_care_on) == ("At nogen lyttede", 1,
                                                                               datetime.date(2025, 6, 2))
    assert Activity.objects.filter(kind="on_demand_session").count() == 1
    assert sorted(_exported()) == sorted(first)
