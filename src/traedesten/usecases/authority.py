"""Hand-overs, case conferences, rights, grants and follow-ups. The department decides: the one that owns the
citizen's plan sends hand-overs and delivers; the one that decides grants receives, decides and follows up."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.authority import grants, handover as handovers, orders, rights
from traedesten.authority.conference import build_agenda, close_conference, decide
from traedesten.authority.models import AgendaItem, CaseConference, GrantStatus, Handover
from traedesten.gate import Action, Clearance, Relation, Section, Tool, may_use, persons_reached, require_tool
from traedesten.gate.policy import decides_grants, department, owns_plans
from traedesten.gate.relations import readable_handovers, team_ids

from ._gated import gated, same_citizen


def is_sender(c: Clearance) -> bool:
    """The department that owns the citizen's plan writes and sends hand-overs and delivers on grants."""
    return owns_plans(department(c.user)) and Section.AUTHORITY in c.writable


def may_read_handover(c: Clearance, handover: Handover) -> bool:
    """The sending side reads its hand-overs; a receiving department only while the citizen's consent is in force."""
    if Section.AUTHORITY not in c.readable or handover.person_id != c.person.pk:
        return False
    dept = department(c.user)
    if dept is None or owns_plans(dept):
        return True
    return handover.pk in {h.pk for h in readable_handovers(dept.pk, c.person.pk)}


def may_deliver(c: Clearance) -> bool:
    """Scores and sub-goals on a grant come from the provider: the owning department or the grant's provider team."""
    return Section.AUTHORITY in c.writable and (owns_plans(department(c.user))
                                                or Relation.GRANT_PROVIDER in c.relations)


def _require_sender(c: Clearance) -> None:
    c.require(Section.AUTHORITY, action=Action.WRITE)
    if not is_sender(c):
        raise PermissionDenied


def start_handover(c: Clearance, course=None):
    _require_sender(c)
    same_citizen(c, course)
    return handovers.start_handover(c.user, c.person, course)


@transaction.atomic
def save_and_send_handover(c: Clearance, draft: Handover, data: dict, *, version: int, send: bool = False,
                           consent_now: dict | None = None, may_apply: bool = False, may_return: bool = False):
    """Save the draft; when sending, check and record consent and the rights the citizen was told about."""
    _require_sender(c)
    same_citizen(c, draft)
    draft = handovers.save_handover(c.user, draft, data, version=version)
    if send:
        draft = handovers.send_handover(c.user, draft, consent_now=consent_now)
        if may_apply or may_return:
            rights.record_rights(c.user, c.person, may_apply=may_apply, may_return=may_return, course=draft.course)
    return draft


def acknowledge(c: Clearance, handover: Handover):
    if not may_read_handover(c, handover):
        raise PermissionDenied
    return handovers.acknowledge(c.user, handover)


@gated(Section.AUTHORITY)
def record_rights(c: Clearance, **details):
    return rights.record_rights(c.user, c.person, **details)


@gated(Section.AUTHORITY)
def request_assessment(c: Clearance, **details):
    return rights.request_assessment(c.user, c.person, **details)


@gated(Section.AUTHORITY, Action.DECIDE)
def answer_request(c: Clearance, request, **details):
    same_citizen(c, request)
    return rights.answer_request(c.user, request, **details)


@gated(Section.AUTHORITY, Action.DECIDE)
def create_grant(c: Clearance, **details):
    return grants.create_grant(c.user, c.person, **details)


@gated(Section.AUTHORITY, Action.DECIDE)
def change_provider(c: Clearance, grant, **details):
    same_citizen(c, grant)
    return orders.change_provider(c.user, grant, **details)


def is_order_recipient(c: Clearance, order) -> bool:
    """The provider team's members answer its orders (through the gate: the citizen open for the authority part)."""
    return (order.person_id == c.person.pk and order.provider_team_id in team_ids(c.user)
            and Section.AUTHORITY in c.writable)


def accept_order(c: Clearance, order, **details):
    if not is_order_recipient(c, order):
        raise PermissionDenied
    return orders.accept_order(c.user, order, **details)


