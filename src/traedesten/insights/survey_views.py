"""Survey pages: the citizen's answer page (by token, no login), and the staff and analyst pages."""

import datetime

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
from traedesten.courses.models import Course
from traedesten.gate import Action, Section, Tool, may_use, persons_reached, require_tool

from . import surveys
from .catalogue import CLOSING_CODES
from .models import Invitation, NonResponse, Questionnaire

RECENT_DAYS = 60


def answer(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("questionnaire"), token=token)
    if hasattr(invitation, "response"):
        return render(request, "insights/answer_done.html", {"again": True})
    defn = surveys.parse(invitation.questionnaire.definition)
    if request.method == "POST":
        raw = {q.key: request.POST.getlist(q.key) for q in defn.questions}
        try:
            surveys.answer(invitation, raw, helped=request.POST.get("assisted") == "1")
        except surveys.AlreadyAnswered:
            return render(request, "insights/answer_done.html", {"again": True})
        return render(request, "insights/answer_done.html", {"again": False})
    return render(request, "insights/answer.html", {"invitation": invitation, "defn": defn})


def _mine(user):
    """Survey invitations go out from the worker to the citizens whose courses they work on."""
    return persons_reached(user, Section.COURSES, action=Action.WRITE)


def _staff_lists(request: AuthedRequest, questionnaire):
    mine = _mine(request.user)
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    invited = Invitation.objects.filter(questionnaire=questionnaire).values("person")
    to_invite = (Course.objects.filter(person__in=mine, status=Course.Status.CLOSED, closed_on__gte=since)
                 .exclude(person__in=invited).select_related("person", "offer").order_by("-closed_on"))
    waiting = (Invitation.objects.filter(questionnaire=questionnaire, person__in=mine, response__isnull=True)
               .select_related("person").order_by("-created_at"))
    return list(to_invite), list(waiting)


@login_required
@require_GET
def survey(request: AuthedRequest, code: str):
    questionnaire = get_object_or_404(Questionnaire, code=code)
    require_tool(request.user, Tool.KEY_FIGURES, Tool.SURVEY_INVITES)
    context: dict[str, object] = {"questionnaire": questionnaire, "reasons": NonResponse.choices}
    if may_use(request.user, Tool.SURVEY_INVITES):
        to_invite, waiting = _staff_lists(request, questionnaire)
        context["to_invite"], context["waiting"] = to_invite, waiting
        shown = {c.person_id for c in to_invite} | {i.person_id for i in waiting}
        if shown:
            audit.record(request.user, AuditAction.VIEW, persons=sorted(shown), section="survey",
                         fields=[Section.IDENTITY, Section.COURSES])
    if may_use(request.user, Tool.KEY_FIGURES):
        period = disclosure.last_twelve_months(timezone.localdate())
        context["result"] = surveys.report(questionnaire, *period)
        if questionnaire.code in CLOSING_CODES.values():
            context["cross"] = [(q, surveys.cross_table(q.key, "cluster", *period).published(),
                                 surveys.cross_table(q.key, "age", *period).published())
                                for q in surveys.parse(questionnaire.definition).questions if q.type != "text"]
    return render(request, "insights/survey.html", context)


@login_required
@require_POST
def invite(request: AuthedRequest, code: str):
    require_tool(request.user, Tool.SURVEY_INVITES)
    questionnaire = get_object_or_404(Questionnaire, code=code, active=True)
    mine = _mine(request.user)
    ids = [int(v) for v in request.POST.getlist("course") if v.isdigit()]
    courses = Course.objects.filter(pk__in=ids, person__in=mine).select_related("person")
    made = 0
    for course in courses:
        _invitation, created = surveys.invite(request.user, questionnaire, course.person, course=course,
                                              base_url=request.build_absolute_uri("/"))
        made += created
    messages.success(request, _("%(n)s borgere er inviteret.") % {"n": made})
    return redirect("insights:survey", code=code)


@login_required
@require_POST
def non_response(request: AuthedRequest, pk: int):
    require_tool(request.user, Tool.SURVEY_INVITES)
    invitation = get_object_or_404(Invitation, pk=pk)
    if not _mine(request.user).filter(pk=invitation.person_id).exists():
        raise PermissionDenied
    try:
        surveys.set_non_response(request.user, invitation, request.POST.get("reason", ""))
        messages.success(request, _("Årsagen er gemt."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("insights:survey", code=invitation.questionnaire.code)


@login_required
@require_GET
def survey_list(request: AuthedRequest):
    require_tool(request.user, Tool.KEY_FIGURES, Tool.SURVEY_INVITES)
    return render(request, "insights/surveys.html", {"questionnaires": Questionnaire.objects.filter(active=True)})
