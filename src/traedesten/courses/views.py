import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction, User
from traedesten.core import disclosure
from traedesten.core.forms import cap_reason
from traedesten.core.locking import VersionConflict
from traedesten.economy.forms import ShadowFields
from traedesten.frontdoor.services import desk_contact, mark_handled
from traedesten.gate import Action, Section, Tool, may_use, persons_reached, record_read
from traedesten.gate.rules import roles_writing
from traedesten.gate.web import citizen, uses
from traedesten.measures.models import Administration
from traedesten.plans import exemptions
from traedesten.records.forms import NoteFields
from traedesten.usecases import courses as cases, package_hours as package_cases, records as record_cases, worklists

from . import groups, services
from .forms import (
    ActivityForm,
    CloseCourseForm,
    EndingForm,
    EnrolForm,
    ExtensionForm,
    GroupEndForm,
    GroupForm,
    HoursForm,
    MoveToGroupForm,
    SessionForm,
    StartCourseForm,
    StatusNoteForm,
    StepDownForm,
    WorkItemAsked,
    WorkItemForm,
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
    form = CloseCourseForm(post, initial={"version": course.version, "destination": course.close_to})
    shadow = ShadowFields(post, prefix="shadow", user=request.user) if course.offer.front_door else None
    ending = EndingForm(post, prefix="ending")
    if post is not None and form.is_valid() and ending.is_valid() and (shadow is None or shadow.is_valid()):
        d = form.cleaned_data
        try:
            closed = cases.close_course(
                c, course, closed_on=d["closed_on"], destination=d["destination"], note=d["note"],
                kickoff_on=d["kickoff_on"], expected_version=d["version"], ending=ending.ending(),
                shadow={"would_have": shadow.cleaned_data["would_have"],
                        "confidence": shadow.cleaned_data["confidence"],
                        "assessed_by": shadow.cleaned_data["assessed_by"]} if shadow else None)
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
    return render(request, "courses/close.html", {"form": form, "shadow": shadow, "ending": ending, "course": course,
                                                  "person": c.person,
                                                  "ending_required": course.offer.meaning.ending_record})


@login_required
def activity(request: AuthedRequest, person_id: int):
    """Register a session, follow-up, home visit or bostøtte contact for one citizen."""
    c = citizen(request, person_id, Section.COURSES, action=Action.WRITE)
    person = c.person
    active = Course.objects.filter(person=person, status=Course.Status.ACTIVE).select_related("offer")
    wanted = request.GET.get("forloeb")
    # A closed course is chosen when asked for: the after-care visit and a klip are registered on it (decision 0052).
    course = (next((a for a in active if str(a.pk) == wanted), None)
              or (Course.objects.filter(person=person, pk=wanted).select_related("offer").first()
                  if wanted and wanted.isdigit() else None)
              or (active[0] if len(active) == 1 else None))
    kind = request.GET.get("type") or (Activity.Kind.BOSTOTTE_CONTACT if course and course.offer.kind == Offer.Kind.BOSTOTTE
                                       else Activity.Kind.COACHING)
    initial = {"course": course, "kind": kind, "channel": "home" if kind in ("home_visit", "bostotte_contact") else "office"}
    post = request.POST if request.method == "POST" else None
    sees_network = Section.NETWORK in c.readable
    form = ActivityForm(post, person=person, user=request.user, initial=initial,
                        relatives=person.network.all() if sees_network else None)
    # The journal note is written in the same form and the same step, where the user may write notes.
    note_form = NoteFields(post, prefix="notat", optional=True,
                           may_mark_sensitive=c.can(Section.SENSITIVE_NOTES, Action.WRITE)) if c.can(
        Section.NOTES, Action.WRITE) else None
    cap_warning = None
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
                delivered_hours=d["delivered_hours"], staff_hours=staff, outcome=d["outcome"],
                cap_reason=cap_reason(request), relative=d.get("relative"))
        except services.SoftCapExceeded as exc:
            cap_warning = exc.message
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            contact = desk_contact(request.GET.get("henvendelse", ""), person)
            if contact is not None:
                mark_handled(contact, person)
            messages.success(request, _("Aktiviteten er registreret."))
            return redirect("people:overview", person_id=person.pk)
    record_read(c, "activity_form", [Section.IDENTITY, Section.COURSES, *([Section.NETWORK] if sees_network else [])])
    return render(request, "courses/activity.html", {"form": form, "note_form": note_form, "person": person,
                                                     "cap_warning": cap_warning})


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
    """Today's work: overdue, due today and due this week, each item put off with a reason or handed to a colleague."""
    scope = "team" if request.GET.get("vis") == "team" else "mine"
    today = timezone.localdate()
    work = worklists.worklist(request.user, scope=scope, today=today)
    return render(request, "courses/worklist.html", {
        "work": work, "scope": scope, "today": today,
        "groups": [(_("Overskredet"), "overdue", work.overdue), (_("I dag"), "today", work.today),
                   (_("Denne uge"), "week", work.week)]})


