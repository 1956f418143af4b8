"""Group courses (hold): creating a group, enrolment with a soft capacity, the attendance register, and the group's end.

A group ends on the day of its last session once it has held its planned number of sessions, or on the day staff end
it (`end_group`). Its enrolments (courses with `group` set) still running then close that day, to "group_ended".
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.core.locking import update_versioned
from traedesten.people.models import Person

from .models import Activity, Course, Destination, GroupRun, GroupSession, Offer, StaffTime
from .services import SoftCapExceeded, check_activity, clean_reason, delivered_hours_for, start_course


def with_enrolled(groups):
    return groups.annotate(enrolled=Count("enrolments", filter=Q(enrolments__status=Course.Status.ACTIVE), distinct=True))


@transaction.atomic
def create_group(actor, offer: Offer, *, theme: str, start: datetime.date, planned_sessions: int,
                 session_hours: Decimal, capacity: int | None = None, facilitators=(), location: str = "",
                 team=None, cap_reason: str = "", continues_from: GroupRun | None = None) -> GroupRun:
    theme = " ".join(theme.split())
    if not offer.meaning.in_groups:
        raise ValidationError(_("Vælg et gruppetilbud."))
    if not theme:
        raise ValidationError(_("Skriv holdets tema."))
    if planned_sessions < 1 or session_hours <= 0:
        raise ValidationError(_("Et hold skal have mindst én gang og en varighed over 0 timer."))
    if not facilitators:
        raise ValidationError(_("Vælg mindst én facilitator."))
    capacity = capacity or offer.group_capacity or 8
    cap_reason = clean_reason(cap_reason)
    if offer.group_capacity and capacity > offer.group_capacity and not cap_reason:
        raise SoftCapExceeded(_("Tilbuddet anbefaler højst %(cap)s deltagere pr. hold. "
                                "Skriv en begrundelse for at fortsætte.") % {"cap": offer.group_capacity})
    group = GroupRun.objects.create(offer=offer, theme=theme, start=start, planned_sessions=planned_sessions,
                                    session_hours=session_hours, capacity=capacity, location=location.strip()[:200],
                                    team=team or actor.teams.order_by("pk").first(), capacity_override_reason=cap_reason,
                                    continues_from=continues_from)
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def enrol(actor, group: GroupRun, person, *, on: datetime.date | None = None, cap_reason: str = "") -> Course:
    """Enrol a citizen on a group. Going over capacity warns and needs a reason; it never blocks. Only a citizen is
    enrolled: a relative (a person in a citizen's network) never joins a group (seed 000, decision 0051)."""
    if not isinstance(person, Person) or not person.pk:
        raise ValidationError(_("Kun borgere kan tilmeldes et hold. Pårørende deltager ikke i grupper."))
    group = GroupRun.objects.select_for_update().select_related("offer").get(pk=group.pk)
    if Course.objects.filter(group=group, person=person).exists():
        raise ValidationError(_("%(name)s er allerede tilmeldt holdet.") % {"name": person.display_name})
    if group.ended_on:
        raise ValidationError(_("Holdet sluttede %(date)s.") % {"date": f"{group.ended_on:%d.%m.%Y}"})
    enrolled = group.enrolments.filter(status=Course.Status.ACTIVE).count()
    cap_reason = clean_reason(cap_reason)
    if enrolled >= group.capacity and not cap_reason:
        raise SoftCapExceeded(_("Holdet er fuldt (%(n)s af %(cap)s pladser). Skriv en begrundelse for at "
                                "tilmelde alligevel.") % {"n": enrolled, "cap": group.capacity})
    start = max(on or group.start, group.start)
    try:
        with transaction.atomic():
            return start_course(actor, person, group.offer, start=start, team=group.team, group=group,
                                cap_reason=cap_reason)
    except IntegrityError:
        raise ValidationError(_("%(name)s er allerede tilmeldt holdet.") % {"name": person.display_name}) from None


def participants(group: GroupRun):
    return (Course.objects.filter(group=group).select_related("person")
            .order_by("person__first_name", "person__last_name", "pk"))


def _check_session(group: GroupRun, on: datetime.date, hours: Decimal) -> None:
    if on < group.start:
        raise ValidationError(_("Gangen ligger før holdets start (%(start)s).") % {"start": f"{group.start:%d.%m.%Y}"})
    if group.ended_on and on > group.ended_on:
        raise ValidationError(_("Holdet sluttede %(date)s.") % {"date": f"{group.ended_on:%d.%m.%Y}"})
    if hours <= 0:
        raise ValidationError(_("En gang skal vare mere end 0 timer."))


def _write_attendance(actor, session: GroupSession, attendance: dict[int, str]) -> None:
    enrolments = {c.person_id: c for c in participants(session.group) if c.start <= session.on}
    unknown = set(attendance) - set(enrolments)
    if unknown:
        raise ValidationError(_("Kun tilmeldte deltagere kan registreres på holdet."))
    existing = {a.person_id: a for a in session.attendance.all()}
    for person_id, mark in attendance.items():
        course = enrolments[person_id]
        hours = delivered_hours_for(mark, session.hours)
        check_activity(kind=Activity.Kind.GROUP_SESSION, on=session.on, course=course, person=course.person,
                       attendance=mark, channel="", delivered_hours=hours, staff_hours={})
        if person_id in existing:
            Activity.objects.filter(pk=existing[person_id].pk).update(attendance=mark, delivered_hours=hours)
        else:
            Activity.objects.create(person_id=person_id, course=course, session=session, kind=Activity.Kind.GROUP_SESSION,
                                    on=session.on, attendance=mark, delivered_hours=hours,
                                    channel="group_room", registered_by=actor)
    audit.record(actor, AuditAction.UPDATE, persons=set(attendance), section="group_attendance")


@transaction.atomic
def register_session(actor, group: GroupRun, *, on: datetime.date, hours: Decimal, attendance: dict[int, str],
                     staff_hours: dict, cap_reason: str = "") -> GroupSession:
    """One group meeting: its attendance register and the facilitators' own hours. Raises SoftCapExceeded when
    fewer staff ran it than the offer plans for (group_facilitators), unless a reason is given."""
    _check_session(group, on, hours)
    if GroupSession.objects.filter(group=group, on=on).exists():
        raise ValidationError(_("Holdet har allerede en gang registreret den %(date)s.") % {"date": f"{on:%d.%m.%Y}"})
    if any(h < 0 or h > 24 for h in staff_hours.values()):
        raise ValidationError(_("Medarbejdertimer skal være mellem 0 og 24."))
    planned, present = group.offer.group_facilitators, sum(1 for h in staff_hours.values() if h > 0)
    reason = clean_reason(cap_reason) if planned and present < planned else ""
    if planned and present < planned and not reason:
        raise SoftCapExceeded(_("Tilbuddet regner med %(cap)s facilitatorer pr. gang, og %(n)s er registreret. "
                                "Skriv en begrundelse for at fortsætte.") % {"cap": planned, "n": present})
    session = GroupSession.objects.create(group=group, on=on, hours=hours, few_facilitators_reason=reason)
    StaffTime.objects.bulk_create(StaffTime(session=session, user=u, hours=h) for u, h in staff_hours.items() if h)
    _write_attendance(actor, session, attendance)
    if not group.ended_on and group.sessions.count() >= group.planned_sessions:
        end_group(actor, group)
    return session


def check_group_end(*, start: datetime.date, last_session: datetime.date | None, on: datetime.date) -> None:
    """A group ends on or after its start and its last session."""
    if on < start or (last_session and on < last_session):
        raise ValidationError(_("Holdet kan ikke slutte før sin start eller sin sidste gang (%(date)s).")
                              % {"date": f"{max(start, last_session or start):%d.%m.%Y}"})


@transaction.atomic
def end_group(actor, group: GroupRun, *, on: datetime.date | None = None) -> GroupRun:
    """End a group on a day (by default its last session) and close the enrolments still running then."""
    group = GroupRun.objects.select_for_update().get(pk=group.pk)
    if group.ended_on:
        raise ValidationError(_("Holdet sluttede allerede %(date)s.") % {"date": f"{group.ended_on:%d.%m.%Y}"})
    last = group.sessions.order_by("-on").values_list("on", flat=True).first()
    on = on or last
    if on is None:
        raise ValidationError(_("Vælg den dag, holdet sluttede."))
    check_group_end(start=group.start, last_session=last, on=on)
    group.ended_on = on
    group.save(update_fields=["ended_on"])
    running = list(group.enrolments.filter(status=Course.Status.ACTIVE))
    for course in running:
        Course.objects.filter(pk=course.pk, status=Course.Status.ACTIVE).update(
            status=Course.Status.CLOSED, closed_on=max(on, course.start), destination=Destination.GROUP_ENDED,
            version=F("version") + 1)
    if running:
        audit.record(actor, AuditAction.UPDATE, persons={c.person_id for c in running}, section="course",
                     fields=["status", "closed_on", "destination"])
    return group


@transaction.atomic
def update_attendance(actor, session: GroupSession, attendance: dict[int, str], *, expected_version: int) -> GroupSession:
    update_versioned(GroupSession.objects, session.pk, expected_version,
                     message=_("En anden har rettet fremmødet imens. Se de gemte markeringer og prøv igen."))
    session.refresh_from_db()
    _write_attendance(actor, session, attendance)
    return session


def attendance_matrix(group: GroupRun):
    """Participants × sessions, for the register overview."""
    sessions = list(group.sessions.all())
    marks = {(a.person_id, a.session_id): a.attendance
             for a in Activity.objects.filter(session__group=group).only("person_id", "session_id", "attendance")}
    rows = [(c, [marks.get((c.person_id, s.pk), "") for s in sessions]) for c in participants(group)]
    return sessions, rows
