"""The rules an activity must keep, as a pure function over plain facts, so the page, the API and the importer
refuse exactly the same activities with the same Danish messages."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Activity, AssessmentOutcome, Channel

MAX_HOURS_A_DAY = Decimal(24)
RELATIVE_KINDS = frozenset({Activity.Kind.RELATIVE_ADVICE, Activity.Kind.JOINT_SESSION})
"""The activities a relative takes part in (seed 000): their own advice conversation, and a joint session with the
citizen. Never a group: relatives do not join groups (decision 0051)."""
AFTER_END_KINDS = frozenset({Activity.Kind.AFTER_CARE_VISIT, Activity.Kind.ON_DEMAND_SESSION})
"""The activities that belong after a course's end (decision 0052): the after-care visit and a klip from the
klippekort. They are registered on the closed course, only after its closing date, and never reopen it."""
FUTURE_GRACE = datetime.timedelta(days=1)
"""An activity may be dated tomorrow (a worker registering late at night in another time zone); not later."""
# The enums' `values` is a new list on every call; the importer asks once per activity.
_KIND_VALUES, _ATTENDANCE_VALUES = frozenset(Activity.Kind.values), frozenset(Activity.Attendance.values)
_OUTCOME_VALUES, _CHANNEL_VALUES = frozenset(AssessmentOutcome.values), frozenset(Channel.values)


@dataclass(frozen=True)
class CourseFacts:
    """What the rules need to know of the course an activity is registered on."""

    citizen: object
    """Any value that identifies the course's citizen the same way `citizen` does for the activity."""
    start: datetime.date
    closed_on: datetime.date | None
    limit: datetime.date | None = None
    """The last day of a course with a time limit by law (with its extensions)."""
    klip_left: int = 0
    """The klip left on the klippekort granted at the course's end (0 when none was granted)."""
    klip_granted: int = 0


def activity_problems(*, kind: str, on: datetime.date, attendance: str, channel: str, delivered_hours: Decimal,
                      staff_hours=(), outcome: str = "", citizen, course: CourseFacts | None,
                      today: datetime.date, relative_of=None, in_group_session: bool = False) -> list[tuple[str, str]]:
    """(field, message) for every rule the activity breaks; empty when it may be saved. `relative_of` identifies
    the citizen whose network the chosen relative belongs to (None when no relative is chosen)."""
    problems = []
    if kind not in _KIND_VALUES:
        problems.append(("kind", _("Vælg hvilken slags aktivitet det var.")))
    if attendance not in _ATTENDANCE_VALUES:
        problems.append(("attendance", _("Vælg om borgeren mødte, aflyste eller udeblev.")))
    if outcome and outcome not in _OUTCOME_VALUES:
        problems.append(("outcome", _("Ukendt vurdering.")))
    if relative_of is not None and relative_of != citizen:
        problems.append(("relative", _("Den pårørende hører til en anden borgers netværk.")))
    if relative_of is not None and kind not in RELATIVE_KINDS:
        problems.append(("relative", _("Kun en pårørenderådgivning eller en fællessamtale har en pårørende med.")))
    if kind in RELATIVE_KINDS and (in_group_session or channel == Channel.GROUP_ROOM):
        problems.append(("kind", _("Pårørende deltager ikke i grupper. En pårørendesamtale kan ikke være en gruppegang.")))
    if kind == Activity.Kind.HOME_VISIT and not outcome:
        problems.append(("outcome", _("Vælg vurderingen efter hjemmebesøget.")))
    if channel and channel not in _CHANNEL_VALUES:
        problems.append(("channel", _("Ukendt kanal eller sted.")))
    if on > today + FUTURE_GRACE:
        problems.append(("on", _("Aktiviteten ligger i fremtiden. Registrér den, når den har fundet sted.")))
    for field_name, hours in (("hours", [delivered_hours]), ("staff", list(staff_hours))):
        if any(h < 0 for h in hours):
            problems.append((field_name, _("Timer kan ikke være negative.")))
        if any(h > MAX_HOURS_A_DAY for h in hours):
            problems.append((field_name, _("Mere end 24 timer på én dag er ikke muligt.")))
    if kind in AFTER_END_KINDS and course is None:
        problems.append(("course", _("Et efterværnsbesøg og et klip registreres på det afsluttede forløb. Vælg "
                                     "forløbet.")))
    if course is not None:
        if course.citizen != citizen:
            problems.append(("course", _("Forløbet tilhører en anden borger.")))
        elif on < course.start:
            problems.append(("on", _("Aktiviteten ligger før forløbets start (%(start)s).") % {
                "start": f"{course.start:%d.%m.%Y}"}))
        elif kind in AFTER_END_KINDS and (course.closed_on is None or on <= course.closed_on):
            problems.append(("on", _("Et efterværnsbesøg og et klip ligger efter forløbets afslutning. Afslut "
                                     "forløbet først, eller vælg en dato efter afslutningen.")))
        elif kind == Activity.Kind.ON_DEMAND_SESSION and attendance == Activity.Attendance.ATTENDED \
                and course.klip_left <= 0:
            problems.append(("kind", _("Klippekortet er brugt op: borgeren fik %(n)s klip ved afslutningen, og de er "
                                       "alle brugt.") % {"n": course.klip_granted} if course.klip_granted else
                             _("Borgeren fik ikke et klippekort ved forløbets afslutning.")))
        elif course.closed_on and on > course.closed_on and kind not in AFTER_END_KINDS:
            problems.append(("on", _("Aktiviteten ligger efter forløbets afslutning. Efter afslutningen registreres "
                                     "kun et efterværnsbesøg eller et klip fra klippekortet.")))
        elif course.limit and on > course.limit and kind not in AFTER_END_KINDS:
            problems.append(("on", _("Forløbet nåede sin lovbestemte grænse %(limit)s. Forlæng forløbet (3-6 måneder "
                                     "med en begrundelse) eller flyt borgeren til et gruppeforløb (§ 82a), før du "
                                     "registrerer noget efter grænsen.") % {"limit": f"{course.limit:%d.%m.%Y}"}))
    return problems
