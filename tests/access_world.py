"""A small municipality for the generated access matrix.

Viewers: one user per role (the authority role in the authority department), a jobcentre caseworker, and two
citizens logged in on Min side (citizen A is the "own" citizen, citizen B the "consent_full" one). Citizens:
one per relation a viewer can have (own caseload, another team's, recused, consent none / partial / full to the
jobcentre and the authority, provider of a grant, facilitator of the citizen's group, volunteer escort, a hand-over
received). Every section of every citizen carries its own marker, so a response can be judged by its content.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from conftest import goal_input, grant_kwargs, password_hash, pdf_bytes
from traedesten.accounts.models import (
    ApiToken,
    CaseloadAssignment,
    Competence,
    Department,
    Method,
    OnCallShift,
    OutsideAccess,
    Recusal,
    Team,
    User,
)
from traedesten.accounts.principals import CitizenPrincipal
from traedesten.accounts.roles import Role
from traedesten.authority import grants, handover as handovers, orders
from traedesten.authority.models import AgendaItem, CaseConference, Complaint, DecisionMandate, FollowUp
from traedesten.civil.models import Escort, LocalOffer, Match, Volunteer
from traedesten.courses import groups, services as courses
from traedesten.courses.models import Course, Offer
from traedesten.economy.models import PriceItem
from traedesten.frontdoor.models import Contact
from traedesten.gate import Section
from traedesten.insights.models import Questionnaire
from traedesten.insights.surveys import invite
from traedesten.measures.models import Instrument
from traedesten.measures.services import administer
from traedesten.people import families, services as people
from traedesten.people.consent import give_consent
from traedesten.people.models import ConsentScope, DataRequest, Person
from traedesten.plans.models import Exemption, ExemptionKind
from traedesten.plans.services import save_plan
from traedesten.records import documents, letters, notes

S = Section
JOBCENTRE = "jobcentre"
CITIZEN_VIEWERS = {"citizen_a": "own", "citizen_b": "consent_full"}
"""The citizens who log in on Min side in the matrix, and which of the test citizens each of them is."""
VIEWERS = [*(str(r) for r in Role), JOBCENTRE, *CITIZEN_VIEWERS]
CITIZENS = ["own", "other", "recused", "consent_none", "consent_partial", "consent_full", "provider", "group", "escort",
            "handover"]
CPRS = {"own": "0707771237", "other": "0808881236", "recused": "0101801233", "consent_none": "0202821238",
        "consent_partial": "0303831232", "consent_full": "0404841237", "provider": "0505851231",
        "group": "0606861236", "escort": "0707871230", "handover": "0808881252"}
PARTIAL = ["goals", "handover"]


def marker(code: str, kind: str) -> str:
    return f"Q{kind}{code.replace('_', '')}Z"


# Which sections a marker belongs to: a response may show it only where one of them is open to the viewer.
MARKS = {
    "F": {S.IDENTITY, S.PARTICIPATION, S.ESCORT},  # first name
    "L": {S.IDENTITY},  # last name
    "A": {S.IDENTITY},  # address
    "C": {S.CONTACTS},  # contact reason
    "T": {S.COURSES},  # activity topic
    "S": {S.STORY},  # the citizen's story
    "G": {S.GOALS},  # a goal
    "X": {S.ACTIONS},  # an action
    "W": {S.NETWORK},  # the plan's network part
    "K": {S.COPING},  # a coping strategy
    "N": {S.NETWORK},  # a network person
    "M": {S.MEASURES},  # a measurement's note
    "E": {S.COMMUNITY, S.ESCORT},  # an escort's task
    "H": {S.AUTHORITY},  # a hand-over's text
    "B": {S.AUTHORITY},  # a grant's case number
    "U": {S.CONSENT},  # a consent's purpose
    "J": {S.NOTES},  # a journal note
    "V": {S.SENSITIVE_NOTES},  # a sensitive journal note
    "D": {S.DOCUMENTS},  # a document's title and content
    "R": {S.LETTERS, S.DOCUMENTS},  # a letter's text: the citizen's own to read, and a document for staff
    "P": {S.GOALS},  # a goal's professional wording
    "Y": {S.GOALS},  # a stepping stone
    "O": {S.ON_CALL, S.COURSES},  # an on-call contact's words: the on-call section's, and an activity among the courses
    "Q": {S.HEALTH},  # the plan's health section: the GP's name and a note on the medication
    "I": {S.COURSES},  # the ending record's free text: what helped, the communities, whom to call
}

STAFF_ONLY = {"P", "M", "T", "C", "H", "B", "O", "I"}
"""Markers a citizen never sees on Min side, not even their own: professional wording, staff notes on a measurement,
activity topics, contact reasons, hand-over texts and grant case numbers (and the CPR number)."""


@dataclass
class Citizen:
    code: str
    person: Person
    ids: dict = field(default_factory=dict)

    @property
    def cpr(self) -> str:
        return CPRS[self.code]

    def markers(self) -> dict[str, set]:
        found = {marker(self.code, kind): sections for kind, sections in MARKS.items()}
        found[self.cpr] = {S.CPR}
        found[f"{self.cpr[:6]}-{self.cpr[6:]}"] = {S.CPR}
        return found

    def staff_only(self) -> set[str]:
        return {marker(self.code, kind) for kind in STAFF_ONLY} | {self.cpr, f"{self.cpr[:6]}-{self.cpr[6:]}"}


def _user(username, role, teams, **extra) -> User:
    user = User.objects.create(username=username, password=password_hash("x-password-123"), role=role,
                               first_name="Test", last_name=username, **extra)
    user.teams.set(teams)
    return user


def _citizen(code, worker, team) -> Citizen:
    today = timezone.localdate()
    m = lambda kind: marker(code, kind)  # noqa: E731
    person = people.create_person(worker, {"first_name": m("F"), "last_name": m("L"), "address": m("A"), "cpr": CPRS[code]},
                                  confirm_similar=True, team=team)
    return Citizen(code, person, {"today": today})


def _fill(c: Citizen, worker, team):
    """One of everything, each text a marker of its section."""
    today = timezone.localdate()
    m = lambda kind: marker(c.code, kind)  # noqa: E731
    person = c.person
    offer = Offer.objects.get(name="Din Indgang – forløb")
    earlier = courses.start_course(worker, person, offer, start=today - datetime.timedelta(days=90), team=team)
    earlier = courses.close_course(worker, earlier, closed_on=today - datetime.timedelta(days=40),
                                   destination="no_further_help", expected_version=earlier.version,
                                   ending={"what_helped": m("I"), "community": m("I"), "call_name": m("I"),
                                           "call_phone": "12345678", "after_care_on": today - datetime.timedelta(days=1),
                                           "klip": 2})
    course = courses.start_course(worker, person, offer, start=today - datetime.timedelta(days=30), team=team,
                                  previous=earlier)
    talk = courses.record_activity(worker, person, kind="coaching", on=today - datetime.timedelta(days=2),
                                   course=course, topic=m("T"), delivered_hours=Decimal(1))
    bostotte = courses.start_course(worker, person, Offer.objects.filter(kind="bostotte").first(),
                                    start=today - datetime.timedelta(days=30), team=team, hours_package="<3")
    people.add_network_person(worker, person, {"name": m("N"), "relation": "friend"})
    save_plan(worker, person, {"reason": m("S"), "network_involvement": m("W"),
                               "goals": [{"citizen_text": m("G"), "professional_text": m("P"),
                                          "sub_goals": [{"text": m("Y")}],
                                          "actions": [{"text": m("X"), "responsible": "citizen"}]}],
                               "coping": {"strategies": [m("K")]},
                               "health": {"gp_name": m("Q"), "medication": "bostotte", "medication_note": m("Q"),
                                          "annual_check": True}}, expected_version=0)
    administer(worker, person, Instrument.objects.get(code="ORS"), on=today, note=m("M"),
               values={k: Decimal(5) for k in ("individual", "interpersonal", "social", "overall")})
    phone = Contact.objects.create(origin="citizen", channel="phone", person=person, reason=m("C"),
                                   outcome="information", handled=True)
    local = LocalOffer.objects.create(name=f"Cafe {c.code}", kind=LocalOffer.Kind.choices[0][0], organiser="Forening")
    match = Match.objects.create(person=person, offer=local, kickoff_on=today + datetime.timedelta(days=3))
    note = notes.write(worker, person, kind="phone", text=m("J"), course=course)
    notes.correct(worker, note, text=f"{m('J')} rettet", reason="Rettelse")
    sensitive = notes.write(worker, person, kind="conversation", text=m("V"), sensitive=True)
    document = documents.add(worker, person, pdf_bytes(m("D")), name="erklaering.pdf", title=m("D"), course=course)
    letter = letters.send(worker, person, "invitation", {"date": today, "time": "10", "place": "Huset",
                                                         "purpose": m("R")}, channel="digital_post", today=today)
    courses.record_activity(worker, person, kind="on_call_contact", on=today - datetime.timedelta(days=1),
                            channel="phone", topic=m("O"))
    courses.record_activity(worker, person, kind="on_demand_session", on=today - datetime.timedelta(days=20),
                            course=earlier, channel="phone", topic=m("T"))
    c.ids |= {"note_id": note.pk, "sensitive_note_id": sensitive.pk, "document_id": document.pk,
              "letter_document_id": letter.document_id, "letter_id": letter.pk, "session_activity_id": talk.pk}
    limited = courses.start_course(worker, person, Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)"),
                                   start=today - datetime.timedelta(days=160), team=team, cap_reason="Test")
    c.ids |= {"course_id": course.pk, "closed_course_id": earlier.pk, "bostotte_course_id": bostotte.pk,
              "limited_course_id": limited.pk,
              "course_version": course.version, "match": match, "local_offer_id": local.pk, "contact_id": phone.pk}
    return course


def _handover(c: Citizen, worker, course, recipient_consent=True):
    h = handovers.start_handover(worker, c.person, course)
    text = {f: marker(c.code, "H") for f in handovers.TEXT_FIELDS}
    h = handovers.save_handover(worker, h, text, version=h.version)
    consent_now = {"form": "oral", "given_by": "citizen"} if recipient_consent else None
    return handovers.send_handover(worker, h, consent_now=consent_now)


def build() -> tuple[dict, dict]:
    social = Department.objects.get(code="social")
    authority_dept = Department.objects.get(code="authority")
    jobcentre_dept = Department.objects.get(code="jobcentre")
    own_team = Team.objects.create(name="Eget team", department=social)
    other_team = Team.objects.create(name="Andet team", department=social)
    authority_team = Team.objects.create(name="Myndighed", department=authority_dept)
    jobcentre_team = Team.objects.create(name="Jobcenter", department=jobcentre_dept)
    viewers = {}
    for role in Role:
        teams = {Role.AUTHORITY: [authority_team], Role.DPO: [], Role.VOLUNTEER: [], Role.ANALYST: [],
                 Role.ADMIN: []}.get(role, [own_team])
        viewers[str(role)] = _user(f"u-{role}", role, teams)
    viewers[JOBCENTRE] = _user("u-jobcentre", Role.AUTHORITY, [jobcentre_team])
    Volunteer.objects.create(name="Frivillig Viewer", user=viewers[Role.VOLUNTEER])
    other_worker = _user("fremmed", Role.GUIDE, [other_team])
    other_authority = _user("fremmed-myndighed", Role.AUTHORITY, [authority_team])
    guide = viewers[Role.GUIDE]

    citizens = {}
    for code in CITIZENS:
        on_own = code in ("own", "recused", "consent_none", "consent_partial", "consent_full")
        worker, team = (guide, own_team) if on_own else (other_worker, other_team)
        c = _citizen(code, worker, team)
        course = _fill(c, worker, team)
        citizens[code] = c
        c.ids["_course"] = course
        c.ids["_worker"] = worker

    own = citizens["own"]
    for role in (Role.PEER, Role.VOLUNTEER_COORDINATOR):
        CaseloadAssignment.objects.create(person=own.person, team=own_team, worker=viewers[role])
    for user in viewers.values():
        Recusal.objects.create(user=user, person=citizens["recused"].person, reason="Inhabil i testen")

    # Consent to the jobcentre and the authority: none, some, everything.
    scopes = {"consent_none": [], "consent_partial": PARTIAL, "consent_full": list(ConsentScope.values)}
    for code, scope in scopes.items():
        c = citizens[code]
        for team in (authority_team, jobcentre_team):
            CaseloadAssignment.objects.create(person=c.person, team=team)
        for dept in (authority_dept, jobcentre_dept):
            if scope:
                give_consent(guide, c.person, recipient=dept, scope=scope, purpose=marker(code, "U"),
                             given_on=timezone.localdate())

    # The own citizen's consent to share health with their GP (an external recipient): the GP print opens.
    give_consent(guide, own.person, recipient=None, external="gp", scope=["health", "goals"], purpose=marker("own", "U"),
                 given_on=timezone.localdate())

    # A hand-over the authority received (not on its caseload), and one from each own citizen with consent.
    handover = _handover(citizens["handover"], other_worker, citizens["handover"].ids["_course"])
    for code, c in citizens.items():
        c.ids["handover_id"] = handover.pk if code == "handover" else None
    for code in ("own", "consent_partial", "consent_full"):
        c = citizens[code]
        h = _handover(c, guide, c.ids["_course"], recipient_consent=code == "own")
        c.ids["handover_id"] = h.pk

    today_ = timezone.localdate()
    # Grants: one on every citizen the authority has, each ordered from a provider team. The provider citizen's goes
    # to the own team, which accepts it; the others wait for an answer from another team.
    for code, c in citizens.items():
        grant = grants.create_grant(other_authority, c.person,
                                    goals=[goal_input()], **grant_kwargs(case_number=marker(code, "B")),
                                    provider_team=own_team if code == "provider" else other_team)
        order = grant.orders.get()
        if code == "provider":
            orders.accept_order(viewers[Role.BOSTOTTE], order, version=order.version)
        follow_up = FollowUp.objects.create(grant=grant, held_on=grant.starts_on, status_code="x", held_by=other_authority)
        complaint = Complaint.objects.create(person=c.person, received_on=grant.starts_on, channel="written",
                                             kind="decision", grant=grant, summary=marker(code, "B"),
                                             due_on=grant.starts_on + datetime.timedelta(weeks=4),
                                             responsible=other_authority)
        c.ids |= {"grant_id": grant.pk, "order_id": order.pk, "follow_up_id": follow_up.pk, "complaint_id": complaint.pk}

    # Exemptions (decision 0057): every citizen is exempt from sector-divided plans; the consent_full citizen also from
    # sector-divided organisation, so the jobcentre's decision mandate (decision 0058) opens its authority part.
    one_plan, organisation = ExemptionKind.objects.get(code="sector_plans"), ExemptionKind.objects.get(
        code="sector_organisation")
    for c in citizens.values():
        c.ids["exemption_id"] = Exemption.objects.create(
            kind=one_plan, person=c.person, legal_basis="Lov om frikommunenetværk", starts_on=today_,
            decided_on=today_, decided_by=other_authority).pk
    Exemption.objects.create(kind=organisation, person=citizens["consent_full"].person, legal_basis="LBK 831/2018",
                             starts_on=today_, decided_on=today_, decided_by=other_authority)
    DecisionMandate.objects.create(department=jobcentre_dept, legal_basis="SEL § 85", max_hours_per_week=Decimal(5),
                                   starts_on=today_)

    # A group: the group citizen and the own citizen are participants; the peer and the volunteer facilitate.
    today = timezone.localdate()
    group = groups.create_group(guide, Offer.objects.filter(kind="group").first(), theme="Hold", start=today,
                                planned_sessions=4, session_hours=Decimal(2),
                                facilitators=[viewers[Role.PEER], viewers[Role.VOLUNTEER], guide], team=other_team)
    groups.enrol(guide, group, citizens["group"].person, cap_reason="Test")
    groups.enrol(guide, group, own.person, cap_reason="Test")
    session = groups.register_session(guide, group, on=today, hours=Decimal(2),
                                      attendance={citizens["group"].person.pk: "attended", own.person.pk: "attended"},
                                      staff_hours={}, cap_reason="Test")
    # The escort citizen is met by the volunteer viewer.
    escort_match = citizens["escort"].ids["match"]
    escort = Escort.objects.create(match=escort_match, volunteer=viewers[Role.VOLUNTEER].volunteer,
                                   meet_at=timezone.now(), meet_place="Torvet", task=marker("escort", "E"))
    for code, c in citizens.items():
        if code != "escort":
            Escort.objects.create(match=c.ids["match"], volunteer=Volunteer.objects.create(name=f"Frivillig {code}"),
                                  meet_at=timezone.now(), meet_place="Torvet", task=marker(code, "E"))

    # A family: the own citizen and the partly consenting one, coordinated by the jobcentre's caseworker, who reaches
    # the own citizen only as the coordinator (the name; no sub-plan without a consent to the jobcentre).
    family = families.create_household(guide, own.person, name="Familien i matrixen", role="adult",
                                       started_on=today - datetime.timedelta(days=10), coordinator=viewers[JOBCENTRE])
    families.add_member(guide, family, citizens["consent_partial"].person, role="young",
                        joined_on=today - datetime.timedelta(days=10))

    shift = OnCallShift.objects.create(team=own_team, user=viewers[Role.ON_CALL], starts_at=timezone.now(),
                                       ends_at=timezone.now() + datetime.timedelta(hours=8))
    competence = Competence.objects.create(user=guide, method=Method.objects.get(code="mi"),
                                           certified_on=today - datetime.timedelta(days=100))
    flag = OutsideAccess.objects.create(user=other_worker, person=own.person, reason="Borgeren ringede til skranken")
    token = ApiToken.objects.create(user=guide, name="tablet", digest="0" * 64,
                                    expires_at=timezone.now() + datetime.timedelta(days=1))
    conference = CaseConference.objects.create(held_on=today, team=own_team, chair=guide)
    authority_conference = CaseConference.objects.create(held_on=today, team=None, chair=other_authority)
    survey = Questionnaire.objects.get(code="en-plan-afslutning")
    shadow_item = PriceItem.objects.filter(active=True).first()
    for code, c in citizens.items():
        item = AgendaItem.objects.create(conference=conference, person=c.person, course=c.ids["_course"], kind="new")
        AgendaItem.objects.create(conference=authority_conference, person=c.person, course=c.ids["_course"],
                                  kind="new")
        invitation, _created = invite(c.ids["_worker"], survey, c.person, base_url="http://testserver/")
        twin = people.create_pseudonymous(c.ids["_worker"], sex="female", approx_age=40)
        if code == "own":  # at the desk today: the hosts see who it is and why
            c.ids["contact_id"] = Contact.objects.create(
                origin="citizen", channel="walk_in", person=c.person, reason=marker(code, "C"), outcome="ad_hoc",
                queue_status=Contact.Queue.RECEIVED, received_at=timezone.now()).pk
        request = DataRequest.objects.create(person=c.person, kind=DataRequest.Kind.ACCESS,
                                             due_on=today + datetime.timedelta(days=30))
        person = Person.objects.get(pk=c.person.pk)
        c.ids |= {
            "person_id": person.pk, "target_id": person.pk, "pseudonym_id": twin.pk, "group_id": group.pk,
            "session_id": session.pk, "consent_id": person.consents.values_list("pk", flat=True).first() or 0,
            "conference_id": conference.pk, "item_id": item.pk, "escort_id": escort.pk if code == "escort" else
            Escort.objects.filter(match=c.ids["match"]).values_list("pk", flat=True).first(),
            "access_id": flag.pk, "token_id": token.pk, "coordinator": guide.pk, "volunteer_id": viewers[Role.VOLUNTEER].volunteer.pk,
            "offer_id": c.ids["local_offer_id"], "code": "ORS", "part": "plan", "person_version": person.version,
            "session_version": session.version, "survey_code": survey.code, "invitation_id": invitation.pk,
            "new_offer_id": Offer.objects.get(name="Opsøgende SKP (§99)").pk, "number": 1,
            "shadow_item_id": shadow_item.pk if shadow_item else None,
            "course_version": Course.objects.get(pk=c.ids["course_id"]).version, "data_request_id": request.pk,
            "shift_id": shift.pk, "competence_id": competence.pk,
        }
    for name, code in CITIZEN_VIEWERS.items():
        viewers[name] = CitizenPrincipal(citizens[code].person.pk)
    return viewers, citizens
