import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.courses.models import Course
from traedesten.gate import Action, NeedsReason, Section, Tool, clearance, may_use, persons_reached, record_read
from traedesten.gate.policy import decides_grants, department
from traedesten.gate.relations import team_ids
from traedesten.gate.rules import roles_reaching_citizens
from traedesten.gate.web import citizen, uses
from traedesten.plans import exemptions
from traedesten.plans.models import Plan
from traedesten.plans.services import current_content
from traedesten.usecases import authority as cases

from . import ffb, grants, handover as handovers, orders, rights
from .forms import (
    AnswerForm,
    ApprovalForm,
    CloseConferenceForm,
    DecisionForm,
    FollowUpForm,
    GoalFormSet,
    GrantForm,
    HandoverForm,
    OrderAnswerForm,
    ProviderForm,
    RequestForm,
    RightsForm,
    ScoreForm,
    SendForm,
    SubGoalForm,
)
from .models import AgendaItem, AssessmentRequest, CaseConference, Grant, GrantGoal, GrantStatus, Handover, Order


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0


@uses(Tool.AUTHORITY_DESK, Tool.CASE_CONFERENCE)
@require_GET
def desk(request: AuthedRequest):
    """The authority's desk: hand-overs in, requests for assessment, follow-ups due, case conferences. Other
    departments see their own teams' conferences here."""
    user = request.user
    today = timezone.localdate()
    deciding = decides_grants(department(user))
    inbox, requests = [], []
    due: list[Grant] = []
    if deciding:
        inbox = handovers.inbox(user)
        reached = persons_reached(user, Section.AUTHORITY)
        due = list(Grant.objects.filter(ended_on__isnull=True, status=GrantStatus.DECIDED, follow_up_on__lte=today + datetime.timedelta(days=14))
                   .filter(person__in=reached).select_related("person").order_by("follow_up_on")[:50])
        requests = list(rights.open_requests().filter(person__in=reached)[:50])
        audit.record(user, AuditAction.VIEW, persons=[h.person_id for h in inbox] + [g.person_id for g in due]
                     + [r.person_id for r in requests], section="authority_desk",
                     fields=[Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/desk.html", {
        "deciding": deciding, "inbox": inbox, "withheld": handovers.withheld_count(user) if deciding else 0,
        "due": due, "requests": requests, "today": today,
        "conferences": cases.conferences_for(user).select_related("team").order_by("-held_on")[:10],
    })


