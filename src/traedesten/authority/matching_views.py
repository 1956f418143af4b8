"""Matching (matchning): the provider team's queue of citizens waiting for a worker, matching one citizen by profile,
and the citizen's request for another worker. Decision 0049."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import Method, User
from traedesten.core.locking import VersionConflict
from traedesten.gate import Action, Section, Tool, may_use, record_read
from traedesten.gate.web import citizen, uses
from traedesten.usecases import matching as cases


class WishesForm(forms.Form):
    wished_gender = forms.ChoiceField(label=gettext_lazy("Ønsket køn"), required=False,
                                      choices=[("", gettext_lazy("Intet ønske")), ("female", gettext_lazy("Kvinde")),
                                               ("male", gettext_lazy("Mand"))])
    wished_language = forms.CharField(label=gettext_lazy("Ønsket sprog"), required=False, max_length=40)
    wished_method = forms.ModelChoiceField(label=gettext_lazy("Ønsket metode"), required=False,
                                           queryset=Method.objects.all(), empty_label=gettext_lazy("Intet ønske"))
    wish_note = forms.CharField(label=gettext_lazy("Andre ønsker (kort)"), required=False, max_length=200)


class ChangeRequestForm(forms.Form):
    requested_on = forms.DateField(label=gettext_lazy("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=gettext_lazy("Borgerens begrundelse (med borgerens egne ord)"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


@uses(Tool.MATCHING)
def queue(request: AuthedRequest):
    """The team's matching queue by deadline."""
    today = timezone.localdate()
    return render(request, "authority/matching_queue.html", {"rows": cases.queue(request.user, today=today),
                                                              "today": today})


def _version(request) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() else 0


@uses(Tool.MATCHING)
def matching(request: AuthedRequest, person_id: int):
    """One citizen's matching: the wishes, and the provider team's workers by profile and caseload."""
    today = timezone.localdate()
    if request.method == "POST":
        c = citizen(request, person_id, Section.IDENTITY, Section.COURSES, action=Action.WRITE)
    else:
        c = citizen(request, person_id, Section.IDENTITY)
    rows = cases.waiting(c)
    chosen = next((m for m in rows if str(m.pk) == request.POST.get("matching", "")), rows[0] if rows else None)
    form = WishesForm(request.POST if request.method == "POST" and request.POST.get("action") == "wishes" else None,
                      initial={"wished_gender": chosen.wished_gender, "wished_language": chosen.wished_language,
                               "wished_method": chosen.wished_method, "wish_note": chosen.wish_note} if chosen else None)
    error = None
    if request.method == "POST" and chosen is not None:
        try:
            if request.POST.get("action") == "wishes":
                if form.is_valid():
                    d = form.cleaned_data
                    cases.save_wishes(c, chosen, version=_version(request), gender=d["wished_gender"],
                                      language=d["wished_language"], method=d["wished_method"], note=d["wish_note"])
                    messages.success(request, _("Borgerens ønsker er gemt."))
                    return redirect("authority:matching", person_id=c.person.pk)
            elif request.POST.get("action") == "match":
                worker = get_object_or_404(User, pk=_int(request.POST.get("worker")), is_active=True)
                cases.match(c, chosen, worker, version=_version(request), on=today)
                messages.success(request, _("%(name)s er nu borgerens ansvarlige medarbejder.") % {"name": worker})
                return redirect("authority:matching_queue")
        except VersionConflict as exc:
            error = str(exc)
        except ValidationError as exc:
            error = exc.messages[0]
    elif request.method == "POST":
        error = _("Borgeren venter ikke på en matchning i dit team.")
    candidates = cases.candidates(c, chosen, today=today) if chosen else []
    record_read(c, "matching", [Section.IDENTITY])
    return render(request, "authority/matching.html", {
        "person": c.person, "matching": chosen, "form": form, "candidates": candidates, "error": error,
        "today": today, "may_match": c.can(Section.COURSES, Action.WRITE)})


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0


@login_required
def worker_change(request: AuthedRequest, person_id: int):
    """The citizen asks for another worker: recorded (date, reason in their words, outcome), back in the queue."""
    if request.method == "POST":
        c = citizen(request, person_id, Section.IDENTITY, Section.COURSES, action=Action.WRITE)
    else:
        c = citizen(request, person_id, Section.IDENTITY, Section.COURSES)
    form = ChangeRequestForm(request.POST if request.method == "POST" else None, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            cases.request_other_worker(c, requested_on=form.cleaned_data["requested_on"],
                                       reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ønsket er registreret, og borgeren venter nu på en ny matchning."))
            return redirect("authority:worker_change", person_id=c.person.pk)
    record_read(c, "worker_change", [Section.IDENTITY, Section.COURSES])
    return render(request, "authority/worker_change.html", {
        "person": c.person, "form": form if c.can(Section.COURSES, Action.WRITE) else None,
        "requests": cases.change_requests(c), "may_match": may_use(request.user, Tool.MATCHING),
        "max_date": timezone.localdate() + datetime.timedelta(days=0)})
