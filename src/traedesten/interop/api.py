"""The FFB report of one citizen through the API: the same bundle the daily report sends."""

from ninja import Router

from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.gate import Section, record_read
from traedesten.gate.api import citizen

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
