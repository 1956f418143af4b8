"""Plans that bend (seed 003, theme 1): a pause in a low phase puts the citizen's deadlines and measurement alerts off
until it ends. One rule for every list that shows them (worklist, "Mine borgere", the overview, the plan)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.dates import add_months

from .models import Pause

NOT_PAUSED = frozenset({"limit"})
"""Deadline kinds a pause does not move: a time limit by law (§82b) runs on."""
LONGEST_MONTHS = 6
BACKDATE_DAYS = 14


def in_force(person_ids, day: datetime.date) -> dict[int, Pause]:
    """The pause in force on `day` for each of the citizens that has one."""
    rows = Pause.objects.filter(person__in=person_ids, starts_on__lte=day).filter(
        Q(resumed_on__isnull=True, ends_on__gte=day) | Q(resumed_on__gt=day))
    return {p.person_id: p for p in rows}


def latest(person_ids, day: datetime.date) -> dict[int, Pause]:
    """Each citizen's most recent pause that has started by `day`, in force or over."""
    rows = Pause.objects.filter(person__in=person_ids, starts_on__lte=day).order_by("person_id", "starts_on", "pk")
    return {p.person_id: p for p in rows}


def put_off(kind: str, due: datetime.date, pause: Pause | None) -> datetime.date:
    """The day a deadline or alert counts from, given the citizen's latest pause: whatever fell due before the pause
    ended counts from the day it ended, so a pause leaves a fresh start and nothing overdue behind it."""
    if pause is None or kind in NOT_PAUSED:
        return due
    return max(due, pause.resumes_on)


@transaction.atomic
def start(actor, person, *, starts_on: datetime.date, ends_on: datetime.date, reason: str, note: str = "",
          today: datetime.date) -> Pause:
    note = " ".join(note.split())
    if reason not in Pause.Reason.values:
        raise ValidationError(_("Vælg årsagen til pausen."))
    if reason == Pause.Reason.OTHER and not note:
        raise ValidationError(_("Skriv kort hvorfor planen sættes på pause."))
    if starts_on < today - datetime.timedelta(days=BACKDATE_DAYS):
        raise ValidationError(_("En pause kan højst starte %(days)s dage tilbage.") % {"days": BACKDATE_DAYS})
    if ends_on < starts_on:
        raise ValidationError(_("Pausen skal slutte samme dag eller efter, den starter."))
    if ends_on >= add_months(starts_on, LONGEST_MONTHS):
        raise ValidationError(_("En pause varer højst %(months)s måneder. Aftal en ny pause, hvis der er brug for det.")
                              % {"months": LONGEST_MONTHS})
    overlapping = Pause.objects.select_for_update().filter(person=person, starts_on__lte=ends_on).filter(
        Q(resumed_on__isnull=True, ends_on__gte=starts_on) | Q(resumed_on__gt=starts_on))
    if overlapping.exists():
        raise ValidationError(_("Borgeren har allerede en pause i den periode."))
    pause = Pause.objects.create(person=person, starts_on=starts_on, ends_on=ends_on, reason=reason, note=note[:300],
                                 created_by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="plan", fields=["pause"])
    return pause


@transaction.atomic
def resume(actor, pause: Pause, *, on: datetime.date) -> Pause:
    """End the pause early: from `on` the deadlines count again."""
    pause = Pause.objects.select_for_update().get(pk=pause.pk)
    if not pause.in_force(on):
        raise ValidationError(_("Pausen er ikke i kraft."))
    Pause.objects.filter(pk=pause.pk).update(resumed_on=max(on, pause.starts_on))
    audit.record(actor, AuditAction.UPDATE, person=pause.person_id, section="plan", fields=["pause"])
    pause.refresh_from_db()
    return pause