def _colleagues(user):
    """The colleagues on the user's teams who may take a worklist item over."""
    return (User.objects.filter(is_active=True, role__in=roles_writing(Section.COURSES), teams__in=user.teams.all())
            .exclude(pk=user.pk).distinct().order_by("first_name", "username"))


@login_required
@require_http_methods(["GET", "POST"])
def work_item(request, course_id: int):
    """Put one worklist item off with a reason, or hand it to a colleague. The worklist opens the two forms for one
    item at a time (in place with htmx, else as a page), so the list itself stays light."""
    course, c = _course(request, course_id)
    if request.method == "GET":
        asked = WorkItemAsked(request.GET)
        scope = "team" if request.GET.get("vis") == "team" else "mine"
        if not asked.is_valid() or asked.cleaned_data["kind"] not in worklists.KIND_LABELS:
            messages.error(request, _("Opgaven findes ikke på arbejdslisten."))
            back = f"{reverse('courses:worklist')}?vis={scope}"
            return HttpResponseClientRedirect(back) if request.htmx else redirect(back)
        d, today = asked.cleaned_data, timezone.localdate()
        context = {"course": course, "kind": d["kind"], "due": d["due"], "label": worklists.KIND_LABELS[d["kind"]],
                   "scope": scope, "colleagues": _colleagues(request.user),
                   "snooze_default": today + datetime.timedelta(days=7)}
        if request.htmx:  # the forms alone: the row they open in already shows the citizen
            return render(request, "courses/_work_item_forms.html", context)
        record_read(c, "work_item", [Section.IDENTITY, Section.COURSES])
        return render(request, "courses/work_item.html", context)
    form = WorkItemForm(request.POST, user=request.user)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        d = form.cleaned_data
        if d["colleague"] is not None:
            worklists.hand_to(c, course, kind=d["kind"], due=d["due"], colleague=d["colleague"])
            messages.success(request, _("Opgaven er givet til %(name)s.") % {"name": d["colleague"]})
        else:
            worklists.snooze(c, course, kind=d["kind"], due=d["due"], until=d["until"], reason=d["reason"],
                             today=timezone.localdate())
            messages.success(request, _("Opgaven er udsat til %(date)s.") % {"date": f"{d['until']:%d.%m.%Y}"})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])) or _("Opgaven kunne ikke ændres."))
    return redirect(f"{reverse('courses:worklist')}?vis={'team' if request.POST.get('vis') == 'team' else 'mine'}")


@uses(Tool.MY_CITIZENS)
@require_GET
def my_citizens(request):
    """"Mine borgere": the citizens the user (or the team) works with, sortable by next deadline and last contact."""
    scope = "team" if request.GET.get("vis") == "team" else "mine"
    sort = request.GET.get("sorter") if request.GET.get("sorter") in ("deadline", "contact", "name") else "deadline"
    rows = worklists.my_citizens(request.user, scope=scope, sort=sort, today=timezone.localdate())
    return render(request, "courses/my_citizens.html", {"rows": rows, "scope": scope, "sort": sort,
                                                         "today": timezone.localdate()})


