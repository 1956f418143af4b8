from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.core import disclosure
from traedesten.core.forms import cap_reason
from traedesten.core.locking import VersionConflict
from traedesten.economy.forms import ShadowFields
from traedesten.frontdoor.services import desk_contact, mark_handled
from traedesten.gate import Action, Section, Tool, may_use, persons_reached, record_read
from traedesten.gate.web import citizen, uses
from traedesten.measures.alerts import alerts
from traedesten.records.forms import NoteFields
from traedesten.usecases import courses as cases, records as record_cases

from . import groups, services
from .forms import (
    ActivityForm,
    CloseCourseForm,
    EnrolForm,
    GroupEndForm,
    GroupForm,
    HoursForm,
    SessionForm,
    StartCourseForm,
    StepDownForm,
)
from .models import Activity, Course, Destination, GroupRun, GroupSession, Offer


def _course(request: AuthedRequest, course_id: int, action=Action.WRITE):
    """The course and the clearance for its citizen."""
    course = get_object_or_404(Course.objects.select_related("offer", "person"), pk=course_id)
    return course, citizen(request, course.person_id, Section.COURSES, action=action)


@login_required
def start(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.COURSES, action=Action.WRITE)
    form = StartCourseForm(request.POST if request.method == "POST" else None)
    cap_warning = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cases.start_course(c, d["offer"], start=d["start"], hours_package=d["hours_package"],
                               cap_reason=cap_reason(request))
        except services.SoftCapExceeded as exc:
            cap_warning = exc.message
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Forløbet er startet."))
            return redirect("people:overview", person_id=c.person.pk)
    record_read(c, "course_form", [Section.IDENTITY])
    return render(request, "courses/start.html", {"form": form, "person": c.person, "cap_warning": cap_warning})


@login_required
def close(request: AuthedRequest, course_id: int):
    """Close with a destination; for front-door courses, the shadow visitation is captured in the same step."""
    course, c = _course(request, course_id)
    post = request.POST if request.method == "POST" else None
    form = CloseCourseForm(post, initial={"version": course.version})
    shadow = ShadowFields(post, prefix="shadow") if course.offer.front_door else None
    if post is not None and form.is_valid() and (shadow is None or shadow.is_valid()):
        d = form.cleaned_data
        try:
            closed = cases.close_course(
                c, course, closed_on=d["closed_on"], destination=d["destination"], note=d["note"],
                kickoff_on=d["kickoff_on"], expected_version=d["version"],
                shadow={"would_have": shadow.cleaned_data["would_have"],
                        "confidence": shadow.cleaned_data["confidence"]} if shadow else None)
        except ValidationError as exc:
            form.add_error(None, exc)
        except VersionConflict:
            form.add_error(None, _("En anden har ændret forløbet imens. Genindlæs siden og prøv igen."))
        else:
            messages.success(request, _("Forløbet er afsluttet."))
            if closed.destination == Destination.AUTHORITY:
                return redirect("authority:person_handover", person_id=c.person.pk)
            return redirect("people:overview", person_id=c.person.pk)
    record_read(c, "course_close", [Section.IDENTITY, Section.COURSES])
    return render(request, "courses/close.html", {"form": form, "shadow": shadow, "course": course, "person": c.person})


