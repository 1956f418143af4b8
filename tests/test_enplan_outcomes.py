"""Én plan outcomes (issue 26 items 5-8, decision 0061): case-level progression at a follow-up and a closing, per
member for a family; the nine before/after themes; the closing survey in full with its versions and cross-tables; the
complaints register with its deadline on the worklist. Fixed dates throughout."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import goal_input, grant_kwargs, login_verified
from traedesten.accounts.models import Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.authority.models import CaseProgression, Complaint, FollowUp
from traedesten.authority.outcomes import COMPLAINT_ANSWER_WEEKS
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.gate import clearance
from traedesten.insights import kpis, surveys
from traedesten.insights.catalogue import CLOSING, CLOSING_CODES
from traedesten.insights.models import Invitation, Questionnaire, Response
from traedesten.insights.outcomes import complaints as complaints_report, progression_by_cluster, theme_change
from traedesten.insights.scope import Scope
from traedesten.measures import definitions
from traedesten.measures.models import Administration, Instrument
from traedesten.measures.services import administer
from traedesten.people.models import Household, HouseholdMember, Person
from traedesten.usecases import outcomes as cases, worklists

D = datetime.date
JAN = D(2026, 1, 5)
PERIOD = Scope(D(2026, 1, 1), D(2026, 6, 30))
BASE = "https://traedesten.example.dk/"


@pytest.fixture
def authority_team(db):
    return Team.objects.create(name="Myndighed voksen", department=Department.objects.get(code="authority"))


@pytest.fixture
def caseworker(make_user, authority_team):
    return make_user(Role.AUTHORITY, [authority_team], username="myndighed")


def in_cluster(person, cluster):
    Person.objects.filter(pk=person.pk).update(cluster=cluster)
    person.refresh_from_db()
    return person


@pytest.fixture
def person(caseworker, make_person, authority_team):
    return in_cluster(make_person(caseworker, team=authority_team), "adult")


@pytest.fixture
def grant(caseworker, person):
    return grants.create_grant(caseworker, person, goals=[goal_input()], **grant_kwargs())


@pytest.fixture
def follow_up(grant, caseworker):
    return FollowUp.objects.create(grant=grant, held_on=JAN, status_code="x", held_by=caseworker)


def family(caseworker, make_person, authority_team, n=2):
    household = Household.objects.create(name="Familien Holm", started_on=D(2025, 6, 1), coordinator=caseworker)
    members = [make_person(caseworker, team=authority_team) for _ in range(n)]
    for i, m in enumerate(members):
        HouseholdMember.objects.create(household=household, person=m, role="adult" if i == 0 else "child",
                                       joined_on=D(2025, 6, 1))
    return household, members


# --- 5. Case-level progression ------------------------------------------------------------------------------------

def test_progression_is_recorded_at_a_follow_up_and_a_second_entry_replaces_it(caseworker, person, follow_up):
    c = clearance(caseworker, person)
    row = cases.record_progression(c, category="partial", reason="  Tættere på uddannelse ", on=JAN, follow_up=follow_up)
    assert (row.occasion, row.category, row.reason, row.cluster, row.assessed_on) == (
        "follow_up", "partial", "Tættere på uddannelse", "adult", JAN)
    cases.record_progression(c, category="progression", reason="Startet på HF", on=JAN, follow_up=follow_up)
    assert list(CaseProgression.objects.values_list("category", flat=True)) == ["progression"]
    with pytest.raises(ValidationError, match="begrundelse"):
        cases.record_progression(c, category="none", reason=" ", on=JAN, follow_up=follow_up)
    with pytest.raises(ValidationError, match="kategori"):
        cases.record_progression(c, category="better", reason="x", on=JAN, follow_up=follow_up)
    assert CaseProgression.objects.count() == 1


def test_only_who_decides_the_grant_records_progression_at_its_follow_up(guide, person, follow_up):
    with pytest.raises(PermissionDenied):
        cases.record_progression(clearance(guide, person), category="none", reason="x", on=JAN, follow_up=follow_up)
    assert not CaseProgression.objects.exists()


def test_progression_at_the_closing_of_a_course(guide, make_person, team):
    citizen = in_cluster(make_person(guide, team=team), "youth")
    offer = Offer.objects.get(name="Din Indgang – forløb")
    course = courses.start_course(guide, citizen, offer, start=D(2026, 1, 5))
    course = courses.close_course(guide, course, closed_on=D(2026, 3, 2), destination="no_further_help",
                                  expected_version=course.version)
    row = cases.record_progression(clearance(guide, citizen), category="regression", reason="Mistede sin bolig",
                                   on=course.closed_on, course=course)
    assert (row.occasion, row.course_id, row.cluster) == ("closing", course.pk, "youth")


def test_a_family_is_assessed_per_member_and_may_be_split_all_or_nothing(caseworker, make_person, authority_team):
    household, (mother, son) = family(caseworker, make_person, authority_team)
    grant = grants.create_grant(caseworker, mother, goals=[goal_input()], **grant_kwargs())
    fu = FollowUp.objects.create(grant=grant, held_on=JAN, status_code="x", held_by=caseworker)
    anchor = clearance(caseworker, mother)
    with pytest.raises(ValidationError, match="begrundelse"):
        cases.record_family_progression(anchor, [(anchor, "progression", "I job"), (clearance(caseworker, son), "none", "")],
                                        household=household, on=JAN, follow_up=fu)
    assert not CaseProgression.objects.exists()
    cases.record_family_progression(anchor, [(anchor, "progression", "I job"),
                                             (clearance(caseworker, son), "none", "Trives ikke i skolen")],
                                    household=household, on=JAN, follow_up=fu)
    rows = {r.person_id: (r.category, r.cluster, r.household_id) for r in CaseProgression.objects.all()}
    assert rows == {mother.pk: ("progression", "family", household.pk), son.pk: ("none", "family", household.pk)}
    table = progression_by_cluster(PERIOD).exact()
    by_key = {r.key: r.values for r in table.all_rows()}
    # columns: family, adult, youth, no cluster, total, share of cases, of which split family cases
    assert by_key["progression"] == [1, 0, 0, 0, 1, 100, 1]
    assert by_key["none"] == [1, 0, 0, 0, 1, 100, 1]
    assert by_key["total"] == [1, 0, 0, 0, 1, 100, 1]


def _assess(person, category, on, cluster, household=None):
    return CaseProgression.objects.create(person=person, household=household, occasion="closing", cluster=cluster,
                                          assessed_on=on, category=category, reason="r")


def test_the_progression_report_counts_cases_by_cluster_exactly_and_publishes_them_rounded(db):
    people = [Person.objects.create(first_name=f"P{i}") for i in range(40)]
    # 12 adults: 7 progression, 3 partial, 2 none; one of the progression adults was 'none' earlier (replaced)
    for i, cat in enumerate(["progression"] * 7 + ["partial"] * 3 + ["none"] * 2):
        _assess(people[i], cat, D(2026, 3, 1), "adult")
    _assess(people[0], "none", D(2026, 2, 1), "adult")
    # 4 youth: 3 regression, 1 progression
    for i, cat in enumerate(["regression"] * 3 + ["progression"], start=12):
        _assess(people[i], cat, D(2026, 4, 1), "youth")
    # outside the period: not counted
    _assess(people[16], "progression", D(2025, 12, 31), "adult")
    _assess(people[17], "progression", D(2026, 7, 1), "adult")
    # 2 families: one split (progression + none), one both partial
    h1 = Household.objects.create(name="A", started_on=D(2025, 1, 1))
    h2 = Household.objects.create(name="B", started_on=D(2025, 1, 1))
    _assess(people[20], "progression", D(2026, 5, 1), "family", h1)
    _assess(people[21], "none", D(2026, 5, 1), "family", h1)
    _assess(people[22], "partial", D(2026, 5, 1), "family", h2)
    _assess(people[23], "partial", D(2026, 5, 1), "family", h2)
    exact = {r.key: r.values for r in progression_by_cluster(PERIOD).exact().all_rows()}
    #                         family adult youth none total share split
    assert exact["progression"] == [1, 7, 1, 0, 9, 50, 1]
    assert exact["partial"] == [1, 3, 0, 0, 4, 22, 0]
    assert exact["none"] == [1, 2, 0, 0, 3, 17, 1]
    assert exact["regression"] == [0, 0, 3, 0, 3, 17, 0]
    assert exact["total"] == [2, 12, 4, 0, 18, 100, 1]
    published = {r.key: r.values for r in progression_by_cluster(PERIOD).published().all_rows()}
    assert published["progression"] == [0, 5, 0, 0, 10, None, 0]  # 1, 2 -> 0; a share under a base of 25 is hidden
    assert published["partial"] == [0, 5, 0, 0, 5, None, 0]
    assert published["regression"] == [0, 0, 5, 0, 5, None, 0]
    assert published["total"] == [0, 10, 5, 0, 20, None, 0]


def test_case_progression_is_a_key_figure():
    assert {"case_progression", "theme_change", "complaints"} <= set(kpis.BY_KEY)


# --- 6. The nine before/after themes ------------------------------------------------------------------------------

THEMES = ["job_education", "health", "everyday", "social", "contact", "belief", "competences", "labour_market", "family"]


def test_the_before_after_instrument_loads_with_nine_themes_and_two_phases(db):
    raw = json.loads((Path(definitions.__file__).parent / "instruments" / "foer-efter.json").read_text(encoding="utf-8"))
    defn = definitions.parse(raw)
    assert defn.item_codes == THEMES and raw["phases"] == ["before", "after"]
    assert Instrument.objects.get(code="FOER-EFTER").current.parsed.item_codes == THEMES


def test_a_before_after_score_needs_its_phase_and_other_instruments_take_none(caseworker, person):
    instrument = Instrument.objects.get(code="FOER-EFTER")
    with pytest.raises(ValidationError, match="før eller efter"):
        administer(caseworker, person, instrument, on=JAN, values={"health": 2}, rater="worker")
    with pytest.raises(ValidationError, match="måles ikke før og efter"):
        administer(caseworker, person, Instrument.objects.get(code="STJERNE"), on=JAN, values={}, rater="citizen",
                   phase="before")
    a = administer(caseworker, person, instrument, on=JAN, values={"health": 2}, rater="worker", phase="before")
    assert a.phase == "before" and a.status == "partial"


def test_the_change_per_theme_is_exact_and_small_cells_are_hidden(caseworker, make_person, authority_team):
    instrument = Instrument.objects.get(code="FOER-EFTER")
    # (before, after) on job_education and health per citizen; health skipped after for the third
    pairs = [((2, 3), (4, 3)), ((3, 2), (3, 4)), ((4, 5), (2, None))]
    for (b_job, b_health), (a_job, a_health) in pairs:
        p = make_person(caseworker, team=authority_team)
        administer(caseworker, p, instrument, on=D(2026, 1, 10), values={"job_education": b_job, "health": b_health},
                   rater="worker", phase="before")
        after = {"job_education": a_job} | ({"health": a_health} if a_health else {})
        administer(caseworker, p, instrument, on=D(2026, 5, 10), values=after, rater="worker", phase="after")
    lonely = make_person(caseworker, team=authority_team)  # an after without a before: not counted
    administer(caseworker, lonely, instrument, on=D(2026, 5, 10), values={"job_education": 5}, rater="worker",
               phase="after")
    rows = {r.key: r.values for r in theme_change(PERIOD).exact().rows}
    # improved, same, worse, citizens, mean change
    assert rows["job_education"] == [1, 1, 1, 3, Decimal("0.00")]
    assert rows["health"] == [1, 1, 0, 2, Decimal("1.00")]
    assert rows["family"] == [0, 0, 0, 0, None]
    published = {r.key: r.values for r in theme_change(PERIOD).published().rows}
    assert published["job_education"] == [0, 0, 0, 5, None]  # the mean needs 7 citizens
    assert theme_change(Scope(D(2026, 1, 1), D(2026, 3, 31))).exact().rows[0].values[3] == 0  # no after in the period


# --- 7. The closing survey in full ----------------------------------------------------------------------------------

def test_the_closing_survey_has_every_question_in_two_versions():
    single, fam = (surveys.parse(CLOSING[v]) for v in ("single", "family"))
    assert len(single.questions) == len(fam.questions) == 27
    assert [q.key for q in single.questions] == [q.key for q in fam.questions]
    texts = {q.key: q.text for q in fam.questions}
    assert "du (og din familie)" in texts["own_goals"] and "du (og din familie)" in texts["satisfied"]
    trust = {q.key: q for q in single.questions}
    for key in ("trust_caseworker", "understood", "taken_seriously"):
        assert "unknown_caseworker" in [k for k, _l in trust[key].choices()]
    assert [q.key for q in single.questions if q.show_if] == ["social_goal_met", "work_started", "education_started"]


def test_the_version_follows_the_cluster_and_the_citizen_is_invited_once(guide, make_person, team):
    adult = in_cluster(make_person(guide, team=team), "adult")
    youth = in_cluster(make_person(guide, team=team), "youth")
    parent = in_cluster(make_person(guide, team=team), "adult")
    household = Household.objects.create(name="Familien Berg", started_on=D(2025, 1, 1))
    HouseholdMember.objects.create(household=household, person=parent, role="adult", joined_on=D(2025, 1, 1))
    single = Questionnaire.objects.get(code=CLOSING_CODES["single"])
    on = timezone.localdate()
    assert surveys.closing_questionnaire(adult, on).code == CLOSING_CODES["single"]
    assert surveys.closing_questionnaire(youth, on).code == CLOSING_CODES["single"]
    assert surveys.closing_questionnaire(parent, on).code == CLOSING_CODES["family"]
    invitation, created = surveys.invite(guide, single, parent, base_url=BASE)
    assert created and invitation.questionnaire.code == CLOSING_CODES["family"]
    page = Client().get(f"/svar/{invitation.token}/").content.decode()
    assert "Har du (og din familie) selv været med til at sætte målene" in page
    assert "Jeg kender ikke min sagsbehandler godt nok til at svare" in page
    family_q = Questionnaire.objects.get(code=CLOSING_CODES["family"])
    again, created = surveys.invite(guide, family_q, parent, base_url=BASE)
    assert not created and again.pk == invitation.pk


def test_the_professional_helped_flag_is_kept(guide, make_person, team):
    p = in_cluster(make_person(guide, team=team), "adult")
    invitation, _ = surveys.invite(guide, Questionnaire.objects.get(code=CLOSING_CODES["single"]), p, base_url=BASE)
    response = surveys.answer(invitation, {"trust_caseworker": ["unknown_caseworker"]}, helped=True)
    assert response.helped_by_professional and response.answers == {"trust_caseworker": "unknown_caseworker"}


MARCH = D(2026, 3, 2)


def _respond(code, answers, *, cluster="", birth=None, on=MARCH):
    person = Person.objects.create(first_name="R", cluster=cluster, birth_date=birth)
    invitation = Invitation.objects.create(questionnaire=Questionnaire.objects.get(code=CLOSING_CODES[code]),
                                           person=person, token=f"t{person.pk}", channel="link")
    return Response.objects.create(invitation=invitation, answers=answers, complete=False,
                                   submitted_at=datetime.datetime(on.year, on.month, on.day, 12, tzinfo=datetime.UTC))


def test_cross_table_by_cluster_with_shares_from_the_counts(db):
    for value, n in (("5", 11), ("4", 10), ("3", 7), ("1", 2)):
        for _ in range(n):
            _respond("single", {"trust_caseworker": value}, cluster="adult")
    _respond("single", {"trust_caseworker": "unknown_caseworker"}, cluster="adult")
    _respond("single", {"trust_caseworker": "4"}, cluster="youth")
    _respond("family", {"trust_caseworker": "3"}, cluster="adult")  # the family version counts as family
    _respond("single", {"satisfied": "5"}, cluster="adult")  # did not answer the question
    _respond("single", {"trust_caseworker": "5"}, cluster="adult", on=D(2026, 7, 1))  # outside the period
    table = surveys.cross_table("trust_caseworker", "cluster", PERIOD.start, PERIOD.end)
    assert [c.label for c in table.columns][:5] == ["Høj eller meget høj grad", "Nogen grad", "Lav, meget lav eller værre",
                                                   "Jeg kender ikke min sagsbehandler godt nok til at svare", "Svar i alt"]
    exact = {r.key: r.values for r in table.exact().all_rows()}
    # high, some, low, unknown caseworker, answers, share high, share some, share low
    assert exact["adult"] == [21, 7, 2, 1, 31, 68, 23, 6]
    assert exact["youth"] == [1, 0, 0, 0, 1, 100, 0, 0]
    assert exact["family"][:5] == [0, 1, 0, 0, 1]
    assert exact["total"][:5] == [22, 8, 2, 1, 33]
    published = {r.key: r.values for r in table.published().all_rows()}
    # each count rounded on its own; the shares are of the rounded counts (20/30, 5/30, 0/30)
    assert published["adult"] == [20, 5, 0, 0, 30, 67, 17, 0]
    assert published["youth"] == [0, 0, 0, 0, 0, None, None, None]  # small cells hidden
    assert published["family"] == [0, 0, 0, 0, 0, None, None, None]


def test_cross_table_by_age_group_at_the_day_of_the_answer(db):
    _respond("single", {"helped": "5"}, birth=D(1996, 3, 2))  # 30 on the day: 30 or older
    _respond("single", {"helped": "2"}, birth=D(1996, 3, 3))  # 29
    _respond("single", {"helped": "3"})  # no birth date
    exact = {r.key: r.values[:4] for r in surveys.cross_table("helped", "age", PERIOD.start, PERIOD.end).exact().all_rows()}
    assert exact == {"under_30": [0, 0, 1, 1], "30_plus": [1, 0, 0, 1], "unknown": [0, 1, 0, 1],
                     "total": [1, 1, 1, 3]}


def test_cross_table_refuses_unknown_questions(db):
    with pytest.raises(ValidationError):
        surveys.cross_table("comment", "cluster", PERIOD.start, PERIOD.end)
    with pytest.raises(ValidationError):
        surveys.cross_table("helped", "municipality", PERIOD.start, PERIOD.end)


# --- 8. Complaints ------------------------------------------------------------------------------------------------

def test_a_complaint_is_registered_with_its_four_week_deadline_and_answered(caseworker, person, grant):
    c = clearance(caseworker, person)
    complaint = cases.register_complaint(c, received_on=JAN, channel="ankestyrelsen", kind="decision", grant=grant,
                                         summary="Uenig i timetallet", related_to_experiment=True)
    assert COMPLAINT_ANSWER_WEEKS == 4
    assert complaint.due_on == D(2026, 2, 2) and complaint.responsible == caseworker and complaint.grant == grant
    with pytest.raises(ValidationError, match="før klagen"):
        cases.record_complaint_outcome(c, complaint, version=complaint.version, outcome="upheld", outcome_on=D(2026, 1, 4))
    done = cases.record_complaint_outcome(c, complaint, version=complaint.version, outcome="sent_on",
                                          outcome_on=D(2026, 1, 30), note="Fastholdt og sendt videre")
    assert (done.outcome, done.outcome_on, done.version) == ("sent_on", D(2026, 1, 30), 2)
    with pytest.raises(ValidationError):  # answered already: a version conflict, nothing changed
        cases.record_complaint_outcome(c, complaint, version=complaint.version, outcome="changed", outcome_on=D(2026, 1, 31))
    assert Complaint.objects.get().outcome == "sent_on"


def test_a_complaint_needs_its_decision_and_stays_with_its_citizen(caseworker, person, grant, make_person, authority_team):
    c = clearance(caseworker, person)
    with pytest.raises(ValidationError, match="afgørelse"):
        cases.register_complaint(c, received_on=JAN, channel="written", kind="decision")
    handling = cases.register_complaint(c, received_on=JAN, channel="mayor", kind="handling", summary="Lang svartid")
    assert handling.grant is None and handling.kind == "handling"
    other = make_person(caseworker, team=authority_team)
    with pytest.raises(PermissionDenied):
        cases.register_complaint(clearance(caseworker, other), received_on=JAN, channel="written", kind="decision",
                                 grant=grant)
    with pytest.raises(ValidationError, match="kanal|hvordan"):
        cases.register_complaint(c, received_on=JAN, channel="email", kind="handling")


def test_the_complaint_deadline_reaches_the_responsible_workers_worklist_at_the_boundary(caseworker, person, make_user,
                                                                                          authority_team):
    c = clearance(caseworker, person)
    due_today = cases.register_complaint(c, received_on=JAN, channel="written", kind="handling")  # due 2 Feb
    overdue = cases.register_complaint(c, received_on=D(2026, 1, 4), channel="written", kind="handling")  # due 1 Feb
    in_a_week = cases.register_complaint(c, received_on=D(2026, 1, 12), channel="written", kind="handling")  # 9 Feb
    later = cases.register_complaint(c, received_on=D(2026, 1, 13), channel="written", kind="handling")  # 10 Feb
    answered = cases.register_complaint(c, received_on=D(2026, 1, 2), channel="written", kind="handling")
    cases.record_complaint_outcome(c, answered, version=1, outcome="withdrawn", outcome_on=D(2026, 1, 20))
    today = D(2026, 2, 2)
    work = worklists.worklist(caseworker, scope="mine", today=today)
    assert [k.pk for k in work.complaints] == [overdue.pk, due_today.pk, in_a_week.pk]
    assert later.pk not in [k.pk for k in work.complaints]
    assert [k.due_on < today for k in work.complaints] == [True, False, False]
    colleague = make_user(Role.AUTHORITY, [authority_team])
    assert worklists.worklist(colleague, scope="mine", today=today).complaints == []
    assert len(worklists.worklist(colleague, scope="team", today=today).complaints) == 3


# --- Pages --------------------------------------------------------------------------------------------------------

def test_the_pages_record_progression_at_a_follow_up_and_register_a_complaint(client, caseworker, person, grant,
                                                                             follow_up):
    login_verified(client, caseworker)
    url = f"/myndighed/borger/{person.pk}/progression/opfoelgning/{follow_up.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Delvis progression" in page.content.decode()
    bad = client.post(url, {f"category_{person.pk}": "partial", f"reason_{person.pk}": ""})
    assert "begrundelse" in bad.content.decode() and not CaseProgression.objects.exists()
    ok = client.post(url, {f"category_{person.pk}": "partial", f"reason_{person.pk}": "Tættere på job"})
    assert ok.status_code == 302 and CaseProgression.objects.get().category == "partial"
    grant_page = client.get(f"/myndighed/bevilling/{grant.pk}/").content.decode()
    assert f"/progression/opfoelgning/{follow_up.pk}/" in grant_page
    complaints_url = f"/myndighed/borger/{person.pk}/klager/"
    empty = client.post(complaints_url, {"received_on": "2026-01-05", "channel": "written", "kind": "decision"})
    assert "Vælg den afgørelse" in empty.content.decode() and not Complaint.objects.exists()
    saved = client.post(complaints_url, {"received_on": "2026-01-05", "channel": "written", "kind": "decision",
                                         "grant": grant.pk, "summary": "For få timer"})
    assert saved.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.due_on == D(2026, 2, 2)
    assert "Afventer svar" in client.get(complaints_url).content.decode()
    detail = client.post(f"/myndighed/klage/{complaint.pk}/", {"version": 1, "outcome": "changed", "outcome_on": "2026-01-20"})
    assert detail.status_code == 302 and Complaint.objects.get().outcome == "changed"


def test_the_survey_page_shows_the_cross_tables_of_the_closing_survey(client, make_user):
    manager = make_user(Role.MANAGER)
    login_verified(client, manager)
    page = client.get(f"/indsigt/undersoegelser/{CLOSING_CODES['family']}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Krydstabeller efter klynge og aldersgruppe" in text and "Under 30 år" in text


def test_kpi_json_publishes_the_case_progression(db, capsys):
    people = [Person.objects.create(first_name=f"K{i}", cluster="adult") for i in range(8)]
    for i, p in enumerate(people):
        _assess(p, "progression" if i < 6 else "regression", D(2026, 2, 10), "adult")
    call_command("kpi", "--from", "2026-01-01", "--to", "2026-06-30", "--kpi", "case_progression", "--json")
    data = json.loads(capsys.readouterr().out)
    table = data["kpis"][0]
    assert table["key"] == "case_progression"
    rows = {r["key"]: r["values"] for r in table["rows"]}
    assert rows["progression"][:5] == [0, 5, 0, 0, 5] and rows["regression"][:5] == [0, 0, 0, 0, 0]
    assert table["total"]["values"][4] == 10  # 8 cases, rounded to 10


def test_the_closing_page_records_a_split_family(client, guide, make_person, team):
    household = Household.objects.create(name="Familien Dahl", started_on=D(2025, 6, 1))
    mother, daughter = make_person(guide, team=team), make_person(guide, team=team)
    for m, role in ((mother, "adult"), (daughter, "young")):
        HouseholdMember.objects.create(household=household, person=m, role=role, joined_on=D(2025, 6, 1))
    offer = Offer.objects.get(name="Din Indgang – forløb")
    course = courses.start_course(guide, mother, offer, start=D(2026, 1, 5))
    course = courses.close_course(guide, course, closed_on=D(2026, 3, 2), destination="no_further_help",
                                  expected_version=course.version)
    login_verified(client, guide)
    url = f"/myndighed/borger/{mother.pk}/progression/forloeb/{course.pk}/"
    page = client.get(url).content.decode()
    assert "Familien Dahl" in page and f"category_{daughter.pk}" in page
    response = client.post(url, {f"category_{mother.pk}": "progression", f"reason_{mother.pk}": "Fleksjob 12 timer",
                                 f"category_{daughter.pk}": "regression", f"reason_{daughter.pk}": "Droppet ud af FGU"})
    assert response.status_code == 302
    rows = {r.person_id: (r.category, r.occasion, r.course_id, r.household_id) for r in CaseProgression.objects.all()}
    assert rows == {mother.pk: ("progression", "closing", course.pk, household.pk),
                    daughter.pk: ("regression", "closing", course.pk, household.pk)}
    exact = {r.key: r.values for r in progression_by_cluster(PERIOD).exact().all_rows()}
    assert exact["total"][0] == 1 and exact["total"][-1] == 1  # one family case, split


def test_the_measurement_form_asks_before_or_after_for_the_themes(client, guide, make_person, team):
    person = make_person(guide, team=team)
    login_verified(client, guide)
    url = f"/maaling/borger/{person.pk}/FOER-EFTER/ny/"
    assert "Før eller efter indsatsen" in client.get(url).content.decode()
    client.post(url, {"rater": "worker", "on": "2026-01-05", "phase": "after", "item-job_education": "3", "action": "save"})
    saved = Administration.objects.get(instrument__code="FOER-EFTER")
    assert (saved.phase, saved.item_scores) == ("after", {"job_education": "3"})


def test_the_complaints_report_judges_deadlines_on_the_periods_last_day(db):
    p = Person.objects.create(first_name="K")

    def complaint(received, channel="written", related=False, outcome="", on=None):
        Complaint.objects.create(person=p, received_on=received, channel=channel, kind="handling",
                                 due_on=received + datetime.timedelta(weeks=4), related_to_experiment=related,
                                 outcome=outcome, outcome_on=on)

    complaint(D(2026, 1, 5), outcome="upheld", on=D(2026, 2, 2))  # on the deadline: in time
    complaint(D(2026, 1, 5), outcome="changed", on=D(2026, 2, 3), related=True)  # a day late
    complaint(D(2026, 6, 1))  # open, due 29 June: overdue on 30 June
    complaint(D(2026, 6, 10), channel="mayor")  # open, due 8 July: not overdue yet
    complaint(D(2026, 6, 20), channel="ankestyrelsen", outcome="sent_on", on=D(2026, 7, 2))  # answered after the period
    complaint(D(2025, 12, 31))  # received before the period
    rows = {r.key: r.values for r in complaints_report(PERIOD).exact().all_rows()}
    # received, related, answered in time, answered late, open at the end, of which overdue
    assert rows["written"] == [3, 1, 1, 1, 1, 1]
    assert rows["mayor"] == [1, 0, 0, 0, 1, 0]
    assert rows["ankestyrelsen"] == [1, 0, 0, 0, 1, 0]
    assert rows["total"] == [5, 1, 1, 1, 3, 1]
    assert {r.key: r.values for r in complaints_report(PERIOD).published().all_rows()}["total"] == [5, 0, 0, 0, 5, 0]
