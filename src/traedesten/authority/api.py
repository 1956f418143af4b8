"""Grants over the JSON API (decision 0058): deciding one goes through the same use case and the same mandate check as
the grant page, so a grant beyond the caller's decision mandate waits for a manager's approval here too."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from traedesten.accounts.http import AuthedRequest
from traedesten.core.schema import ErrorOut, Text40, Text500
from traedesten.gate import Action, Section
from traedesten.gate.api import citizen
from traedesten.usecases import authority as cases

from .grants import GoalInput
from .models import Grant

router = Router(tags=["grants"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class GoalIn(Schema):
    title: str
    condition_code: str
    baseline_level: int
    target_level: int
    goal_type_code: str
    expected_level: int | None = None


class GrantIn(Schema):
    case_number: Text40
    legal_basis: Text40
    service_code: str
    offer_type_code: str
    target_groups: list[str]
    support_need_code: str
    hours_per_week: Annotated[Decimal, Field(decimal_places=2)] | None = None
    amount_per_year: Annotated[Decimal, Field(decimal_places=2)] | None = None
    decided_on: datetime.date
    starts_on: datetime.date
    follow_up_on: datetime.date | None = None
    appeal_informed: bool = False
    goals: list[GoalIn]


class GrantOut(Schema):
    id: int
    person_id: int
    status: str
    competence: str
    mandate_id: int | None
    legal_basis: str
    hours_per_week: Decimal | None
    amount_per_year: Decimal | None
    follow_up_on: datetime.date | None
    version: int


class ApprovalIn(Schema):
    version: int
    approve: bool
    note: Text500 = ""


def _out(grant: Grant) -> dict:
    return {"id": grant.pk, "person_id": grant.person_id, "status": grant.status, "competence": grant.competence,
            "mandate_id": grant.mandate_id, "legal_basis": grant.legal_basis, "hours_per_week": grant.hours_per_week,
            "amount_per_year": grant.amount_per_year, "follow_up_on": grant.follow_up_on, "version": grant.version}


@router.post("/people/{person_id}/grants", response={201: GrantOut, **ERRORS},
             summary="Decide a grant; beyond the caller's decision mandate it waits for a manager's approval")
def create_grant(request: AuthedRequest, person_id: int, payload: GrantIn):
    c = citizen(request, person_id, Section.AUTHORITY, action=Action.DECIDE)
    data = payload.dict()
    goals = [GoalInput(g["title"], g["condition_code"], g["baseline_level"], g["target_level"], g["goal_type_code"],
                       g["expected_level"]) for g in data.pop("goals")]
    grant = cases.create_grant(c, goals=goals, **data)
    return Status(201, _out(grant))


@router.post("/grants/{grant_id}/approval", response={200: GrantOut, **ERRORS},
             summary="A manager approves or rejects a grant waiting for approval")
def approve_grant(request: AuthedRequest, grant_id: int, payload: ApprovalIn):
    grant = get_object_or_404(Grant, pk=grant_id)
    c = citizen(request, grant.person_id, Section.AUTHORITY, action=Action.DECIDE)
    today = timezone.localdate()
    if payload.approve:
        grant = cases.approve_grant(c, grant, version=payload.version, on=today, note=payload.note)
    else:
        grant = cases.reject_grant(c, grant, version=payload.version, on=today, note=payload.note)
    return _out(grant)