@login_required
def limit(request, course_id: int):
    """A course with a time limit by law: extend it in a special case, move the citizen to a group, or write the
    status notes the offer asks for."""
    course, c = _course(request, course_id, action=Action.WRITE if request.method == "POST" else Action.READ)
    if not course.offer.hard_limit and not course.offer.status_note_months:
        raise PermissionDenied
    post = request.POST if request.method == "POST" else None
    extension = ExtensionForm(post if post and "extend" in post else None, offer=course.offer)
    move = MoveToGroupForm(post if post and "move" in post else None)
    note = StatusNoteForm(post if post and "note" in post else None)
    today = timezone.localdate()
    try:
        if extension.is_bound and extension.is_valid():
            cases.extend_course(c, course, months=extension.cleaned_data["months"],
                                reason=extension.cleaned_data["reason"], on=today)
            messages.success(request, _("Forløbet er forlænget."))
            return redirect("courses:limit", course_id=course.pk)
        if move.is_bound and move.is_valid():
            cases.move_to_group(c, course, move.cleaned_data["group"], on=today)
            messages.success(request, _("Borgeren fortsætter på holdet, og det individuelle forløb er afsluttet."))
            return redirect("people:overview", person_id=course.person_id)
        if note.is_bound and note.is_valid():
            cases.write_status_note(c, course, text=note.cleaned_data["text"], on=note.cleaned_data["on"])
            messages.success(request, _("Statusnotatet er gemt."))
            return redirect("courses:limit", course_id=course.pk)
    except services.SoftCapExceeded as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    record_read(c, "course_limit", [Section.IDENTITY, Section.COURSES])
    found = exemptions.on_page(course.person_id, today)
    return render(request, "courses/limit.html", {
        "course": course, "person": c.person, "limit": services.course_limit(course), "extension": extension,
        "move": move, "note": note, "extensions": course.extensions.select_related("decided_by"),
        "notes": course.status_notes.select_related("written_by"),
        "deadlines": [d for d in exemptions.required(services.deadlines(course), found.keys)
                      if d.kind in ("limit", "status_note")],
        "status_notes_waived": "status_note" in found.keys, "exemptions": found.shown,
        "can_write": Section.COURSES in c.writable})


@uses(Tool.CASELOAD_NORMS)
@require_GET
def caseload_norms(request):
    """The manager's view of each worker against the caseload norm: active citizens, hours and overdue items."""
    rows = worklists.caseload_norms(request.user, today=timezone.localdate())
    return render(request, "courses/caseload_norms.html", {"rows": rows, "weeks": worklists.HOURS_WEEKS,
                                                            "over": [r for r in rows if r.over]})


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
    cap_warning = None
    form = SessionForm(request.POST if request.method == "POST" else None, initial={"hours": group.session_hours})
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else timezone.localdate()
    participants, names = _register(request, group, [
        c for c in groups.participants(group) if c.status == Course.Status.ACTIVE or (c.closed_on and c.closed_on >= on)])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            marks = _attendance_from_post(request, [c for c in participants if c.start <= d["on"]])
            cases.register_session(request.user, group, on=d["on"], hours=d["hours"], attendance=marks,
                                   staff_hours=_staff_from_post(request, group, d["hours"]),
                                   cap_reason=cap_reason(request))
        except services.SoftCapExceeded as exc:
            cap_warning = exc.message
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
        "cap_warning": cap_warning,
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
    scorers = set(persons_reached(request.user, Section.MEASURES, action=Action.WRITE).filter(
        pk__in=[c.person_id for c in participants if marks.get(c.person_id) == Activity.Attendance.ATTENDED])
        .values_list("pk", flat=True))
    given = set(Administration.objects.filter(group_session=session, person__in=scorers, instrument__code="GSRS")
                .values_list("person_id", flat=True))
    return render(request, "courses/session.html", {
        "session": session, "group": group,
        "rows": [(c, names[c.person_id], marks.get(c.person_id, Activity.Attendance.ATTENDED)) for c in participants],
        "choices": Activity.Attendance.choices, "srs_open": scorers - given, "srs_given": given,
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


@uses(Tool.HOURS)
@require_GET
def package_hours(request: AuthedRequest):
    """Hours against the package per team and per worker, and cancellations and video support per team (aggregates)."""
    start, end = disclosure.default_period(timezone.localdate())
    form = HoursForm(request.GET or {"fra": start.isoformat(), "til": end.isoformat()})
    if form.is_valid():
        start, end = form.cleaned_data["fra"], form.cleaned_data["til"]
    report = package_cases.package_report(request.user, start=start, end=end) if not form.errors else None
    return render(request, "courses/package_hours.html", {"form": form, "report": report, "start": start, "end": end})
