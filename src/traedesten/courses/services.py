"""Course lifecycle, rules from the offer, deadlines and the worklist."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core import disclosure
from traedesten.core.dates import add_months
from traedesten.core.locking import update_versioned

from . import ending as endings
from .models import Activity, Course, CourseExtension, Destination, Offer, PackageChange, StaffTime, StatusNote
from .rules import CourseFacts, activity_problems


class SoftCapExceeded(Exception):
    """A soft cap from the offer's rules is broken; the caller must give a reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def offer_by_name_or_id(text: str) -> Offer | None:
    """The offer a command-line option names, by its id or its exact name."""
    return Offer.objects.filter(pk=int(text)).first() if text.isdigit() else Offer.objects.filter(name=text).first()


@dataclass(frozen=True)
class Deadline:
    kind: str
    label: str
    due: datetime.date
    done: bool
    shown_from: datetime.date | None = None
    """A deadline the worklist shows from this day, however far off it is (a time limit from month 5)."""


def course_end(course: Course) -> datetime.date | None:
    return planned_end(course.offer, course.start)


def expected_end(course: Course) -> datetime.date | None:
    """The end date the citizen is told from the start ("forventet slutdato", decision 0052): the closing a decision
    has set (a grant's period, a case conference), else the time limit by law with its extensions, else the planned
    end from the offer's rules; None for an offer without an end (bostøtte without a decided period, open offers)."""
    if course.status == Course.Status.CLOSED:
        return course.closed_on
    return course.close_due_on or course_limit(course) or course_end(course)


def expected_ends(person) -> list[tuple[Course, datetime.date]]:
    """The citizen's running courses with their expected end ("forventet slutdato"), soonest first."""
    running = (Course.objects.filter(person=person, status=Course.Status.ACTIVE).select_related("offer")
               .prefetch_related("extensions"))
    found = [(course, expected_end(course)) for course in running]
    return sorted(((c, end) for c, end in found if end is not None), key=lambda pair: (pair[1], pair[0].pk))


def planned_end(offer: Offer, start: datetime.date) -> datetime.date | None:
    if offer.max_weeks:
        return start + datetime.timedelta(weeks=offer.max_weeks)
    if offer.max_months:
        return add_months(start, offer.max_months)
    return None


def course_limit(course: Course) -> datetime.date | None:
    """The last day of a course whose offer has a time limit by law, with its extensions; None without one."""
    return limit_of(course.offer, course.start, sum(e.months for e in course.extensions.all()))


def limit_of(offer: Offer, start: datetime.date, extended_months: int = 0) -> datetime.date | None:
    """The last day a course on the offer may run from `start`, extended by `extended_months`: the one rule for the
    pages, the API and the importer."""
    end = planned_end(offer, start) if offer.hard_limit else None
    if end is None:
        return None
    return add_months(end, extended_months) if extended_months else end


def after_months(start: datetime.date, months) -> datetime.date:
    """The day `months` (a whole or half number) after `start`."""
    whole = int(months)
    return add_months(start, whole) + datetime.timedelta(days=round((float(months) - whole) * 30))


