from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import Team, User
from traedesten.core.forms import DATE_INPUT
from traedesten.courses.kinds import kinds_where
from traedesten.courses.models import Offer
from traedesten.people.models import Consent

from . import ffb
from .handover import TEXT_FIELDS
from .models import AgendaItem, AssessmentRequest, Handover

LEGAL_BASES = ["SEL § 82 a", "SEL § 82 b", "SEL § 82 c", "SEL § 82 d", "SEL § 85", "SEL § 97", "SEL § 103",
               "SEL § 104", "SEL § 107", "SEL § 108"]


def _grouped(concepts) -> list:
    groups: dict[str, list] = {}
    for c in concepts:
        groups.setdefault(c.parent, []).append((c.code, c.display))
    return [("", "—")] + list(groups.items())


class HandoverForm(forms.ModelForm):
    """The hand-over's texts; labels and lengths come from the model."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Handover
        fields = TEXT_FIELDS
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "worked_on": forms.Textarea(attrs={"rows": 4})} | {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("dream", "future_goal", "benefit", "agreements")}
        help_texts = {"reason": _("Skrevet i jeg-form, med borgerens ord.")}


class SendForm(forms.Form):
    """Consent given now, if none is registered, and the rights the citizen was told about."""

    consent_form = forms.ChoiceField(label=_("Samtykke givet nu"), required=False, widget=forms.RadioSelect,
                                     choices=[("", _("Ikke givet"))] + list(Consent.Form.choices))
    given_by = forms.ChoiceField(label=_("Givet af"), widget=forms.RadioSelect, choices=Consent.GivenBy.choices,
                                 initial=Consent.GivenBy.CITIZEN, required=False)
    may_apply = forms.BooleanField(label=_("Borgeren ved, at der kan søges formelt hos myndigheden"),
                                   required=False, initial=True)
    may_return = forms.BooleanField(label=_("Borgeren ved, at hun eller han altid kan komme igen"),
                                    required=False, initial=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Beslutning"), choices=AgendaItem.Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Bemærkning"), required=False, max_length=500)


class CloseConferenceForm(forms.Form):
    attendees: "forms.ModelMultipleChoiceField[User]" = forms.ModelMultipleChoiceField(
        label=_("Deltagere"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False)
    guests = forms.CharField(label=_("Andre deltagere"), required=False, max_length=300)
    minutes = forms.CharField(label=_("Referat"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff


class RightsForm(forms.Form):
    may_apply = forms.BooleanField(label=_("Kan søge myndigheden formelt"), required=False, initial=True)
    may_return = forms.BooleanField(label=_("Kan komme igen senere"), required=False, initial=True)


class RequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Anmodet"), initial=timezone.localdate, widget=DATE_INPUT)
    note = forms.CharField(label=_("Hvad borgeren beder om"), required=False, max_length=500)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Svar"), choices=AssessmentRequest.Answer.choices, widget=forms.RadioSelect)
    answered_on = forms.DateField(label=_("Besvaret"), initial=timezone.localdate, widget=DATE_INPUT)


class GrantForm(forms.Form):
    case_number = forms.CharField(label=_("Sagsnummer"), max_length=40)
    legal_basis = forms.ChoiceField(label=_("Lovgrundlag"), choices=[(b, b) for b in LEGAL_BASES], initial="SEL § 85")
    service_code = forms.ChoiceField(label=_("Ydelse (FFB)"))
    offer_type_code = forms.ChoiceField(label=_("Tilbud (FFB)"))
    target_groups = forms.MultipleChoiceField(label=_("Målgrupper (FFB)"), widget=forms.SelectMultiple(attrs={"size": 6}))
    support_need_code = forms.ChoiceField(label=_("Støttebehov (FFB)"), widget=forms.RadioSelect)
    hours_per_week = forms.DecimalField(label=_("Timer pr. uge"), required=False, min_value=0, max_value=168,
                                        decimal_places=2)
    provider_team = forms.ModelChoiceField(label=_("Leverandør (team)"), required=False, queryset=Team.objects.none(),
                                           empty_label=_("Ikke valgt endnu"),
                                           help_text=_("Teamet, der leverer ydelsen, kan arbejde med borgeren, mens "
                                                       "bevillingen løber."))
    provider_offer = forms.ModelChoiceField(label=_("Leverandørens tilbud"), required=False,
                                            queryset=Offer.objects.none(), empty_label=_("Intet bestemt tilbud"),
                                            help_text=_("Når teamet modtager bestillingen, starter forløbet på tilbuddet."))
    decided_on = forms.DateField(label=_("Afgørelsesdato"), initial=timezone.localdate, widget=DATE_INPUT)
    starts_on = forms.DateField(label=_("Start"), initial=timezone.localdate, widget=DATE_INPUT)
    amount_per_year = forms.DecimalField(label=_("Beløb pr. år (kr.)"), required=False, min_value=0, decimal_places=2,
                                         help_text=_("Udfyldes, når ydelsen bevilges som et beløb."))
    follow_up_on = forms.DateField(label=_("Første opfølgning"), widget=DATE_INPUT, required=False,
                                   help_text=_("Foreslået ud fra opfølgningsrytmen for lovgrundlaget (fx § 85 hver 4. "
                                               "måned). Tom: rytmen bestemmer datoen."))
    appeal_informed = forms.BooleanField(label=_("Borgeren har fået klagevejledning"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_code"].choices = _grouped(ffb.services())
        self.fields["offer_type_code"].choices = _grouped(ffb.offer_types())
        self.fields["target_groups"].choices = _grouped(ffb.target_groups())[1:]
        self.fields["support_need_code"].choices = ffb.choices(ffb.support_needs())
        self.fields["provider_team"].queryset = provider_teams()
        self.fields["provider_offer"].queryset = provider_offers()


def provider_teams():
    return Team.objects.filter(Q(department__owns_plans=True) | Q(department__isnull=True)).order_by("name")


def provider_offers():
    return Offer.objects.filter(active=True, kind__in=kinds_where("started_alone"), front_door=False).order_by("name")


class ProviderForm(forms.Form):
    provider_team = forms.ModelChoiceField(label=_("Leverandør (team)"), queryset=Team.objects.none())
    provider_offer = forms.ModelChoiceField(label=_("Leverandørens tilbud"), required=False,
                                            queryset=Offer.objects.none(), empty_label=_("Intet bestemt tilbud"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_team"].queryset = provider_teams()
        self.fields["provider_offer"].queryset = provider_offers()


class OrderAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Hvorfor afvises bestillingen?"), required=False, max_length=500)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Indsatsmål"), max_length=300, required=False)
    condition_code = forms.ChoiceField(label=_("Primær tilstand (Aktivitet og deltagelse)"), required=False)
    baseline_level = forms.TypedChoiceField(label=_("Funktionsevne nu"), coerce=int, required=False)
    target_level = forms.TypedChoiceField(label=_("Målsat funktionsevne"), coerce=int, required=False)
    goal_type_code = forms.ChoiceField(label=_("Måltype"), required=False)
    expected_level = forms.TypedChoiceField(label=_("Forventet ved første opfølgning"), coerce=int, required=False)
    plan_goal = forms.ChoiceField(label=_("Hører under målet i planen"), required=False)

    def __init__(self, *args, plan_goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_goal"].choices = [("", "—"), *plan_goals]
        self.fields["condition_code"].choices = _grouped(ffb.activity_conditions())
        levels = [("", "—")] + ffb.level_choices()
        for name in ("baseline_level", "target_level", "expected_level"):
            self.fields[name].choices = levels
        self.fields["goal_type_code"].choices = ffb.choices(ffb.goal_types())


GoalFormSet = forms.formset_factory(GoalForm, extra=3, max_num=5, validate_max=True)


class FollowUpForm(forms.Form):
    held_on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)
    status_code = forms.ChoiceField(label=_("Resultat"), widget=forms.RadioSelect)
    next_on = forms.DateField(label=_("Næste opfølgning"), required=False, widget=DATE_INPUT,
                              help_text=_("Foreslået ud fra opfølgningsrytmen for lovgrundlaget."))
    note = forms.CharField(label=_("Bemærkning"), required=False, max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status_code"].choices = ffb.choices(ffb.intervention_statuses())
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"expected_{goal.pk}"] = forms.TypedChoiceField(
                label=_("Forventet funktionsevne ved næste opfølgning: %(goal)s") % {"goal": goal.title},
                choices=[("", "—")] + ffb.level_choices(), coerce=int, required=False)


class ScoreForm(forms.Form):
    on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)
    level = forms.TypedChoiceField(label=_("Funktionsevne nu"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = ffb.level_choices()


class SubGoalForm(forms.Form):
    text = forms.CharField(label=_("Nyt delmål"), max_length=300)


class ApprovalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Begrundelse"), required=False, max_length=500,
                           help_text=_("Skal udfyldes ved afvisning."))
