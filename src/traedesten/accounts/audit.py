"""Writing the audit trail. Every read or write of a citizen's data calls `record`."""

from collections.abc import Iterable, Sequence

from .models import AuditAction, AuditEvent


def record(
    user,
    action: str,
    *,
    person=None,
    persons: Iterable = (),
    section: str = "",
    fields: Sequence[str] = (),
    reason: str = "",
    channel: str = "web",
    flagged: bool = False,
) -> None:
    ids = [p if isinstance(p, int) else p.pk for p in persons]
    if person is not None:
        ids.insert(0, person if isinstance(person, int) else person.pk)
    actor = user if getattr(user, "is_authenticated", False) else None
    events = [
        AuditEvent(
            user=actor,
            person_id=pid,
            action=action,
            section=section,
            fields=list(fields),
            reason=reason[:500],
            channel=channel,
            flagged=flagged,
        )
        for pid in (ids or [None])
    ]
    AuditEvent.objects.bulk_create(events)


__all__ = ["record", "AuditAction"]
