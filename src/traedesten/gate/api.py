"""The gate for the JSON API: the same policy as the pages; a stated reason travels in a header."""

from django.shortcuts import get_object_or_404

from traedesten.accounts.http import AuthedRequest
from traedesten.people.models import Person

from .policy import Clearance, NeedsReason, clearance, grant_outside_access
from .vocabulary import Action, Section

REASON_HEADER = "X-Traedesten-Reason"


def citizen(request: AuthedRequest, person_id: int, *sections: Section, action: Action = Action.READ) -> Clearance:
    """The citizen, opened for `sections`. Outside the user's relations, a reason of at least 10 characters in the
    X-Traedesten-Reason header opens it (flagged for review), as the reason form does on the pages."""
    person = get_object_or_404(Person, pk=person_id, merged_into__isnull=True)
    try:
        return clearance(request.user, person).require(*sections, action=action)
    except NeedsReason:
        reason = " ".join(request.headers.get(REASON_HEADER, "").split())
        if len(reason) < 10:
            raise
        grant_outside_access(request.user, person, reason)
        return clearance(request.user, person).require(*sections, action=action)
