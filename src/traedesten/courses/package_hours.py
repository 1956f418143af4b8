"""Hours against the package (decision 0053, docs/kpis.md "Hours against the package").

For a bostøtte course, the hours delivered each ISO week (Monday to Sunday) against the band of the hours package
granted for that week, read from the package history (`PackageChange`), and whether the week was below, within or
above the band. Also the manager's report per team and per responsible worker, and cancellations and video support
per team; both are published through `core.disclosure`.

Everything here is computed from dates in the data and the day asked for: the same question gives the same answer
whenever it is asked.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from traedesten.core import disclosure

from .kinds import kinds_where
from .models import Activity, Channel, Course, HoursPackage, PackageChange

BANDS: dict[str, tuple[int, int]] = {
    HoursPackage.UNDER_3: (0, 3),
    HoursPackage.FROM_3_TO_6: (3, 6),
    HoursPackage.FROM_6_TO_20: (6, 20),
}
"""Each package's weekly band in hours, both ends included: "<3" is read as 0-3, "3-6" as 3-6, "6-20" as 6-20."""

BELOW, WITHIN, ABOVE = "below", "within", "above"
VARIANCE_LABELS = {BELOW: _("under pakken"), WITHIN: _("inden for pakken"), ABOVE: _("over pakken")}
WORKER_WEEKS = 8
"""How many ended weeks the worker's screens show."""
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def last_ended_sunday(as_of: datetime.date) -> datetime.date:
    """The Sunday of the last ISO week that has ended before `as_of` (a week has ended when its Sunday is past)."""
    return monday(as_of) - DAY


def one_decimal(value) -> Decimal:
    """A figure shown to one decimal, halves up (the comparison itself is exact)."""
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _shown(value: Fraction) -> str:
    """Danish, one decimal, without a trailing ",0"."""
    text = str(one_decimal(value))
    return text.removesuffix(".0").replace(".", ",")


@dataclass(frozen=True)
class Week:
    """One ISO week of one course."""

    course_id: int
    monday: datetime.date
    delivered: Decimal
    """Hours of the course's attended activities dated in the week."""
    low: Fraction
    high: Fraction
    """The band: each day the course runs adds a seventh of the band of the package in force that day."""
    packages: tuple[str, ...]
    """The packages in force in the week, in order (two when the package changed during the week)."""
    days: int
    """Days of the week with a package in force."""

    @property
    def variance(self) -> str:
        if self.delivered < self.low:
            return BELOW
        return ABOVE if self.delivered > self.high else WITHIN

    @property
    def variance_label(self) -> str:
        return str(VARIANCE_LABELS[self.variance])

    @property
    def iso(self) -> tuple[int, int]:
        year, week, _day = self.monday.isocalendar()
        return year, week

    @property
    def number(self) -> int:
        return self.iso[1]

    @property
    def band(self) -> str:
        return f"{_shown(self.low)}–{_shown(self.high)}"

    @property
    def changed(self) -> bool:
        return len(self.packages) > 1

    @property
    def partial(self) -> bool:
        return self.days < 7


def package_on(course: Course, changes: list[PackageChange], day: datetime.date) -> str:
    """The package in force on a day: the newest change dated on or before it (then the later record), else the
    package the course had before its first change; "" before the course starts or after it closed."""
    if day < course.start or (course.closed_on is not None and day > course.closed_on):
        return ""
    in_force = ""
    for change in changes:  # ordered by (on, pk)
        if change.on <= day:
            in_force = change.to_package
    if not in_force:
        in_force = changes[0].from_package if changes else course.hours_package
    return in_force if in_force in BANDS else ""


def week_of(course: Course, changes: list[PackageChange], start: datetime.date, delivered: Decimal) -> Week | None:
    low = high = Fraction(0)
    packages: list[str] = []
    days = 0
    for i in range(7):
        package = package_on(course, changes, start + datetime.timedelta(days=i))
        if not package:
            continue
        days += 1
        band = BANDS[package]
        low += Fraction(band[0], 7)
        high += Fraction(band[1], 7)
        if not packages or packages[-1] != package:
            packages.append(package)
    if not days:
        return None
    return Week(course.pk, start, delivered, low, high, tuple(packages), days)


def course_weeks(courses, *, first: datetime.date, last: datetime.date) -> dict[int, list[Week]]:
    """Per course, its weeks from the week of `first` to the week of `last` (both included) in which it had a
    package on at least one day, oldest first."""
    courses = [c for c in courses if c.offer.meaning.hours_package]
    if not courses:
        return {}
    first, last = monday(first), monday(last)
    changes: dict[int, list[PackageChange]] = defaultdict(list)
    for change in PackageChange.objects.filter(course__in=courses).order_by("on", "pk"):
        changes[change.course_id].append(change)
    delivered: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)
    for course_id, on, hours in (Activity.objects.filter(
            course__in=courses, attendance=Activity.Attendance.ATTENDED, on__gte=first, on__lte=last + 6 * DAY)
            .values("course_id", "on").annotate(hours=Sum("delivered_hours")).values_list("course_id", "on", "hours")):
        delivered[course_id, monday(on)] += hours or Decimal(0)
    result: dict[int, list[Week]] = {}
    for course in courses:
        weeks = []
        start = max(first, monday(course.start))
        while start <= last:
            week = week_of(course, changes[course.pk], start, delivered[course.pk, start])
            if week is not None:
                weeks.append(week)
            start += WEEK
        result[course.pk] = weeks
    return result


def recent_weeks(courses, *, as_of: datetime.date, weeks: int = WORKER_WEEKS) -> dict[int, list[Week]]:
    """The worker's view: the last `weeks` ended weeks of each bostøtte course."""
    last = last_ended_sunday(as_of)
    return course_weeks(courses, first=last - weeks * WEEK + DAY, last=last)


