"""Courses, activities, group attendance and bostøtte over the JSON API, under the same rules as the web pages."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction, User
from traedesten.core.locking import VersionConflict
from traedesten.core.schema import ErrorOut, Text20, Text100, Text500
from traedesten.economy.models import PriceItem
from traedesten.frontdoor.pathways import front_door_bypass
from traedesten.gate import Action, Section, record_read
from traedesten.gate.api import citizen
from traedesten.people.models import NetworkPerson
from traedesten.plans import exemptions
from traedesten.usecases import courses as cases

from . import services
from .models import Activity, Course, GroupRun, GroupSession, Offer

router = Router(tags=["courses"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

if TYPE_CHECKING:  # one of the model's choices, listed in the OpenAPI schema; a type checker sees the string
    ActivityKind = str
    AttendanceMark = str
else:
    ActivityKind = Literal[tuple(Activity.Kind.values)]
    AttendanceMark = Literal[tuple(Activity.Attendance.values)]
Hours = Annotated[Decimal, Field(ge=0, le=24, max_digits=5, decimal_places=2)]


class DeadlineOut(Schema):
    kind: str
    label: str
    due: datetime.date
    done: bool


class CourseOut(Schema):
    id: int
    offer_id: int
    offer: str
    legal_basis: str
    start: datetime.date
    status: str
    closed_on: datetime.date | None
    destination: str
    previous_id: int | None
    group_id: int | None
    hours_package: str
    step_down_on: datetime.date | None
    step_down_to: str
    version: int
    deadlines: list[DeadlineOut]


class PersonCoursesOut(Schema):
    courses: list[CourseOut]
    bypass: str | None


class CourseIn(Schema):
    offer_id: int
    start: datetime.date
    hours_package: Literal["", "<3", "3-6", "6-20"] = ""
    cap_reason: Text500 = ""


class ShadowIn(Schema):
    would_have_id: int | None = None
    """The price-catalogue item the citizen would have been granted without the course; null for nothing."""
    confidence: Literal["low", "medium", "high"] = "medium"


class EndingIn(Schema):
    """The ending record (decision 0052). Required for individual courses and bostøtte unless the destination is
    dropped_out or moved."""

    what_helped: str = Field("", max_length=2000)
    coping_plan_checked: bool = False
    coping_plan_checked_on: datetime.date | None = None
    community: str = Field("", max_length=1000)
    """The community offers the citizen continues with, one per line."""
    call_name: str = Field("", max_length=200)
    call_phone: str = Field("", max_length=30)
    after_care_on: datetime.date | None = None
    """The after-care visit; null for three months after the end."""
    klip: int | None = Field(None, ge=0, le=10)
    """Klip on the klippekort; null for three."""


class CloseIn(Schema):
    closed_on: datetime.date
    destination: Text20
    note: Text500 = ""
    kickoff_on: datetime.date | None = None
    version: int
    shadow: ShadowIn | None = None
    """Required for a front-door course: the shadow visitation is recorded in the same step, as on the page."""
    ending: EndingIn | None = None


class StaffHoursIn(Schema):
    user_id: int
    hours: Hours


class ActivityIn(Schema):
    kind: ActivityKind
    on: datetime.date
    course_id: int | None = None
    attendance: AttendanceMark = "attended"
    channel: Text20 = ""
    delivered_hours: Hours = Decimal(0)
    staff_hours: list[StaffHoursIn] = []
    topic: Text100 = ""
    outcome: Literal["", "course_offered", "ad_hoc", "authority", "no_need"] = ""
    cap_reason: Text500 = ""
    relative_id: int | None = Field(None, description="relative_advice, joint_session: the person in the citizen's "
                                                      "network who took part (needs the network open to you)")


class ActivityOut(Schema):
    id: int
    kind: str
    on: datetime.date
    course_id: int | None
    session_id: int | None
    attendance: str
    channel: str
    delivered_hours: Decimal
    topic: str
    outcome: str
    relative_id: int | None = None


class EnrolIn(Schema):
    person_id: int
    cap_reason: Text500 = ""


class MarkIn(Schema):
    person_id: int
    attendance: AttendanceMark


class SessionIn(Schema):
    on: datetime.date
    hours: Decimal = Field(gt=0, le=8, max_digits=4, decimal_places=2)
    attendance: list[MarkIn]
    facilitator_ids: list[int] = []
    cap_reason: Text500 = ""


class AttendanceIn(Schema):
    version: int
    attendance: list[MarkIn]


class SessionOut(Schema):
    id: int
    group_id: int
    on: datetime.date
    hours: Decimal
    version: int
    attendance: list[MarkIn]


def _course_out(course: Course, deadlines) -> dict:
    return {
        "id": course.pk, "offer_id": course.offer_id, "offer": course.offer.name,
        "legal_basis": course.offer.legal_basis.code, "start": course.start, "status": course.status,
        "closed_on": course.closed_on, "destination": course.destination, "previous_id": course.previous_id,
        "group_id": course.group_id, "hours_package": course.hours_package, "step_down_on": course.step_down_on,
        "step_down_to": course.step_down_to, "version": course.version,
        "deadlines": [d.__dict__ for d in deadlines],
    }


def _cap_conflict(exc) -> Status:
    return Status(409, {"detail": exc.message, "errors": [{"field": "cap_reason", "message": "cap_exceeded"}]})


@router.get("/people/{person_id}/courses", response={200: PersonCoursesOut, **ERRORS}, summary="A citizen's courses with deadlines")
def person_courses(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.COURSES)
    rows = services.courses_for_overview(c.person)
    bypass = front_door_bypass(c.person, [course for course, _d in rows])
    record_read(c, "courses", [Section.COURSES], channel="api")
    waived = exemptions.waived([c.person.pk], timezone.localdate()).get(c.person.pk, frozenset())
    return {"courses": [_course_out(course, exemptions.required(d, waived)) for course, d in rows],
            "bypass": bypass.kind if bypass else None}


@router.post("/people/{person_id}/courses", response={201: CourseOut, **ERRORS}, summary="Start a course (409 when a soft cap needs a reason)")
def start_course(request: AuthedRequest, person_id: int, payload: CourseIn):
    c = citizen(request, person_id, Section.COURSES, action=Action.WRITE)
    offer = get_object_or_404(Offer, pk=payload.offer_id, active=True)
    if not offer.meaning.started_alone:
        return Status(400, {"detail": "Tilmeld borgeren et hold via /groups/{id}/enrolments.", "errors": []})
    try:
        course = cases.start_course(c, offer, start=payload.start, hours_package=payload.hours_package,
                                    cap_reason=payload.cap_reason)
    except services.SoftCapExceeded as exc:
        return _cap_conflict(exc)
    return Status(201, _course_out(course, services.deadlines(course, set())))


@router.post("/courses/{course_id}/close", response={200: CourseOut, **ERRORS}, summary="Close a course with a destination (and, for a front-door course, its shadow visitation)")
def close_course(request: AuthedRequest, course_id: int, payload: CloseIn):
    course = get_object_or_404(Course.objects.select_related("offer__legal_basis"), pk=course_id)
    c = citizen(request, course.person_id, Section.COURSES, action=Action.WRITE)
    shadow = None
    if payload.shadow is not None:
        would_have = (get_object_or_404(PriceItem, pk=payload.shadow.would_have_id, active=True)
                      if payload.shadow.would_have_id else None)
        shadow = {"would_have": would_have, "confidence": payload.shadow.confidence}
    try:
        course = cases.close_course(c, course, closed_on=payload.closed_on, destination=payload.destination,
                                    note=payload.note, kickoff_on=payload.kickoff_on, expected_version=payload.version,
                                    shadow=shadow, ending=payload.ending.model_dump() if payload.ending else None)
    except VersionConflict:
        return Status(409, {"detail": "En anden har ændret forløbet, eller det er allerede afsluttet. Hent det igen.",
                            "errors": [{"field": "version", "message": "conflict"}]})
    return _course_out(course, services.deadlines(course))


@router.get("/people/{person_id}/activities", response={200: list[ActivityOut], **ERRORS})
def person_activities(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.COURSES)
    record_read(c, "activities", [Section.COURSES], channel="api")
    return list(Activity.objects.filter(person=c.person))


def _staff(payload_staff) -> dict:
    ids = [s.user_id for s in payload_staff]
    users = User.objects.in_bulk(ids)
    if len(users) != len(set(ids)):
        raise ValidationError("Ukendt medarbejder i staff_hours.")
    return {users[s.user_id]: s.hours for s in payload_staff}


@router.post("/people/{person_id}/activities", response={201: ActivityOut, **ERRORS}, summary="Register an activity with delivered and staff hours (409 when it needs a reason)")
def add_activity(request: AuthedRequest, person_id: int, payload: ActivityIn):
    c = citizen(request, person_id, Section.COURSES, action=Action.WRITE)
    if payload.kind in (Activity.Kind.GROUP_SESSION, Activity.Kind.GUIDE_CONVERSATION):
        return Status(400, {"detail": "Gruppegange registreres på holdet og guidesamtaler i indgangen.", "errors": []})
    course = get_object_or_404(Course, pk=payload.course_id, person=c.person) if payload.course_id else None
    staff = _staff(payload.staff_hours) if payload.staff_hours else {request.user: payload.delivered_hours}
    relative = (get_object_or_404(NetworkPerson, pk=payload.relative_id, person=c.person)
                if payload.relative_id else None)
    try:
        activity = cases.record_activity(
            c, kind=payload.kind, on=payload.on, course=course, attendance=payload.attendance, channel=payload.channel,
            delivered_hours=payload.delivered_hours, staff_hours=staff, topic=payload.topic, outcome=payload.outcome,
            cap_reason=payload.cap_reason, relative=relative)
    except services.SoftCapExceeded as exc:
        return _cap_conflict(exc)
    return Status(201, activity)


def _open_group(request: AuthedRequest, group_id: int) -> GroupRun:
    group = get_object_or_404(GroupRun.objects.select_related("offer"), pk=group_id)
    return cases.open_group(request.user, group)


@router.post("/groups/{group_id}/enrolments", response={201: CourseOut, **ERRORS}, summary="Enrol a citizen (409 when full and no reason)")
def enrol(request: AuthedRequest, group_id: int, payload: EnrolIn):
    group = _open_group(request, group_id)
    c = citizen(request, payload.person_id, Section.COURSES, action=Action.WRITE)
    try:
        course = cases.enrol(c, group, cap_reason=payload.cap_reason)
    except services.SoftCapExceeded as exc:
        return _cap_conflict(exc)
    return Status(201, _course_out(course, []))


def _session_out(session: GroupSession, visible: set[int]) -> dict:
    marks = session.attendance.values_list("person_id", "attendance")
    return {"id": session.pk, "group_id": session.group_id, "on": session.on, "hours": session.hours,
            "version": session.version,
            "attendance": [{"person_id": p, "attendance": a} for p, a in marks if p in visible]}


@router.get("/groups/{group_id}/sessions", response={200: list[SessionOut], **ERRORS})
def list_sessions(request: AuthedRequest, group_id: int):
    """The group's sessions with the attendance of the participants the caller may see."""
    group = _open_group(request, group_id)
    visible = set(cases.participant_names(request.user, group))
    sessions = list(group.sessions.prefetch_related("attendance"))
    persons = {a.person_id for s in sessions for a in s.attendance.all()} & visible
    if persons:
        audit.record(request.user, AuditAction.VIEW, persons=persons, section="group_attendance",
                     fields=[Section.PARTICIPATION])
    return [_session_out(s, visible) for s in sessions]


