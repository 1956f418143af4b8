"""Pages for case-level progression (at a follow-up or a closing) and the complaints register (decision 0061)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from traedesten.accounts.http import AuthedRequest
from traedesten.core.forms import DATE_INPUT
from traedesten.courses.models import Course
from traedesten.gate import Action, NeedsReason, Section, clearance, record_read
from traedesten.gate.web import citizen
from traedesten.people.models import Cluster, HouseholdMember, Person
from traedesten.usecases import outcomes as cases

from .models import CaseProgression, Complaint, FollowUp, Grant, ProgressionCategory
from .outcomes import COMPLAINT_ANSWER_WEEKS, family_members


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else 0


class ComplaintForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Modtaget"), widget=DATE_INPUT)
    channel = forms.ChoiceField(label=gettext_lazy("Kanal"), choices=Complaint.Channel.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=gettext_lazy("Klagen gælder"), choices=Complaint.Kind.choices, widget=forms.RadioSelect)
    grant = forms.ModelChoiceField(label=gettext_lazy("Afgørelsen der klages over"), queryset=Grant.objects.none(),
                                   required=False, empty_label=gettext_lazy("Ingen bevilling / anden afgørelse"))
    other_decision = forms.CharField(label=gettext_lazy("Anden afgørelse (kort)"), max_length=200, required=False)
    summary = forms.CharField(label=gettext_lazy("Hvad klagen handler om"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    related_to_experiment = forms.BooleanField(label=gettext_lazy("Vedrører forsøget (Én plan)"), required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["grant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Grant.objects.filter(person=person).order_by("-decided_on")


class OutcomeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=gettext_lazy("Udfald"), choices=Complaint.Outcome.choices, widget=forms.RadioSelect)
    outcome_on = forms.DateField(label=gettext_lazy("Dato"), widget=DATE_INPUT)
    note = forms.CharField(label=gettext_lazy("Bemærkning"), max_length=500, required=False)


@login_required
def complaints(request: AuthedRequest, person_id: int):
    """The citizen's complaints: register one, see the deadline and the outcome."""
    c = citizen(request, person_id, Section.AUTHORITY)
    person = c.person
    form = ComplaintForm(request.POST if request.method == "POST" else None, person=person,
                         initial={"received_on": timezone.localdate()})
    if request.method == "POST":
        c.require(Section.AUTHORITY, action=Action.WRITE)
        if form.is_valid():
            try:
                complaint = cases.register_complaint(c, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Klagen er registreret med svarfrist %(due)s.") % {
                    "due": complaint.due_on.strftime("%d.%m.%Y")})
                return redirect("authority:complaints", person_id=person.pk)
    record_read(c, "complaints", [Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/complaints.html", {
        "person": person, "form": form, "may_write": Section.AUTHORITY in c.writable, "weeks": COMPLAINT_ANSWER_WEEKS,
        "today": timezone.localdate(),
        "complaints": Complaint.objects.filter(person=person).select_related("grant", "responsible").order_by("-received_on", "-pk")})


@login_required
def complaint(request: AuthedRequest, complaint_id: int):
    complaint = get_object_or_404(Complaint.objects.select_related("person", "grant", "responsible"), pk=complaint_id)
    c = citizen(request, complaint.person_id, Section.AUTHORITY)
    post = request.POST if request.method == "POST" else None
    form = OutcomeForm(post, initial={"version": complaint.version, "outcome_on": timezone.localdate()})
    if post is not None:
        c.require(Section.AUTHORITY, action=Action.WRITE)
        if form.is_valid():
            d = form.cleaned_data
            try:
                cases.record_complaint_outcome(c, complaint, version=d["version"], outcome=d["outcome"],
                                               outcome_on=d["outcome_on"], note=d["note"])
            except ValidationError as exc:  # a VersionConflict is one too
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Klagens udfald er registreret."))
                return redirect("authority:complaints", person_id=complaint.person_id)
    record_read(c, "complaint", [Section.IDENTITY, Section.AUTHORITY])
    return render(request, "authority/complaint.html", {
        "complaint": complaint, "person": c.person, "form": form, "today": timezone.localdate(),
        "may_write": Section.AUTHORITY in c.writable and not complaint.outcome})