# The manager's report: aggregates only, published through core.disclosure.

def weeks_in_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The first and last Monday of the ISO weeks that lie wholly in the period (Monday ≥ start, Sunday ≤ end)."""
    first = monday(start) if start.weekday() == 0 else monday(start) + WEEK
    last = monday(end) if end.weekday() == 6 else monday(end) - WEEK
    return (first, last) if first <= last else None


@dataclass
class VarianceRow:
    label: str
    weeks: int = 0
    below: int = 0
    within: int = 0
    above: int = 0
    courses: int = 0
    delivered: Decimal = Decimal(0)
    low: Fraction = Fraction(0)
    high: Fraction = Fraction(0)
    course_ids: set = field(default_factory=set, repr=False)

    def add(self, week: Week) -> None:
        self.weeks += 1
        setattr(self, week.variance, getattr(self, week.variance) + 1)
        self.course_ids.add(week.course_id)
        self.courses = len(self.course_ids)
        self.delivered += week.delivered
        self.low += week.low
        self.high += week.high


@dataclass(frozen=True)
class PublishedVariance:
    label: str
    weeks: int
    below: int
    within: int
    above: int
    courses: int
    delivered: Decimal
    band_low: Decimal
    band_high: Decimal


def publish_variance(row: VarianceRow) -> PublishedVariance:
    weeks = disclosure.count(row.weeks)
    return PublishedVariance(
        row.label, weeks, disclosure.count(row.below), disclosure.count(row.within), disclosure.count(row.above),
        disclosure.count(row.courses), disclosure.hours(row.delivered, weeks),
        disclosure.hours(Decimal(one_decimal(row.low)), weeks), disclosure.hours(Decimal(one_decimal(row.high)), weeks))


def _bostotte_courses(teams):
    courses = Course.objects.filter(offer__kind__in=kinds_where("hours_package"))
    if teams is not None:
        courses = courses.filter(team__in=teams)
    return courses


def variance_report(start: datetime.date, end: datetime.date, teams=None) -> dict:
    """Course-weeks below, within and above the package, per team and per responsible worker, exact."""
    span = weeks_in_period(start, end)
    by_team: dict[str, VarianceRow] = {}
    by_worker: dict[str, VarianceRow] = {}
    total = VarianceRow(str(_("I alt")))
    if span is not None:
        first, last = span
        courses = list(_bostotte_courses(teams).filter(start__lte=last + 6 * DAY).exclude(closed_on__lt=first)
                       .select_related("offer", "team", "responsible"))
        no_team, no_worker = str(_("Uden team")), str(_("Ingen ansvarlig"))
        by_course = {c.pk: c for c in courses}
        for course_id, weeks in course_weeks(courses, first=first, last=last).items():
            course = by_course[course_id]
            team = course.team.name if course.team else no_team
            worker = (course.responsible.get_full_name() or course.responsible.username) if course.responsible else no_worker
            for week in weeks:
                by_team.setdefault(team, VarianceRow(team)).add(week)
                by_worker.setdefault(worker, VarianceRow(worker)).add(week)
                total.add(week)
    return {"teams": [by_team[k] for k in sorted(by_team)], "workers": [by_worker[k] for k in sorted(by_worker)],
            "total": total, "weeks": span}


@dataclass
class AttendanceRow:
    team: str
    activities: int = 0
    attended: int = 0
    cancelled: int = 0
    no_show: int = 0
    video: int = 0
    video_hours: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)


def attendance_report(start: datetime.date, end: datetime.date, teams=None) -> list[AttendanceRow]:
    """Per team: the activities on bostøtte courses dated in the period (both days included), attended, cancelled,
    missed, and the attended ones by video with their hours. Exact."""
    rows: dict[str, AttendanceRow] = {}
    activities = Activity.objects.filter(course__in=_bostotte_courses(teams), on__gte=start, on__lte=end)
    no_team = str(_("Uden team"))
    for team, attendance, channel, n, hours in (activities.values("course__team__name", "attendance", "channel")
                                                .annotate(n=Count("pk"), hours=Sum("delivered_hours"))
                                                .values_list("course__team__name", "attendance", "channel", "n", "hours")):
        row = rows.setdefault(team or no_team, AttendanceRow(team or no_team))
        row.activities += n
        if attendance == Activity.Attendance.ATTENDED:
            row.attended += n
            row.delivered += hours or Decimal(0)
            if channel == Channel.VIDEO:
                row.video += n
                row.video_hours += hours or Decimal(0)
        elif attendance == Activity.Attendance.CANCELLED:
            row.cancelled += n
        elif attendance == Activity.Attendance.NO_SHOW:
            row.no_show += n
    return [rows[k] for k in sorted(rows)]


@dataclass(frozen=True)
class PublishedAttendance:
    team: str
    activities: int
    attended: int
    cancelled: int
    no_show: int
    cancelled_share: Decimal | None
    """Cancelled ÷ all activities, of the published counts."""
    video: int
    video_hours: Decimal
    video_share: Decimal | None


def publish_attendance(row: AttendanceRow) -> PublishedAttendance:
    activities, attended = disclosure.count(row.activities), disclosure.count(row.attended)
    cancelled, no_show, video = disclosure.count(row.cancelled), disclosure.count(row.no_show), disclosure.count(row.video)
    return PublishedAttendance(row.team, activities, attended, cancelled, no_show, disclosure.share(cancelled, activities),
                               video, disclosure.hours(row.video_hours, video), disclosure.share(video, attended))