@router.post("/groups/{group_id}/sessions", response={201: SessionOut, **ERRORS}, summary="Register one group session with attendance (409 when it needs a reason)")
def add_session(request: AuthedRequest, group_id: int, payload: SessionIn):
    group = _open_group(request, group_id)
    facilitators = {u.pk: u for u in group.facilitators.all()}
    if any(pk not in facilitators for pk in payload.facilitator_ids):
        return Status(400, {"detail": "Kun holdets facilitatorer kan registreres med timer.", "errors": []})
    try:
        session = cases.register_session(
            request.user, group, on=payload.on, hours=payload.hours,
            attendance={m.person_id: m.attendance for m in payload.attendance},
            staff_hours={facilitators[pk]: payload.hours for pk in payload.facilitator_ids},
            cap_reason=payload.cap_reason)
    except services.SoftCapExceeded as exc:
        return _cap_conflict(exc)
    return Status(201, _session_out(session, cases.writable_participants(request.user, group)))


@router.put("/sessions/{session_id}/attendance", response={200: SessionOut, **ERRORS}, summary="Correct a session's attendance")
def correct_attendance(request: AuthedRequest, session_id: int, payload: AttendanceIn):
    session = get_object_or_404(GroupSession, pk=session_id)
    group = _open_group(request, session.group_id)
    try:
        session = cases.update_attendance(request.user, session, {m.person_id: m.attendance for m in payload.attendance},
                                          expected_version=payload.version)
    except VersionConflict:
        return Status(409, {"detail": "En anden har rettet fremmødet. Hent gangen igen.",
                            "errors": [{"field": "version", "message": "conflict"}]})
    return _session_out(session, cases.writable_participants(request.user, group))
