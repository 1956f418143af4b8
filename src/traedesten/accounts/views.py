import csv
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from traedesten.people.models import Person

from . import audit
from .access import Access, grant_outside_access, person_access
from .models import AuditAction, AuditEvent, OutsideAccess


def require_reviewer(user):
    if not user.caps.reviews_access:
        raise PermissionDenied


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrundelse"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Skriv hvorfor du skal se borgeren. Opslaget markeres til gennemsyn hos lederen."),
        error_messages={"min_length": gettext_lazy("Skriv en begrundelse på mindst 10 tegn.")},
    )


@login_required
def outside_access(request, person_id: int):
    person = get_object_or_404(Person, pk=person_id)
    state = person_access(request.user, person)
    if state.granted:
        return redirect("people:overview", person_id=person.pk)
    if state is Access.DENIED:
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        grant_outside_access(request.user, person, form.cleaned_data["reason"])
        return redirect("people:overview", person_id=person.pk)
    return render(request, "accounts/outside_access.html", {"form": form, "person_id": person.pk})


@login_required
def person_audit(request, person_id: int):
    """Who has looked at this citizen."""
    require_reviewer(request.user)
    person = get_object_or_404(Person, pk=person_id)
    events = AuditEvent.objects.filter(person_id=person.pk).select_related("user")[:500]
    audit.record(request.user, AuditAction.VIEW, person=person, section="audit_trail")
    return render(request, "accounts/person_audit.html", {"person": person, "events": events})


class AuditExportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Fra"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Til"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("Slutdatoen ligger før startdatoen."))
        return data


class _Echo:
    def write(self, value):
        return value


@login_required
def audit_export(request):
    """CSV of the audit log for the data-protection officer; person ids, never CPR."""
    require_reviewer(request.user)
    form = AuditExportForm(request.GET or None)
    if not request.GET or not form.is_valid():
        today = timezone.localdate()
        if not request.GET:
            form = AuditExportForm(initial={"start": today - datetime.timedelta(days=30), "end": today})
        return render(request, "accounts/audit_export.html", {"form": form})
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(form.cleaned_data["start"], datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(form.cleaned_data["end"], datetime.time.max, tzinfo=tz)
    events = AuditEvent.objects.filter(at__range=(start, end)).select_related("user").order_by("at", "pk")
    audit.record(request.user, AuditAction.EXPORT, section="audit_log",
                 fields=[form.cleaned_data["start"].isoformat(), form.cleaned_data["end"].isoformat()])
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["time", "user", "role", "person_id", "action", "section", "fields", "reason", "channel", "flagged"])
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow([
                timezone.localtime(e.at).isoformat(timespec="seconds"),
                e.user.username if e.user else "",
                e.user.role if e.user else "",
                e.person_id or "",
                e.action,
                e.section,
                ";".join(e.fields),
                e.reason,
                e.channel,
                int(e.flagged),
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="traedesten-audit.csv"'
    return response


@login_required
def flagged_accesses(request):
    require_reviewer(request.user)
    pending = OutsideAccess.objects.filter(reviewed_at__isnull=True).select_related("user", "person").order_by("-created_at")[:200]
    return render(request, "accounts/flagged.html", {"pending": pending})


@login_required
@require_POST
def review_access(request, access_id: int):
    require_reviewer(request.user)
    with transaction.atomic():
        grant = get_object_or_404(OutsideAccess.objects.select_for_update(), pk=access_id)
        if grant.reviewed_at is None:
            grant.reviewed_by = request.user
            grant.reviewed_at = timezone.now()
            grant.save(update_fields=["reviewed_by", "reviewed_at"])
    messages.success(request, _("Opslaget er markeret som gennemset."))
    return redirect("accounts:flagged")


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode fra din app"), max_length=8,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "autofocus": True}))


def _safe_next(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


@login_required
def otp_verify(request):
    """The second step of the login: the six digits from the authenticator app."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        device = next((d for d in TOTPDevice.objects.filter(user=request.user, confirmed=True) if d.verify_token(code)),
                      None)
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", _("Koden passer ikke. Prøv den nyeste kode fra appen."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request):
    """Connect an authenticator app: required for administrators, a choice for everyone else."""
    from django_otp import login as otp_login

    from .two_factor import secret_for_display, setup_device

    device = setup_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Tofaktorlogin er slået til. Næste gang beder vi om en kode fra appen."))
            return redirect(_safe_next(request))
        form.add_error("code", _("Koden passer ikke. Tjek at telefonens ur går rigtigt, og prøv igen."))
    return render(request, "accounts/otp_setup.html", {"form": form, "secret": secret_for_display(device),
                                                       "url": device.config_url})


@login_required
def subject_access(request, person_id: int):
    """The citizen's right of access: everything about them as one JSON file, for the manager to hand over."""
    from django.http import HttpResponse

    from traedesten.people.gdpr import subject_access_json

    if request.user.role != "manager":
        raise PermissionDenied
    person = get_object_or_404(Person, pk=person_id)
    response = HttpResponse(subject_access_json(person, request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indsigt-{person.pk}.json"'
    return response
