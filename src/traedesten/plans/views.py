import contextlib
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction, Department, User
from traedesten.authority.models import GrantGoal
from traedesten.core.locking import VersionConflict
from traedesten.courses.models import Course
from traedesten.courses.services import expected_ends
from traedesten.gate import Action, NeedsReason, Section, Tool, clearance, may_use, record_read
from traedesten.gate.vocabulary import PLAN_SECTIONS
from traedesten.gate.web import citizen
from traedesten.measures.services import latest_scores
from traedesten.people import contacts
from traedesten.people.consent import gp_consent
from traedesten.people.families import membership_of
from traedesten.people.models import Person
from traedesten.usecases import plans as cases

from . import diff as plan_diff, exemptions, parts, pauses, pdf, services
from .content import PlanContent
from .editor import NEW_ACTIONS, NEW_BARRIERS, NEW_SUB_GOALS, content_from_post, people_text
from .forms import PauseForm
from .health import MEDICATION_LABELS
from .models import LegalBasisForAction, Plan, PlanMeeting, PlanTemplate
from .sharing import visible


def _read(request: AuthedRequest, person_id: int):
    """The citizen and the parts of the plan the user may read: at least one."""
    c = clearance(request.user, get_object_or_404(Person, pk=person_id))
    if not c.shown(*PLAN_SECTIONS):
        if any(s in c.by_reason for s in PLAN_SECTIONS):
            raise NeedsReason(c.person.pk)
        if any(s in c.hidden_by_consent for s in PLAN_SECTIONS) and Section.IDENTITY in c.readable:
            raise PermissionDenied(_("Borgeren har ikke givet samtykke til at dele planen med din afdeling."))
        raise PermissionDenied
    plan = Plan.objects.select_related("coordinator").filter(person=c.person).first()
    return c, plan, {str(s) for s in c.shown(*PLAN_SECTIONS)}


def _whole(c) -> bool:
    return all(s in c.readable for s in PLAN_SECTIONS)


def _may_write(c) -> bool:
    return all(s in c.writable for s in PLAN_SECTIONS)


def _write(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, *PLAN_SECTIONS, action=Action.WRITE)
    return c, Plan.objects.select_related("coordinator").filter(person=c.person).first()


def _template_for(person) -> PlanTemplate | None:
    course = Course.objects.filter(person=person, status=Course.Status.ACTIVE).order_by("-start").first()
    return PlanTemplate.objects.filter(offer_id=course.offer_id).first() if course else None


@login_required
@require_GET
def plan_page(request: AuthedRequest, person_id: int):
    c, plan, scopes = _read(request, person_id)
    person, whole = c.person, _whole(c)
    content = services.current_content(plan)
    hidden: list[str] = []
    if content is not None:
        content, hidden = visible(content, None if whole else scopes)
    scores = list(latest_scores(person).values()) if Section.MEASURES in c.readable else []
    show_health = "health" in scopes
    gp = gp_consent(person) if show_health and Section.CONSENT in c.readable else None
    grant_goals = _grant_goals(person, content) if content and Section.AUTHORITY in c.readable else {}
    record_read(c, "plan", [Section.IDENTITY, *c.shown(*PLAN_SECTIONS), *c.shown(Section.MEASURES),
                            *([Section.CONSENT] if gp else []), *([Section.AUTHORITY] if grant_goals else [])])
    follow_up = services.last_follow_up(plan) if plan and whole else None
    notes = list(plan.notes.select_related("version")[:10]) if plan and Section.GOALS in c.readable else []
    if plan and plan.coordinator_id == request.user.pk:
        services.mark_notes_seen(request.user, plan)
    today = timezone.localdate()
    found = exemptions.on_page(person.pk, today)
    return render(request, "plans/plan.html", {
        "person": person, "plan": plan, "content": content, "hidden": hidden, "restricted": not whole,
        "no_consent": not scopes, "scores": scores, "follow_up": follow_up,
        "meetings": plan.meetings.all()[:5] if plan and whole else [], "notes": notes,
        "can_edit": _may_write(c), "show_coping": "coping" in scopes, "show_health": show_health,
        "medication": MEDICATION_LABELS.get(content.health.medication, "") if content else "",
        "check_due": content.health.check_due() if content else None, "gp_consent": gp,
        "may_register_check": Section.HEALTH in c.writable, "today": timezone.localdate(),
        "gp_print": gp is not None and "health" in gp.scope,
        "colleagues": [(u.pk, str(u)) for u in _colleagues(person)] if plan and _may_write(c) else [],
        "departments": {d.code: d.name for d in Department.objects.all()},
        "workers": {u.pk: str(u) for u in User.objects.filter(pk__in=_worker_ids(content))} if content else {},
        "pause": pauses.in_force([person.pk], today).get(person.pk),
        "family": membership_of(person, today),
        "exemptions": found.shown, "one_plan": "sector_plans" in found.keys,
        "exemption_link": may_use(request.user, Tool.EXEMPTIONS),
        "expected_ends": expected_ends(person) if Section.COURSES in c.readable else [],
        "goal_rows": [(g, grant_goals.get(g.id, []), [(a, a.waited_days(today)) for a in g.actions])
                      for g in content.goals] if content else [],
        "barrier_labels": parts.BARRIER_LABELS, "status_labels": parts.STATUS_LABELS,
        "waiting_alert_days": parts.WAITING_ALERT_DAYS,
        "contact_history": contacts.history(person) if Section.IDENTITY in c.readable else [], "may_change_contacts": Section.COURSES in c.writable,
    })


