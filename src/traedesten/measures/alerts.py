"""Measurement alerts for the worklist: low alliance, reliable deterioration, no progress, measurement due."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from traedesten.courses.models import Course

from . import scoring
from .models import Administration, Instrument, Schedule

RESPOND_WITHIN_DAYS = 7
"""A score that needs a response (low alliance, reliable deterioration, no progress) is due by the next measurement
(the instrument's frequency), or a week after it was measured for an instrument without one: talk about it at the
next session. It is overdue only when that has passed without a new measurement."""


@dataclass(frozen=True)
class Alert:
    course: Course
    kind: str
    label: str
    due: datetime.date

    def overdue(self, today: datetime.date) -> bool:
        return self.due < today


def _history(courses) -> dict[tuple[int, int], list]:
    """Each citizen's scores per instrument, oldest first, as plain rows: a long history is thousands of them."""
    by_key = defaultdict(list)
    rows = (Administration.objects.filter(person__in={c.person_id for c in courses}).exclude(rater="relative")
            .order_by("on", "pk").values_list("person_id", "instrument_id", "on", "total", "activity_id", named=True))
    for a in rows:
        by_key[(a.person_id, a.instrument_id)].append(a)
    return by_key


def alerts(courses, *, today: datetime.date, horizon_days: int = 7) -> list[Alert]:
    """Alerts for active courses, from the instruments their offers use. A course on its way out (a decision set its
    closing) has nothing left to measure."""
    courses = [c for c in courses if not getattr(c, "close_due_on", None)]
    if not courses:
        return []
    instruments = defaultdict(list)
    definitions = {}
    for instrument in Instrument.objects.filter(active=True, offers__in={c.offer_id for c in courses}).prefetch_related("offers").distinct():
        definitions[instrument.pk] = instrument.current.parsed
        for offer in instrument.offers.all():
            instruments[offer.pk].append(instrument)
    history = _history(courses)
    schedules = {(s.person_id, s.instrument_id): s.every_days
                 for s in Schedule.objects.filter(person__in={c.person_id for c in courses})}
    limit = today + datetime.timedelta(days=horizon_days)
    found = []
    for course in courses:
        for instrument in instruments.get(course.offer_id, []):
            defn = definitions[instrument.pk]
            rows = [a for a in history.get((course.person_id, instrument.pk), []) if a.on >= course.start]
            found += _score_alerts(course, instrument, defn, [a for a in rows if a.total is not None])
            due = _next_due(course, defn, rows, schedules.get((course.person_id, instrument.pk)))
            if due is not None and due <= limit:
                found.append(Alert(course, "measure_due", _("%(name)s skal måles") % {"name": instrument.name}, due))
    return found


def _next_due(course, defn, rows, every_days) -> datetime.date | None:
    every = every_days or defn.frequency_days
    if rows:
        return rows[-1].on + datetime.timedelta(days=every) if every else None
    return course.start + datetime.timedelta(days=defn.first_due_days or 0)


def _score_alerts(course, instrument, defn, scored) -> list[Alert]:
    if not scored:
        return []
    latest, found = scored[-1], []
    respond = datetime.timedelta(days=defn.frequency_days or RESPOND_WITHIN_DAYS)
    if defn.alert_below is not None and latest.total < defn.alert_below:
        label = (_("%(name)s under %(cut)s (%(total)s) ved samtalen %(day)s") if latest.activity_id
                 else _("%(name)s under %(cut)s (%(total)s)"))
        found.append(Alert(course, "measure_low", label % {
            "name": instrument.code, "cut": defn.alert_below, "total": latest.total, "day": f"{latest.on:%d.%m}"},
            latest.on + respond))
    if len(scored) > 1 and defn.reliable_change is not None:
        cls = scoring.classify(defn, scored[0].total, latest.total)
        if defn.alert_deterioration and cls == scoring.DETERIORATED:
            found.append(Alert(course, "measure_worse", _("%(name)s pålideligt forværret") % {"name": instrument.code},
                               latest.on + respond))
        elif defn.no_improvement_after and len(scored) >= defn.no_improvement_after and cls == scoring.UNCHANGED:
            found.append(Alert(course, "measure_stuck", _("Ingen pålidelig bedring efter %(n)s målinger") % {
                "n": len(scored)}, latest.on + respond))
    return found
