"""The on-call service (vagttelefon, døgnvagt): who is on call now, finding a caller's crisis sheet, reading it after a
stated reason (flagged for review) and registering the contact. Decision 0048."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _, gettext_lazy

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.core.forms import DATE_INPUT
from traedesten.courses.models import Activity, Channel
from traedesten.gate import Action, NeedsReason, Section, Tool, clearance, may_use, record_read
from traedesten.gate.web import uses
from traedesten.people.cpr import parse_cpr
from traedesten.people.models import Person
from traedesten.usecases import courses as course_cases, staff as staff_cases

from . import services
from .content import PlanContent
from .models import Plan

ON_CALL_CHANNELS = [(c, label) for c, label in Channel.choices if c in ("phone", "sms", "video", "home", "office")]


class LookupForm(forms.Form):
    cpr = forms.CharField(label=gettext_lazy("CPR-nummer"), required=False, max_length=11)
    phone = forms.CharField(label=gettext_lazy("Telefonnummer"), required=False, max_length=20)

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        return parse_cpr(value).digits if value else ""

    def clean_phone(self):
        return "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit())

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("cpr") or data.get("phone")):
            raise ValidationError(_("Skriv borgerens CPR-nummer eller telefonnummer."))
        return data


class ContactForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Dato"), widget=DATE_INPUT)
    channel = forms.ChoiceField(label=gettext_lazy("Kanal"), choices=ON_CALL_CHANNELS, initial="phone")
    topic = forms.CharField(label=gettext_lazy("Kort om kontakten"), required=False, max_length=100)


def _lookup(request: AuthedRequest, form: LookupForm) -> list[Person]:
    """Exact matches only, never a list to browse: the citizens with this CPR or phone number who have a crisis sheet
    the user may open (now, or after a stated reason). Nothing about a citizen without one."""
    data = form.cleaned_data
    persons = Person.objects.filter(merged_into__isnull=True)
    persons = persons.filter(cpr=data["cpr"]) if data["cpr"] else persons.filter(phone__endswith=data["phone"][-8:])
    found = []
    for person in persons[:5]:
        c = clearance(request.user, person)
        if Section.COPING in c.readable or Section.COPING in c.by_reason:
            found.append(person)
    if found:
        audit.record(request.user, AuditAction.SEARCH, persons=found, section="on_call_lookup")
    return found


@uses(Tool.ON_CALL, Tool.ON_CALL_ROSTER)
def home(request: AuthedRequest):
    """Who is on call now, and the look-up of a caller's crisis sheet."""
    now = timezone.now()
    form = LookupForm(request.GET if request.GET else None)
    found = _lookup(request, form) if may_use(request.user, Tool.ON_CALL) and form.is_bound and form.is_valid() else None
    return render(request, "plans/on_call.html", {
        "now": now, "shifts": staff_cases.on_call_now(request.user, at=now), "form": form, "found": found,
        "may_look_up": may_use(request.user, Tool.ON_CALL),
        "may_edit_roster": may_use(request.user, Tool.ON_CALL_ROSTER)})


def _reason_url(request: AuthedRequest, person_id: int) -> str:
    return reverse("accounts:outside_access", args=[person_id]) + "?" + urlencode({"next": request.path})


@login_required
def crisis_sheet(request: AuthedRequest, person_id: int):
    """The crisis sheet with the name, age, address and phone that identify the caller, the on-call contacts, and a
    small form to register this one. Opened through the gate: the on-call service only after a stated reason."""
    person = get_object_or_404(Person, pk=person_id, merged_into__isnull=True)
    try:
        c = clearance(request.user, person).require(Section.IDENTITY, Section.COPING)
    except NeedsReason:
        return redirect(_reason_url(request, person.pk))
    form = ContactForm(request.POST or None, initial={"on": timezone.localdate(), "channel": "phone"})
    may_register = c.can(Section.ON_CALL, Action.WRITE)
    if request.method == "POST":
        c.require(Section.ON_CALL, action=Action.WRITE)
        if form.is_valid():
            d = form.cleaned_data
            try:
                course_cases.record_on_call_contact(c, on=d["on"], channel=d["channel"], topic=d["topic"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Vagtkontakten er registreret."))
                return redirect("oncall:crisis_sheet", person_id=person.pk)
    plan = Plan.objects.select_related("coordinator").filter(person=person).first()
    content = services.current_content(plan) or PlanContent()
    contacts = (list(Activity.objects.filter(person=person, kind=Activity.Kind.ON_CALL_CONTACT, course__isnull=True)
                     .select_related("registered_by")[:20]) if Section.ON_CALL in c.readable else [])
    record_read(c, "crisis_sheet", [Section.IDENTITY, Section.COPING, *c.shown(Section.ON_CALL)])
    return render(request, "plans/crisis_sheet.html", {
        "person": person, "age": person.age(), "plan": plan, "crisis": content.crisis, "coping": content.coping,
        "contacts": contacts, "form": form if may_register else None, "flagged": c.flagged, "reason": c.reason,
        "today": timezone.localdate(), "max_date": timezone.localdate() + datetime.timedelta(days=1)})
