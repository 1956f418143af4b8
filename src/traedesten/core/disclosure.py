"""Disclosure control for every aggregate output: rounding to base 5 (decision 0039, docs/kpis.md "Publishing").

Every published count is rounded on its own from the exact count: 0, 1 and 2 become 0, every other count the nearest
multiple of 5. Because a published count stands for an interval of five or more true counts, no pair of published
figures, however their filters and periods differ, pins a difference down to 1-4 citizens. Everything else that is
published is derived from published counts or follows them: hours and amounts are rounded too and are 0 where
their count is, shares are computed from the rounded counts, and means and medians need seven observations.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BASE = 5
HOURS_BASE = Decimal(5)
AMOUNT_BASE = Decimal(1000)
MIN_SHARE_BASE = 25
"""A share is shown only when its published base is at least this (an exact base of 23 or more)."""
MIN_OBSERVATIONS = 7
"""Means, medians and percentiles need this many observations."""


def count(n: int) -> int:
    """The published count: 0-2 → 0, otherwise the nearest multiple of 5 (halves up)."""
    if n < 0:
        raise ValueError(n)
    return BASE * ((n + 2) // BASE)


def possible(published: int) -> tuple[int, int]:
    """The exact counts a published count can stand for (both ends included)."""
    return (0, 2) if published == 0 else (published - 2, published + 2)


def _to(value: Decimal, base: Decimal) -> Decimal:
    return (Decimal(value) / base).quantize(Decimal(1), rounding=ROUND_HALF_UP) * base


def hours(value: Decimal, published_count: int) -> Decimal:
    """Hours to the nearest 5, and 0 where the count they belong to is published as 0."""
    return _to(value, HOURS_BASE) if published_count else Decimal(0)


def amount(value: Decimal, published_count: int | None = None) -> Decimal:
    """Kroner to the nearest 1,000, and 0 where the count they belong to is published as 0."""
    return Decimal(0) if published_count == 0 else _to(value, AMOUNT_BASE)


def share(part: int | None, whole: int | None) -> Decimal | None:
    """Whole per cent of two published counts; None under a published base of MIN_SHARE_BASE."""
    if part is None or whole is None or whole < MIN_SHARE_BASE:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def enough(observations: int) -> bool:
    return observations >= MIN_OBSERVATIONS


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def latest_month_end(today: datetime.date) -> datetime.date:
    """The last day of the last month that has ended."""
    return first_of_month(today) - datetime.timedelta(days=1)


def reporting_period(start: datetime.date, end: datetime.date, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The whole months a report covers: from the first of `start`'s month to the last day of `end`'s month.

    The period must have ended, so the same report asked for on two days gives the same figures.
    """
    if end < start:
        raise ValidationError(_("Slutdatoen ligger før startdatoen."))
    start, end = first_of_month(start), last_of_month(end)
    latest = latest_month_end(today)
    if end > latest:
        raise ValidationError(_("Tal vises for hele måneder, der er slut. Vælg en periode, der slutter senest %(day)s.")
                              % {"day": f"{latest:%d.%m.%Y}"})
    return start, end


def last_twelve_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The twelve whole months that ended last."""
    end = latest_month_end(today)
    months = end.year * 12 + end.month - 1 - 11
    return datetime.date(months // 12, months % 12 + 1, 1), end


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """This year's ended months, or all of last year in January."""
    end = latest_month_end(today)
    return end.replace(month=1, day=1), end
