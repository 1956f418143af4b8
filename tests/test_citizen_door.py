"""Min side's pages and changes: the citizen's own record in their own words, changes through the staff use cases."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import login_citizen, login_verified
from traedesten.accounts.models import AuditEvent, CaseloadAssignment, Department, Team
from traedesten.accounts.principals import CitizenPrincipal
from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.gate import Section, clearance, persons_reached
from traedesten.insights.models import Questionnaire
from traedesten.insights.surveys import invite
from traedesten.measures.models import Administration, Instrument
from traedesten.measures.services import administer
from traedesten.people.models import Consent, DataRequest
from traedesten.plans.models import CoordinatorNote, Plan
from traedesten.plans.services import save_plan
from traedesten.records import letters

ORS = {"item-individual": "6.5", "item-interpersonal": "7", "item-social": "5.5", "item-overall": "6"}


@pytest.fixture
def ane(make_person, guide, team):
    person = make_person(guide, team=team, first_name="Ane", last_name="Borgersen", cpr="0707771237", worker=guide)
    courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                         start=timezone.localdate() - datetime.timedelta(days=20), team=team)
    save_plan(guide, person, {
        "dreams": ["At få en hverdag"],
        "goals": [{"id": "g1", "citizen_text": "Jeg vil selv åbne min post", "professional_text": "Faglig-tekst-X",
                   "measurable": "Målbar-tekst-X", "sub_goals": [{"id": "s1", "text": "Åbne e-Boks én gang"},
                                                               {"id": "s2", "text": "Læse brevene"}],
                   "actions": [{"text": "Vi øver sammen", "responsible": "worker", "worker_id": guide.pk}]}],
        "coping": {"strategies": ["Gå en tur"], "people": [{"name": "Søster Lise", "phone": "12 34 56 78"}]},
        "crisis": {"what_helps": "Ro og te", "contacts": [{"name": "Vagten", "phone": "70 20 10 00"}]},
    }, expected_version=0)
    return person


@pytest.fixture
def bo(make_person, guide, team):
    return make_person(guide, team=team, first_name="Bo", last_name="Andersen", cpr="0808881236")


def test_min_plan_shows_the_citizens_words_only(client, ane):
    login_citizen(client, ane.pk)
    page = client.get("/min-side/plan/").content.decode()
    for shown in ("Jeg vil selv åbne min post", "Åbne e-Boks én gang", "Vi øver sammen", "Gå en tur",
                  'href="tel:12345678"', "Ro og te", "Din Indgang", "Din kontaktperson"):
        assert shown in page, shown
    assert "Faglig-tekst-X" not in page and "Målbar-tekst-X" not in page and "0707771237" not in page
    read = AuditEvent.objects.filter(person_id=ane.pk, section="min_side_plan").get()
    assert read.by_citizen and read.user is None and "goals" in read.fields


def test_ticking_a_stone_is_the_citizens_own_version_with_a_note(client, ane, guide):
    login_citizen(client, ane.pk)
    plan = Plan.objects.get(person=ane)
    response = client.post("/min-side/plan/traedesten/", {"goal": "g1", "stone": "s1", "done": "1",
                                                         "version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    version = plan.current
    assert version.by_citizen and version.created_by is None and version.number == 2
    assert "Borgeren har selv markeret" in version.note
    stones = {s["id"]: s["status"] for s in version.content["goals"][0]["sub_goals"]}
    assert stones == {"s1": "done", "s2": "not_started"}
    assert version.content["goals"][0]["professional_text"] == "Faglig-tekst-X"  # the rest of the plan stands
    note = CoordinatorNote.objects.get(plan=plan)
    assert note.done and note.stone == "Åbne e-Boks én gang" and note.seen_at is None
    assert AuditEvent.objects.filter(person_id=ane.pk, section="plan", action="update", by_citizen=True).exists()

    # A stale page is a conflict, never an overwrite; the same tick twice changes nothing.
    stale = client.post("/min-side/plan/traedesten/", {"goal": "g1", "stone": "s2", "done": "1", "version": 1},
                        follow=True)
    assert "lige blevet ændret" in stale.content.decode()
    client.post("/min-side/plan/traedesten/", {"goal": "g1", "stone": "s1", "done": "1", "version": 2})
    assert Plan.objects.get(pk=plan.pk).version == 2
    missing = client.post("/min-side/plan/traedesten/", {"goal": "g1", "stone": "nope", "done": "1", "version": 2},
                          follow=True)
    assert "findes ikke længere" in missing.content.decode()

    # The coordinator sees it on the start page and on the plan, which marks it seen.
    login_verified(client, guide)
    assert "Åbne e-Boks én gang" in client.get("/").content.decode()
    plan_page = client.get(f"/plan/{ane.pk}/").content.decode()
    assert "Borgeren har selv markeret »Åbne e-Boks én gang« som nået" in plan_page
    assert CoordinatorNote.objects.get(plan=plan).seen_by == guide
    assert "Borgeren selv (Min side)" in client.get(f"/plan/{ane.pk}/versioner/").content.decode()


def test_a_citizen_cannot_tick_or_read_anothers_plan(client, ane, bo, guide):
    save_plan(guide, bo, {"goals": [{"id": "g1", "citizen_text": "Bos mål",
                                     "sub_goals": [{"id": "s1", "text": "Bos trædesten"}]}]}, expected_version=0)
    login_citizen(client, ane.pk)
    client.post("/min-side/plan/traedesten/", {"goal": "g1", "stone": "s1", "done": "1", "version": 1})
    assert Plan.objects.get(person=bo).version == 1  # Ane's own stone s1 may be ticked, never Bo's
    assert "Bos mål" not in client.get("/min-side/plan/").content.decode()
    principal = CitizenPrincipal(ane.pk)
    assert not clearance(principal, bo).readable and Section.GOALS in clearance(principal, ane).writable
    assert list(persons_reached(principal, Section.IDENTITY)) == [ane]


def test_scoring_at_home_uses_the_kiosks_rules_and_is_marked(client, ane, guide):
    login_citizen(client, ane.pk)
    form = client.get("/min-side/maalinger/ORS/").content.decode()
    assert 'type="range"' in form and "Mig selv" in form
    incomplete = client.post("/min-side/maalinger/ORS/", {"item-individual": "5"})
    assert "Alle spørgsmål skal besvares" in incomplete.content.decode()
    outside = client.post("/min-side/maalinger/ORS/", {**ORS, "item-overall": "11"})
    assert "uden for skalaen" in outside.content.decode()
    assert client.post("/min-side/maalinger/ORS/", ORS).status_code == 302
    given = Administration.objects.get(person=ane)
    assert given.at_home and given.rater == "citizen" and given.total == Decimal("25.0")
    assert given.administered_by is None and given.on == timezone.localdate()
    again = client.post("/min-side/maalinger/ORS/", ORS)
    assert "allerede givet din vurdering i dag" in again.content.decode()
    assert client.get("/min-side/maalinger/SRS/").status_code == 404  # rated after a session, not at home
    scores = client.get("/min-side/maalinger/").content.decode()
    assert "25 ud af 40" in scores and "givet hjemmefra" in scores

    login_verified(client, guide)
    trajectory = client.get(f"/maaling/borger/{ane.pk}/ORS/").content.decode()
    assert "givet hjemmefra" in trajectory


def test_scores_in_plain_words(client, ane, guide):
    ors = Instrument.objects.get(code="ORS")
    today = timezone.localdate()
    values = lambda v: {k: Decimal(v) for k in ("individual", "interpersonal", "social", "overall")}  # noqa: E731
    administer(guide, ane, ors, on=today - datetime.timedelta(days=14), values=values(3), note="Staff-note-X")
    administer(guide, ane, ors, on=today, values=values(6))
    login_citizen(client, ane.pk)
    page = client.get("/min-side/maalinger/").content.decode()
    assert "24 ud af 40" in page and "12 bedre end sidst" in page and "Det går fremad" in page
    assert "Staff-note-X" not in page


def test_consents_given_and_withdrawn_through_the_staff_use_case(client, ane, make_user):
    jobcentre = Department.objects.get(code="jobcentre")
    caseworker = make_user(Role.AUTHORITY, [Team.objects.create(name="Jobcenter", department=jobcentre)])
    CaseloadAssignment.objects.create(person=ane, team=caseworker.teams.get())
    assert Section.GOALS not in clearance(caseworker, ane).readable
    login_citizen(client, ane.pk)
    page = client.get("/min-side/samtykker/").content.decode()
    assert "Jobcenter" in page and "Socialafdeling" not in page.split("Giv et nyt samtykke")[1]
    refused = client.post("/min-side/samtykker/", {"recipient": jobcentre.pk, "scope": ["goals"], "purpose": ""})
    assert "Skriv hvad de skal bruge det til" in refused.content.decode()
    client.post("/min-side/samtykker/", {"recipient": jobcentre.pk, "scope": ["goals", "measures"],
                                         "purpose": "Mødet om job"})
    consent = Consent.objects.get(person=ane)
    assert consent.form == "min_side" and consent.given_by == "citizen" and consent.recorded_by is None
    assert Section.GOALS in clearance(caseworker, ane).readable  # immediately
    created = AuditEvent.objects.get(person_id=ane.pk, section="consent", action="create")
    assert created.by_citizen and created.reason == "jobcentre"

    assert client.post(f"/min-side/samtykker/{consent.pk}/traek-tilbage/").status_code == 302
    assert Section.GOALS not in clearance(caseworker, ane).readable
    assert AuditEvent.objects.filter(person_id=ane.pk, section="consent", action="update", by_citizen=True).exists()


def test_a_citizen_cannot_withdraw_anothers_consent(client, ane, bo, guide):
    from traedesten.people.consent import give_consent

    theirs = give_consent(guide, bo, recipient=Department.objects.get(code="jobcentre"), scope=["goals"],
                          purpose="Bos samtykke", given_on=timezone.localdate())
    login_citizen(client, ane.pk)
    assert client.post(f"/min-side/samtykker/{theirs.pk}/traek-tilbage/").status_code == 404
    assert Consent.objects.get(pk=theirs.pk).withdrawn_at is None
    assert "Bos samtykke" not in client.get("/min-side/samtykker/").content.decode()


@pytest.mark.parametrize("names", ["role", "name"])
def test_min_log_shows_staff_look_ups(client, ane, make_user, other_team, settings, names):
    settings.TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES = names
    outsider = make_user(Role.GUIDE, [other_team], first_name="Karen", last_name="Udefra")
    login_verified(client, outsider)
    client.post(f"/adgang/borger/{ane.pk}/begrundelse/", {"reason": "Borgeren ringede til skranken i dag"})
    client.get(f"/borgere/{ane.pk}/")
    client.logout()
    login_citizen(client, ane.pk)
    client.get("/min-side/plan/")  # the citizen's own reads are not listed
    page = client.get("/min-side/log/").content.decode()
    assert "Guide" in page and "Stamdata" in page and "skrev en begrundelse" in page
    assert ("Karen Udefra" in page) == (names == "name")
    assert "Borgeren ringede" not in page  # that a reason was given, not what it said
    assert "Min plan" not in page.split("<main")[1].split("Min log")[-1]


def test_surveys_and_the_letters_hook(client, ane, guide, settings):
    invite(guide, Questionnaire.objects.get(code="en-plan-afslutning"), ane, base_url="http://testserver/")
    login_citizen(client, ane.pk)
    page = client.get("/min-side/breve/").content.decode()
    assert "Svar på spørgeskemaet" in page and "/svar/" in page and "Du har ingen breve" in page
    settings.TRAEDESTEN_CITIZEN_LETTER_SOURCES = []
    assert "digitale post" in client.get("/min-side/breve/").content.decode()  # no source: where letters are
    settings.TRAEDESTEN_CITIZEN_LETTER_SOURCES = ["test_citizen_door.letters_for_test"]
    assert "Afgørelse om bostøtte" in client.get("/min-side/breve/").content.decode()


def test_the_citizen_reads_the_letters_the_case_record_sent_them_and_no_one_else_s(client, ane, bo, guide):
    sent = letters.send(guide, ane, "invitation", {"date": datetime.date(2026, 3, 2), "time": "10", "place": "Huset",
                                                   "purpose": "at tale om din plan"},
                        channel="digital_post", today=datetime.date(2026, 2, 20))
    login_citizen(client, ane.pk)
    page = client.get("/min-side/breve/").content.decode()
    assert sent.subject in page and f"/min-side/breve/{sent.pk}/" in page
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(f"/min-side/breve/{sent.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF") and "sandbox" in response["Content-Security-Policy"]
    read = AuditEvent.objects.filter(pk__gt=before).get()
    assert (read.section, read.by_citizen, read.person_id) == ("min_side_letter", True, ane.pk)
    login_citizen(client, bo.pk)
    assert client.get(f"/min-side/breve/{sent.pk}/").status_code == 404
    assert sent.subject not in client.get("/min-side/breve/").content.decode()


def letters_for_test(person):
    from traedesten.citizen.inbox import Letter

    return [Letter(timezone.localdate(), "Afgørelse om bostøtte", sender="Myndighed")]


def test_requests_for_a_copy_and_a_correction_reach_the_staff_queue(client, ane, bo, guide, make_user):
    login_citizen(client, ane.pk)
    short = client.post("/min-side/mine-data/", {"kind": "rectification", "text": "Forkert"})
    assert "mindst 10 tegn" in short.content.decode()
    client.post("/min-side/mine-data/", {"kind": "rectification", "text": "Min adresse er Torvet 2, ikke Torvet 3"})
    client.post("/min-side/mine-data/", {"kind": "access"})
    twice = client.post("/min-side/mine-data/", {"kind": "access"})
    assert "allerede en anmodning" in twice.content.decode()
    requests = {r.kind: r for r in DataRequest.objects.filter(person=ane)}
    assert set(requests) == {"access", "rectification"}
    due = requests["access"].due_on
    assert due > timezone.localdate() + datetime.timedelta(days=27) and due <= timezone.localdate() + datetime.timedelta(days=31)

    login_verified(client, guide)
    queue = client.get("/borgere/anmodninger/").content.decode()
    assert "Ane Borgersen" in queue and "Torvet 2" in queue
    refused = client.post(f"/borgere/anmodninger/{requests['rectification'].pk}/",
                          {"status": "done", "answer": "", "version": 1}, follow=True)
    assert "Skriv svaret til borgeren" in refused.content.decode()
    client.post(f"/borgere/anmodninger/{requests['rectification'].pk}/",
                {"status": "done", "answer": "Adressen er rettet.", "version": 1})
    assert DataRequest.objects.get(pk=requests["rectification"].pk).handled_by == guide

    dpo = make_user(Role.DPO)
    login_verified(client, dpo)
    queue = client.get("/borgere/anmodninger/").content.decode()
    assert "Indsigt i mine data" in queue and "Ane Borgersen" not in queue and f"borger nr. {ane.pk}" in queue
    assert "Torvet" not in queue  # the citizen's words stay with the staff who reach them
    assert client.post(f"/borgere/anmodninger/{requests['access'].pk}/",
                       {"status": "in_progress", "answer": "", "version": 1}).status_code == 302
    other = make_user(Role.GUIDE, [Team.objects.create(name="Fjernt team")])
    login_verified(client, other)
    assert "Ane Borgersen" not in client.get("/borgere/anmodninger/").content.decode()
    assert client.post(f"/borgere/anmodninger/{requests['access'].pk}/",
                       {"status": "done", "answer": "x", "version": 2}).status_code == 403

    login_citizen(client, ane.pk)
    mine = client.get("/min-side/mine-data/").content.decode()
    assert "Adressen er rettet." in mine and "Under behandling" in mine
