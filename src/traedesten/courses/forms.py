from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import User
from traedesten.core import disclosure
from traedesten.core.forms import DATE_INPUT
from traedesten.gate import Relation, Section
from traedesten.gate.rules import roles_with_relation, roles_writing
from traedesten.people.models import NetworkPerson

from .kinds import kinds_where
from .models import Activity, AssessmentOutcome, Channel, Course, Destination, GroupRun, HoursPackage, Offer

HOURS = forms.NumberInput(attrs={"step": "0.25", "min": "0", "max": "24", "inputmode": "decimal"})


class StartCourseForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Tilbud"), queryset=Offer.objects.filter(active=True, kind__in=kinds_where("started_alone")),
                                   empty_label=None)
    start = forms.DateField(label=_("Start (borgerens ja)"), initial=timezone.localdate, widget=DATE_INPUT)
    hours_package = forms.ChoiceField(label=_("Timepakke (bostøtte)"), required=False,
                                      choices=[("", "—"), *HoursPackage.choices])

    def clean(self):
        data = super().clean()
        offer = data.get("offer")
        if offer and offer.meaning.hours_package and not data.get("hours_package"):
            self.add_error("hours_package", _("Vælg bostøttens timepakke."))
        return data


class CloseCourseForm(forms.Form):
    closed_on = forms.DateField(label=_("Afsluttet"), initial=timezone.localdate, widget=DATE_INPUT)
    destination = forms.ChoiceField(label=_("Borgeren går videre til"), choices=[("", "—")] + [
        (k, label) for k, label in Destination.choices if k != Destination.GROUP_ENDED],
                                    error_messages={"required": _("Vælg hvor borgeren går videre til, før forløbet afsluttes.")})
    kickoff_on = forms.DateField(label=_("Kick off-møde med frivilligkoordinator"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("Bemærkning"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EndingForm(forms.Form):
    """The ending record, written in the closing step (decision 0052). Required where the offer's kind asks for it; the
    use case says so, so the page and the API refuse the same closings."""

    what_helped = forms.CharField(label=_("Hvad hjalp? (med borgerens egne ord)"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    coping_plan_checked = forms.BooleanField(label=_("Mestringsplanen er gennemgået med borgeren"), required=False)
    coping_plan_checked_on = forms.DateField(label=_("Gennemgået den"), required=False, widget=DATE_INPUT,
                                             help_text=_("Tom = afslutningsdatoen."))
    community = forms.CharField(label=_("Fællesskaber borgeren fortsætter i (ét pr. linje)"), max_length=1000,
                                required=False, widget=forms.Textarea(attrs={"rows": 2}))
    call_name = forms.CharField(label=_("Hvem kan borgeren ringe til?"), max_length=200, required=False)
    call_phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    after_care_on = forms.DateField(label=_("Efterværnsbesøg"), required=False, widget=DATE_INPUT,
                                    help_text=_("Tom = 3 måneder efter afslutningen."))
    klip = forms.IntegerField(label=_("Klip på klippekortet (samtaler efter behov)"), min_value=0, max_value=10,
                              initial=3, required=False, help_text=_("Tom = 3."))

    def ending(self) -> dict:
        return dict(self.cleaned_data)


ACTIVITY_KINDS = [(kind, label) for kind, label in Activity.Kind.choices if kind not in ("guide_conversation", "group_session")]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.get_role_display()})"


class ActivityForm(forms.Form):
    """One activity with a citizen. Defaults fit the common case so the worker mostly just saves."""

    kind = forms.ChoiceField(label=_("Aktivitet"), choices=ACTIVITY_KINDS)
    course = forms.ModelChoiceField(label=_("Forløb"), queryset=Course.objects.none(), required=False,
                                    empty_label=_("Intet forløb"))
    on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)
    attendance = forms.ChoiceField(label=_("Fremmøde"), choices=Activity.Attendance.choices,
                                   initial=Activity.Attendance.ATTENDED, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Hvor eller hvordan"), choices=Channel.choices, initial=Channel.OFFICE)
    delivered_hours = forms.DecimalField(label=_("Leverede timer til borgeren"), min_value=Decimal(0), max_value=Decimal(24),
                                         decimal_places=2, initial=Decimal(1), widget=HOURS)
    my_hours = forms.DecimalField(label=_("Min tid (timer)"), min_value=Decimal(0), max_value=Decimal(24), decimal_places=2,
                                  required=False, widget=HOURS, help_text=_("Tom = samme som leverede timer."))
    colleague = StaffChoiceField(label=_("Kollega med på opgaven"), queryset=User.objects.none(), required=False,
                                 empty_label="—")
    topic = forms.CharField(label=_("Emne (valgfrit)"), max_length=100, required=False)
    outcome = forms.ChoiceField(label=_("Vurdering efter hjemmebesøg"), choices=[("", "—"), *AssessmentOutcome.choices],
                                required=False)
    relative = forms.ModelChoiceField(label=_("Pårørende (ved pårørenderådgivning og fællessamtale)"),
                                      queryset=NetworkPerson.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, person, user, relatives=None, **kwargs):
        """`relatives`: the citizen's network, where the user may see it; otherwise no relative can be chosen."""
        super().__init__(*args, **kwargs)
        if relatives is None:
            del self.fields["relative"]
        else:
            self.fields["relative"].queryset = relatives
        # Active courses first; a closed one stays open for an activity registered late, within its dates.
        self.fields["course"].queryset = (Course.objects.filter(person=person).select_related("offer")
                                          .order_by("status", "-start"))
        self.fields["colleague"].queryset = User.objects.filter(is_active=True, role__in=roles_writing(
            Section.COURSES)).exclude(pk=user.pk).order_by("first_name", "username")



class GroupForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Tilbud"), queryset=Offer.objects.filter(active=True, kind__in=kinds_where("in_groups")),
                                   empty_label=None)
    theme = forms.CharField(label=_("Tema"), max_length=200)
    start = forms.DateField(label=_("Første gang"), initial=timezone.localdate, widget=DATE_INPUT)
    planned_sessions = forms.IntegerField(label=_("Planlagte gange"), min_value=1, max_value=52, initial=8)
    session_hours = forms.DecimalField(label=_("Timer pr. gang"), min_value=Decimal("0.25"), max_value=Decimal(8),
                                       initial=Decimal(2), widget=HOURS)
    capacity = forms.IntegerField(label=_("Pladser"), min_value=1, max_value=50, initial=8)
    location = forms.CharField(label=_("Sted"), max_length=200, required=False)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitatorer (medarbejdere, peers og frivillige)"), queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Vælg mindst én facilitator.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = User.objects.filter(
            is_active=True, role__in=roles_with_relation(Relation.GROUP_FACILITATOR)).order_by("first_name", "username")


class EnrolForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Hold"), queryset=GroupRun.objects.none(), empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["group"].queryset = GroupRun.objects.filter(
            start__gte=today - timezone.timedelta(weeks=8)).select_related("offer").order_by("start")