def deadlines(course: Course, kinds_done: set[str] | None = None) -> list[Deadline]:
    """The offer's deadlines for a course; `kinds_done` are the activity kinds already held. A course that a decision
    has moved on (`close_due_on`) has one deadline left: its closing."""
    if kinds_done is None:
        kinds_done = set(course.activities.filter(attendance="attended").values_list("kind", flat=True))
    offer, result = course.offer, []
    if course.close_due_on:
        label = (_("Afslut forløbet: %(to)s") % {"to": Destination(course.close_to).label} if course.close_to
                 else _("Afslut forløbet"))
        return [Deadline("close", label, course.close_due_on, course.status == Course.Status.CLOSED)]
    if offer.first_follow_up_weeks:
        result.append(Deadline("follow_up", _("Første opfølgning"),
                               course.start + datetime.timedelta(weeks=offer.first_follow_up_weeks),
                               bool(set(offer.meaning.follow_up_by) & kinds_done)))
    if offer.assessment_weeks:
        result.append(Deadline("assessment", _("Vurdering af fremtidigt behov"),
                               course.start + datetime.timedelta(weeks=offer.assessment_weeks),
                               Activity.Kind.ASSESSMENT in kinds_done))
    closed = course.status == Course.Status.CLOSED
    limit = course_limit(course)
    if limit:
        notice = (add_months(course.start, offer.extension_notice_months) if offer.extension_notice_months
                  else limit - datetime.timedelta(days=30))
        extended = bool(course.extensions.all())
        result.append(Deadline("limit", _("Grænsen nås %(date)s: forlæng (%(min)s-%(max)s mdr.) eller flyt til et "
                                          "gruppeforløb") % {"date": f"{limit:%d.%m.%Y}",
                                                             "min": offer.extension_min_months or 3,
                                                             "max": offer.extension_max_months or 6}
                               if not extended else _("Den forlængede grænse nås %(date)s") % {
                                   "date": f"{limit:%d.%m.%Y}"}, limit, closed, shown_from=notice))
    else:
        end = course_end(course)
        if end:
            result.append(Deadline("end", _("Forløbet skal afsluttes"), end, closed))
    notes = len(course.status_notes.all()) if offer.status_note_months else 0
    for index, months in enumerate(offer.status_note_months or []):
        label = _("Statusnotat efter %(n)s måneder") % {"n": str(months).replace(".5", "½").replace(".0", "")}
        result.append(Deadline("status_note", label, after_months(course.start, months), index < notes))
    return result


def _active_municipal_offers(person) -> int:
    return Course.objects.filter(person=person, status=Course.Status.ACTIVE).count()


def clean_reason(reason: str) -> str:
    return " ".join(reason.split())[:500]


def check_return(*, same_citizen: bool, previous_closed_on: datetime.date | None, start: datetime.date) -> None:
    """A return (genhenvendelse) follows the same citizen's course that was closed on or before the new start."""
    if not same_citizen:
        raise ValidationError(_("Det tidligere forløb tilhører en anden borger."))
    if previous_closed_on is None:
        raise ValidationError(_("Det tidligere forløb er ikke afsluttet. En genhenvendelse følger et afsluttet forløb."))
    if previous_closed_on > start:
        raise ValidationError(_("Det tidligere forløb blev afsluttet %(closed)s, efter det nye forløbs start.")
                              % {"closed": f"{previous_closed_on:%d.%m.%Y}"})


@transaction.atomic
def start_course(actor, person, offer: Offer, *, start: datetime.date, responsible=None, team=None,
                 previous: Course | None = None, hours_package: str = "", cap_reason: str = "",
                 group=None) -> Course:
    if person.merged_into_id:
        raise ValidationError(_("Registreringen er lagt sammen med en anden borger."))
    if person.is_pseudonymous and not offer.anonymous_allowed:
        raise ValidationError(_("%(offer)s tillader ikke anonym deltagelse. Identificér borgeren først.") % {"offer": offer})
    if group is None and Course.objects.filter(person=person, offer=offer, status=Course.Status.ACTIVE, group=None).exists():
        raise ValidationError(_("Borgeren har allerede et aktivt forløb i %(offer)s.") % {"offer": offer})
    if group is None and not offer.meaning.started_alone:
        raise ValidationError(_("%(offer)s startes ved at tilmelde borgeren et hold.") % {"offer": offer})
    if not offer.meaning.hours_package:
        hours_package = ""
    elif not hours_package:
        raise ValidationError(_("Vælg bostøttens timepakke."))
    cap = offer.max_municipal_offers
    cap_reason = " ".join(cap_reason.split())
    active = _active_municipal_offers(person) if cap else 0
    if cap and active >= cap and not cap_reason:
        raise SoftCapExceeded(_("Borgeren har allerede %(n)s aktive kommunale tilbud (loftet er %(cap)s). "
                                "Skriv en begrundelse for at fortsætte.") % {"n": active, "cap": cap})
    if previous is None and group is None:  # joining a group is not a return
        previous = (Course.objects.filter(person=person, status=Course.Status.CLOSED, closed_on__lte=start)
                    .order_by("-closed_on", "-pk").first())
    elif previous is not None:
        check_return(same_citizen=previous.person_id == person.pk, previous_closed_on=previous.closed_on, start=start)
    course = Course.objects.create(person=person, offer=offer, start=start, responsible=responsible or actor,
                                   team=team or actor.teams.order_by("pk").first(), previous=previous,
                                   hours_package=hours_package, cap_override_reason=cap_reason, group=group)
    if hours_package:
        PackageChange.objects.create(course=course, on=start, to_package=hours_package, by=actor)
    audit.record(actor, AuditAction.CREATE, person=person, section="course", fields=["offer", "start"])
    return course