@login_required
def person_handover(request: AuthedRequest, person_id: int):
    """The sender's hand-over: start one, edit the draft, then check consent and send it."""
    c = citizen(request, person_id, Section.AUTHORITY, action=Action.WRITE)
    if not cases.is_sender(c):
        raise PermissionDenied
    person = c.person
    draft = Handover.objects.filter(person=person, status=Handover.Status.DRAFT).first()
    if request.method == "POST" and "start" in request.POST:
        course = Course.objects.filter(person=person, pk=_int(request.POST.get("course"))).first()
        try:
            cases.start_handover(c, course)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("authority:person_handover", person_id=person.pk)
    if draft is None:
        record_read(c, "handover", [Section.IDENTITY, Section.AUTHORITY, Section.COURSES])
        return render(request, "authority/handover_start.html", {
            "person": person, "sent": person.handovers.exclude(status=Handover.Status.DRAFT).select_related("recipient"),
            "courses": Course.objects.filter(person=person).select_related("offer").order_by("-start")[:5]})
    post = request.POST if request.method == "POST" else None
    form = HandoverForm(post, initial={f: getattr(draft, f) for f in handovers.TEXT_FIELDS} | {"version": draft.version})
    send = SendForm(post)
    if post is not None and form.is_valid() and send.is_valid():
        themes = {key: {"text": post.get(f"theme_{key}", ""), "conditions": post.getlist(f"theme_{key}_codes")}
                  for key in ffb.THEME_KEYS}
        s = send.cleaned_data
        try:
            draft = cases.save_and_send_handover(
                c, draft, form.cleaned_data | {"themes": themes}, version=form.cleaned_data["version"],
                send="send" in post,
                consent_now={"form": s["consent_form"], "given_by": s["given_by"]} if s["consent_form"] else None,
                may_apply=s["may_apply"], may_return=s["may_return"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if "send" in post:
                messages.success(request, _("Overdragelsen er sendt til %(recipient)s.") % {"recipient": draft.recipient})
                return redirect("people:overview", person_id=person.pk)
            messages.success(request, _("Overdragelsen er gemt."))
            return redirect("authority:person_handover", person_id=person.pk)
    record_read(c, "handover", [Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/handover_edit.html", {
        "person": person, "handover": draft, "form": form, "send": send, "themes": handovers.theme_rows(draft),
        "consent": handovers.handover_consent(person, draft.recipient)})


@login_required
def handover_detail(request: AuthedRequest, handover_id: int):
    """The hand-over as the receiving caseworker reads it: only while the citizen's consent is in force."""
    h = get_object_or_404(Handover.objects.select_related("person", "recipient", "consent", "sent_by", "received_by"),
                          pk=handover_id)
    c = clearance(request.user, h.person)
    if not cases.may_read_handover(c, h):
        if Section.AUTHORITY in c.by_reason and h.recipient_id != getattr(department(request.user), "pk", None):
            raise NeedsReason(h.person_id)
        audit.record(request.user, AuditAction.DENIED, person=h.person_id, section="handover")
        raise PermissionDenied(_("Overdragelsen kan ikke vises: borgerens samtykke til at dele den er ikke i kraft."))
    if request.method == "POST":
        try:
            cases.acknowledge(c, h)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Du har kvitteret for modtagelsen. Borgeren er på dit teams sagsstamme."))
        return redirect("authority:handover", handover_id=h.pk)
    record_read(c, "handover", [Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/handover_detail.html", {
        "h": h, "person": h.person, "themes": handovers.theme_rows(h),
        "may_acknowledge": h.status == Handover.Status.SENT and handovers.is_recipient(request.user, h),
        "may_grant": h.status == Handover.Status.RECEIVED and c.may_decide and handovers.is_recipient(request.user, h)})


@uses(Tool.AUTHORITY_DESK, Tool.CASE_CONFERENCE)
@require_POST
def conference_new(request: AuthedRequest):
    try:
        conference, added = cases.convene(request.user, timezone.localdate())
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("authority:desk")
    messages.success(request, _("Dagsordenen har %(n)s borgere.") % {"n": added})
    return redirect("authority:conference", conference_id=conference.pk)


def _agenda(request: AuthedRequest, conference: CaseConference) -> tuple[list[AgendaItem], int]:
    """The items on citizens the user may see; the others are counted, not shown."""
    items = list(conference.items.select_related("person", "course__offer"))
    section = Section.AUTHORITY if conference.team_id is None else Section.COURSES
    reached = set(persons_reached(request.user, section).filter(pk__in=[i.person_id for i in items])
                  .values_list("pk", flat=True))
    shown = [i for i in items if i.person_id in reached]
    return shown, len(items) - len(shown)


@uses(Tool.AUTHORITY_DESK, Tool.CASE_CONFERENCE)
def conference(request: AuthedRequest, conference_id: int):
    c = get_object_or_404(cases.conferences_for(request.user).select_related("team", "chair"), pk=conference_id)
    items, hidden = _agenda(request, c)
    staff = get_user_model().objects.filter(is_active=True, role__in=roles_reaching_citizens()).order_by("first_name")
    close_form = CloseConferenceForm(request.POST if "close" in request.POST else None, staff=staff,
                                     initial={"version": c.version, "minutes": c.minutes,
                                              "attendees": list(c.attendees.values_list("pk", flat=True))})
    if request.method == "POST" and "close" in request.POST and close_form.is_valid():
        d = close_form.cleaned_data
        try:
            cases.close(request.user, c, minutes=d["minutes"], attendees=d["attendees"], guests=d["guests"],
                        version=d["version"])
        except ValidationError as exc:
            close_form.add_error(None, exc)
        else:
            messages.success(request, _("Sagsdrøftelsen er afsluttet, og referatet er gemt."))
            return redirect("authority:conference", conference_id=c.pk)
    if items:
        audit.record(request.user, AuditAction.VIEW, persons=[i.person_id for i in items], section="case_conference",
                     fields=[Section.IDENTITY, Section.COURSES])
    rows = [(i, DecisionForm(initial={"decision": i.decision, "note": i.note}, prefix=f"i{i.pk}")) for i in items]
    return render(request, "authority/conference.html", {"c": c, "rows": rows, "close_form": close_form,
                                                         "hidden": hidden})


@uses(Tool.AUTHORITY_DESK, Tool.CASE_CONFERENCE)
@require_POST
def conference_decide(request: AuthedRequest, item_id: int):
    item = get_object_or_404(AgendaItem.objects.select_related("conference", "person", "course__offer").filter(
        conference__in=cases.conferences_for(request.user)), pk=item_id)
    c = clearance(request.user, item.person)
    cases.require_decision(c, item)
    form = DecisionForm(request.POST, prefix=f"i{item.pk}")
    error = ""
    if form.is_valid():
        try:
            cases.decide_item(c, item, form.cleaned_data["decision"], form.cleaned_data["note"])
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
def person_rights(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.AUTHORITY, action=Action.WRITE if request.method == "POST" else Action.READ)
    person = c.person
    post = request.POST if request.method == "POST" else None
    rights_form = RightsForm(post if post and "rights" in post else None)
    request_form = RequestForm(post if post and "request" in post else None)
    requests = list(person.assessment_requests.select_related("registered_by", "answered_by"))
    answered_id = _int(post.get("request_id")) if post and "answer" in post else 0
    request_rows = [(r, AnswerForm(post if r.pk == answered_id else None, prefix=f"r{r.pk}")) for r in requests]
    try:
        if rights_form.is_bound and rights_form.is_valid():
            cases.record_rights(c, **rights_form.cleaned_data)
            messages.success(request, _("Det er registreret, at borgeren er oplyst om sine rettigheder."))
            return redirect("authority:rights", person_id=person.pk)
        if request_form.is_bound and request_form.is_valid():
            cases.request_assessment(c, on=request_form.cleaned_data["requested_on"],
                                     note=request_form.cleaned_data["note"])
            messages.success(request, _("Anmodningen er registreret og følges, til den er besvaret."))
            return redirect("authority:rights", person_id=person.pk)
        answer = next((f for _r, f in request_rows if f.is_bound), None)
        if answer is not None and answer.is_valid():
            req = get_object_or_404(AssessmentRequest, pk=answered_id, person=person)
            cases.answer_request(c, req, answer=answer.cleaned_data["answer"], on=answer.cleaned_data["answered_on"])
            messages.success(request, _("Svaret er registreret."))
            return redirect("authority:rights", person_id=person.pk)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    record_read(c, "rights", [Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/rights.html", {
        "person": person, "rights_form": rights_form, "request_form": request_form, "requests": request_rows,
        "notices": person.rights_notices.select_related("informed_by")[:10], "may_answer": c.may_decide})


@login_required
def grant_new(request: AuthedRequest, person_id: int):
    c = citizen(request, person_id, Section.AUTHORITY, action=Action.DECIDE)
    person = c.person
    received = [h for h in person.handovers.filter(status=Handover.Status.RECEIVED).select_related("consent")
                if cases.may_read_handover(c, h)]
    wanted = _int(request.GET.get("overdragelse"))
    handover = next((h for h in received if h.pk == wanted), received[0] if received else None)
    post = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    found = exemptions.on_page(person.pk, today)
    exempt = "grant_follow_up" in found.keys
    form = GrantForm(post, initial={"follow_up_on": grants.suggest_follow_up("SEL § 85", today, first=True)})
    content = current_content(Plan.objects.filter(person=person).first())
    plan_goals = [(g.id, g.citizen_text) for g in content.active_goals] if content and c.shown(Section.GOALS) else []
    goals = GoalFormSet(post, prefix="goal", form_kwargs={"plan_goals": plan_goals})
    if exempt:  # exempt from process goals: no follow-up date or level at one is asked for (decision 0057)
        del form.fields["follow_up_on"]
        for g in goals:
            del g.fields["expected_level"]
    if post is not None and form.is_valid() and goals.is_valid():
        d = form.cleaned_data
        goal_inputs = [grants.GoalInput(g.get("title"), g.get("condition_code"), g.get("baseline_level"),
                                        g.get("target_level"), g.get("goal_type_code"), g.get("expected_level"),
                                        g.get("plan_goal") or "")
                       for g in goals.cleaned_data if g.get("title") or g.get("condition_code")]
        try:
            grant = cases.create_grant(c, goals=goal_inputs, handover=handover, **{"follow_up_on": None, **d})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if grant.status == GrantStatus.AWAITING:
                messages.warning(request, _("Bevillingen er over din bevillingskompetence og venter på en leders "
                                            "godkendelse."))
            else:
                messages.success(request, _("Bevillingen er registreret."))
            return redirect("authority:grant", grant_id=grant.pk)
    record_read(c, "grant", [Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/grant_new.html", {
        "person": person, "form": form, "goals": goals, "handover": handover, "follow_up_exempt": exempt,
        "exemptions": found.shown})


@login_required
def grant_detail(request: AuthedRequest, grant_id: int):
    """Expected against achieved for each goal; the provider scores and writes sub-goals, the authority follows up."""
    grant = get_object_or_404(Grant.objects.select_related("person", "handover", "decided_by", "mandate", "approved_by"),
                              pk=grant_id)
    c = citizen(request, grant.person_id, Section.AUTHORITY)
    person = c.person
    goals = list(grant.goals.all())
    plan_content = current_content(Plan.objects.filter(person=person).first()) if c.shown(Section.GOALS) else None
    plan_goal_texts = {g.id: g.citizen_text for g in plan_content.goals} if plan_content else {}
    post = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    found = exemptions.on_page(person.pk, today)
    exempt = "grant_follow_up" in found.keys
    follow_form = FollowUpForm(post if post and "follow_up" in post else None, goals=goals,
                               initial={"version": grant.version, "next_on": None if exempt else grants.suggest_follow_up(
                                   grant.legal_basis, today, first=False)})
    if exempt:  # no next date or expected levels are asked for (decision 0057)
        for name in [n for n in follow_form.fields if n == "next_on" or n.startswith("expected_")]:
            del follow_form.fields[name]
    approval = ApprovalForm(post if post and ("approve" in post or "reject" in post) else None,
                            initial={"version": grant.version})
    try:
        if approval.is_bound:
            if not approval.is_valid():
                raise ValidationError(_("Genindlæs siden og prøv igen."))
            d = approval.cleaned_data
            if post is not None and "approve" in post:
                cases.approve_grant(c, grant, version=d["version"], on=today, note=d["note"])
                messages.success(request, _("Bevillingen er godkendt og sendt videre."))
            else:
                cases.reject_grant(c, grant, version=d["version"], on=today, note=d["note"])
                messages.success(request, _("Bevillingen er afvist."))
            return redirect("authority:grant", grant_id=grant.pk)
        if post and "score" in post:
            goal = get_object_or_404(GrantGoal.objects.select_related("grant"), pk=_int(post.get("goal")), grant=grant)
            score = ScoreForm(post, prefix=f"g{goal.pk}")
            if not score.is_valid():
                raise ValidationError(_("Vælg funktionsevnen og en dato."))
            cases.score_progress(c, goal, level=score.cleaned_data["level"], on=score.cleaned_data["on"])
            messages.success(request, _("Progressionen er registreret."))
            return redirect("authority:grant", grant_id=grant.pk)
        if post and "sub_goal" in post:
            goal = get_object_or_404(GrantGoal.objects.select_related("grant"), pk=_int(post.get("goal")), grant=grant)
            sub = SubGoalForm(post, prefix=f"s{goal.pk}")
            if not sub.is_valid():
                raise ValidationError(_("Skriv delmålet."))
            cases.add_sub_goal(c, goal, sub.cleaned_data["text"])
            return redirect("authority:grant", grant_id=grant.pk)
        if post and "provider" in post:
            provider = ProviderForm(post)
            if not provider.is_valid():
                raise ValidationError(_("Vælg leverandøren."))
            d = provider.cleaned_data
            cases.change_provider(c, grant, version=d["version"], provider_team=d["provider_team"],
                                  provider_offer=d["provider_offer"])
            messages.success(request, _("Bestillingen er sendt til %(team)s.") % {"team": d["provider_team"]})
            return redirect("authority:grant", grant_id=grant.pk)
        if follow_form.is_bound:
            c.require(Section.AUTHORITY, action=Action.DECIDE)
            if follow_form.is_valid():
                d = follow_form.cleaned_data
                expectations = {g.pk: d.get(f"expected_{g.pk}") for g in goals}
                cases.record_follow_up(c, grant, version=d["version"], held_on=d["held_on"],
                                       status_code=d["status_code"], note=d["note"], next_on=d.get("next_on"),
                                       expectations=expectations)
                messages.success(request, _("Opfølgningen er registreret."))
                return redirect("authority:grant", grant_id=grant.pk)
    except ValidationError as exc:
        (follow_form.add_error(None, exc) if follow_form.is_bound else messages.error(request, exc.messages[0]))
    record_read(c, "grant", [Section.IDENTITY, Section.AUTHORITY, *([Section.GOALS] if plan_goal_texts else [])])
    rows = grants.expected_vs_achieved(grant)
    for r in rows:
        r.goal.plan_goal_text = plan_goal_texts.get(r.goal.plan_goal_id, "")  # type: ignore[attr-defined]
    history = grants.history(grant)
    return render(request, "authority/grant_detail.html", {
        "grant": grant, "person": person, "rows": [(r, ScoreForm(prefix=f"g{r.goal.pk}"), SubGoalForm(prefix=f"s{r.goal.pk}"))
                                                    for r in rows],
        "suggestion": grants.suggestion(rows), "follow_form": follow_form,
        "follow_ups": [col.follow_up for col in history if col.follow_up], "ffb": ffb, "history": history,
        "cadence": None if exempt else grants.cadence_for(grant.legal_basis),
        "follow_up_exempt": exempt, "exemptions": found.shown, "one_plan": "sector_plans" in found.keys,
        "approval": approval if grant.status == GrantStatus.AWAITING and may_use(request.user, Tool.GRANT_APPROVAL)
        and c.may_decide else None,
        "may_follow_up": c.may_decide and grant.ended_on is None and grant.status == GrantStatus.DECIDED,
        "may_deliver": cases.may_deliver(c), "may_assess": c.may_decide,
        "orders": grant.orders.select_related("provider_team", "offer", "answered_by"),
        "provider_form": ProviderForm(initial={"version": grant.version, "provider_team": grant.provider_team_id,
                                               "provider_offer": grant.provider_offer_id}),
        "target_groups": [ffb.display(code) for code in grant.target_groups]})


@uses(Tool.ORDERS)
@require_GET
def order_inbox(request):
    """The provider's inbox: orders from the authority to the user's teams, waiting ones first."""
    rows = list(orders.inbox(team_ids(request.user)))
    reached = set(persons_reached(request.user, Section.AUTHORITY).filter(pk__in={o.person_id for o in rows})
                  .values_list("pk", flat=True))
    rows = [o for o in rows if o.person_id in reached]
    if rows:
        audit.record(request.user, AuditAction.VIEW, persons={o.person_id for o in rows}, section="order_inbox",
                     fields=[Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/order_inbox.html", {"orders": rows})


@login_required
def order_detail(request, order_id: int):
    """What the authority ordered: the grant, its goals and hours. The provider team accepts or declines it."""
    order = get_object_or_404(Order.objects.select_related("grant", "provider_team", "offer", "sent_by", "answered_by",
                                                           "course"), pk=order_id)
    c = citizen(request, order.person_id, Section.AUTHORITY,
                action=Action.WRITE if request.method == "POST" else Action.READ)
    form = OrderAnswerForm(request.POST if request.method == "POST" else None, initial={"version": order.version})
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(_("Genindlæs siden og prøv igen."))
            if "accept" in request.POST:
                order = cases.accept_order(c, order, version=form.cleaned_data["version"])
                messages.success(request, _("Bestillingen er modtaget. %(team)s er leverandør for borgeren, mens "
                                            "bevillingen løber.") % {"team": order.provider_team})
                return redirect("people:overview", person_id=order.person_id)
            cases.decline_order(c, order, version=form.cleaned_data["version"], note=form.cleaned_data["note"])
            messages.success(request, _("Bestillingen er afvist. Myndigheden kan se begrundelsen."))
            return redirect("authority:orders")
        except ValidationError as exc:
            form.add_error(None, exc)
    record_read(c, "order", [Section.IDENTITY, Section.AUTHORITY])
    grant = order.grant
    return render(request, "authority/order_detail.html", {
        "order": order, "grant": grant, "person": c.person, "form": form,
        "goals": grant.goals.prefetch_related("expectations"), "ffb": ffb,
        "target_groups": [ffb.display(code) for code in grant.target_groups],
        "may_answer": order.status == Order.Status.SENT and cases.is_order_recipient(c, order)})
