import csv
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.middleware import is_verified as otp_is_verified
from django_otp.plugins.otp_totp.models import TOTPDevice

from traedesten.accounts.http import AuthedRequest
from traedesten.core.forms import declared
from traedesten.core.spreadsheet import safe_row
from traedesten.gate import (
    Section,
    Tool,
    clearance,
    grant_outside_access,
    persons_reached,
    record_read,
    sensitive,
    tools_of,
    use_sensitive,
)
from traedesten.gate.rules import roles_reaching_citizens
from traedesten.gate.vocabulary import SECTION_LABELS
from traedesten.gate.web import citizen, uses
from traedesten.people.gdpr import subject_access_json
from traedesten.people.models import Person
from traedesten.usecases import plans as plan_cases

from . import api_auth, audit, recusals as recusals_service
from .models import ApiToken, AuditAction, AuditEvent, OutsideAccess, Recusal, User
from .roles import SECOND_FACTOR_REQUIRED
from .two_factor import secret_for_display, setup_device


@login_required
@require_GET
def home(request: AuthedRequest):
    """The start page: the user's own citizens, the tools of the role, nothing else."""
    tools = tools_of(request.user)
    context = {"caseload_count": persons_reached(request.user).count()} if Tool.CITIZEN_SEARCH in tools else {}
    context["citizen_notes"] = plan_cases.notes_for_coordinator(request.user)
    return render(request, "core/home.html", context)


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
def outside_access(request: AuthedRequest, person_id: int):
    """The reason form: it opens a citizen outside the user's relations for a few hours, flagged for review."""
    person = get_object_or_404(Person, pk=person_id)
    c = clearance(request.user, person)
    wanted = request.GET.get("next", "")
    back = wanted if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                                require_https=request.is_secure()) else None
    if Section.IDENTITY in c.readable:
        return redirect(back or reverse("people:overview", args=[person.pk]))
    if not c.by_reason:
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        grant_outside_access(request.user, person, form.cleaned_data["reason"])
        return redirect(back or reverse("people:overview", args=[person.pk]))
    return render(request, "accounts/outside_access.html", {"form": form, "person_id": person.pk,
                                                            "opens": sorted(str(SECTION_LABELS[s]) for s in c.by_reason)})


def _sensitive(request: AuthedRequest, person_id: int, section: Section):
    """The access log and the subject-access export: the data-protection officer by office, a manager with a stated
    reason; either way the use is flagged for someone else to review. Returns (person, form, used)."""
    person = get_object_or_404(Person, pk=person_id)
    state = sensitive(request.user, person, section)
    if state == "denied":
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if state == "allowed":
        reason = declared(form, "reason", forms.CharField)
        reason.required = False
        reason.min_length = None
        reason.validators = []
    if request.method == "POST" and form.is_valid():
        use_sensitive(request.user, person, section, form.cleaned_data["reason"])
        return person, form, True
    return person, form, False


@login_required
def person_audit(request: AuthedRequest, person_id: int):
    """Who has looked at this citizen."""
    person, form, used = _sensitive(request, person_id, Section.ACCESS_LOG)
    if not used:
        return render(request, "accounts/sensitive_reason.html", {"form": form, "person_id": person.pk,
                                                                   "title": _("Hvem har set borgeren")})
    events = AuditEvent.objects.filter(person_id=person.pk).select_related("user")[:500]
    return render(request, "accounts/person_audit.html", {
        "person": person, "events": events,
        "may_export": sensitive(request.user, person, Section.SUBJECT_ACCESS) != "denied"})


