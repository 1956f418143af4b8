"""Unit metrics next to the business case: hours per citizen, caseload, and which closed courses a grant followed."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q

from traedesten.authority.models import Grant, GrantStatus
from traedesten.core.dates import add_months
from traedesten.courses.models import Course


def per_citizen(hours: Decimal, citizens: int) -> Decimal | None:
    """Hours per citizen of the published business case (both already rounded)."""
    return (hours / citizens).quantize(Decimal("0.1")) if citizens else None


def caseload_per_worker(on: datetime.date) -> Decimal | None:
    """Courses running on a day per responsible worker (Randers had 12-14 citizens per worker).

    Running: started on or before the day and not closed by then, as everywhere else (a course closed that day is not).
    """
    active = Course.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on), start__lte=on, responsible__isnull=False)
    counts = list(active.values("responsible").annotate(n=Count("pk")).values_list("n", flat=True))
    return (Decimal(sum(counts)) / len(counts)).quantize(Decimal("0.1")) if counts else None


def granted_after(closed: list[tuple[int, int, datetime.date]], persons, months: int = 6) -> set[int]:
    """Course ids (of (course, person, closed_on)) followed by a granted service within N months of closing.

    A granted service is a recorded grant (bevilling) or a course on an offer that needs one. `persons` is the same
    courses' person ids as a subquery, which keeps thousands of ids out of the SQL.
    """
    if not closed:
        return set()
    window = (min(d for _c, _p, d in closed), add_months(max(d for _c, _p, d in closed), months))
    starts: dict[int, list[datetime.date]] = {}
    for person_id, day in Grant.objects.filter(person__in=persons, status=GrantStatus.DECIDED, decided_on__range=window).values_list(
            "person_id", "decided_on"):
        starts.setdefault(person_id, []).append(day)
    for person_id, day in Course.objects.filter(offer__requires_grant=True, person__in=persons,
                                                start__range=window).values_list("person_id", "start"):
        starts.setdefault(person_id, []).append(day)
    followed = set()
    for course_id, person_id, closed_on in closed:
        if person_id in starts:
            last = add_months(closed_on, months)
            if any(closed_on <= day <= last for day in starts[person_id]):
                followed.add(course_id)
    return followed
