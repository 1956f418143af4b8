"""The contact register over the JSON API."""

import datetime
from typing import TYPE_CHECKING, Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.core.schema import ErrorOut, Text200
from traedesten.gate import Action, Section, Tool, persons_reached, require_tool
from traedesten.gate.api import citizen
from traedesten.usecases import frontdoor as cases

from .models import Contact, PartnerOrganisation

router = Router(tags=["front door"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


if TYPE_CHECKING:  # one of the model's choices, listed in the OpenAPI schema; a type checker sees the string
    Origin = str
    Channel = str
    Outcome = str
else:
    Origin = Literal[tuple(Contact.Origin.values)]
    Channel = Literal[tuple(Contact.Channel.values)]
    Outcome = Literal[("",) + tuple(Contact.Outcome.values)]


class ContactIn(Schema):
    origin: Origin = "citizen"
    channel: Channel = "walk_in"
    partner_id: int | None = None
    person_id: int | None = None
    reason: Text200 = ""
    outcome: Outcome = ""


class ContactOut(Schema):
    id: int
    at: datetime.datetime
    origin: str
    channel: str
    partner_id: int | None
    person_id: int | None
    reason: str
    outcome: str
    queue_status: str
    received_at: datetime.datetime | None
    left_at: datetime.datetime | None


@router.get("", response={200: list[ContactOut], **ERRORS}, summary="Contacts registered on one day (default today)")
def list_contacts(request: AuthedRequest, day: datetime.date | None = None):
    """Anonymous contacts, and those of citizens whose contacts the caller may read."""
    require_tool(request.user, Tool.FRONT_DESK)
    day = day or timezone.localdate()
    reached = persons_reached(request.user, Section.CONTACTS).values("pk")
    contacts = list(Contact.objects.filter(at__date=day).filter(Q(person__isnull=True) | Q(person__in=reached))
                    .order_by("at"))
    persons = {c.person_id for c in contacts if c.person_id}
    if persons:
        audit.record(request.user, AuditAction.VIEW, persons=persons, section="contacts", fields=[Section.CONTACTS])
    return contacts


@router.post("", response={201: ContactOut, **ERRORS}, summary="Register a contact; a walk-in without an outcome joins the queue")
def add_contact(request: AuthedRequest, payload: ContactIn):
    require_tool(request.user, Tool.FRONT_DESK)
    if payload.channel != Contact.Channel.WALK_IN and not payload.outcome:
        return Status(422, {"detail": "Kun fremmødte sættes i kø. Vælg et udfald.",
                            "errors": [{"field": "outcome", "message": "required"}]})
    partner = get_object_or_404(PartnerOrganisation, pk=payload.partner_id) if payload.partner_id else None
    c = citizen(request, payload.person_id, Section.CONTACTS, action=Action.WRITE) if payload.person_id else None
    contact = cases.register_contact(request.user, origin=payload.origin, channel=payload.channel, partner=partner,
                                     person=c, reason=payload.reason, outcome=payload.outcome)
    return Status(201, contact)
