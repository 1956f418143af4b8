"""What the rest of the system asks of the authority context."""

from django.db.models import Case, IntegerField, Value, When

from .access import DECIDES_GRANTS, side
from .handover import readable
from .models import AssessmentRequest, Grant, Handover


def authority_summary(person, user) -> dict:
    """The citizen's hand-overs, grants and open requests, as far as the user's side of the boundary may see them."""
    where = side(user, person)
    if not where:
        return {}
    drafts_first = Case(When(status=Handover.Status.DRAFT, then=Value(0)), default=Value(1), output_field=IntegerField())
    handovers = Handover.objects.filter(person=person).select_related("consent").order_by(drafts_first, "-created_at")
    if where == "authority":
        handovers = readable(user, handovers.exclude(status=Handover.Status.DRAFT))
    return {
        "authority_card": True,
        "handovers": list(handovers[:3]),
        "grants": list(Grant.objects.filter(person=person)[:5]),
        "open_requests": AssessmentRequest.objects.filter(person=person, answered_on__isnull=True).count(),
        "may_grant": user.role in DECIDES_GRANTS and where == "authority",
    }