class SessionForm(forms.Form):
    on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)
    hours = forms.DecimalField(label=_("Varighed (timer)"), min_value=Decimal("0.25"), max_value=Decimal(8), widget=HOURS)


class GroupEndForm(forms.Form):
    on = forms.DateField(label=_("Sidste dag"), widget=DATE_INPUT)


class StepDownForm(forms.Form):
    on = forms.DateField(label=_("Dato"), widget=DATE_INPUT)
    to_package = forms.ChoiceField(label=_("Ny timepakke"), choices=HoursPackage.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class HoursForm(forms.Form):
    fra = forms.DateField(label=_("Fra"), required=False, widget=DATE_INPUT)
    til = forms.DateField(label=_("Til"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = disclosure.default_period(timezone.localdate())
        data["fra"], data["til"] = disclosure.reporting_period(data.get("fra") or start, data.get("til") or end,
                                                               timezone.localdate())
        return data


class WorkItemAsked(forms.Form):
    """Which worklist item the two forms are for (from the worklist's link)."""
    kind = forms.CharField(max_length=20)
    due = forms.DateField()


class WorkItemForm(WorkItemAsked):
    until = forms.DateField(label=_("Udsæt til"), required=False, widget=DATE_INPUT)
    reason = forms.CharField(label=_("Begrundelse"), max_length=300, required=False)
    colleague = forms.ModelChoiceField(label=_("Giv til"), queryset=User.objects.none(), required=False,
                                       empty_label="—")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = User.objects.filter(is_active=True, role__in=roles_writing(
            Section.COURSES)).exclude(pk=user.pk)

    def clean(self):
        data = super().clean()
        if not data.get("colleague") and not data.get("until"):
            raise forms.ValidationError(_("Vælg en dato at udsætte til, eller en kollega at give opgaven til."))
        return data


class ExtensionForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Forlæng med"), coerce=int)
    reason = forms.CharField(label=_("Begrundelse"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = offer.extension_min_months or 1, offer.extension_max_months or 12
        self.fields["months"].choices = [(m, _("%(n)s måneder") % {"n": m}) for m in range(low, high + 1)]


class MoveToGroupForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Gruppeforløb"), queryset=GroupRun.objects.none(), empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (GroupRun.objects.filter(ended_on__isnull=True).select_related("offer")
                                         .order_by("start"))


class StatusNoteForm(forms.Form):
    on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)
    text = forms.CharField(label=_("Statusnotat"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
