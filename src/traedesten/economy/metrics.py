"""Unit metrics next to the business case: hours per citizen, cost per course, caseload, and what followed §82 courses."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from traedesten.core.suppression import SMALL_CELL, suppress
from traedesten.courses.models import Activity, Course
from traedesten.courses.services import add_months


@dataclass(frozen=True)
class FollowedByGrant:
    offer: str
    completed: int
    granted: int | None
    """None when fewer than five (suppressed)."""
    share: Decimal | None


def hours_per_citizen(courses) -> Decimal | None:
    persons = courses.values("person").distinct().count()
    attended = Activity.objects.filter(course__in=courses, attendance=Activity.Attendance.ATTENDED)
    hours = attended.aggregate(h=Sum("delivered_hours"))["h"] or Decimal(0)
    return (hours / persons).quantize(Decimal("0.1")) if persons else None


def caseload_per_worker(on: datetime.date) -> Decimal | None:
    """Active courses per responsible worker on a day (Randers had 12-14 citizens per worker)."""
    active = Course.objects.filter(start__lte=on, responsible__isnull=False).exclude(closed_on__lt=on)
    counts = list(active.values("responsible").annotate(n=Count("pk")).values_list("n", flat=True))
    return (Decimal(sum(counts)) / len(counts)).quantize(Decimal("0.1")) if counts else None


def granted_after(closed: list[tuple[int, int, datetime.date]], persons, months: int = 6) -> set[int]:
    """Course ids (of (course, person, closed_on)) followed by a granted service within N months of closing.

    A granted service is a recorded grant (bevilling) or a course on an offer that needs one. `persons` is the same
    courses' person ids as a subquery, which keeps thousands of ids out of the SQL.
    """
    from traedesten.authority.models import Grant

    if not closed:
        return set()
    window = (min(d for _c, _p, d in closed), add_months(max(d for _c, _p, d in closed), months))
    starts: dict[int, list[datetime.date]] = {}
    for person_id, day in Grant.objects.filter(person__in=persons, decided_on__range=window).values_list(
            "person_id", "decided_on"):
        starts.setdefault(person_id, []).append(day)
    for person_id, day in Course.objects.filter(offer__requires_grant=True, person__in=persons,
                                                start__range=window).values_list("person_id", "start"):
        starts.setdefault(person_id, []).append(day)
    return {c for c, p, closed_on in closed
            if any(closed_on <= day <= add_months(closed_on, months) for day in starts.get(p, []))}


def followed_by_grant(start: datetime.date, end: datetime.date, months: int = 6) -> list[FollowedByGrant]:
    """Per §82 offer: completed courses in the period, and how many were followed by a granted service within N months."""
    courses = Course.objects.filter(status=Course.Status.CLOSED, closed_on__gte=start, closed_on__lte=end,
                                    offer__legal_basis__code__startswith="SEL §82")
    completed = list(courses.values_list("pk", "person_id", "closed_on", "offer__name"))
    followed = granted_after([(c, p, d) for c, p, d, _o in completed], courses.values("person_id"), months)
    rows: dict[str, list[int]] = {}
    for pk, _p, _d, offer in completed:
        counts = rows.setdefault(offer, [0, 0])
        counts[0] += 1
        counts[1] += pk in followed
    return [FollowedByGrant(name, n, suppress(g),
                            (Decimal(g) / n * 100).quantize(Decimal("0.1")) if n >= SMALL_CELL else None)
            for name, (n, g) in sorted(rows.items())]
