"""The history of a citizen's contact persons (issue 26, decision 0060): every change of caseworker, mentor, support
contact (§85) or coordinator ends the open period of that kind and starts the next; a period that ends without a
successor is a gap in cover, which after `COVER_GAP_WEEKS` weeks becomes a worklist item."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction

from .models import ContactKind, ContactPeriod

COVER_GAP_WEEKS = 4
"""A citizen with an open course or grant who has had no contact person of a kind they had for this many weeks gets
a worklist item (decision 0060)."""


@transaction.atomic
def change_contact(actor, person, kind: str, *, on: datetime.date, worker=None, name: str = "") -> ContactPeriod | None:
    """From `on`, the citizen's contact person of `kind` is `worker` (a user) or `name` (someone outside the system);
    neither ends the current one without a successor. The same person again changes nothing. Returns the new period,
    or None when nothing was started."""
    if kind not in ContactKind.values:
        raise ValidationError(_("Vælg hvilken slags kontaktperson det er."))
    name = " ".join((name or "").split())[:200]
    if worker is not None:
        name = ""
    current = ContactPeriod.objects.select_for_update().filter(person=person, kind=kind, ends_on__isnull=True).first()
    if current is not None and worker is not None and current.worker_id == worker.pk:
        return None
    if current is not None and worker is None and name and current.worker_id is None and current.name == name:
        return None
    if current is None and worker is None and not name:
        raise ValidationError(_("Borgeren har ingen %(kind)s at afslutte.") % {"kind": ContactKind(kind).label.lower()})
    if current is not None:
        if on < current.starts_on:
            raise ValidationError(_("Skiftet kan ikke ligge før den nuværende kontaktperson startede (%(day)s).") % {
                "day": f"{current.starts_on:%d.%m.%Y}"})
        ContactPeriod.objects.filter(pk=current.pk).update(ends_on=on)
    made = None
    if worker is not None or name:
        made = ContactPeriod.objects.create(person=person, kind=kind, worker=worker, name=name, starts_on=on,
                                            recorded_by=actor)
    audit.record(actor, AuditAction.UPDATE if current else AuditAction.CREATE, person=person, section="contact_persons",
                 fields=[kind])
    return made


@dataclass(frozen=True)
class Gap:
    person_id: int
    kind: str
    since: datetime.date
    due: datetime.date
    """The day the gap has lasted `COVER_GAP_WEEKS` weeks: the worklist item is due then."""

    @property
    def label(self) -> str:
        return _("Ingen %(kind)s siden %(day)s") % {"kind": ContactKind(self.kind).label.lower(),
                                                   "day": f"{self.since:%d.%m.%Y}"}


def gaps(person_ids, *, today: datetime.date) -> list[Gap]:
    """The gaps in cover among `person_ids` that have lasted at least `COVER_GAP_WEEKS` weeks on `today`: a kind of
    contact person the citizen had, whose last period has ended with no successor."""
    open_kinds = set(ContactPeriod.objects.filter(person__in=person_ids, ends_on__isnull=True)
                     .values_list("person_id", "kind"))
    last: dict[tuple[int, str], datetime.date] = {}
    for person_id, kind, ends_on in (ContactPeriod.objects.filter(person__in=person_ids, ends_on__isnull=False)
                                     .values_list("person_id", "kind", "ends_on")):
        key = (person_id, kind)
        if ends_on is not None and key not in open_kinds and ends_on > last.get(key, datetime.date.min):
            last[key] = ends_on
    found = []
    for (person_id, kind), since in sorted(last.items()):
        due = since + datetime.timedelta(weeks=COVER_GAP_WEEKS)
        if due <= today:
            found.append(Gap(person_id, kind, since, due))
    return found


def history(person) -> list[ContactPeriod]:
    return list(ContactPeriod.objects.filter(person=person).select_related("worker", "recorded_by"))
