from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import Department
from traedesten.core.forms import DATE_INPUT
from traedesten.people.models import ConsentScope, DataRequest


class ConsentForm(forms.Form):
    """The citizen gives a named department consent to see named parts of their record."""

    recipient = forms.ModelChoiceField(label=_("Hvem må se det?"), queryset=Department.objects.none(),
                                       empty_label=_("Vælg en afdeling"),
                                       error_messages={"required": _("Vælg hvem der må se dine oplysninger.")})
    scope = forms.MultipleChoiceField(label=_("Hvad må de se?"), choices=ConsentScope.choices,
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Vælg mindst én del af dine oplysninger.")})
    purpose = forms.CharField(label=_("Hvad skal de bruge det til?"), max_length=300,
                              help_text=_("Fx: så jobcentret kender mine mål, når vi holder møde."),
                              error_messages={"required": _("Skriv hvad de skal bruge det til.")})
    expires_on = forms.DateField(label=_("Gælder til og med (kan udelades)"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Department.objects.filter(owns_plans=False).order_by("name")

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Datoen er allerede gået."))
        return value


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=DataRequest.Kind.choices, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Hvad er forkert, og hvad er det rigtige?"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