@login_required
def subject_access(request: AuthedRequest, person_id: int):
    """The citizen's right of access: everything about them as one JSON file, to be handed over."""
    person, form, used = _sensitive(request, person_id, Section.SUBJECT_ACCESS)
    if not used:
        return render(request, "accounts/sensitive_reason.html", {"form": form, "person_id": person.pk,
                                                                   "title": _("Indsigt i alt om borgeren")})
    response = HttpResponse(subject_access_json(person, request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indsigt-{person.pk}.json"'
    return response


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


@uses(Tool.AUDIT_EXPORT)
@require_GET
def audit_export(request: AuthedRequest):
    """CSV of the audit log for the data-protection officer; person ids, never CPR."""
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
            yield writer.writerow(safe_row([
                timezone.localtime(e.at).isoformat(timespec="seconds"),
                e.user.username if e.user else "",
                e.user.role if e.user else ("citizen" if e.by_citizen else ""),
                e.person_id or "",
                e.action,
                e.section,
                ";".join(e.fields),
                e.reason,
                e.channel,
                int(e.flagged),
            ]))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="traedesten-audit.csv"'
    return response


@uses(Tool.ACCESS_REVIEW)
@require_GET
def flagged_accesses(request: AuthedRequest):
    """Flagged look-ups waiting for review; nobody reviews their own."""
    pending = (OutsideAccess.objects.filter(reviewed_at__isnull=True).select_related("user")
               .order_by("-created_at")[:200])
    return render(request, "accounts/flagged.html", {"pending": pending})


@uses(Tool.ACCESS_REVIEW)
@require_POST
def review_access(request: AuthedRequest, access_id: int):
    with transaction.atomic():
        grant = get_object_or_404(OutsideAccess.objects.select_for_update(), pk=access_id)
        if grant.user_id == request.user.pk:
            messages.error(request, _("Du kan ikke gennemse dine egne opslag. En anden leder eller "
                                      "databeskyttelsesrådgiveren gør det."))
            return redirect("accounts:flagged")
        if grant.reviewed_at is None:
            grant.reviewed_by = request.user
            grant.reviewed_at = timezone.now()
            grant.save(update_fields=["reviewed_by", "reviewed_at"])
    messages.success(request, _("Opslaget er markeret som gennemset."))
    return redirect("accounts:flagged")


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0


class RecusalForm(forms.Form):
    worker = forms.ModelChoiceField(label=gettext_lazy("Medarbejder"), queryset=User.objects.none())
    reason = forms.CharField(label=gettext_lazy("Begrundelse"), min_length=5, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(is_active=True, role__in=roles_reaching_citizens()).order_by(
            "first_name", "last_name")


@uses(Tool.RECUSALS)
def recusals(request: AuthedRequest, person_id: int):
    """Conflicts of interest: the named worker may not open, see or be suggested for this citizen."""
    c = citizen(request, person_id, Section.IDENTITY)
    form = RecusalForm(request.POST if request.method == "POST" and "add" in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        removed = Recusal.objects.filter(person=c.person, pk=_int(request.POST.get("remove"))).first()
        if removed:
            recusals_service.lift(request.user, removed)
            messages.success(request, _("Inhabiliteten er ophævet."))
        return redirect("accounts:recusals", person_id=c.person.pk)
    if form.is_bound and form.is_valid():
        try:
            recusals_service.recuse(request.user, form.cleaned_data["worker"], c.person, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Inhabiliteten er registreret."))
            return redirect("accounts:recusals", person_id=c.person.pk)
    record_read(c, "recusal", [Section.IDENTITY])
    return render(request, "accounts/recusals.html", {
        "person": c.person, "form": form, "recusals": Recusal.objects.filter(person=c.person).select_related("user")})


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode fra din app"), max_length=8,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "autofocus": True}))


def _safe_next(request) -> str:
    target = request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


@login_required
def otp_verify(request: AuthedRequest):
    """The second step of the login: the six digits from the authenticator app."""
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
def otp_setup(request: AuthedRequest):
    """Connect an authenticator app: required for administrators, a choice for everyone else."""
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
                                                       "url": device.config_url,
                                                       "required": request.user.role in SECOND_FACTOR_REQUIRED})


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Navn"), max_length=100,
                           help_text=gettext_lazy("Hvad tokenet bruges til, fx »Registrering fra tablet«."))
    days = forms.IntegerField(label=gettext_lazy("Gælder i dage"), min_value=1, max_value=api_auth.MAX_DAYS,
                              initial=api_auth.DEFAULT_DAYS)


@login_required
def tokens(request: AuthedRequest):
    """The user's own API tokens: make one (shown once), see when each was last used, revoke one."""
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_auth.issue_token(request.user, form.cleaned_data["name"], days=form.cleaned_data["days"],
                                          verified=otp_is_verified(request.user))
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"form": form, "issued": issued, "rows": rows,
                                                    "now": timezone.now()})


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    api_auth.revoke(request.user, token)
    messages.success(request, _("Tokenet »%(name)s« er tilbagekaldt og virker ikke længere.") % {"name": token.name})
    return redirect("accounts:tokens")
