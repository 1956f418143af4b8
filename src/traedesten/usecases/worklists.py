"""Today's work: the worklist (deadlines, no-shows and measurement alerts of the courses the user reaches), grouped
into overdue, today and this week, with items put off or handed to a colleague; and "Mine borgere", the citizens the
user or the team works with, by next deadline and last contact."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _, gettext_lazy

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, CaseloadAssignment, CaseloadNorm, User, norm_for
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.courses import ending as endings, package_hours, services
from traedesten.courses.models import Activity, Course, StaffTime, WorkItemNote
from traedesten.gate import Action, Clearance, Section, Tool, may_use, persons_reached, require_tool
from traedesten.gate.rules import roles_writing
from traedesten.measures.alerts import alerts
from traedesten.people.contacts import gaps as cover_gaps
from traedesten.people.models import Person
from traedesten.plans import exemptions, parts, pauses
from traedesten.plans.health import checks_due
from traedesten.plans.models import Plan

from ._gated import same_citizen
from .matching import due_for_worklist
from .outcomes import complaints_due

HORIZON_DAYS = 7


@dataclass
class Item:
    course: Course
    kind: str
    label: str
    due: datetime.date
    overdue: bool
    assigned_to: User | None = None
    """A colleague handed the item to this user (or the user handed it on)."""
    owners: frozenset[int] = frozenset()
    """Users besides the course's responsible worker whose own list the item is on: the plan's coordinator for a
    long wait and a gap in cover, and the manager for a gap in cover (decision 0060)."""

    @property
    def key(self) -> str:
        return f"{self.course.pk}:{self.kind}:{self.due.isoformat()}"


@dataclass
class Worklist:
    overdue: list[Item] = field(default_factory=list)
    today: list[Item] = field(default_factory=list)
    week: list[Item] = field(default_factory=list)
    snoozed: int = 0
    paused: int = 0
    """Items of citizens whose plan is on pause, put off beyond this week."""
    exempt: int = 0
    """Items an exemption in force has switched off (decision 0057)."""
    approvals: list = field(default_factory=list)
    """Grants waiting for the manager's approval (decision 0058)."""
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    matchings: list = field(default_factory=list)
    """Citizens waiting to be matched with a worker, due within the week or overdue (the team manager's)."""
    complaints: list = field(default_factory=list)
    """Unanswered complaints due within the week or overdue: the responsible worker's, or the team's (decision 0061)."""

    @property
    def items(self) -> list[Item]:
        return self.overdue + self.today + self.week


KIND_LABELS = {"follow_up": gettext_lazy("Opfølgning"), "assessment": gettext_lazy("Vurdering"),
               "end": gettext_lazy("Forløbets slutdato"), "close": gettext_lazy("Afslutning"),
               "no_show": gettext_lazy("Udeblivelse"), "measure_due": gettext_lazy("Måling"),
               "measure_low": gettext_lazy("Lav score"), "measure_worse": gettext_lazy("Forværring"),
               "measure_stuck": gettext_lazy("Ingen bedring"), "limit": gettext_lazy("Tidsgrænse"),
               "status_note": gettext_lazy("Statusnotat"), "health_check": gettext_lazy("Årligt helbredstjek"),
               "after_care": gettext_lazy("Efterværnsbesøg"), "waiting": gettext_lazy("Lang ventetid på indsats"),
               "cover_gap": gettext_lazy("Ingen kontaktperson")}


def _courses(user, scope: str):
    """The active courses whose deadlines the user may see: the user's own, or the team's."""
    courses = Course.objects.filter(person__in=persons_reached(user, Section.COURSES), status=Course.Status.ACTIVE)
    if scope == "mine":
        # A list, not a subquery: with a subquery in the OR, PostgreSQL cannot use the index on the responsible worker
        # and reads every active course and every citizen (20 ms at 100,000 citizens against 1 ms).
        handed = list(WorkItemNote.objects.filter(assigned_to=user).values_list("course_id", flat=True).distinct())
        courses = courses.filter(Q(responsible=user) | Q(pk__in=handed))
    return courses