def _grant_goals(person, content: PlanContent) -> dict[str, list[GrantGoal]]:
    """The grant goals tied to each goal of the plan (decision 0060), by the plan goal's id."""
    found: dict[str, list[GrantGoal]] = {}
    for goal in (GrantGoal.objects.filter(grant__person=person, plan_goal_id__in=[g.id for g in content.goals])
                 .select_related("grant").order_by("grant__decided_on", "pk")):
        found.setdefault(goal.plan_goal_id, []).append(goal)
    return found


def _worker_ids(content: PlanContent) -> set[int]:
    return {a.worker_id for g in content.goals for a in g.actions if a.worker_id}


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0


def _colleagues(person):
    teams = person.caseload.filter(end__isnull=True).values_list("team_id", flat=True)
    return User.objects.filter(is_active=True, teams__in=teams).distinct().order_by("first_name", "username")


def _responsible_choices(person):
    workers = _colleagues(person)
    return ([("citizen", _("Borgeren")), ("relative", _("Pårørende (skriv navn)"))]
            + [(f"worker:{u.pk}", str(u)) for u in workers]
            + [(f"department:{d.code}", d.name) for d in Department.objects.all()])


def _editor_context(person, plan, content: PlanContent, post=None, **extra):
    template = _template_for(person)
    return {
        "person": person, "plan": plan, "content": content, "hints": template.hints if template else {},
        "sections": template.sections if template else [], "responsible_choices": _responsible_choices(person),
        "legal_bases": LegalBasisForAction.objects.all(), "new_sub_goals": [f"new{n}" for n in range(NEW_SUB_GOALS)],
        "new_actions": [f"new{n}" for n in range(NEW_ACTIONS)], "version": plan.version if plan else 0,
        "coping_people": people_text(content.coping.people), "crisis_contacts": people_text(content.crisis.contacts),
        "dreams_text": "\n".join(content.dreams), "resources_text": "\n".join(content.resources),
        "new_barriers": [f"new{n}" for n in range(NEW_BARRIERS)], "barrier_choices": parts.BARRIER_CHOICES,
        "action_statuses": list(parts.STATUS_LABELS.items()),
        "warning_text": "\n".join(content.coping.warning_signs),
        "strategies_text": "\n".join(content.coping.strategies),
        "medication_choices": list(MEDICATION_LABELS.items()),
        "goal_statuses": [("active", _("Aktivt")), ("achieved", _("Nået")), ("replaced", _("Erstattet")), ("dropped", _("Opgivet"))],
        "sub_statuses": [("not_started", _("Ikke startet")), ("in_progress", _("I gang")), ("done", _("Nået"))],
        **extra,
    }


@login_required
def edit(request: AuthedRequest, person_id: int):
    """The whole plan on one page: keyboard-friendly, nothing required that the conversation did not produce."""
    c, plan = _write(request, person_id)
    person = c.person
    content = services.current_content(plan) or PlanContent()
    extra: dict[str, object] = {}
    if request.method == "POST":
        submitted = content_from_post(request.POST)
        try:
            expected = int(request.POST.get("version", "0"))
            cases.save_plan(c, submitted, expected_version=expected, follow_up=bool(request.POST.get("follow_up")),
                            note=request.POST.get("note", ""),
                            confirm_over_cap=bool(request.POST.get("confirm_over_cap")))
        except services.GoalCapExceeded as exc:
            extra = {"cap_warning": exc.message}
        except VersionConflict as exc:
            theirs = PlanContent.model_validate(exc.current.content)
            mine = services.parse(submitted)
            extra = {"conflict": exc.current, "their_changes": plan_diff.diff(content, theirs),
                     "my_changes": plan_diff.diff(theirs, mine)}
            plan.refresh_from_db()
        except (ValidationError, ValueError) as exc:
            extra = {"error": getattr(exc, "messages", [str(exc)])[0]}
        else:
            messages.success(request, _("Planen er gemt."))
            return redirect("plans:plan", person_id=person.pk)
        # on a parse error, show the last saved content; the worker's text is still in the browser history
        with contextlib.suppress(ValidationError):
            content = services.parse(submitted)
        if "conflict" in extra:
            extra["version"] = plan.version
    record_read(c, "plan_edit", [Section.IDENTITY, *PLAN_SECTIONS])
    context = _editor_context(person, plan, content, **extra)
    return render(request, "plans/edit.html", context)