def decline_order(c: Clearance, order, **details):
    if not is_order_recipient(c, order):
        raise PermissionDenied
    return orders.decline_order(c.user, order, **details)


@gated(Section.AUTHORITY, Action.DECIDE)
def record_follow_up(c: Clearance, grant, **details):
    same_citizen(c, grant)
    return grants.record_follow_up(c.user, grant, **details)


def score_progress(c: Clearance, goal, **details):
    if not may_deliver(c) or goal.grant.person_id != c.person.pk:
        raise PermissionDenied
    return grants.score_progress(c.user, goal, **details)


def add_sub_goal(c: Clearance, goal, text: str):
    if not may_deliver(c) or goal.grant.person_id != c.person.pk:
        raise PermissionDenied
    return grants.add_sub_goal(c.user, goal, text)


def conferences_for(user):
    """The user's own teams' conferences and those they chair; a deciding department also those it convenes."""
    if not (may_use(user, Tool.CASE_CONFERENCE) or may_use(user, Tool.AUTHORITY_DESK)):
        return CaseConference.objects.none()
    teams = user.teams.all()
    found = CaseConference.objects.filter(team__in=teams) | CaseConference.objects.filter(chair=user)
    if decides_grants(department(user)):
        found = found | CaseConference.objects.filter(team__isnull=True)
    return found.distinct()


@transaction.atomic
def convene(actor, held_on):
    """A team's own conference, or, in a deciding department, the authority's."""
    require_tool(actor, Tool.CASE_CONFERENCE, Tool.AUTHORITY_DESK)
    dept, team = department(actor), None
    if not decides_grants(dept):
        team = (actor.teams.filter(department=dept) if dept else actor.teams).order_by("pk").first()
        if team is None:
            raise PermissionDenied
    conference = CaseConference.objects.create(held_on=held_on, team=team, chair=actor, created_by=actor)
    return conference, build_agenda(actor, conference)


def require_decision(c: Clearance, item: AgendaItem) -> None:
    """A team conference decides on the team's course; the authority's own conference decides as the authority."""
    same_citizen(c, item)
    if item.conference.team_id is None:
        c.require(Section.AUTHORITY, action=Action.DECIDE)
    else:
        c.require(Section.COURSES, action=Action.WRITE)
    if item.conference_id not in set(conferences_for(c.user).values_list("pk", flat=True)):
        raise PermissionDenied


def decide_item(c: Clearance, item: AgendaItem, decision: str, note: str = ""):
    require_decision(c, item)
    return decide(c.user, item, decision, note)


def close(actor, conference: CaseConference, **details):
    if conference.pk not in set(conferences_for(actor).values_list("pk", flat=True)):
        raise PermissionDenied
    if conference.team_id is None and not decides_grants(department(actor)):
        raise ValidationError(_("Kun myndigheden afslutter sine egne sagsdrøftelser."))
    return close_conference(actor, conference, **details)


def _require_approver(c: Clearance, grant) -> None:
    same_citizen(c, grant)
    c.require(Section.AUTHORITY, action=Action.DECIDE)
    if grant.status != GrantStatus.AWAITING:
        raise ValidationError(_("Bevillingen venter ikke på godkendelse."))
    if not may_use(c.staff, Tool.GRANT_APPROVAL):
        raise PermissionDenied


def approve_grant(c: Clearance, grant, *, version: int, on, note: str = ""):
    """A manager approves a grant proposed beyond a caseworker's decision mandate (decision 0058)."""
    _require_approver(c, grant)
    return grants.approve(c.staff, grant, version=version, on=on, note=note, approve=True)


def reject_grant(c: Clearance, grant, *, version: int, on, note: str):
    _require_approver(c, grant)
    return grants.approve(c.staff, grant, version=version, on=on, note=note, approve=False)


def awaiting_approval(user):
    """The grants waiting for the manager's approval, for the citizens the manager may decide on."""
    if not may_use(user, Tool.GRANT_APPROVAL):
        return []
    return grants.awaiting(persons_reached(user, Section.AUTHORITY))
