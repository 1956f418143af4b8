import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traedesten.accounts import audit
from traedesten.accounts.access import Access, caseload_persons, open_outside_access, person_access
from traedesten.accounts.models import AuditAction
from traedesten.accounts.roles import Role
from traedesten.courses.models import Course
from traedesten.people.views import open_person
from traedesten.plans.sharing import department_of

from . import ffb, grants, handover as handovers, rights
from .access import DECIDES_GRANTS, is_authority, side
from .conference import build_agenda, close_conference, decide
from .forms import (AnswerForm, CloseConferenceForm, DecisionForm, FollowUpForm, GoalFormSet, GrantForm, HandoverForm,
                    RequestForm, RightsForm, ScoreForm, SendForm, SubGoalForm)
from .models import AgendaItem, AssessmentRequest, CaseConference, Grant, GrantGoal, Handover


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0


def _open(request, person_id, section, *, sides=("provider", "authority"), write=False):
    """The person, if the user's side of the boundary may work here (in caseload, or with a stated reason)."""
    person, access = open_person(request, person_id, section=section, write=write)
    if side(request.user, person) not in sides:
        raise PermissionDenied
    if access is Access.OUTSIDE_WITH_REASON:
        grant = open_outside_access(request.user, person)
        audit.record(request.user, AuditAction.VIEW, person=person, section=section, reason=grant.reason if grant else "",
                     flagged=True)
    return person, access


def _reason(person):
    return redirect("accounts:outside_access", person_id=person.pk)


def _require_authority(user):
    if user.role not in DECIDES_GRANTS:
        raise PermissionDenied


def _conferences_for(user):
    """The user's own teams' conferences, plus those they chair; the authority sees those it convened."""
    teams = user.teams.all()
    convened = CaseConference.objects.filter(team__isnull=True) if user.role in DECIDES_GRANTS else CaseConference.objects.none()
    return (CaseConference.objects.filter(team__in=teams) | CaseConference.objects.filter(chair=user) | convened).distinct()


@login_required
def desk(request):
    """The authority's desk: hand-overs in, requests for assessment, follow-ups due, case conferences."""
    if not request.user.caps.edits_citizens:
        raise PermissionDenied
    today = timezone.localdate()
    inbox = handovers.inbox(request.user)
    caseload = caseload_persons(request.user)
    due = (Grant.objects.filter(ended_on__isnull=True, follow_up_on__lte=today + datetime.timedelta(days=14))
           .filter(person__in=caseload).select_related("person").order_by("follow_up_on")[:50])
    requests = list(rights.open_requests().filter(person__in=caseload)[:50])
    audit.record(request.user, AuditAction.VIEW, persons=[h.person_id for h in inbox] + [g.person_id for g in due]
                 + [r.person_id for r in requests], section="authority_desk")
    return render(request, "authority/desk.html", {
        "inbox": inbox, "withheld": handovers.withheld_count(request.user), "due": due, "requests": requests,
        "conferences": _conferences_for(request.user).select_related("team")[:10], "today": today,
    })


