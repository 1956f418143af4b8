"""The on-call roster of a 24/7 team and the staff competence register (decisions 0048 and 0049)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Competence, Method, OnCallShift, Team, User, WorkerProfile

MAX_SHIFT_HOURS = 24 * 7
"""A shift is at most a week: a longer one is a typo."""


def add_shift(actor: User, team: Team, user: User, *, starts_at: datetime.datetime,
              ends_at: datetime.datetime) -> OnCallShift:
    if ends_at <= starts_at:
        raise ValidationError(_("Vagten skal slutte efter den begynder."))
    if ends_at - starts_at > datetime.timedelta(hours=MAX_SHIFT_HOURS):
        raise ValidationError(_("En vagt kan højst vare en uge."))
    if not user.is_active or not user.teams.filter(pk=team.pk).exists():
        raise ValidationError(_("Medarbejderen er ikke på teamet."))
    return OnCallShift.objects.create(team=team, user=user, starts_at=starts_at, ends_at=ends_at, created_by=actor)


def on_call_at(at: datetime.datetime, teams=None):
    """The shifts that cover a moment: who is on call now."""
    shifts = OnCallShift.objects.filter(starts_at__lte=at, ends_at__gt=at).select_related("user", "team")
    return shifts.filter(team__in=teams) if teams is not None else shifts


def roster(teams, *, since: datetime.datetime):
    """The shifts of the teams that have not ended before `since`."""
    return (OnCallShift.objects.filter(team__in=teams).filter(Q(ends_at__gt=since))
            .select_related("user", "team").order_by("starts_at", "pk"))


def add_competence(actor: User, user: User, method: Method, *, certified_on: datetime.date,
                   expires_on: datetime.date | None = None, note: str = "") -> Competence:
    if expires_on is not None and expires_on <= certified_on:
        raise ValidationError(_("Udløbsdatoen skal ligge efter certificeringen."))
    if Competence.objects.filter(user=user, method=method, certified_on=certified_on).exists():
        raise ValidationError(_("Kompetencen er allerede registreret med den dato."))
    return Competence.objects.create(user=user, method=method, certified_on=certified_on, expires_on=expires_on,
                                     note=" ".join(note.split())[:200], created_by=actor)


def save_profile(user: User, *, gender: str, languages: str) -> WorkerProfile:
    if gender and gender not in WorkerProfile.Gender.values:
        raise ValidationError(_("Ukendt køn."))
    profile, _created = WorkerProfile.objects.update_or_create(
        user=user, defaults={"gender": gender, "languages": " ".join(languages.split())[:120]})
    return profile


def competences_of(users) -> dict[int, list[Competence]]:
    found: dict[int, list[Competence]] = {}
    for c in Competence.objects.filter(user__in=users).select_related("method"):
        found.setdefault(c.user_id, []).append(c)
    return found