@login_required
def activity(request: AuthedRequest, person_id: int):
    """Register a session, follow-up, home visit or bostøtte contact for one citizen."""
    c = citizen(request, person_id, Section.COURSES, action=Action.WRITE)
    person = c.person
    active = Course.objects.filter(person=person, status=Course.Status.ACTIVE).select_related("offer")
    wanted = request.GET.get("forloeb")
    course = next((a for a in active if str(a.pk) == wanted), None) or (active[0] if len(active) == 1 else None)
    kind = request.GET.get("type") or (Activity.Kind.BOSTOTTE_CONTACT if course and course.offer.kind == Offer.Kind.BOSTOTTE
                                       else Activity.Kind.COACHING)
    initial = {"course": course, "kind": kind, "channel": "home" if kind in ("home_visit", "bostotte_contact") else "office"}
    post = request.POST if request.method == "POST" else None
    form = ActivityForm(post, person=person, user=request.user, initial=initial)
    # The journal note is written in the same form and the same step, where the user may write notes.
    note_form = NoteFields(post, prefix="notat", optional=True,
                           may_mark_sensitive=c.can(Section.SENSITIVE_NOTES, Action.WRITE)) if c.can(
        Section.NOTES, Action.WRITE) else None
    if post is not None and form.is_valid() and (note_form is None or note_form.is_valid()):
        d = form.cleaned_data
        my_hours = d["my_hours"] if d["my_hours"] is not None else d["delivered_hours"]
        staff = {request.user: my_hours}
        if d["colleague"]:
            staff[d["colleague"]] = my_hours
        try:
            record_cases.record_activity_with_note(
                c, note=note_form.note() if note_form else None, kind=d["kind"], on=d["on"], course=d["course"],
                attendance=d["attendance"], channel=d["channel"], topic=d["topic"],
                delivered_hours=d["delivered_hours"], staff_hours=staff, outcome=d["outcome"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            contact = desk_contact(request.GET.get("henvendelse", ""), person)
            if contact is not None:
                mark_handled(contact, person)
            messages.success(request, _("Aktiviteten er registreret."))
            return redirect("people:overview", person_id=person.pk)
    record_read(c, "activity_form", [Section.IDENTITY, Section.COURSES])
    return render(request, "courses/activity.html", {"form": form, "note_form": note_form, "person": person})


@login_required
def package(request: AuthedRequest, course_id: int):
    """Bostøtte: plan a step-down, or change the hours package from a date."""
    course, c = _course(request, course_id)
    if not course.offer.meaning.hours_package or course.status != Course.Status.ACTIVE:
        raise PermissionDenied
    initial = {"version": course.version, "on": course.step_down_on or timezone.localdate(), "to_package": course.step_down_to}
    form = StepDownForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        now = bool(request.POST.get("now"))
        try:
            cases.change_package(c, course, now=now, on=d["on"], to_package=d["to_package"],
                                 expected_version=d["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except VersionConflict:
            form.add_error(None, _("En anden har ændret forløbet imens. Genindlæs siden og prøv igen."))
        else:
            messages.success(request, _("Timepakken er ændret.") if now else _("Nedtrapningen er planlagt."))
            return redirect("people:overview", person_id=c.person.pk)
    history = course.package_changes.select_related("by")
    record_read(c, "course_package", [Section.IDENTITY, Section.COURSES])
    return render(request, "courses/package.html", {"form": form, "course": course, "person": c.person, "history": history})


@login_required
@require_POST
def reenter(request: AuthedRequest, course_id: int):
    course, c = _course(request, course_id)
    try:
        cases.reenter(c, course, on=timezone.localdate())
    except services.SoftCapExceeded as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Borgeren er tilbage i bostøtte med samme timepakke."))
    return redirect("people:overview", person_id=c.person.pk)


@uses(Tool.WORKLIST)
@require_GET
def worklist(request: AuthedRequest):
    user = request.user
    scope = request.GET.get("vis", "mine")
    courses = Course.objects.filter(person__in=persons_reached(user, Section.COURSES))
    if scope == "mine":
        courses = courses.filter(responsible=user)
    today = timezone.localdate()
    items = services.worklist(courses, today=today) + _measure_items(courses, today)
    items.sort(key=lambda i: (i.deadline.due, i.course.pk))
    if items:
        audit.record(user, AuditAction.VIEW, persons={i.course.person_id for i in items}, section="worklist",
                     fields=[Section.IDENTITY, Section.COURSES])
    return render(request, "courses/worklist.html", {"items": items, "scope": scope, "today": timezone.localdate()})


def _measure_items(courses, today):
    active = courses.filter(status=Course.Status.ACTIVE).select_related("offer", "person")
    return [services.WorkItem(a.course, services.Deadline(a.kind, a.label, a.due, False), a.overdue(today))
            for a in alerts(active, today=today)]


# Group courses (hold)

def _open_group(request: AuthedRequest, group_id: int) -> GroupRun:
    group = get_object_or_404(GroupRun.objects.select_related("offer", "team"), pk=group_id)
    return cases.open_group(request.user, group)


@uses(Tool.GROUPS)
@require_GET
def group_list(request: AuthedRequest):
    mine = GroupRun.objects.filter(facilitators=request.user) | GroupRun.objects.filter(team__in=request.user.teams.all())
    rows = groups.with_enrolled(mine.distinct().select_related("offer")).order_by("-start")
    return render(request, "courses/group_list.html", {"groups": rows,
                                                       "can_create": may_use(request.user, Tool.GROUP_CREATE)})


@uses(Tool.GROUP_CREATE)
def group_new(request: AuthedRequest):
    form = GroupForm(request.POST if request.method == "POST" else None, initial={"facilitators": [request.user]})
    cap_warning = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = cases.create_group(request.user, d["offer"], theme=d["theme"], start=d["start"],
                                       planned_sessions=d["planned_sessions"], session_hours=d["session_hours"],
                                       capacity=d["capacity"], facilitators=d["facilitators"], location=d["location"],
                                       cap_reason=cap_reason(request))
        except services.SoftCapExceeded as exc:
            cap_warning = exc.message
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Holdet er oprettet."))
            return redirect("courses:group", group_id=group.pk)
    return render(request, "courses/group_new.html", {"form": form, "cap_warning": cap_warning})


def _record_participants(request: AuthedRequest, names: dict[int, str], name: str) -> None:
    if names:
        audit.record(request.user, AuditAction.VIEW, persons=sorted(names), section=name,
                     fields=[Section.PARTICIPATION])


@login_required
@require_GET
def group_detail(request: AuthedRequest, group_id: int):
    group = _open_group(request, group_id)
    sessions, rows = groups.attendance_matrix(group)
    names = cases.participant_names(request.user, group)
    full = set(persons_reached(request.user, Section.IDENTITY).filter(pk__in=list(names)).values_list("pk", flat=True))
    shown = [(course, marks, names[course.person_id], course.person_id in full) for course, marks in rows
             if course.person_id in names]
    _record_participants(request, names, "group")
    enrolled = sum(1 for course, _marks in rows if course.status == Course.Status.ACTIVE)
    return render(request, "courses/group_detail.html", {
        "group": group, "sessions": sessions, "rows": shown, "hidden": len(rows) - len(shown), "enrolled": enrolled,
        "facilitators": group.facilitators.all(), "can_register": bool(cases.writable_participants(request.user, group)),
        "can_continue": may_use(request.user, Tool.GROUP_CREATE),
        "end_form": GroupEndForm(initial={"on": sessions[-1].on if sessions else timezone.localdate()}),
    })


@login_required
@require_POST
def group_end(request: AuthedRequest, group_id: int):
    group = _open_group(request, group_id)
    form = GroupEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Skriv den dag, holdet sluttede."))
        cases.end_group(request.user, group, on=form.cleaned_data["on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Holdet er afsluttet. Deltagernes forløb er lukket med »Holdet sluttede«."))
    return redirect("courses:group", group_id=group.pk)


@login_required
def enrol(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.COURSES, action=Action.WRITE)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    cap_warning = None
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        try:
            cases.enrol(c, group, on=timezone.localdate(), cap_reason=cap_reason(request))
        except services.SoftCapExceeded as exc:
            cap_warning = exc.message
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s er tilmeldt %(group)s.") % {"name": c.person.display_name,
                                                                               "group": group.theme})
            return redirect("people:overview", person_id=c.person.pk)
    record_read(c, "group_enrol", [Section.IDENTITY])
    return render(request, "courses/enrol.html", {"form": form, "person": c.person, "cap_warning": cap_warning})


def _attendance_from_post(request: AuthedRequest, participants) -> dict[int, str]:
    marks = {}
    for course in participants:
        mark = request.POST.get(f"p{course.person_id}", Activity.Attendance.ATTENDED)
        if mark not in Activity.Attendance.values:
            raise ValidationError(_("Vælg mødt, aflyst eller udeblevet for hver deltager."))
        marks[course.person_id] = mark
    return marks


def _staff_from_post(request: AuthedRequest, group: GroupRun, hours) -> dict:
    chosen = set(request.POST.getlist("staff"))
    return {u: hours for u in group.facilitators.all() if str(u.pk) in chosen}


def _register(request: AuthedRequest, group: GroupRun, participants: list[Course]) -> tuple[list[Course], dict[int, str]]:
    """The participants whose attendance this user may record, and the name they may see of each (by person)."""
    writable = cases.writable_participants(request.user, group)
    names = cases.participant_names(request.user, group)
    shown = [course for course in participants if course.person_id in writable]
    _record_participants(request, {course.person_id: "" for course in shown}, "group_attendance")
    return shown, {course.person_id: names.get(course.person_id, "") for course in shown}


@uses(Tool.GROUPS)
def session_new(request: AuthedRequest, group_id: int):
    """The attendance register: everyone is marked present; tap only the exceptions."""
    group = _open_group(request, group_id)
    form = SessionForm(request.POST if request.method == "POST" else None, initial={"hours": group.session_hours})
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else timezone.localdate()
    participants, names = _register(request, group, [
        c for c in groups.participants(group) if c.status == Course.Status.ACTIVE or (c.closed_on and c.closed_on >= on)])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            marks = _attendance_from_post(request, [c for c in participants if c.start <= d["on"]])
            cases.register_session(request.user, group, on=d["on"], hours=d["hours"], attendance=marks,
                                   staff_hours=_staff_from_post(request, group, d["hours"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fremmødet er registreret."))
            return redirect("courses:group", group_id=group.pk)
    facilitators = list(group.facilitators.all())
    chosen = {int(pk) for pk in request.POST.getlist("staff") if pk.isdigit()} if form.is_bound else {u.pk for u in facilitators}
    return render(request, "courses/session.html", {
        "form": form, "group": group, "rows": _register_rows(request, participants, names, {}),
        "facilitators": facilitators, "staff_chosen": chosen, "choices": Activity.Attendance.choices,
    })


def _register_rows(request: AuthedRequest, participants, names: dict[int, str], saved: dict[int, str]):
    """Each participant with the name shown and the mark to show: the one just posted, else the saved one, else
    present."""
    def mark(course):
        posted = request.POST.get(f"p{course.person_id}") if request.method == "POST" else None
        return posted or saved.get(course.person_id, Activity.Attendance.ATTENDED)
    return [(c, names[c.person_id], mark(c)) for c in participants]


@uses(Tool.GROUPS)
def session_edit(request: AuthedRequest, session_id: int):
    session = get_object_or_404(GroupSession.objects.select_related("group"), pk=session_id)
    group = _open_group(request, session.group_id)
    participants, names = _register(request, group, [c for c in groups.participants(group) if c.start <= session.on])
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", "0"))
            cases.update_attendance(request.user, session, _attendance_from_post(request, participants),
                                    expected_version=version)
        except VersionConflict:
            messages.error(request, _("En anden har rettet fremmødet imens. Se de gemte markeringer og prøv igen."))
        except (ValidationError, ValueError) as exc:
            messages.error(request, getattr(exc, "messages", [str(exc)])[0])
        else:
            messages.success(request, _("Fremmødet er rettet."))
            return redirect("courses:group", group_id=group.pk)
        session.refresh_from_db()
    marks = dict(session.attendance.values_list("person_id", "attendance"))
    return render(request, "courses/session.html", {
        "session": session, "group": group,
        "rows": [(c, names[c.person_id], marks.get(c.person_id, Activity.Attendance.ATTENDED)) for c in participants],
        "choices": Activity.Attendance.choices,
    })


@uses(Tool.HOURS)
@require_GET
def hours(request: AuthedRequest):
    """Delivered hours and staff hours per offer, for managers and analysts."""
    start, end = disclosure.default_period(timezone.localdate())
    form = HoursForm(request.GET or {"fra": start.isoformat(), "til": end.isoformat()})
    if form.is_valid():
        start, end = form.cleaned_data["fra"], form.cleaned_data["til"]
    own_teams = request.user.teams.all()
    teams = None if may_use(request.user, Tool.ADMINISTRATION) or not own_teams.exists() else own_teams
    rows = services.publish_hours(services.hours_report(start, end, teams=teams)) if not form.errors else []
    totals = (sum(r.delivered for r in rows), sum(r.staff for r in rows))
    return render(request, "courses/hours.html", {"form": form, "rows": rows, "start": start, "end": end,
                                                  "totals": totals})