@login_required
def person_handover(request, person_id: int):
    """The sender's hand-over: start one, edit the draft, then check consent and send it."""
    person, access = _open(request, person_id, "handover", sides=("provider",), write=request.method == "POST")
    if access is Access.NEEDS_REASON:
        return _reason(person)
    draft = Handover.objects.filter(person=person, status=Handover.Status.DRAFT).first()
    if request.method == "POST" and "start" in request.POST:
        course = Course.objects.filter(person=person, pk=_int(request.POST.get("course"))).first()
        try:
            handovers.start_handover(request.user, person, course)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("authority:person_handover", person_id=person.pk)
    if draft is None:
        audit.record(request.user, AuditAction.VIEW, person=person, section="handover")
        return render(request, "authority/handover_start.html", {
            "person": person, "sent": person.handovers.exclude(status=Handover.Status.DRAFT).select_related("recipient"),
            "courses": Course.objects.filter(person=person).select_related("offer").order_by("-start")[:5]})
    post = request.POST if request.method == "POST" else None
    form = HandoverForm(post, initial={f: getattr(draft, f) for f in handovers.TEXT_FIELDS} | {"version": draft.version})
    send = SendForm(post)
    if post is not None and form.is_valid() and send.is_valid():
        themes = {key: {"text": post.get(f"theme_{key}", ""), "conditions": post.getlist(f"theme_{key}_codes")}
                  for key in ffb.THEME_KEYS}
        try:
            with transaction.atomic():
                draft = handovers.save_handover(request.user, draft, form.cleaned_data | {"themes": themes},
                                                version=form.cleaned_data["version"])
                if "send" in post:
                    s = send.cleaned_data
                    consent_now = {"form": s["consent_form"], "given_by": s["given_by"]} if s["consent_form"] else None
                    handovers.send_handover(request.user, draft, consent_now=consent_now)
                    if s["may_apply"] or s["may_return"]:
                        rights.record_rights(request.user, person, may_apply=s["may_apply"], may_return=s["may_return"],
                                             course=draft.course)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if "send" in post:
                messages.success(request, _("Overdragelsen er sendt til %(recipient)s.") % {"recipient": draft.recipient})
                return redirect("people:overview", person_id=person.pk)
            messages.success(request, _("Overdragelsen er gemt."))
            return redirect("authority:person_handover", person_id=person.pk)
    audit.record(request.user, AuditAction.VIEW, person=person, section="handover")
    return render(request, "authority/handover_edit.html", {
        "person": person, "handover": draft, "form": form, "send": send, "themes": handovers.theme_rows(draft),
        "consent": handovers.handover_consent(person, draft.recipient)})


@login_required
def handover_detail(request, handover_id: int):
    """The hand-over as the receiving caseworker reads it: only while the citizen's consent is in force."""
    h = get_object_or_404(Handover.objects.select_related("person", "recipient", "consent", "sent_by", "received_by"),
                          pk=handover_id)
    access = person_access(request.user, h.person)
    if not request.user.caps.sees_case_notes or access is Access.DENIED or not handovers.may_read(request.user, h):
        audit.record(request.user, AuditAction.DENIED, person=h.person_id, section="handover")
        raise PermissionDenied(_("Overdragelsen kan ikke vises: borgerens samtykke til at dele den er ikke i kraft."))
    if access is Access.NEEDS_REASON and not handovers.is_recipient(request.user, h):
        return _reason(h.person)
    if request.method == "POST":
        try:
            handovers.acknowledge(request.user, h)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Du har kvitteret for modtagelsen. Borgeren er på dit teams sagsstamme."))
        return redirect("authority:handover", handover_id=h.pk)
    audit.record(request.user, AuditAction.VIEW, person=h.person_id, section="handover")
    return render(request, "authority/handover_detail.html", {
        "h": h, "person": h.person, "themes": handovers.theme_rows(h),
        "may_acknowledge": h.status == Handover.Status.SENT and handovers.is_recipient(request.user, h),
        "may_grant": h.status == Handover.Status.RECEIVED and request.user.role in DECIDES_GRANTS
        and handovers.is_recipient(request.user, h)})


@login_required
@require_POST
def conference_new(request):
    if not request.user.caps.edits_citizens:
        raise PermissionDenied
    department = department_of(request.user)
    team = None if is_authority(request.user) else request.user.teams.filter(department=department).order_by("pk").first()
    if team is None and not is_authority(request.user):
        raise PermissionDenied
    with transaction.atomic():
        conference = CaseConference.objects.create(held_on=timezone.localdate(), team=team, chair=request.user,
                                                   created_by=request.user)
        added = build_agenda(request.user, conference)
    messages.success(request, _("Dagsordenen har %(n)s borgere.") % {"n": added})
    return redirect("authority:conference", conference_id=conference.pk)