@transaction.atomic
def close_course(actor, course: Course, *, closed_on: datetime.date, destination: str, note: str = "",
                 kickoff_on: datetime.date | None = None, expected_version: int, ending: dict | None = None) -> Course:
    """Close with a destination and, when given, the ending record (courses/ending.py) in the same step."""
    ending_fields = endings.clean(ending, closed_on=closed_on) if ending and endings.is_filled(ending) else None
    if destination not in Destination.values:
        raise ValidationError(_("Vælg hvor borgeren går videre til, før forløbet afsluttes."))
    if closed_on < course.start:
        raise ValidationError(_("Afslutningsdatoen ligger før forløbets start."))
    if kickoff_on and kickoff_on < course.start:
        raise ValidationError(_("Kick off-mødet ligger før forløbets start."))
    last = course.activities.order_by("-on").values_list("on", flat=True).first()
    if last and closed_on < last:
        raise ValidationError(_("Der er registreret aktiviteter efter afslutningsdatoen (senest %(date)s).") % {
            "date": f"{last:%d.%m.%Y}"})
    update_versioned(Course.objects.filter(status=Course.Status.ACTIVE), course.pk, expected_version,
                     status=Course.Status.CLOSED, closed_on=closed_on, destination=destination,
                     closing_note=note[:500], kickoff_on=kickoff_on,
                     message=_("En anden har ændret forløbet, eller det er allerede afsluttet. Genindlæs siden."))
    course.refresh_from_db()
    if ending_fields is not None:
        endings.write(actor, course, ending_fields)
    audit.record(actor, AuditAction.UPDATE, person=course.person_id, section="course",
                 fields=["status", "closed_on", "destination", *(["ending"] if ending_fields else [])])
    return course


@transaction.atomic
def plan_closing(actor, course: Course, *, on: datetime.date, destination: str = "", because: str = "") -> Course:
    """A decision elsewhere moves the course on (a case conference's "close" or "hand over", a grant): the course is
    to be closed by `on`, to `destination` when the decision names one. The closing itself stays with the course's
    worker, who records the shadow visitation in the same form. An earlier date already set is kept."""
    if destination and destination not in Destination.values:
        raise ValidationError(_("Ukendt afslutning."))
    current = Course.objects.select_for_update().get(pk=course.pk)
    if current.status != Course.Status.ACTIVE:
        return current
    due = min(on, current.close_due_on) if current.close_due_on else on
    Course.objects.filter(pk=course.pk).update(close_due_on=max(due, current.start), close_to=destination or current.close_to,
                                               close_because=" ".join(because.split())[:200],
                                               version=F("version") + 1)
    audit.record(actor, AuditAction.UPDATE, person=course.person_id, section="course", fields=["close_due_on"])
    current.refresh_from_db()
    return current