@login_required
@require_GET
def versions(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, *PLAN_SECTIONS)
    person = c.person
    plan = Plan.objects.filter(person=person).first()
    if plan is None:
        raise PermissionDenied
    numbers = list(plan.versions.values_list("number", flat=True))
    follow_up = services.last_follow_up(plan)
    default_from = follow_up.number if request.GET.get("siden") == "opfoelgning" and follow_up else max(0, plan.version - 1)
    try:
        from_n = int(request.GET.get("fra", default_from))
        to_n = int(request.GET.get("til", plan.version))
    except ValueError:
        from_n, to_n = default_from, plan.version
    old = plan.versions.filter(number=from_n).first()
    new = plan.versions.filter(number=to_n).first() or plan.current
    if new is None:
        raise Http404
    changes = plan_diff.diff(PlanContent.model_validate(old.content) if old else None, PlanContent.model_validate(new.content))
    record_read(c, "plan_versions", [Section.IDENTITY, *PLAN_SECTIONS])
    return render(request, "plans/versions.html", {
        "person": person, "plan": plan, "changes": changes, "old": old, "new": new, "follow_up": follow_up,
        "history": plan.versions.select_related("created_by").order_by("-number"), "numbers": numbers,
    })


@login_required
@require_POST
def coordinator(request: AuthedRequest, person_id: int):
    c, plan = _write(request, person_id)
    person = c.person
    if plan is None:
        raise PermissionDenied
    user = get_object_or_404(User, pk=_int(request.POST.get("coordinator")), is_active=True)
    cases.set_coordinator(c, plan, user)
    messages.success(request, _("%(name)s er nu tovholder.") % {"name": user})
    return redirect("plans:plan", person_id=person.pk)


@login_required
def pause(request: AuthedRequest, person_id: int):
    """Put the plan on pause in a low phase: deadlines and measurement alerts wait until it ends."""
    c, _plan = _write(request, person_id)
    today = timezone.localdate()
    form = PauseForm(request.POST if request.method == "POST" else None,
                     initial={"starts_on": today, "reason": "low_phase"})
    if request.method == "POST" and form.is_valid():
        try:
            made = cases.pause_plan(c, **form.cleaned_data, today=today)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Planen er sat på pause til og med %(day)s.") % {
                "day": f"{made.ends_on:%d.%m.%Y}"})
            return redirect("plans:plan", person_id=c.person.pk)
    record_read(c, "plan_pause", [Section.IDENTITY])
    return render(request, "plans/pause.html", {"person": c.person, "form": form})


@login_required
@require_POST
def resume(request: AuthedRequest, person_id: int):
    c, _plan = _write(request, person_id)
    today = timezone.localdate()
    running = pauses.in_force([c.person.pk], today).get(c.person.pk)
    if running is None:
        messages.error(request, _("Planen er ikke på pause."))
    else:
        cases.resume_plan(c, running, on=today)
        messages.success(request, _("Pausen er slut. Fristerne gælder igen fra i dag."))
    return redirect("plans:plan", person_id=c.person.pk)


@login_required
def meeting(request: AuthedRequest, person_id: int):
    c, plan = _write(request, person_id)
    person = c.person
    if plan is None:
        messages.error(request, _("Skriv planen først; mødet hører til planen."))
        return redirect("plans:plan", person_id=person.pk)
    template = request.POST.get("template") or request.GET.get("skabelon") or PlanMeeting.Template.OPEN_DIALOGUE
    error = None
    if request.method == "POST":
        def lines(name):
            return list(request.POST.get(name, "").replace("\r", "").split("\n"))
        try:
            held_on = datetime.datetime.fromisoformat(request.POST.get("held_on", "")).date()
            cases.hold_meeting(c, plan, template=template, held_on=held_on, participants=lines("participants"),
                               agreements=lines("agreements"), agenda=lines("agenda"), works=lines("works"),
                               challenges=lines("challenges"), wants=lines("wants"))
        except ValueError:
            error = _("Skriv en gyldig dato.")
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Mødet er gemt."))
            return redirect("plans:plan", person_id=person.pk)
    record_read(c, "plan_meeting", [Section.IDENTITY])
    return render(request, "plans/meeting.html", {"person": person, "plan": plan, "template": template, "error": error,
                                                  "today": timezone.localdate(), "post": request.POST})