@login_required
def conference(request, conference_id: int):
    if not request.user.caps.edits_citizens:
        raise PermissionDenied
    c = get_object_or_404(_conferences_for(request.user).select_related("team", "chair"), pk=conference_id)
    items = list(c.items.select_related("person", "course__offer"))
    staff = get_user_model().objects.filter(is_active=True, role__in=[Role.GUIDE, Role.AUTHORITY, Role.MANAGER,
                                                                       Role.HOST, Role.BOSTOTTE]).order_by("first_name")
    close_form = CloseConferenceForm(request.POST if "close" in request.POST else None, staff=staff,
                                     initial={"version": c.version, "minutes": c.minutes,
                                              "attendees": list(c.attendees.values_list("pk", flat=True))})
    if request.method == "POST" and "close" in request.POST and close_form.is_valid():
        d = close_form.cleaned_data
        try:
            close_conference(request.user, c, minutes=d["minutes"], attendees=d["attendees"], guests=d["guests"],
                             version=d["version"])
        except ValidationError as exc:
            close_form.add_error(None, exc)
        else:
            messages.success(request, _("Sagsdrøftelsen er afsluttet, og referatet er gemt."))
            return redirect("authority:conference", conference_id=c.pk)
    audit.record(request.user, AuditAction.VIEW, persons=[i.person_id for i in items], section="case_conference")
    rows = [(i, DecisionForm(initial={"decision": i.decision, "note": i.note}, prefix=f"i{i.pk}")) for i in items]
    return render(request, "authority/conference.html", {"c": c, "rows": rows, "close_form": close_form})


@login_required
@require_POST
def conference_decide(request, item_id: int):
    if not request.user.caps.edits_citizens:
        raise PermissionDenied
    item = get_object_or_404(AgendaItem.objects.select_related("conference", "person", "course__offer").filter(
        conference__in=_conferences_for(request.user)), pk=item_id)
    form = DecisionForm(request.POST, prefix=f"i{item.pk}")
    error = ""
    if form.is_valid():
        try:
            decide(request.user, item, form.cleaned_data["decision"], form.cleaned_data["note"])
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = _("Vælg en beslutning.")
    if request.htmx:
        return render(request, "authority/_agenda_item.html", {"i": item, "form": form, "error": error, "c": item.conference})
    if error:
        messages.error(request, error)
    return redirect("authority:conference", conference_id=item.conference_id)


@login_required
def person_rights(request, person_id: int):
    person, access = _open(request, person_id, "rights", write=request.method == "POST")
    if access is Access.NEEDS_REASON:
        return _reason(person)
    post = request.POST if request.method == "POST" else None
    rights_form = RightsForm(post if post and "rights" in post else None)
    request_form = RequestForm(post if post and "request" in post else None)
    requests = list(person.assessment_requests.select_related("registered_by", "answered_by"))
    answered_id = _int(post.get("request_id")) if post and "answer" in post else 0
    request_rows = [(r, AnswerForm(post if r.pk == answered_id else None, prefix=f"r{r.pk}")) for r in requests]
    try:
        if rights_form.is_bound and rights_form.is_valid():
            rights.record_rights(request.user, person, **rights_form.cleaned_data)
            messages.success(request, _("Det er registreret, at borgeren er oplyst om sine rettigheder."))
            return redirect("authority:rights", person_id=person.pk)
        if request_form.is_bound and request_form.is_valid():
            rights.request_assessment(request.user, person, on=request_form.cleaned_data["requested_on"],
                                      note=request_form.cleaned_data["note"])
            messages.success(request, _("Anmodningen er registreret og følges, til den er besvaret."))
            return redirect("authority:rights", person_id=person.pk)
        answer = next((f for _r, f in request_rows if f.is_bound), None)
        if answer is not None and answer.is_valid():
            _require_authority(request.user)
            req = get_object_or_404(AssessmentRequest, pk=answered_id, person=person)
            rights.answer_request(request.user, req, answer=answer.cleaned_data["answer"],
                                  on=answer.cleaned_data["answered_on"])
            messages.success(request, _("Svaret er registreret."))
            return redirect("authority:rights", person_id=person.pk)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    audit.record(request.user, AuditAction.VIEW, person=person, section="rights")
    return render(request, "authority/rights.html", {
        "person": person, "rights_form": rights_form, "request_form": request_form, "requests": request_rows,
        "notices": person.rights_notices.select_related("informed_by")[:10],
        "may_answer": request.user.role in DECIDES_GRANTS and side(request.user, person) == "authority"})


