"""The FFB report of one citizen through the API: the same bundle the daily report sends."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router

from traedesten.accounts import audit
from traedesten.accounts.access import Access, person_access
from traedesten.accounts.models import AuditAction
from traedesten.authority.access import side
from traedesten.people.models import Person

from .ffb_report import report

router = Router(tags=["ffb"])


@router.get("/people/{person_id}/ffb-report", summary="KL FFB DeliveryReport bundle for one citizen",
            response={200: dict})
def ffb_report(request, person_id: int):
    person = get_object_or_404(Person, pk=person_id)
    user = request.user
    if not user.caps.sees_cpr or person_access(user, person) is not Access.ALLOWED or not side(user, person):
        raise PermissionDenied
    bundle, errors = report(person)
    audit.record(user, AuditAction.EXPORT, person=person, section="ffb_report")
    return {"valid": not errors, "errors": errors, "bundle": bundle}
