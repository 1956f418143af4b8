"""What the rest of the system asks of the authority context."""

from django.db.models import Case, IntegerField, Value, When

from .models import AssessmentRequest, Grant, Handover


def handovers_sent(person, limit: int = 3) -> list[Handover]:
    """The sending side's view: drafts first, then the newest."""
    drafts_first = Case(When(status=Handover.Status.DRAFT, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(Handover.objects.filter(person=person).select_related("consent").order_by(drafts_first,
                                                                                          "-created_at")[:limit])


def authority_summary(person, handovers: list[Handover]) -> dict:
    """The citizen's hand-overs (as far as the reader's department may read them), grants and open requests."""
    return {
        "authority_card": True,
        "handovers": handovers,
        "grants": list(Grant.objects.filter(person=person)[:5]),
        "open_requests": AssessmentRequest.objects.filter(person=person, answered_on__isnull=True).count(),
    }
