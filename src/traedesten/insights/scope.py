"""A report's period and filters, and how they narrow each kind of row."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

AGE_GROUPS = {
    "18-29": (18, 29), "30-49": (30, 49), "50-64": (50, 64), "65+": (65, 130),
}
AGE_GROUP_CHOICES = [("", _("Alle aldre"))] + [(k, _("%(band)s år") % {"band": k}) for k in AGE_GROUPS]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(day: datetime.date, birth_date: datetime.date | None, approx_birth_year: int | None) -> int | None:
    """Whole years on a day from the birth date, or else the estimated birth year (the day's year minus it)."""
    if birth_date is not None:
        return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return day.year - approx_birth_year if approx_birth_year is not None else None


def age_group(age: int | None) -> str:
    """The age group (a key of AGE_GROUPS), "under_18", or "unknown"."""
    if age is None:
        return "unknown"
    return next((key for key, (low, high) in AGE_GROUPS.items() if low <= age <= high), "under_18")


@dataclass(frozen=True)
class Scope:
    start: datetime.date
    end: datetime.date
    offer_id: int | None = None
    team_id: int | None = None
    legal_basis_id: int | None = None
    age_group: str = ""
    sex: str = ""

    @property
    def narrows_courses(self) -> bool:
        return bool(self.offer_id or self.team_id or self.legal_basis_id)

    @property
    def narrows_persons(self) -> bool:
        return bool(self.age_group or self.sex)

    def person_q(self, prefix: str = "") -> Q:
        """Age group (on the period's last day) and sex of the citizen."""
        q = Q()
        if self.sex:
            q &= Q(**{f"{prefix}sex": self.sex})
        if self.age_group in AGE_GROUPS:
            low, high = AGE_GROUPS[self.age_group]
            oldest = _years_before(self.end, high + 1) + datetime.timedelta(days=1)
            youngest = _years_before(self.end, low)
            by_date = Q(**{f"{prefix}birth_date__gte": oldest, f"{prefix}birth_date__lte": youngest})
            by_year = Q(**{f"{prefix}birth_date__isnull": True,
                           f"{prefix}approx_birth_year__gte": self.end.year - high,
                           f"{prefix}approx_birth_year__lte": self.end.year - low})
            q &= by_date | by_year
        return q

    def course_q(self, prefix: str = "") -> Q:
        """Offer, team and legal basis of the course, and the citizen's age group and sex."""
        q = self.person_q(f"{prefix}person__")
        if self.offer_id:
            q &= Q(**{f"{prefix}offer_id": self.offer_id})
        if self.team_id:
            q &= Q(**{f"{prefix}team_id": self.team_id})
        if self.legal_basis_id:
            q &= Q(**{f"{prefix}offer__legal_basis_id": self.legal_basis_id})
        return q

    def activity_q(self) -> Q:
        """Activities in the period; with a course filter, only activities on a matching course."""
        q = Q(on__gte=self.start, on__lte=self.end) & self.person_q("person__")
        if self.narrows_courses:
            q &= Q(course__isnull=False) & self.course_q("course__")
        return q

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "offer": self.offer_id, "team": self.team_id,
                "legal_basis": self.legal_basis_id, "age_group": self.age_group or None, "sex": self.sex or None}