def worklist(user, *, scope: str = "mine", today: datetime.date) -> Worklist:
    require_tool(user, Tool.WORKLIST)
    result = _collect(user, scope, today)
    result.matchings = due_for_worklist(user, today=today)
    result.complaints = complaints_due(user, scope=scope, until=today + datetime.timedelta(days=HORIZON_DAYS))
    result.approvals = grants.awaiting(persons_reached(user, Section.AUTHORITY)) if may_use(
        user, Tool.GRANT_APPROVAL) else []
    persons = ({i.course.person_id for i in result.items} | {m.person_id for m in result.matchings}
               | {k.person_id for k in result.complaints} | {g.person_id for g in result.approvals})
    if persons:
        health = [Section.HEALTH] if any(i.kind == "health_check" for i in result.items) else []
        actions = [Section.ACTIONS] if any(i.kind == "waiting" for i in result.items) else []
        audit.record(user, AuditAction.VIEW, persons=persons, section="worklist",
                     fields=[Section.IDENTITY, Section.COURSES, *health, *actions,
                             *([Section.AUTHORITY] if result.approvals else [])])
    return result


def _health_checks(user, active: list[Course], today: datetime.date) -> list[Item]:
    """The annual health check of the citizens whose plan marks them for one (decision 0050), where the user may read
    the health section: once per citizen, on their earliest-started active course (its responsible worker's list)."""
    first: dict[int, Course] = {}
    for course in sorted(active, key=lambda c: (c.start, c.pk)):
        first.setdefault(course.person_id, course)
    if not first:
        return []
    readable = set(persons_reached(user, Section.HEALTH).filter(pk__in=list(first)).values_list("pk", flat=True))
    due = checks_due(readable, until=today + datetime.timedelta(days=HORIZON_DAYS))
    return [Item(first[pid], "health_check", str(KIND_LABELS["health_check"]), day, day < today)
            for pid, day in due.items()]


def _first_courses(user, section: Section, scope: str, *, managers: bool = False) -> dict[int, Course]:
    """Per citizen the user reaches for `section`: the earliest-started active course, which carries the citizen's
    plan-wide items. On the user's own list: citizens whose course the user is responsible for or whose plan the
    user coordinates, and every citizen the user reaches when `managers` and the user is a manager."""
    courses = Course.objects.filter(person__in=persons_reached(user, section), status=Course.Status.ACTIVE)
    if scope == "mine" and not (managers and user.role == Role.MANAGER):
        coordinated = list(Plan.objects.filter(coordinator=user).values_list("person_id", flat=True))
        courses = courses.filter(Q(responsible=user) | Q(person__in=coordinated))
    first: dict[int, Course] = {}
    for course in courses.select_related("offer", "person").order_by("start", "pk"):
        first.setdefault(course.person_id, course)
    return first


def _owners(user, person_ids, *, manager: bool) -> dict[int, frozenset[int]]:
    coordinators = dict(Plan.objects.filter(person__in=person_ids, coordinator__isnull=False)
                        .values_list("person_id", "coordinator_id"))
    extra = {user.pk} if manager and user.role == Role.MANAGER else set()
    return {pid: frozenset({*([coordinators[pid]] if pid in coordinators else []), *extra}) for pid in person_ids}


def _long_waits(user, scope: str, today: datetime.date) -> list[Item]:
    """Interventions in the plan that have waited more than `plans.parts.WAITING_ALERT_DAYS` days since they were
    asked for (decision 0060): on the coordinator's list, where the user may read the plan's actions."""
    first = _first_courses(user, Section.ACTIONS, scope)
    owners = _owners(user, list(first), manager=False)
    return [Item(first[w.person_id], "waiting", _("%(action)s har ventet %(days)s dage") % {
                "action": w.action.text, "days": w.action.waited_days(today)}, w.due, w.due < today,
                 owners=owners[w.person_id])
            for w in parts.long_waits(list(first), today=today)]