def check_activity(*, kind: str, on: datetime.date, course: Course | None, person, attendance: str, channel: str,
                   delivered_hours: Decimal, staff_hours: dict, outcome: str = "", relative=None,
                   session=None) -> None:
    """Refuse an activity that cannot be true, with a message the worker understands (courses/rules.py)."""
    granted = 0
    if course is not None and kind == Activity.Kind.ON_DEMAND_SESSION:
        record = endings.ending_of(course)
        granted = record.klip_granted if record else 0
    facts = (CourseFacts(course.person_id, course.start, course.closed_on, course_limit(course),
                         klip_left=granted - endings.klip_used(course) if granted else 0, klip_granted=granted)
             if course is not None else None)
    problems = activity_problems(kind=kind, on=on, attendance=attendance, channel=channel,
                                 delivered_hours=delivered_hours, staff_hours=list(staff_hours.values()),
                                 outcome=outcome, citizen=person.pk, course=facts, today=timezone.localdate(),
                                 relative_of=relative.person_id if relative is not None else None,
                                 in_group_session=session is not None)
    if problems:
        raise ValidationError(problems[0][1])


def delivered_hours_for(attendance: str, hours: Decimal) -> Decimal:
    """The hours a citizen received: none when they did not attend (cancelled or no-show). The one rule for every path."""
    return hours if attendance == Activity.Attendance.ATTENDED else Decimal(0)


@transaction.atomic
def record_activity(actor, person, *, kind: str, on: datetime.date, delivered_hours: Decimal = Decimal(0),
                    staff_hours: dict | None = None, course: Course | None = None, attendance: str = "attended",
                    topic: str = "", channel: str = "", outcome: str = "", session=None,
                    cap_reason: str = "", relative=None) -> Activity:
    """Raises SoftCapExceeded for a coaching conversation beyond the number the offer plans for, unless a reason is
    given; the reason is kept on the activity."""
    staff_hours = {u: h for u, h in (staff_hours or {}).items() if u is not None}
    if course is not None and kind == Activity.Kind.ON_DEMAND_SESSION:
        course = Course.objects.select_for_update().get(pk=course.pk)  # two klip at once cannot both take the last one
    check_activity(kind=kind, on=on, course=course, person=person, attendance=attendance, channel=channel,
                   delivered_hours=delivered_hours, staff_hours=staff_hours, outcome=outcome, relative=relative,
                   session=session)
    held = _coaching_beyond_plan(course, kind, attendance)
    over_plan_reason = clean_reason(cap_reason) if held is not None else ""
    if held is not None and course is not None and not over_plan_reason:
        raise SoftCapExceeded(_("Forløbet har haft %(n)s coachende samtaler, og %(offer)s regner med ca. %(cap)s. "
                                "Skriv en begrundelse for at fortsætte.") % {
            "n": held, "offer": course.offer, "cap": course.offer.max_coaching_sessions})
    activity = Activity.objects.create(person=person, course=course, kind=kind, on=on,
                                       delivered_hours=delivered_hours_for(attendance, delivered_hours),
                                       attendance=attendance, topic=" ".join(topic.split())[:100], channel=channel,
                                       outcome=outcome, session=session, registered_by=actor,
                                       over_plan_reason=over_plan_reason, relative=relative)
    StaffTime.objects.bulk_create(StaffTime(activity=activity, user=u, hours=h) for u, h in staff_hours.items() if h)
    audit.record(actor, AuditAction.CREATE, person=person, section="activity", fields=[kind])
    return activity


def _coaching_beyond_plan(course: Course | None, kind: str, attendance: str) -> int | None:
    """The coaching conversations already held when this one goes beyond the number the offer plans for
    (max_coaching_sessions, seed 000: about 6); None when it does not."""
    if course is None or kind != Activity.Kind.COACHING or attendance != Activity.Attendance.ATTENDED:
        return None
    planned = course.offer.max_coaching_sessions
    if not planned:
        return None
    held = course.activities.filter(kind=Activity.Kind.COACHING, attendance=Activity.Attendance.ATTENDED).count()
    return held if held >= planned else None


