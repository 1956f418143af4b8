"""Exemptions of the free-municipality experiment (seed 004 §2.5, decision 0057): recorded for a citizen or a family,
with a legal basis, a period and who decided; while one is in force, the requirements its kind waives are switched off.
One rule (`waived`) for every place that would otherwise ask for them: the worklist, "Mine borgere", the overview,
the course page and API, the grant (its follow-up cadence) and the gate (decision mandates outside the authority)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.people.models import HouseholdMember

from .models import Exemption, ExemptionKind
from .requirements import DEADLINE_KINDS, REQUIREMENTS

BACKDATE_DAYS = 31


def _current(day: datetime.date) -> Q:
    return (Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=day)))


def _members(person_ids, day: datetime.date):
    return HouseholdMember.objects.filter(person__in=person_ids, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day))


def in_force(person_ids, day: datetime.date) -> dict[int, list[Exemption]]:
    """The exemptions in force on `day` for each citizen that has one: their own, and their families' while they are
    members. One query, and one more only when a family's exemption is among them."""
    person_ids = list(person_ids)
    found: dict[int, list[Exemption]] = {}
    if not person_ids:
        return found
    rows = list(Exemption.objects.filter(_current(day)).filter(
        Q(person__in=person_ids) | Q(household__in=_members(person_ids, day).values("household_id")))
        .select_related("kind").order_by("starts_on", "pk"))
    by_household: dict[int, list[int]] = {}
    if any(e.household_id for e in rows):
        for household_id, person_id in _members(person_ids, day).values_list("household_id", "person_id"):
            by_household.setdefault(household_id, []).append(person_id)
    for e in rows:
        owners = [e.person_id] if e.person_id is not None else by_household.get(e.household_id or 0, [])
        for person_id in owners:
            found.setdefault(person_id, []).append(e)
    return found


def waived(person_ids, day: datetime.date) -> dict[int, frozenset[str]]:
    """The requirement keys switched off on `day` for each citizen with an exemption in force."""
    return {pid: frozenset(k for e in rows for k in e.kind.waives if k in REQUIREMENTS)
            for pid, rows in in_force(person_ids, day).items()}


def is_waived(person_id: int, key: str, day: datetime.date) -> bool:
    return key in waived([person_id], day).get(person_id, frozenset())


def keeps_deadline(kind: str, keys: frozenset[str]) -> bool:
    """Whether a course deadline of `kind` still applies when the requirements `keys` are waived."""
    return DEADLINE_KINDS.get(kind) not in keys


def required(deadlines, keys: frozenset[str]) -> list:
    """The course deadlines (courses.services.Deadline) that still apply when the requirements `keys` are waived."""
    return [d for d in deadlines if keeps_deadline(d.kind, keys)]


def required_for(person_id: int, deadlines, day: datetime.date) -> list:
    return required(deadlines, waived([person_id], day).get(person_id, frozenset()))


@dataclass(frozen=True)
class Shown:
    """An exemption as the plan, course and grant pages say it: "Fritaget for procesmål efter …, til …"."""

    exemption: Exemption
    requirements: list[str]

    @property
    def sentence(self) -> str:
        e = self.exemption
        last = e.last_day
        if last is None:
            return _("Fritaget for %(kind)s efter %(basis)s, indtil videre") % {
                "kind": e.kind.name.lower(), "basis": e.legal_basis}
        return _("Fritaget for %(kind)s efter %(basis)s, til %(day)s") % {
            "kind": e.kind.name.lower(), "basis": e.legal_basis, "day": f"{last:%d.%m.%Y}"}


def shown(person_id: int, day: datetime.date) -> list[Shown]:
    return on_page(person_id, day).shown


@dataclass(frozen=True)
class OnPage:
    """What a citizen's page needs: the sentences to show and the requirement keys switched off, read once."""

    shown: list[Shown]
    keys: frozenset[str]


def on_page(person_id: int, day: datetime.date) -> OnPage:
    rows = in_force([person_id], day).get(person_id, [])
    return OnPage([Shown(e, e.kind.waived()) for e in rows],
                  frozenset(k for e in rows for k in e.kind.waives if k in REQUIREMENTS))


def check(*, legal_basis: str, starts_on: datetime.date, ends_on: datetime.date | None, decided_on: datetime.date,
          today: datetime.date) -> str:
    """What an exemption must be, on the page and in an import (which records history, so it may start long ago).
    Returns the legal basis, cleaned."""
    legal_basis = " ".join((legal_basis or "").split())
    if not legal_basis:
        raise ValidationError(_("Skriv lovgrundlaget for fritagelsen."))
    if decided_on > today:
        raise ValidationError(_("Beslutningen kan ikke ligge i fremtiden."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("Fritagelsen skal slutte samme dag eller efter, den starter."))
    return legal_basis


@transaction.atomic
def record(actor, *, kind: ExemptionKind, person=None, household=None, legal_basis: str, starts_on: datetime.date,
           ends_on: datetime.date | None, decided_on: datetime.date, note: str = "", today: datetime.date) -> Exemption:
    if (person is None) == (household is None):
        raise ValidationError(_("En fritagelse gælder én borger eller én familie."))
    legal_basis = check(legal_basis=legal_basis, starts_on=starts_on, ends_on=ends_on, decided_on=decided_on,
                        today=today)
    if starts_on < today - datetime.timedelta(days=BACKDATE_DAYS):
        raise ValidationError(_("En fritagelse kan højst gælde fra %(days)s dage tilbage.") % {"days": BACKDATE_DAYS})
    owner = Q(person=person) if person is not None else Q(household=household)
    overlapping = Exemption.objects.select_for_update().filter(owner, kind=kind).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise ValidationError(_("Der er allerede en fritagelse for %(kind)s i den periode.") % {"kind": kind.name.lower()})
    exemption = Exemption.objects.create(kind=kind, person=person, household=household, legal_basis=legal_basis[:200],
                                         starts_on=starts_on, ends_on=ends_on, decided_on=decided_on,
                                         decided_by=actor, note=" ".join(note.split())[:300])
    for pid in _persons(exemption, today):
        audit.record(actor, AuditAction.CREATE, person=pid, section="exemption", fields=[kind.code])
    return exemption


@transaction.atomic
def end(actor, exemption: Exemption, *, on: datetime.date, today: datetime.date) -> Exemption:
    """End the exemption: from `on` the requirements apply again."""
    exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
    if exemption.ended_on is not None or (exemption.ends_on is not None and exemption.ends_on < on):
        raise ValidationError(_("Fritagelsen er allerede slut."))
    if on < today - datetime.timedelta(days=BACKDATE_DAYS):
        raise ValidationError(_("Vælg en dato højst %(days)s dage tilbage.") % {"days": BACKDATE_DAYS})
    Exemption.objects.filter(pk=exemption.pk).update(ended_on=max(on, exemption.starts_on), ended_by=actor)
    exemption.refresh_from_db()
    for pid in _persons(exemption, today):
        audit.record(actor, AuditAction.UPDATE, person=pid, section="exemption", fields=[exemption.kind.code])
    return exemption


def _persons(exemption: Exemption, day: datetime.date) -> list[int]:
    if exemption.person_id is not None:
        return [exemption.person_id]
    return list(HouseholdMember.objects.filter(household=exemption.household_id, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)).values_list("person_id", flat=True).distinct())