def _cover(user, scope: str, today: datetime.date) -> list[Item]:
    """A citizen with an open course who has had no contact person of a kind they had for
    `people.contacts.COVER_GAP_WEEKS` weeks (decision 0060): on the coordinator's and the manager's list. The item is
    carried by the citizen's earliest active course; a citizen with an open grant and no active course has no course
    to carry it (see notes-planparts.md)."""
    first = _first_courses(user, Section.COURSES, scope, managers=True)
    if not first:
        return []
    owners = _owners(user, list(first), manager=True)
    return [Item(first[g.person_id], "cover_gap", g.label, g.due, g.due < today, owners=owners[g.person_id])
            for g in cover_gaps(list(first), today=today)]


def _after_care(user, scope: str, today: datetime.date) -> list[Item]:
    """The after-care visits due this week on closed courses (decision 0052): the course's responsible worker's, until
    an after-care visit is registered on the course."""
    closed = Course.objects.filter(person__in=persons_reached(user, Section.COURSES), status=Course.Status.CLOSED)
    if scope == "mine":
        handed = WorkItemNote.objects.filter(assigned_to=user, kind="after_care").values("course_id")
        closed = closed.filter(Q(responsible=user) | Q(pk__in=handed))
    return [Item(course, "after_care", _("Efterværnsbesøg efter %(offer)s") % {"offer": course.offer}, due, due < today)
            for course, due in endings.after_care_due(closed, until=today + datetime.timedelta(days=HORIZON_DAYS))]


def _collect(user, scope: str, today: datetime.date) -> Worklist:
    courses = _courses(user, scope)
    raw = [Item(i.course, i.deadline.kind, i.deadline.label, i.deadline.due, i.overdue)
           for i in services.worklist(courses, today=today, horizon_days=HORIZON_DAYS)]
    raw += _after_care(user, scope, today)
    active = list(courses.select_related("offer", "person"))
    raw += [Item(a.course, a.kind, a.label, a.due, a.overdue(today)) for a in alerts(active, today=today,
                                                                                  horizon_days=HORIZON_DAYS)]
    raw += _health_checks(user, active, today)
    raw += _long_waits(user, scope, today) + _cover(user, scope, today)
    notes = {(n.course_id, n.kind, n.due): n for n in WorkItemNote.objects.filter(
        course__in=[i.course.pk for i in raw]).select_related("assigned_to")}
    paused = pauses.latest({i.course.person_id for i in raw}, today)
    waived = exemptions.waived({i.course.person_id for i in raw}, today)
    result = Worklist()
    kinds: Counter = Counter()
    for item in sorted(raw, key=lambda i: (i.due, i.course.pk, i.kind)):
        if not exemptions.keeps_deadline(item.kind, waived.get(item.course.person_id, frozenset())):
            result.exempt += 1
            continue
        note = notes.get((item.course.pk, item.kind, item.due))
        if note is not None:
            if note.snoozed_until and note.snoozed_until > today:
                result.snoozed += 1
                continue
            item.assigned_to = note.assigned_to
            if scope == "mine" and note.assigned_to_id and note.assigned_to_id != user.pk:
                continue  # handed to a colleague: it is on their list now
            if (scope == "mine" and note.assigned_to_id != user.pk and item.course.responsible_id != user.pk
                    and user.pk not in item.owners):
                continue
            if note.snoozed_until:  # put off until today or earlier: due again from that day
                item.due = max(item.due, note.snoozed_until)
                item.overdue = item.due < today
        elif scope == "mine" and item.course.responsible_id != user.pk and user.pk not in item.owners:
            continue
        pause = paused.get(item.course.person_id)
        if pause is not None:
            item.due = pauses.put_off(item.kind, item.due, pause)
            item.overdue = item.due < today
            if item.due > today + datetime.timedelta(days=HORIZON_DAYS):
                result.paused += 1
                continue
        kinds[item.kind] += 1
        (result.overdue if item.overdue else result.today if item.due == today else result.week).append(item)
    result.by_kind = [(KIND_LABELS.get(k, k), n) for k, n in kinds.most_common()]
    return result