@transaction.atomic
def extend_course(actor, course: Course, *, months: int, reason: str, on: datetime.date) -> CourseExtension:
    """Extend a course with a time limit by law in a special case, with a reason (seed 001: 3-6 months)."""
    offer = course.offer
    if not offer.hard_limit:
        raise ValidationError(_("%(offer)s har ingen lovbestemt tidsgrænse at forlænge.") % {"offer": offer})
    if course.status != Course.Status.ACTIVE:
        raise ValidationError(_("Forløbet er afsluttet."))
    low, high = offer.extension_min_months or 1, offer.extension_max_months or 12
    if not low <= months <= high:
        raise ValidationError(_("Forlæng med %(low)s til %(high)s måneder.") % {"low": low, "high": high})
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ValidationError(_("Skriv hvorfor forløbet forlænges (mindst 10 tegn)."))
    extension = CourseExtension.objects.create(course=course, months=months, reason=reason[:500], decided_on=on,
                                               decided_by=actor)
    Course.objects.filter(pk=course.pk).update(version=F("version") + 1)
    audit.record(actor, AuditAction.CREATE, person=course.person_id, section="course", fields=["extension"],
                 reason=reason[:500])
    return extension


@transaction.atomic
def write_status_note(actor, course: Course, *, text: str, on: datetime.date) -> StatusNote:
    text = text.strip()
    if not text:
        raise ValidationError(_("Skriv statusnotatet."))
    if on < course.start or on > timezone.localdate():
        raise ValidationError(_("Datoen skal ligge mellem forløbets start og i dag."))
    note = StatusNote.objects.create(course=course, on=on, text=text[:3000], written_by=actor)
    audit.record(actor, AuditAction.CREATE, person=course.person_id, section="course", fields=["status_note"])
    return note


def _kinds_held(courses: list[Course]) -> dict[int, set[str]]:
    """Per course, the activity kinds the citizen attended, in one query."""
    held: dict[int, set[str]] = {}
    for course_id, kind in Activity.objects.filter(course__in=courses, attendance="attended").values_list("course_id", "kind"):
        held.setdefault(course_id, set()).add(kind)
    return held


@dataclass(frozen=True)
class WorkItem:
    course: Course
    deadline: Deadline
    overdue: bool


NO_SHOW_FOLLOW_UP_DAYS = 3
NO_SHOW_LOOKBACK_DAYS = 28


def _no_shows_to_follow_up(courses: list[Course], today: datetime.date) -> list[tuple[Course, datetime.date]]:
    """Per course, the latest no-show with nothing attended since, from the last four weeks."""
    since = today - datetime.timedelta(days=NO_SHOW_LOOKBACK_DAYS)
    rows = Activity.objects.filter(course__in=courses, on__gte=since).values_list("course_id", "on", "attendance")
    latest_no_show: dict[int, datetime.date] = {}
    latest_attended: dict[int, datetime.date] = {}
    for course_id, on, attendance in rows:
        target = latest_no_show if attendance == Activity.Attendance.NO_SHOW else (
            latest_attended if attendance == Activity.Attendance.ATTENDED else None)
        if target is not None and on > target.get(course_id, datetime.date.min):
            target[course_id] = on
    by_pk = {c.pk: c for c in courses}
    return [(by_pk[cid], on) for cid, on in latest_no_show.items() if latest_attended.get(cid, datetime.date.min) < on]


def worklist(courses, *, today: datetime.date, horizon_days: int = 7) -> list[WorkItem]:
    """Open deadlines and no-shows to follow up, due before the end of the horizon, overdue ones first."""
    courses = list(courses.filter(status=Course.Status.ACTIVE).select_related("offer", "person")
                   .prefetch_related("extensions", "status_notes"))
    held = _kinds_held(courses)
    limit = today + datetime.timedelta(days=horizon_days)
    items = [
        WorkItem(c, d, d.due < today)
        for c in courses
        for d in deadlines(c, held.get(c.pk, set()))
        if not d.done and (d.due <= limit or (d.shown_from is not None and d.shown_from <= today))
    ]
    for course, missed_on in _no_shows_to_follow_up(courses, today):
        due = missed_on + datetime.timedelta(days=NO_SHOW_FOLLOW_UP_DAYS)
        label = _("Følg op på udeblivelse %(date)s") % {"date": f"{missed_on:%d.%m}"}
        items.append(WorkItem(course, Deadline("no_show", label, due, False), due < today))
    return sorted(items, key=lambda i: (i.deadline.due, i.course.pk))