@login_required
def grant_new(request, person_id: int):
    _require_authority(request.user)
    person, access = _open(request, person_id, "grant", sides=("authority",), write=True)
    if access is Access.NEEDS_REASON:
        return _reason(person)
    received = handovers.readable(request.user, person.handovers.filter(status=Handover.Status.RECEIVED)
                                  .select_related("consent"))
    wanted = _int(request.GET.get("overdragelse"))
    handover = next((h for h in received if h.pk == wanted), received[0] if received else None)
    post = request.POST if request.method == "POST" else None
    form, goals = GrantForm(post), GoalFormSet(post, prefix="goal")
    if post is not None and form.is_valid() and goals.is_valid():
        d = form.cleaned_data
        goal_inputs = [grants.GoalInput(**{k: g.get(k) for k in ("title", "condition_code", "baseline_level",
                                                                    "target_level", "goal_type_code", "expected_level")})
                       for g in goals.cleaned_data if g.get("title") or g.get("condition_code")]
        try:
            grant = grants.create_grant(request.user, person, goals=goal_inputs, handover=handover, **d)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bevillingen er registreret."))
            return redirect("authority:grant", grant_id=grant.pk)
    audit.record(request.user, AuditAction.VIEW, person=person, section="grant")
    return render(request, "authority/grant_new.html", {"person": person, "form": form, "goals": goals,
                                                        "handover": handover})


def _open_grant(request, grant_id: int, write=False):
    grant = get_object_or_404(Grant.objects.select_related("person", "handover", "decided_by"), pk=grant_id)
    person, access = _open(request, grant.person_id, "grant", write=write)
    return grant, person, access


@login_required
def grant_detail(request, grant_id: int):
    """Expected against achieved for each goal; the provider scores and writes sub-goals, the authority follows up."""
    grant, person, access = _open_grant(request, grant_id, write=request.method == "POST")
    if access is Access.NEEDS_REASON:
        return _reason(person)
    goals = list(grant.goals.all())
    post = request.POST if request.method == "POST" else None
    follow_form = FollowUpForm(post if post and "follow_up" in post else None, goals=goals,
                               initial={"version": grant.version})
    try:
        if post and "score" in post:
            goal = get_object_or_404(GrantGoal, pk=_int(post.get("goal")), grant=grant)
            score = ScoreForm(post, prefix=f"g{goal.pk}")
            if not score.is_valid():
                raise ValidationError(_("Vælg funktionsevnen og en dato."))
            grants.score_progress(request.user, goal, level=score.cleaned_data["level"], on=score.cleaned_data["on"])
            messages.success(request, _("Progressionen er registreret."))
            return redirect("authority:grant", grant_id=grant.pk)
        if post and "sub_goal" in post:
            goal = get_object_or_404(GrantGoal, pk=_int(post.get("goal")), grant=grant)
            sub = SubGoalForm(post, prefix=f"s{goal.pk}")
            if not sub.is_valid():
                raise ValidationError(_("Skriv delmålet."))
            grants.add_sub_goal(request.user, goal, sub.cleaned_data["text"])
            return redirect("authority:grant", grant_id=grant.pk)
        if follow_form.is_bound:
            _require_authority(request.user)
            if side(request.user, person) != "authority":
                raise PermissionDenied
            if follow_form.is_valid():
                d = follow_form.cleaned_data
                expectations = {g.pk: d.get(f"expected_{g.pk}") for g in goals}
                grants.record_follow_up(request.user, grant, version=d["version"], held_on=d["held_on"],
                                        status_code=d["status_code"], note=d["note"], next_on=d["next_on"],
                                        expectations=expectations)
                messages.success(request, _("Opfølgningen er registreret."))
                return redirect("authority:grant", grant_id=grant.pk)
    except ValidationError as exc:
        (follow_form.add_error(None, exc) if follow_form.is_bound else messages.error(request, exc.messages[0]))
    audit.record(request.user, AuditAction.VIEW, person=person, section="grant")
    rows = grants.expected_vs_achieved(grant)
    return render(request, "authority/grant_detail.html", {
        "grant": grant, "person": person, "rows": [(r, ScoreForm(prefix=f"g{r.goal.pk}"), SubGoalForm(prefix=f"s{r.goal.pk}"))
                                                    for r in rows],
        "suggestion": grants.suggestion(rows), "follow_form": follow_form,
        "follow_ups": grant.follow_ups.select_related("held_by"), "ffb": ffb,
        "may_follow_up": request.user.role in DECIDES_GRANTS and side(request.user, person) == "authority"
        and grant.ended_on is None,
        "target_groups": [ffb.display(c) for c in grant.target_groups]})