def _note(c: Clearance, course: Course, kind: str, due: datetime.date) -> WorkItemNote:
    c.require(Section.COURSES, action=Action.WRITE)
    same_citizen(c, course)
    if course.status != Course.Status.ACTIVE and kind != "after_care":
        raise ValidationError(_("Forløbet er afsluttet."))
    note, _created = WorkItemNote.objects.select_for_update().get_or_create(
        course=course, kind=kind[:20], due=due, defaults={"by": c.staff, "snoozed_until": due})
    return note


@transaction.atomic
def snooze(c: Clearance, course: Course, *, kind: str, due: datetime.date, until: datetime.date, reason: str,
           today: datetime.date) -> WorkItemNote:
    """Put an item off to a later day with a reason (a citizen in hospital, a meeting already booked)."""
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ValidationError(_("Skriv hvorfor opgaven udsættes."))
    if until <= today or until > today + datetime.timedelta(days=90):
        raise ValidationError(_("Vælg en dato efter i dag og højst 90 dage frem."))
    note = _note(c, course, kind, due)
    WorkItemNote.objects.filter(pk=note.pk).update(snoozed_until=until, reason=reason[:300], by=c.user)
    audit.record(c.user, AuditAction.UPDATE, person=course.person_id, section="worklist", fields=["snoozed"],
                 reason=reason[:300])
    note.refresh_from_db()
    return note


@transaction.atomic
def hand_to(c: Clearance, course: Course, *, kind: str, due: datetime.date, colleague) -> WorkItemNote:
    """Hand an item to a colleague, who must be able to work on the citizen's course without a stated reason."""
    if colleague is None or colleague.pk == c.staff.pk or colleague.role not in roles_writing(Section.COURSES):
        raise ValidationError(_("Vælg en kollega."))
    if not persons_reached(colleague, Section.COURSES, action=Action.WRITE).filter(pk=course.person_id).exists():
        raise PermissionDenied(_("Kollegaen arbejder ikke med borgeren og kan ikke få opgaven."))
    note = _note(c, course, kind, due)
    WorkItemNote.objects.filter(pk=note.pk).update(assigned_to=colleague, by=c.user,
                                                   snoozed_until=None if note.assigned_to_id is None else note.snoozed_until)
    audit.record(c.user, AuditAction.UPDATE, person=course.person_id, section="worklist", fields=["assigned_to"])
    note.refresh_from_db()
    return note


@dataclass
class CitizenRow:
    person: Person
    offers: list[str]
    next_due: datetime.date | None
    next_label: str
    last_contact: datetime.date | None
    overdue: bool
    paused_until: datetime.date | None = None
    """The last day of the citizen's pause in force, when there is one."""
    package_week: package_hours.Week | None = None
    """The last ended week of the citizen's bostøtte course: hours delivered against the package (decision 0053)."""