def courses_for_overview(person) -> list[tuple[Course, list[Deadline]]]:
    """Every course of the citizen with its deadlines; a closed course carries its ending record (`ending`), its
    klippekort as `klip` ((granted, left) or None) and whether the after-care visit is held (`after_care_held`)."""
    courses = list(Course.objects.filter(person=person).select_related(
        "offer", "offer__legal_basis", "responsible", "previous", "group", "ending"))
    held = _kinds_held(courses)
    klip = endings.klip_counts([c for c in courses if c.status == Course.Status.CLOSED])
    for c in courses:
        setattr(c, "klip", klip.get(c.pk))  # noqa: B010 (a display attribute, not a field)
        setattr(c, "after_care_held", Activity.Kind.AFTER_CARE_VISIT in held.get(c.pk, set()))  # noqa: B010
        setattr(c, "expected_end", expected_end(c))  # noqa: B010
    return [(c, deadlines(c, held.get(c.pk, set()))) for c in courses]


def recent_activities(person, limit: int = 10) -> list[Activity]:
    return list(Activity.objects.filter(person=person).select_related("course__offer", "session__group")[:limit])


@dataclass(frozen=True)
class HoursRow:
    offer: str
    persons: int
    """Distinct citizens who attended."""
    delivered: Decimal
    staff: Decimal


def hours_report(start: datetime.date, end: datetime.date, teams=None) -> list[HoursRow]:
    """Hours delivered to citizens ("leverede timer") and the staff's real hours, per offer, in a period.

    Group sessions count once for staff however many took part; activities without a course count as "Uden forløb".
    """
    activities = Activity.objects.filter(on__gte=start, on__lte=end, attendance=Activity.Attendance.ATTENDED)
    staff = StaffTime.objects.filter(Q(activity__on__gte=start, activity__on__lte=end)
                                     | Q(session__on__gte=start, session__on__lte=end))
    if teams is not None:
        # Subqueries keep the sums exact: joining through teams would repeat rows.
        activities = activities.filter(pk__in=Activity.objects.filter(
            Q(course__team__in=teams) | Q(course__isnull=True, registered_by__teams__in=teams)).values("pk"))
        staff = staff.filter(pk__in=StaffTime.objects.filter(
            Q(activity__course__team__in=teams) | Q(session__group__team__in=teams)
            | Q(activity__course__isnull=True, user__teams__in=teams)).values("pk"))
    no_course = _("Uden forløb")
    delivered: dict[str, Mapping[str, Any]] = {r["course__offer__name"] or no_course: r for r in activities.values("course__offer__name").annotate(
        hours=Sum("delivered_hours"), persons=Count("person", distinct=True))}
    spent: dict[str, Decimal] = {}
    for row in staff.values("activity__course__offer__name", "session__group__offer__name").annotate(hours=Sum("hours")):
        name = row["activity__course__offer__name"] or row["session__group__offer__name"] or no_course
        spent[name] = spent.get(name, Decimal(0)) + row["hours"]
    rows = []
    for name in sorted(set(delivered) | set(spent)):
        rows.append(HoursRow(name, delivered.get(name, {}).get("persons", 0),
                             delivered.get(name, {}).get("hours") or Decimal(0), spent.get(name, Decimal(0))))
    return rows


def publish_hours(rows: list[HoursRow]) -> list[HoursRow]:
    """The hours page's figures by the disclosure rule: citizens and hours to the nearest 5 (docs/kpis.md)."""
    published = []
    for row in rows:
        persons = disclosure.count(row.persons)
        published.append(HoursRow(row.offer, persons, disclosure.hours(row.delivered, persons),
                                  disclosure.hours(row.staff, 1)))
    return published
