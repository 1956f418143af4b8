"""The good ending (decision 0052): the ending record written when a course closes, the after-care visit it schedules
and the klippekort it grants. One module for the rules; the use case `usecases.courses.close_course` is the one way in.

- The ending record is asked for when the offer's kind means it (`KindMeaning.ending_record`: individual courses and
  bostøtte) and the citizen is there to say what helped (not when they dropped out or moved, nor when a group ended).
- The after-care visit is due `AFTER_CARE_MONTHS` after the end unless the worker picks another day; it is on the
  responsible worker's worklist until an after-care visit is registered on the closed course.
- The klippekort holds `DEFAULT_KLIP` klip unless the worker grants another number (0-`MAX_KLIP`); each attended
  on-demand session on the closed course uses one, and using more than granted is refused (courses/rules.py).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from traedesten.core.dates import add_months

from .models import Activity, Course, Destination, Ending

AFTER_CARE_MONTHS = 3
AFTER_CARE_MAX_MONTHS = 12
DEFAULT_KLIP = 3
MAX_KLIP = 10
NO_ENDING_DESTINATIONS = frozenset({Destination.DROPPED_OUT, Destination.MOVED, Destination.GROUP_ENDED,
                                    Destination.AUTHORITY})
"""Closings where the ending record is never required: the citizen is not there to say what helped (dropped out,
moved, the group ended), or the hand-over to the authority carries the story on."""
FIELDS = ("what_helped", "coping_plan_checked", "coping_plan_checked_on", "community", "call_name", "call_phone",
          "after_care_on", "klip")
_PHONE = re.compile(r"^\+?[0-9 ]{8,20}$")


def ending_required(course: Course, destination: str) -> bool:
    return course.offer.meaning.ending_record and destination not in NO_ENDING_DESTINATIONS


def default_after_care(closed_on: datetime.date) -> datetime.date:
    return add_months(closed_on, AFTER_CARE_MONTHS)


def is_filled(ending: dict | None) -> bool:
    """Whether the closing carries an ending record at all (the page sends empty fields when none is written)."""
    if not ending:
        return False
    return any(str(ending.get(f) or "").strip() for f in ("what_helped", "community", "call_name", "call_phone")) or bool(
        ending.get("coping_plan_checked"))


def clean(ending: dict, *, closed_on: datetime.date) -> dict:
    """The ending record's fields, checked, with the defaults filled in; raises ValidationError in Danish."""
    unknown = set(ending) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Ukendte felter i afslutningsnotatet: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    what_helped = str(ending.get("what_helped") or "").strip()
    if not what_helped:
        raise ValidationError(_("Skriv hvad der hjalp, med borgerens egne ord."))
    checked = bool(ending.get("coping_plan_checked"))
    checked_on: datetime.date | None = (ending.get("coping_plan_checked_on") or closed_on) if checked else None
    if checked_on is not None and checked_on > closed_on:
        raise ValidationError(_("Mestringsplanen kan ikke være gennemgået efter afslutningen."))
    phone = " ".join(str(ending.get("call_phone") or "").split())
    if phone and not _PHONE.match(phone):
        raise ValidationError(_("Telefonnummeret skal være 8 cifre (evt. med landekode)."))
    after_care_on = ending.get("after_care_on") or default_after_care(closed_on)
    if after_care_on <= closed_on or after_care_on > add_months(closed_on, AFTER_CARE_MAX_MONTHS):
        raise ValidationError(_("Efterværnsbesøget skal ligge efter afslutningen og højst %(n)s måneder efter.") % {
            "n": AFTER_CARE_MAX_MONTHS})
    klip = ending.get("klip")
    klip = DEFAULT_KLIP if klip is None or klip == "" else int(klip)
    if not 0 <= klip <= MAX_KLIP:
        raise ValidationError(_("Et klippekort har mellem 0 og %(n)s klip.") % {"n": MAX_KLIP})
    community = "\n".join(line.strip() for line in str(ending.get("community") or "").splitlines() if line.strip())
    return {"what_helped": what_helped[:2000], "coping_plan_checked": checked, "coping_plan_checked_on": checked_on,
            "community": community[:1000], "call_name": " ".join(str(ending.get("call_name") or "").split())[:200],
            "call_phone": phone[:30], "after_care_on": after_care_on, "klip_granted": klip}


def write(actor, course: Course, fields: dict) -> Ending:
    """Keep the ending record of a course being closed (inside the closing's transaction)."""
    assert course.closed_on is not None, "written in the closing step"
    return Ending.objects.create(course=course, on=course.closed_on, written_by=actor, **fields)


def ending_of(course: Course) -> Ending | None:
    return Ending.objects.filter(course=course).first()


def klip_used(course: Course) -> int:
    return Activity.objects.filter(course=course, kind=Activity.Kind.ON_DEMAND_SESSION,
                                   attendance=Activity.Attendance.ATTENDED).count()


def klip_counts(courses) -> dict[int, tuple[int, int]]:
    """Per closed course with a klippekort: (granted, left), in two queries."""
    granted = dict(Ending.objects.filter(course__in=courses, klip_granted__gt=0).values_list("course_id", "klip_granted"))
    used: dict[int, int] = {}
    for course_id in Activity.objects.filter(course_id__in=list(granted), kind=Activity.Kind.ON_DEMAND_SESSION,
                                             attendance=Activity.Attendance.ATTENDED).values_list("course_id", flat=True):
        used[course_id] = used.get(course_id, 0) + 1
    return {cid: (n, max(0, n - used.get(cid, 0))) for cid, n in granted.items()}


def after_care_due(courses, *, until: datetime.date) -> list[tuple[Course, datetime.date]]:
    """The closed courses among `courses` whose after-care visit is due by `until` and not yet held (attended)."""
    held = Activity.objects.filter(course=OuterRef("course"), kind=Activity.Kind.AFTER_CARE_VISIT,
                                   attendance=Activity.Attendance.ATTENDED)
    endings = (Ending.objects.filter(course__in=courses, after_care_on__lte=until).filter(~Exists(held))
               .select_related("course__offer", "course__person"))
    return [(e.course, e.after_care_on) for e in endings if e.after_care_on is not None]