def my_citizens(user, *, scope: str = "mine", sort: str = "deadline", today: datetime.date, limit: int = 400):
    """The citizens the user works with (their own caseload and courses), or the team's (every citizen the user
    reaches through a standing relation with an active course), with the next deadline and the last contact."""
    require_tool(user, Tool.MY_CITIZENS)
    reached = persons_reached(user, Section.COURSES)
    courses = Course.objects.filter(status=Course.Status.ACTIVE, person__in=reached)
    if scope == "mine":
        own = CaseloadAssignment.objects.filter(worker=user).filter(Q(end__isnull=True) | Q(end__gte=today))
        courses = courses.filter(Q(responsible=user) | Q(person__in=own.values("person_id")))
    running = list(courses.select_related("offer", "person").order_by("person_id", "start")[:limit * 3])
    held: dict[int, set[str]] = {}
    for course_id, kind in Activity.objects.filter(course__in=running, attendance="attended").values_list(
            "course_id", "kind"):
        held.setdefault(course_id, set()).add(kind)
    last = dict(Activity.objects.filter(person__in={c.person_id for c in running}, attendance="attended")
                .values("person_id").annotate(last=Max("on")).values_list("person_id", "last"))
    paused = pauses.latest({c.person_id for c in running}, today)
    waived = exemptions.waived({c.person_id for c in running}, today)
    package_weeks = package_hours.recent_weeks(running, as_of=today, weeks=1)
    rows: dict[int, CitizenRow] = {}
    for course in running:
        pause = paused.get(course.person_id)
        row = rows.setdefault(course.person_id, CitizenRow(
            course.person, [], None, "", last.get(course.person_id), False,
            pause.resumes_on - datetime.timedelta(days=1) if pause and pause.in_force(today) else None))
        row.offers.append(str(course.offer))
        if package_weeks.get(course.pk) and row.package_week is None:
            row.package_week = package_weeks[course.pk][-1]
        for d in exemptions.required(services.deadlines(course, held.get(course.pk, set())),
                                     waived.get(course.person_id, frozenset())):
            due = pauses.put_off(d.kind, d.due, pause)
            if not d.done and (row.next_due is None or due < row.next_due):
                row.next_due, row.next_label, row.overdue = due, d.label, due < today
    result = list(rows.values())[:limit]
    if sort == "contact":
        result.sort(key=lambda r: (r.last_contact or datetime.date.min, r.person.pk))
    elif sort == "name":
        result.sort(key=lambda r: (r.person.last_name, r.person.first_name, r.person.pk))
    else:
        result.sort(key=lambda r: (r.next_due or datetime.date.max, r.person.pk))
    if result:
        audit.record(user, AuditAction.VIEW, persons=[r.person.pk for r in result], section="my_citizens",
                     fields=[Section.IDENTITY, Section.COURSES])
    return result


@dataclass
class WorkerLoad:
    user: object
    active: int
    hours: Decimal
    overdue: int
    norm: CaseloadNorm | None

    @property
    def over(self) -> bool:
        return self.norm is not None and self.active > self.norm.max_citizens


HOURS_WEEKS = 4


def caseload_norms(manager, *, today: datetime.date) -> list[WorkerLoad]:
    """Per worker on the manager's teams: active citizens (their courses and their own caseload), their staff hours in
    the last four weeks and their overdue worklist items, against the caseload norm of their team or function. Counts
    only: no citizen is named, so nothing is read about one."""
    require_tool(manager, Tool.CASELOAD_NORMS)
    teams = set(manager.teams.values_list("pk", flat=True))
    workers = (User.objects.filter(is_active=True, teams__in=teams, role__in=roles_writing(Section.COURSES))
               .exclude(role=Role.MANAGER).distinct().order_by("first_name", "username").prefetch_related("teams"))
    norms = list(CaseloadNorm.objects.all())
    since = today - datetime.timedelta(weeks=HOURS_WEEKS)
    rows = []
    for worker in workers:
        current = Q(end__isnull=True) | Q(end__gte=today)
        own = CaseloadAssignment.objects.filter(current, worker=worker).values("person_id")
        active = (Course.objects.filter(status=Course.Status.ACTIVE).filter(Q(responsible=worker) | Q(person__in=own))
                  .values("person_id").distinct().count())
        hours = StaffTime.objects.filter(user=worker).filter(
            Q(activity__on__gte=since, activity__on__lte=today) | Q(session__on__gte=since, session__on__lte=today)
        ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
        overdue = len(_collect(worker, "mine", today).overdue)
        rows.append(WorkerLoad(worker, active, hours, overdue,
                               norm_for(worker, {t.pk for t in worker.teams.all()}, norms)))
    return rows
