"""How a citizen reached the authority: through the front door, briefly, or not at all (bypass)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from traedesten.courses.models import Course, Destination

from .models import Contact

SHORT_STAY = datetime.timedelta(weeks=4)


@dataclass(frozen=True)
class Bypass:
    kind: str  # "short" or "never"
    label: str
    on: datetime.date


def _first_authority_date(person, courses: list[Course]) -> datetime.date | None:
    dates = [c.start for c in courses if c.offer.requires_grant]
    dates += [c.closed_on for c in courses if c.destination == Destination.AUTHORITY and c.closed_on]
    contact = Contact.objects.filter(person=person, outcome=Contact.Outcome.AUTHORITY).order_by("at").first()
    if contact:
        dates.append(contact.at.date())
    return min(dates) if dates else None


def front_door_bypass(person, courses: list[Course] | None = None) -> Bypass | None:
    """Whether the citizen went to the authority after under 4 weeks at the front door, or without it."""
    if courses is None:
        courses = list(Course.objects.filter(person=person).select_related("offer"))
    reached = _first_authority_date(person, courses)
    if reached is None:
        return None
    front = [c for c in courses if c.offer.front_door and c.start <= reached]
    if not front:
        return Bypass("never", _("Gik til myndighed uden om indgangen"), reached)
    for c in front:
        if c.destination == Destination.AUTHORITY and c.closed_on and c.closed_on - c.start < SHORT_STAY:
            days = (c.closed_on - c.start).days
            return Bypass("short", _("Under 4 uger i indgangen før myndighed (%(days)s dage)") % {"days": days}, reached)
    return None
