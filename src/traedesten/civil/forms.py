from django import forms
from django.utils.translation import gettext_lazy as _

from traedesten.core.forms import DATE_INPUT

from .models import INTERESTS, SLOTS, LocalOffer, Volunteer


class InterestsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=INTERESTS, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)


class SlotsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=SLOTS, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)


class LocalOfferForm(forms.ModelForm):
    interests = InterestsField(label=_("Interesser"))
    slots = SlotsField(label=_("Tidspunkter"))

    class Meta:
        model = LocalOffer
        fields = ["name", "kind", "organiser", "schedule", "slots", "place", "postal_code", "contact", "target_group",
                  "interests", "free_seats", "active"]


class VolunteerForm(forms.ModelForm):
    interests = InterestsField(label=_("Interesser"))
    slots = SlotsField(label=_("Kan typisk (tidspunkter)"))

    class Meta:
        model = Volunteer
        fields = ["name", "phone", "interests", "skills", "slots", "availability", "postal_code", "status", "agreement_on",
                  "record_check_required", "record_check_on"]
        widgets = {"agreement_on": DATE_INPUT, "record_check_on": DATE_INPUT}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV-fil"), help_text=_("Se formatet i docs/import.md. Højst 1 MB."))


class SuggestForm(forms.Form):
    interests = InterestsField(label=_("Hvad er borgeren interesseret i"))
    slots = SlotsField(label=_("Hvornår kan borgeren"))
    postal_code = forms.CharField(label=_("Område (postnummer)"), max_length=4, required=False)


class MatchForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Tilbud"), queryset=LocalOffer.objects.filter(active=True), required=False,
                                   empty_label="—")
    volunteer = forms.ModelChoiceField(label=_("Frivillig der følger borgeren første gang"), required=False,
                                       queryset=Volunteer.objects.filter(status=Volunteer.Status.ACTIVE), empty_label="—")
    meet_at = forms.DateTimeField(label=_("Mødes"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    meet_place = forms.CharField(label=_("Mødested"), max_length=200, required=False)
    task = forms.CharField(label=_("Opgave for den frivillige"), max_length=300, required=False)


class FollowUpForm(forms.Form):
    arrived = forms.TypedChoiceField(label=_("Kom borgeren?"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     choices=[("yes", _("Ja")), ("no", _("Nej"))])
    stayed = forms.TypedChoiceField(label=_("Blev borgeren ved?"), coerce=lambda v: {"yes": True, "no": False}.get(v),
                                    required=False, widget=forms.RadioSelect,
                                    choices=[("yes", _("Ja")), ("no", _("Nej")), ("", _("Ved ikke endnu"))])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