def _occasion(person: Person, follow_up_id: int | None, course_id: int | None):
    if follow_up_id is not None:
        follow_up = get_object_or_404(FollowUp.objects.select_related("grant"), pk=follow_up_id, grant__person=person)
        return follow_up, None, Section.AUTHORITY, Action.DECIDE, follow_up.held_on
    course = get_object_or_404(Course.objects.select_related("offer"), pk=course_id, person=person)
    return None, course, Section.COURSES, Action.WRITE, course.closed_on or timezone.localdate()


@login_required
def progression_follow_up(request: AuthedRequest, person_id: int, follow_up_id: int):
    return _progression(request, person_id, follow_up_id, None)


@login_required
def progression_closing(request: AuthedRequest, person_id: int, course_id: int):
    return _progression(request, person_id, None, course_id)


def _progression(request: AuthedRequest, person_id: int, follow_up_id: int | None, course_id: int | None):
    """The evaluation's category for the citizen, or for each member of their family, at one follow-up or closing."""
    person = get_object_or_404(Person, pk=person_id)
    follow_up, course, section, action, on = _occasion(person, follow_up_id, course_id)
    c = citizen(request, person_id, section, action=action)
    membership = (HouseholdMember.objects.filter(person=person, household__cluster=Cluster.FAMILY, joined_on__lte=on)
                  .filter(Q(left_on__isnull=True) | Q(left_on__gte=on)).select_related("household").first())
    household = membership.household if membership else None
    members = []
    for member in (family_members(household, on) if household else [person]):
        try:
            mc = c if member.pk == person.pk else clearance(request.user, member).require(section, action=action)
        except (PermissionDenied, NeedsReason):
            mc = None
        members.append((member, mc))
    errors: list[str] = []
    values = {}
    if request.method == "POST":
        entries = []
        for member, mc in members:
            category = request.POST.get(f"category_{member.pk}", "")
            reason = request.POST.get(f"reason_{member.pk}", "")
            values[member.pk] = (category, reason)
            if mc is not None and (category or reason.strip()):
                entries.append((mc, category, reason))
        try:
            if household is not None:
                cases.record_family_progression(c, entries, household=household, on=on, follow_up=follow_up,
                                                course=course)
            elif entries:
                cases.record_progression(entries[0][0], category=entries[0][1], reason=entries[0][2], on=on,
                                         follow_up=follow_up, course=course)
            else:
                raise ValidationError(_("Vælg en kategori og skriv en kort begrundelse."))
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Progressionen er registreret."))
            if follow_up is not None:
                return redirect("authority:grant", grant_id=follow_up.grant_id)
            return redirect("people:overview", person_id=person.pk)
    recorded = {p.person_id: p for p in CaseProgression.objects.filter(
        person__in=[m.pk for m, mc in members if mc is not None], follow_up=follow_up, course=course)}
    rows = [{"person": m, "allowed": mc is not None, "recorded": recorded.get(m.pk),
             "category": values.get(m.pk, ("", ""))[0] or getattr(recorded.get(m.pk), "category", ""),
             "reason": values.get(m.pk, ("", ""))[1] or getattr(recorded.get(m.pk), "reason", "")} for m, mc in members]
    for _member, mc in members:  # one read event per citizen shown; a member not reached is shown without a name
        if mc is not None:
            record_read(mc, "progression", [Section.IDENTITY, section])
    return render(request, "authority/progression.html", {
        "person": person, "follow_up": follow_up, "course": course, "household": household, "rows": rows,
        "on": on, "categories": ProgressionCategory.choices, "errors": errors})
