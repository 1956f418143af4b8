"""Decision mandates (bevillingskompetence, decision 0058): who may decide what is data. One rule, `competence`, for
the grant page, the API and every other caller of `grants.create_grant`: within a mandate the decision is taken and
records the mandate; above its limits, or without one outside a deciding department, the grant waits for a manager's
approval; a deciding department without a mandate for the service decides under its ordinary competence."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Competence, DecisionMandate


def normal_basis(basis: str) -> str:
    """"SEL § 85", "§85" and "sel §85" are the same basis."""
    return "".join((basis or "").split()).lower().removeprefix("sel")


def held_by(user, on: datetime.date) -> list[DecisionMandate]:
    """The mandates in force on `on` that the user holds by name, by role or through a team's department."""
    departments = list(user.teams.exclude(department=None).values_list("department_id", flat=True))
    holder = Q(user=user) | Q(role=user.role, user__isnull=True, department__isnull=True)
    if departments:
        holder |= Q(department__in=departments, user__isnull=True) & (Q(role="") | Q(role=user.role))
    return list(DecisionMandate.objects.filter(holder, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)).order_by("pk"))


def holds_any(user, on: datetime.date) -> bool:
    return bool(held_by(user, on))


@dataclass(frozen=True)
class Ruling:
    competence: str
    """Competence.DEPARTMENT or MANDATE: decided now; Competence.APPROVAL: waits for a manager."""
    mandate: DecisionMandate | None
    reason: str

    @property
    def needs_approval(self) -> bool:
        return self.competence == Competence.APPROVAL


def _within(m: DecisionMandate, hours: Decimal | None, amount: Decimal | None) -> bool:
    if m.max_hours_per_week is not None and (hours is None or hours > m.max_hours_per_week):
        return False
    return m.max_amount_per_year is None or (amount is not None and amount <= m.max_amount_per_year)


def competence(user, *, deciding_department: bool, organisation_exempt: bool, legal_basis: str,
               hours_per_week: Decimal | None, amount_per_year: Decimal | None, on: datetime.date) -> Ruling:
    """Under what the user may decide a grant on `legal_basis` of this size on `on`. A mandate held outside a
    department that decides grants counts only for a citizen exempt from sector-divided organisation."""
    wanted = normal_basis(legal_basis)
    mandates = [m for m in held_by(user, on) if normal_basis(m.legal_basis) == wanted]
    if not deciding_department and not organisation_exempt:
        mandates = []
    within = next((m for m in mandates if _within(m, hours_per_week, amount_per_year)), None)
    if within is not None:
        return Ruling(Competence.MANDATE, within, "")
    if mandates:
        return Ruling(Competence.APPROVAL, mandates[0], _("Bevillingen er over grænsen i din bevillingskompetence "
                                                          "(%(mandate)s) og venter på en leders godkendelse.")
                      % {"mandate": describe(mandates[0])})
    if deciding_department:
        return Ruling(Competence.DEPARTMENT, None, "")
    return Ruling(Competence.APPROVAL, None, _("Du har ingen bevillingskompetence til %(basis)s. Bevillingen venter på "
                                               "en leders godkendelse.") % {"basis": legal_basis})


def describe(m: DecisionMandate) -> str:
    limits = []
    if m.max_hours_per_week is not None:
        limits.append(_("højst %(h)s timer pr. uge") % {"h": f"{m.max_hours_per_week:g}"})
    if m.max_amount_per_year is not None:
        limits.append(_("højst %(a)s kr. pr. år") % {"a": f"{m.max_amount_per_year:,.0f}".replace(",", ".")})
    return ", ".join([m.legal_basis, *limits])
