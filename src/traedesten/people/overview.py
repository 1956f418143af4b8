"""The citizen overview, rendered once per change of the data it shows.

A caseworker opens the same citizen many times a day. The rendered body is kept per citizen and user in each
server process, under a key holding the citizen's revision and the shared revision (see revisions.py), the
language and the date, so a change anywhere shows on the next request and no process serves another's stale copy.
Entries also expire when a booked meeting passes, and after MAX_AGE at the latest.
"""

import datetime
import secrets

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from .models import Revision
from .revisions import SHARED

CACHE = "overview"
MAX_AGE = 15 * 60
# Stands in for the CSRF token while the body is cached; the request's own token replaces it.
_TOKEN_SLOT = f"csrf-{secrets.token_hex(16)}"


def revisions(person_id: int) -> tuple[int, int]:
    """The citizen's and the shared revision. Read them before the data, so a cached body is never older than its key."""
    values = dict(Revision.objects.filter(citizen__in=[SHARED, person_id]).values_list("citizen", "value"))
    return values.get(person_id, 0), values.get(SHARED, 0)


def context(person, user, *, outside: bool) -> dict:
    from traedesten.authority.services import authority_summary
    from traedesten.courses.pathways import front_door_bypass
    from traedesten.courses.services import courses_for_overview, recent_activities
    from traedesten.frontdoor.services import upcoming_meeting
    from traedesten.measures.services import latest_scores
    from traedesten.plans.services import plan_summary
    from traedesten.plans.sharing import shared_scopes

    caps = user.caps
    scopes = shared_scopes(user, person)
    courses = courses_for_overview(person) if scopes is None else []
    return {
        "restricted": scopes is not None,
        "courses": courses,
        "bypass": front_door_bypass(person, [c for c, _d in courses]),
        "upcoming": upcoming_meeting(person),
        "scores": list(latest_scores(person).values()) if scopes is None or "measures" in scopes else [],
        **plan_summary(person),
        "active_bostotte": any(c.status == "active" and c.offer.kind == "bostotte" for c, _d in courses),
        "activities": recent_activities(person) if scopes is None else [],
        "today": timezone.localdate(),
        "person": person,
        "caps": caps,
        "show_cpr": caps.sees_cpr,
        "outside": outside,
        "network": list(person.network.all()) if scopes is None or "network" in scopes else [],
        "network_hidden": scopes is not None and "network" not in scopes,
        "caseload": list(person.caseload.select_related("team", "worker").filter(end__isnull=True)),
        "can_edit": caps.edits_citizens and scopes is None,
        **authority_summary(person, user),
    }


def max_age(values: dict, now: datetime.datetime) -> int:
    """Seconds the body stays true: until the booked meeting is no longer ahead, and never over MAX_AGE."""
    meeting = values.get("upcoming")
    if meeting is None:
        return MAX_AGE
    return max(0, min(MAX_AGE, int((meeting.next_meeting - now).total_seconds())))


def body(request, person, *, outside: bool) -> str:
    user = request.user
    key = ":".join(str(part) for part in (
        "overview", person.pk, *revisions(person.pk), user.pk, user.role, get_language(), timezone.localdate(),
        int(outside)))
    cache = caches[CACHE]
    html = cache.get(key)
    if html is None:
        person.refresh_from_db()
        values = context(person, user, outside=outside)
        html = render_to_string("people/_overview.html", values | {"csrf_token": _TOKEN_SLOT})
        timeout = max_age(values, timezone.now())
        if timeout:
            cache.set(key, html, timeout)
    return html.replace(_TOKEN_SLOT, get_token(request))
