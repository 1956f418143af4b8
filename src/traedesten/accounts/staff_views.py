"""The on-call roster (kept by the team's manager) and the competence register (the worker's own, and the manager's
view of the team). Decisions 0048 and 0049."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from traedesten.accounts.http import AuthedRequest
from traedesten.gate import Tool, may_use
from traedesten.gate.web import uses
from traedesten.usecases import staff as cases

from . import staff
from .models import Competence, Method, OnCallShift, Team, User, WorkerProfile


def _team_members(user):
    return User.objects.filter(is_active=True, teams__in=user.teams.all()).distinct().order_by("first_name", "username")


class ShiftForm(forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none())
    user = forms.ModelChoiceField(label=gettext_lazy("Medarbejder"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(label=gettext_lazy("Fra"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=gettext_lazy("Til"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = manager.teams.order_by("name")
        self.fields["user"].queryset = _team_members(manager)


@uses(Tool.ON_CALL_ROSTER)
def roster(request: AuthedRequest):
    """The 24/7 team's roster: the shifts from today on, and a new one."""
    form = ShiftForm(request.POST if request.method == "POST" else None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cases.add_shift(request.user, d["team"], d["user"], starts_at=d["starts_at"], ends_at=d["ends_at"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Vagten er skrevet på vagtplanen."))
            return redirect("oncall:roster")
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return render(request, "accounts/roster.html", {
        "form": form, "shifts": staff.roster(request.user.teams.all(), since=since), "now": timezone.now()})


@uses(Tool.ON_CALL_ROSTER)
@require_POST
def shift_delete(request: AuthedRequest, shift_id: int):
    cases.remove_shift(request.user, get_object_or_404(OnCallShift, pk=shift_id))
    messages.success(request, _("Vagten er slettet."))
    return redirect("oncall:roster")


class CompetenceForm(forms.Form):
    worker = forms.ModelChoiceField(label=gettext_lazy("Medarbejder"), queryset=User.objects.none())
    method = forms.ModelChoiceField(label=gettext_lazy("Metode"), queryset=Method.objects.all())
    certified_on = forms.DateField(label=gettext_lazy("Uddannet/certificeret"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=gettext_lazy("Udløber"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Bemærkning"), required=False, max_length=200)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _team_members(manager)


class ProfileForm(forms.Form):
    worker = forms.ModelChoiceField(label=gettext_lazy("Medarbejder"), queryset=User.objects.none())
    gender = forms.ChoiceField(label=gettext_lazy("Køn"), required=False,
                               choices=[("", "—"), *WorkerProfile.Gender.choices])
    languages = forms.CharField(label=gettext_lazy("Sprog ud over dansk"), required=False, max_length=120)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _team_members(manager)


@login_required
def competences(request: AuthedRequest):
    """The competence register: the user's own competences; a manager sees and keeps those of their teams."""
    manages = may_use(request.user, Tool.COMPETENCES)
    if request.method == "POST" and not manages:
        raise PermissionDenied
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("form", "competence") if post else None
    form = CompetenceForm(post if which == "competence" else None, manager=request.user) if manages else None
    profile_form = ProfileForm(post if which == "profile" else None, manager=request.user) if manages else None
    if post is not None:
        try:
            if which == "profile" and profile_form is not None and profile_form.is_valid():
                d = profile_form.cleaned_data
                cases.save_profile(request.user, d["worker"], gender=d["gender"], languages=d["languages"])
                messages.success(request, _("Profilen er gemt."))
                return redirect("accounts:competences")
            if which == "competence" and form is not None and form.is_valid():
                d = form.cleaned_data
                cases.add_competence(request.user, d["worker"], d["method"], certified_on=d["certified_on"],
                                     expires_on=d["expires_on"], note=d["note"])
                messages.success(request, _("Kompetencen er registreret."))
                return redirect("accounts:competences")
        except ValidationError as exc:
            failed = profile_form if which == "profile" else form
            if failed is not None:
                failed.add_error(None, exc)
    workers = list(_team_members(request.user)) if manages else [request.user]
    if request.user not in workers:
        workers.insert(0, request.user)
    found = staff.competences_of(workers)
    profiles = {p.user_id: p for p in WorkerProfile.objects.filter(user__in=workers)}
    today = timezone.localdate()
    rows = [(w, found.get(w.pk, []), profiles.get(w.pk)) for w in workers if cases.may_see_competences(request.user, w)]
    return render(request, "accounts/competences.html", {
        "rows": rows, "form": form, "profile_form": profile_form, "today": today,
        "soon": today + datetime.timedelta(days=60)})


@uses(Tool.COMPETENCES)
@require_POST
def competence_delete(request: AuthedRequest, competence_id: int):
    cases.remove_competence(request.user, get_object_or_404(Competence, pk=competence_id))
    messages.success(request, _("Kompetencen er slettet."))
    return redirect("accounts:competences")