@login_required
@require_POST
def health_check(request: AuthedRequest, person_id: int):
    """Register the annual health check: the next one is due a year later (decision 0050)."""
    c = citizen(request, person_id, Section.HEALTH, action=Action.WRITE)
    plan = Plan.objects.filter(person=c.person).first()
    try:
        checked_on = datetime.date.fromisoformat(request.POST.get("checked_on", ""))
        cases.register_health_check(c, checked_on=checked_on, expected_version=plan.version if plan else 0)
    except ValueError:
        messages.error(request, _("Skriv en gyldig dato."))
    except VersionConflict:
        messages.error(request, _("Planen er ændret imens. Prøv igen."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Helbredstjekket er registreret. Det næste er om et år."))
    return redirect("plans:plan", person_id=c.person.pk)


def _for_gp(request: AuthedRequest, person_id: int):
    """The health section for the citizen's GP: only while the citizen's consent to share health with the GP is in
    force, and only to users who read the health section and the consent register (the department that owns the
    plan, decision 0050)."""
    c = citizen(request, person_id, Section.HEALTH, Section.CONSENT)
    consent = gp_consent(c.person)
    plan = Plan.objects.select_related("coordinator").filter(person=c.person).first()
    content = services.current_content(plan)
    if consent is None or "health" not in consent.scope or content is None:
        raise PermissionDenied(_("Borgeren har ikke givet samtykke til at dele sundhedsdelen med sin egen læge."))
    goals = content.health_goals if "goals" in consent.scope and Section.GOALS in c.readable else []
    record_read(c, "plan_print_gp", [Section.IDENTITY, Section.HEALTH, Section.CONSENT, *([Section.GOALS] if goals else [])],
                action=AuditAction.EXPORT)
    return c.person, plan, content, goals, consent


@login_required
@require_GET
def gp_print(request: AuthedRequest, person_id: int):
    person, plan, content, goals, consent = _for_gp(request, person_id)
    return render(request, "plans/print_gp.html", {
        "person": person, "plan": plan, "health": content.health, "goals": goals, "consent": consent,
        "medication": MEDICATION_LABELS.get(content.health.medication, ""), "today": timezone.localdate()})


@login_required
@require_GET
def gp_pdf(request: AuthedRequest, person_id: int):
    person, plan, content, goals, consent = _for_gp(request, person_id)
    body = pdf.render_for_gp(person, plan, content.health, goals, consent,
                             str(MEDICATION_LABELS.get(content.health.medication, "")))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sundhed-{person.pk}.pdf"'
    return response


PRINTS = {"plan": _("Min plan"), "mestring": _("Min mestringsplan"), "akut": _("Akutark")}


PRINT_SECTIONS: dict[str, list[Section]] = {"plan": [s for s in PLAN_SECTIONS if s not in (Section.COPING, Section.HEALTH)], "mestring": [Section.COPING],
                  "akut": [Section.COPING]}


def _printable(request: AuthedRequest, person_id: int, part: str):
    """The citizen's own print: the parts the user may read, never CPR or professional wording."""
    if part not in PRINTS:
        raise PermissionDenied
    c, plan, scopes = _read(request, person_id)
    shown = c.shown(*PRINT_SECTIONS[part])
    if plan is None or not shown:
        raise PermissionDenied
    content, _hidden = visible(services.current_content(plan) or PlanContent(), None if _whole(c) else scopes)
    ends = expected_ends(c.person) if part == "plan" and Section.COURSES in c.readable else []
    record_read(c, f"plan_print_{part}", [Section.IDENTITY, *shown, *([Section.COURSES] if ends else [])],
                action=AuditAction.EXPORT)
    return c.person, plan, content, ends


@login_required
@require_GET
def print_view(request: AuthedRequest, person_id: int, part: str):
    person, plan, content, ends = _printable(request, person_id, part)
    return render(request, f"plans/print_{part}.html", {"person": person, "plan": plan, "content": content, "part": part,
                                                         "title": PRINTS[part], "today": timezone.localdate(),
                                                         "expected_ends": ends})


@login_required
@require_GET
def print_pdf(request: AuthedRequest, person_id: int, part: str):
    person, plan, content, ends = _printable(request, person_id, part)
    body = pdf.render(part, person, plan, content, ends=[(course.offer.name, end) for course, end in ends])
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{part}-{person.pk}.pdf"'
    return response
