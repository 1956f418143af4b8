"""The FFB report of one citizen through the API: the same bundle the daily report sends."""

from django.shortcuts import get_object_or_404
from ninja import Router

from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.authority.models import Order
from traedesten.gate import Section, record_read
from traedesten.gate.api import citizen

from . import ffb_messaging, ffb_order
from .ffb_report import report

router = Router(tags=["ffb"])


@router.get("/people/{person_id}/ffb-report", summary="KL FFB DeliveryReport bundle for one citizen",
            response={200: dict})
def ffb_report(request: AuthedRequest, person_id: int):
    """The bundle carries the CPR number and the authority's records, so it needs both sections."""
    c = citizen(request, person_id, Section.AUTHORITY, Section.CPR)
    bundle, errors = report(c.person)
    record_read(c, "ffb_report", [Section.CPR, Section.AUTHORITY], action=AuditAction.EXPORT, channel="api")
    return {"valid": not errors, "errors": errors, "bundle": bundle}


@router.get("/orders/{order_id}/fhir", summary="An order to a provider as a KL FFB order message (FHIR, draft guide)",
            response={200: dict})
def order_message(request, order_id: int):
    """The order with the citizen's CPR number, name and address and the grant's goals, checked against the profiles
    of KL's draft messaging guide (docs/authority.md). Needs the citizen's CPR and authority part."""
    order = get_object_or_404(Order.objects.select_related("grant", "person", "provider_team", "sent_by"), pk=order_id)
    c = citizen(request, order.person_id, Section.AUTHORITY, Section.CPR)
    if ffb_messaging.sources_missing():
        return {"valid": False, "errors": [f"Mangler: {p}" for p in ffb_messaging.sources_missing()], "bundle": {}}
    bundle, errors = ffb_order.message(order)
    record_read(c, "order_message", [Section.IDENTITY, Section.CPR, Section.AUTHORITY], action=AuditAction.EXPORT,
                channel="api")
    return {"valid": not errors, "errors": errors, "bundle": bundle}
