"""The business case: counterfactual cost, actual cost, investment and what follows from them.

Every formula is described in docs/economy.md. Amounts are Decimal kroner.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from traedesten.courses.models import Activity, Course, StaffTime

from .models import FixedCost, HourlyRate, Price

PAYERS = ("kommune", "region", "stat")
ZERO = Decimal(0)


class NoData(Exception):
    """The period holds no closed citizens; report "no data" rather than divide by zero."""


class MissingPrice(Exception):
    pass


@dataclass(frozen=True)
class Assumptions:
    persistence_years: int = 1
    decay: Decimal = ZERO
    """Share of the gain lost each year after the first."""
    discount_rate: Decimal = ZERO
    hours_basis: str = "delivered"
    """"delivered" (hours the citizens received) or "staff" (hours staff spent)."""
    include_fixed_costs: bool = True


@dataclass(frozen=True)
class YearRow:
    year: int
    gain: Decimal
    by_payer: dict[str, Decimal]


@dataclass
class BusinessCase:
    start: datetime.date
    end: datetime.date
    assumptions: Assumptions
    closed: int
    assessed: int
    would_have: int
    counterfactual_cost: Decimal
    actually_got: int
    actual_cost: Decimal
    gross_gain: Decimal
    hours: Decimal
    hours_cost: Decimal
    fixed_cost: Decimal
    investment: Decimal
    total_gain: Decimal
    net: Decimal
    ratio: Decimal | None
    payback_months: Decimal | None
    projection: list[YearRow] = field(default_factory=list)
    sensitivity: list[tuple[Decimal, list[Decimal | None]]] = field(default_factory=list)


def _q(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def price_on(item, day: datetime.date) -> Decimal:
    price = (Price.objects.filter(item=item, valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
             .order_by("-valid_from").first())
    if price is None:
        raise MissingPrice(_("Der mangler en pris for »%(item)s« den %(day)s.") % {"item": item, "day": f"{day:%d.%m.%Y}"})
    return price.annual_cost


def rate_on(day: datetime.date, rates: list[HourlyRate]) -> Decimal:
    for rate in rates:
        if rate.valid_from <= day and (rate.valid_to is None or day <= rate.valid_to):
            return rate.amount
    raise MissingPrice(_("Der mangler en timepris, der gælder den %(day)s.") % {"day": f"{day:%d.%m.%Y}"})


def cohort(start: datetime.date, end: datetime.date, offer=None):
    """Courses closed in the period: on the given offer, else on the front door's offers.

    Group enrolments are left out: they close with their group, and shadow visitation belongs to the citizen's own
    course, which is closed by a worker."""
    courses = Course.objects.filter(status=Course.Status.CLOSED, closed_on__gte=start, closed_on__lte=end, group__isnull=True)
    return courses.filter(offer=offer) if offer is not None else courses.filter(offer__front_door=True)


def _hours(courses: list[Course], basis: str) -> list[tuple[datetime.date, Decimal]]:
    """(date, hours) pairs to value: delivered hours, or staff hours with group sessions shared out by attendance."""
    if basis == "delivered":
        return list(Activity.objects.filter(course__in=courses, attendance=Activity.Attendance.ATTENDED)
                    .values_list("on", "delivered_hours"))
    pairs = list(StaffTime.objects.filter(activity__course__in=courses).values_list("activity__on", "hours"))
    ids = {c.pk for c in courses}
    attendance: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = Activity.objects.filter(session__in=Activity.objects.filter(course__in=courses, session__isnull=False)
                                   .values("session_id")).values_list("session_id", "course_id")
    for session_id, course_id in rows:
        attendance[session_id][1] += 1
        attendance[session_id][0] += course_id in ids
    for session_id, on, hours in StaffTime.objects.filter(session_id__in=attendance).values_list("session_id", "session__on", "hours"):
        mine, everyone = attendance[session_id]
        pairs.append((on, hours * mine / everyone))
    return pairs


def _fixed(start: datetime.date, end: datetime.date) -> Decimal:
    total = ZERO
    for cost in FixedCost.objects.filter(valid_from__lte=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)):
        first, last = max(start, cost.valid_from), min(end, cost.valid_to or end)
        total += cost.annual_cost * Decimal((last - first).days + 1) / Decimal(365)
    return total


def _projection(by_payer: dict[str, Decimal], a: Assumptions, realised: Decimal = Decimal(1)) -> list[YearRow]:
    rows = []
    for year in range(1, a.persistence_years + 1):
        factor = realised * (1 - a.decay) ** (year - 1) / (1 + a.discount_rate) ** (year - 1)
        payers = {p: by_payer[p] * factor for p in PAYERS}
        rows.append(YearRow(year, sum(payers.values(), ZERO), payers))
    return rows


def business_case(start: datetime.date, end: datetime.date, *, offer=None, assumptions: Assumptions = Assumptions()) -> BusinessCase:
    courses = list(cohort(start, end, offer).select_related("shadow__would_have", "shadow__actually_got"))
    if not courses:
        raise NoData(_("Ingen data: der er ingen afsluttede borgere i perioden."))
    shadows = [c.shadow for c in courses if hasattr(c, "shadow")]
    by_payer = dict.fromkeys(PAYERS, ZERO)
    counterfactual = actual = ZERO
    for shadow in shadows:
        day = shadow.course.closed_on
        for item, sign in ((shadow.would_have, 1), (shadow.actually_got, -1)):
            if item is None:
                continue
            cost = price_on(item, day)
            if sign > 0:
                counterfactual += cost
            else:
                actual += cost
            for payer in PAYERS:
                by_payer[payer] += sign * cost * getattr(item, f"share_{payer}")
    rates = list(HourlyRate.objects.order_by("-valid_from"))
    pairs = _hours(courses, assumptions.hours_basis)
    hours = sum((h for _day, h in pairs), ZERO)
    hours_cost = sum((h * rate_on(day, rates) for day, h in pairs if h), ZERO)
    fixed = _fixed(start, end) if assumptions.include_fixed_costs else ZERO
    investment = hours_cost + fixed
    gross = counterfactual - actual
    projection = _projection(by_payer, assumptions)
    total = sum((r.gain for r in projection), ZERO)
    ratio = _q(total / investment, "0.01") if investment else None
    payback = _q(investment / (gross / 12), "0.1") if gross > 0 else None
    sensitivity = []
    for realised in (Decimal("0.5"), Decimal("0.75"), Decimal(1)):
        row = []
        for years in (1, 2, 3):
            variant = Assumptions(years, assumptions.decay, assumptions.discount_rate, assumptions.hours_basis,
                                  assumptions.include_fixed_costs)
            gain = sum((r.gain for r in _projection(by_payer, variant, realised)), ZERO)
            row.append(_q(gain / investment, "0.01") if investment else None)
        sensitivity.append((realised, row))
    return BusinessCase(
        start=start, end=end, assumptions=assumptions, closed=len({c.person_id for c in courses}), assessed=len(shadows),
        would_have=sum(s.would_have_id is not None for s in shadows), counterfactual_cost=_q(counterfactual),
        actually_got=sum(s.actually_got_id is not None for s in shadows), actual_cost=_q(actual), gross_gain=_q(gross),
        hours=_q(hours, "0.01"), hours_cost=_q(hours_cost), fixed_cost=_q(fixed), investment=_q(investment),
        total_gain=_q(total), net=_q(total - investment), ratio=ratio, payback_months=payback,
        projection=[YearRow(r.year, _q(r.gain), {p: _q(v) for p, v in r.by_payer.items()}) for r in projection],
        sensitivity=sensitivity,
    )
