"""Writing the audit trail. Every read or write of a citizen's data calls `record`."""

from collections.abc import Iterable, Sequence
from contextvars import ContextVar

from django.conf import settings

from traedesten.core.bulk import insert_rows

from .models import AuditAction, AuditEvent
from .principals import is_citizen

current_channel: ContextVar[str] = ContextVar("audit_channel", default="web")


class ChannelMiddleware:
    """Marks audit events from the JSON API as channel "api", and from Min side as "min_side", without every service
    having to pass it on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        token = current_channel.set("api" if path.startswith("/api/") else
                                    "min_side" if path.startswith(settings.TRAEDESTEN_CITIZEN_PATH) else "web")
        try:
            return self.get_response(request)
        finally:
            current_channel.reset(token)


def record(
    user,
    action: str,
    *,
    person=None,
    persons: Iterable = (),
    section: str = "",
    fields: Sequence[str] = (),
    reason: str = "",
    channel: str | None = None,
    flagged: bool = False,
) -> None:
    ids = [p if isinstance(p, int) else p.pk for p in persons]
    if person is not None:
        ids.insert(0, person if isinstance(person, int) else person.pk)
    by_citizen = is_citizen(user)
    actor = user if getattr(user, "is_authenticated", False) and not by_citizen else None
    values = {"user": actor, "action": action, "section": section, "fields": list(fields), "reason": reason[:500],
              "channel": channel or current_channel.get(), "flagged": flagged, "by_citizen": by_citizen}
    if len(ids) <= 1:
        # One statement, without bulk_create's transaction.
        AuditEvent(person_id=ids[0] if ids else None, **values).save(force_insert=True)
    else:
        insert_rows(AuditEvent, [{"person_id": pid, **values} for pid in ids], return_ids=False)


__all__ = ["record", "AuditAction"]
