"""One small municipality for the route matrix: a user per role, and a citizen on and off their caseload,
each with one of everything a route can point at."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from traedesten.accounts.models import CaseloadAssignment, Department, OutsideAccess, Team, User
from traedesten.accounts.roles import Role
from traedesten.authority import grants, handover as handovers
from traedesten.authority.models import AgendaItem, CaseConference
from traedesten.civil.models import Escort, LocalOffer, Match, Volunteer
from traedesten.courses import groups, services as courses
from traedesten.courses.models import Course, Offer
from traedesten.people.models import Person
from traedesten.frontdoor.models import Contact
from traedesten.measures.models import Instrument
from traedesten.measures.services import administer
from traedesten.people import services as people
from traedesten.people.consent import give_consent
from traedesten.plans.services import save_plan

from conftest import goal_input, grant_kwargs

NAME, CPR = "Hemmeligsen", "0707771237"
OTHER_NAME, OTHER_CPR = "Fremmedsen", "0808881236"


@dataclass
class Side:
    person: object
    ids: dict = field(default_factory=dict)


def _side(worker, team, first, last, cpr, authority_worker, authority_team, volunteer_user=None) -> Side:
    today = timezone.localdate()
    person = people.create_person(worker, {"first_name": first, "last_name": last, "cpr": cpr}, confirm_similar=True,
                                  team=team)
    offer = Offer.objects.get(name="Din Indgang – forløb")
    earlier = courses.start_course(worker, person, offer, start=today - datetime.timedelta(days=90), team=team)
    earlier = courses.close_course(worker, earlier, closed_on=today - datetime.timedelta(days=40),
                                   destination="no_further_help", expected_version=earlier.version)
    course = courses.start_course(worker, person, offer, start=today - datetime.timedelta(days=30), team=team,
                                  previous=earlier)
    bostotte = courses.start_course(worker, person, Offer.objects.filter(kind="bostotte").first(),
                                    start=today - datetime.timedelta(days=30), team=team, hours_package="<3")
    group = groups.create_group(worker, Offer.objects.filter(kind="group").first(), theme="Hold", start=today,
                                planned_sessions=4, session_hours=Decimal(2), facilitators=[worker], team=team)
    groups.enrol(worker, group, person)
    session = groups.register_session(worker, group, on=today, hours=Decimal(2), attendance={person.pk: "attended"},
                                      staff_hours={worker: Decimal(2)})
    consent = give_consent(worker, person, recipient=Department.objects.get(code="jobcentre"), scope=["goals"],
                           purpose="Én plan", given_on=today)
    save_plan(worker, person, {"reason": "Fortrolig historie"}, expected_version=0)
    administer(worker, person, Instrument.objects.get(code="ORS"), on=today,
               values={k: Decimal(5) for k in ("individual", "interpersonal", "social", "overall")})
    h = handovers.start_handover(worker, person, course)
    h = handovers.save_handover(worker, h, {"reason": "Fortrolig grund", "future_goal": "Mål"}, version=h.version)
    h = handovers.send_handover(worker, h, consent_now={"form": "oral", "given_by": "citizen"})
    CaseloadAssignment.objects.create(person=person, team=authority_team)
    grant = grants.create_grant(authority_worker, person, goals=[goal_input()], **grant_kwargs())
    twin = people.create_pseudonymous(worker, sex="female", approx_age=40, team=team)
    conference = CaseConference.objects.create(held_on=today, team=team, chair=worker)
    item = AgendaItem.objects.create(conference=conference, person=person, course=course, kind="new")
    volunteer = Volunteer.objects.create(name=f"Frivillig {first}", user=volunteer_user)
    local = LocalOffer.objects.create(name=f"Cafe {first}", kind=LocalOffer.Kind.choices[0][0], organiser="Forening")
    match = Match.objects.create(person=person, offer=local)
    escort = Escort.objects.create(match=match, volunteer=volunteer, meet_at=timezone.now(), meet_place="Torvet")
    contact = Contact.objects.create(origin="citizen", channel="walk_in", person=person)
    access = OutsideAccess.objects.create(user=authority_worker, person=person, reason="Borgeren ringede i dag")
    return Side(person, {
        "person_id": person.pk, "target_id": person.pk, "pseudonym_id": twin.pk, "course_id": course.pk, "group_id": group.pk,
        "session_id": session.pk, "consent_id": consent.pk, "handover_id": h.pk, "grant_id": grant.pk,
        "conference_id": conference.pk, "item_id": item.pk, "escort_id": escort.pk, "contact_id": contact.pk,
        "access_id": access.pk, "volunteer_id": volunteer.pk, "offer_id": local.pk, "code": "ORS", "part": "plan", "bostotte_course_id": bostotte.pk,
        "closed_course_id": earlier.pk, "person_version": Person.objects.get(pk=person.pk).version,
        "course_version": Course.objects.get(pk=course.pk).version, "session_version": session.version,
        "new_offer_id": Offer.objects.get(name="Individuelt §82b-forløb (6 måneder)").pk,
        "number": 1})


def build():
    social = Department.objects.get(code="social")
    own_team = Team.objects.create(name="Eget team", department=social)
    other_team = Team.objects.create(name="Andet team", department=social)
    authority_team = Team.objects.create(name="Myndighed", department=Department.objects.get(code="authority"))
    users = {}
    for role in Role:
        teams = [authority_team] if role == Role.AUTHORITY else [own_team]
        users[role] = User.objects.create_user(username=f"u-{role}", password="x-password-123", role=role,
                                               first_name="Test", last_name=str(role))
        users[role].teams.set(teams)
    other_worker = User.objects.create_user(username="fremmed", password="x-password-123", role=Role.GUIDE)
    other_worker.teams.set([other_team])
    other_authority = User.objects.create_user(username="fremmed-myndighed", password="x-password-123", role=Role.AUTHORITY)
    other_authority.teams.set([Team.objects.create(name="Anden myndighed",
                                                   department=Department.objects.get(code="authority"))])
    own = _side(users[Role.GUIDE], own_team, "Fortrolig", NAME, CPR, users[Role.AUTHORITY], authority_team,
                users[Role.VOLUNTEER])
    other = _side(other_worker, other_team, "Ukendt", OTHER_NAME, OTHER_CPR, other_authority,
                  Team.objects.get(name="Anden myndighed"))
    for role in (Role.PEER, Role.VOLUNTEER_COORDINATOR):
        CaseloadAssignment.objects.create(person=own.person, team=own_team, worker=users[role])
    from traedesten.insights.models import Questionnaire
    from traedesten.insights.surveys import ensure_built_in, invite

    ensure_built_in()
    survey = Questionnaire.objects.get(code="en-plan-afslutning")
    for side, worker in ((own, users[Role.GUIDE]), (other, other_worker)):
        invitation, _created = invite(worker, survey, side.person, base_url="http://testserver/")
        side.ids |= {"survey_code": survey.code, "invitation_id": invitation.pk}
    return users, own, other
