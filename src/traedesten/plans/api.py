"""Reading and writing a citizen's plan, with its version history, under the same consent rules as the pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema, Status

from traedesten.accounts.http import AuthedRequest
from traedesten.authority.models import GrantGoal
from traedesten.core.locking import VersionConflict
from traedesten.core.schema import ErrorOut, Text300
from traedesten.gate import Action, Section, record_read
from traedesten.gate.api import citizen
from traedesten.gate.vocabulary import PLAN_SECTIONS
from traedesten.usecases import plans as cases

from . import services
from .content import PlanContent
from .models import Plan
from .sharing import visible

router = Router(tags=["plans"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TiedGrantGoalOut(Schema):
    """A grant's intervention goal tied to a goal of the plan (decision 0060)."""

    id: int
    grant_id: int
    title: str
    plan_goal_id: str


class PlanOut(Schema):
    person_id: int
    version: int
    started_on: datetime.date
    coordinator_id: int | None
    hidden_parts: list[str]
    content: PlanContent
    grant_goals: list[TiedGrantGoalOut] = []
    """The grant goals tied to the plan's goals, when the reader may read the authority section."""


class PlanIn(Schema):
    version: int
    content: PlanContent
    follow_up: bool = False
    note: Text300 = ""
    confirm_over_cap: bool = False


class HealthCheckIn(Schema):
    version: int
    checked_on: datetime.date


class VersionOut(Schema):
    number: int
    created_at: datetime.datetime
    created_by_id: int | None
    follow_up: bool
    note: str


def _plan(person) -> Plan:
    plan = Plan.objects.filter(person=person).first()
    if plan is None or plan.current is None:
        raise Http404
    return plan


def _out(plan: Plan, content: PlanContent, hidden: list[str], number: int | None = None) -> dict:
    return {"person_id": plan.person_id, "version": number or plan.version, "started_on": plan.started_on,
            "coordinator_id": plan.coordinator_id, "hidden_parts": hidden, "content": content}


@router.get("/people/{person_id}/plan", response={200: PlanOut, **ERRORS}, summary="The plan, limited to the consented parts")
def get_plan(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.IDENTITY)
    shown = c.shown(*PLAN_SECTIONS)
    if not shown:
        raise PermissionDenied
    plan = _plan(c.person)
    whole = len(shown) == len(PLAN_SECTIONS)
    content, hidden = visible(services.current_content(plan) or PlanContent(), None if whole else {str(s) for s in shown})
    tied = (list(GrantGoal.objects.filter(grant__person=c.person, plan_goal_id__in=[g.id for g in content.goals])
                 .order_by("pk").values("id", "grant_id", "title", "plan_goal_id"))
            if Section.AUTHORITY in c.readable and content.goals else [])
    record_read(c, "plan", [*shown, *([Section.AUTHORITY] if tied else [])], channel="api")
    return _out(plan, content, hidden) | {"grant_goals": tied}


@router.put("/people/{person_id}/plan", response={200: PlanOut, **ERRORS},
            summary="Save a new version; send the version you read (409 when someone saved in between)")
def put_plan(request: AuthedRequest, person_id: int, payload: PlanIn):
    c = citizen(request, person_id, *PLAN_SECTIONS, action=Action.WRITE)
    try:
        version = cases.save_plan(c, payload.content, expected_version=payload.version, follow_up=payload.follow_up,
                                  note=payload.note, confirm_over_cap=payload.confirm_over_cap)
    except VersionConflict as exc:
        return Status(409, {"detail": "En anden har gemt planen imens. Hent den nye version og prøv igen.",
                            "errors": [{"field": "version", "message": "conflict", "current_version": exc.current.number}]})
    except services.GoalCapExceeded as exc:
        return Status(409, {"detail": exc.message, "errors": [{"field": "confirm_over_cap", "message": "cap_exceeded"}]})
    plan = Plan.objects.get(pk=version.plan_id)
    return _out(plan, PlanContent.model_validate(version.content), [])


@router.post("/people/{person_id}/plan/health-check", response={200: PlanOut, **ERRORS},
             summary="Register the annual health check; the next is due a year later (409 when someone saved in between)")
def register_health_check(request: AuthedRequest, person_id: int, payload: HealthCheckIn):
    c = citizen(request, person_id, Section.HEALTH, action=Action.WRITE)
    try:
        version = cases.register_health_check(c, checked_on=payload.checked_on, expected_version=payload.version)
    except VersionConflict as exc:
        return Status(409, {"detail": "En anden har gemt planen imens. Hent den nye version og prøv igen.",
                            "errors": [{"field": "version", "message": "conflict", "current_version": exc.current.number}]})
    plan = Plan.objects.get(pk=version.plan_id)
    content, hidden = visible(PlanContent.model_validate(version.content),
                              None if all(s in c.readable for s in PLAN_SECTIONS) else {str(s) for s in c.shown(*PLAN_SECTIONS)})
    return _out(plan, content, hidden)


@router.get("/people/{person_id}/plan/versions", response={200: list[VersionOut], **ERRORS})
def list_versions(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, *PLAN_SECTIONS)
    versions = list(_plan(c.person).versions.order_by("-number"))
    record_read(c, "plan_versions", [], channel="api")
    return versions


@router.get("/people/{person_id}/plan/versions/{number}", response={200: PlanOut, **ERRORS})
def get_version(request: AuthedRequest, person_id: int, number: int):
    c = citizen(request, person_id, *PLAN_SECTIONS)
    plan = _plan(c.person)
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404
    record_read(c, "plan_versions", PLAN_SECTIONS, channel="api")
    return _out(plan, PlanContent.model_validate(version.content), [], number)
