from django import forms
from django.utils.translation import gettext_lazy as _

from traedesten.core.forms import DATE_INPUT, declared
from traedesten.people.models import Household

from .models import ExemptionKind, Pause


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Årsag"), choices=Pause.Reason.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("Fra"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Til og med"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Bemærkning"), max_length=300, required=False,
                           help_text=_("Kort og uden helbredsoplysninger; den står på planen."))


class ExemptionForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Fritagelse"), queryset=ExemptionKind.objects.none(), widget=forms.RadioSelect,
                                  empty_label=None)
    family = forms.ModelChoiceField(label=_("Gælder"), queryset=Household.objects.none(), required=False,
                                    empty_label=_("Kun borgeren"),
                                    help_text=_("For en familie gælder fritagelsen hvert nuværende medlem."))
    legal_basis = forms.CharField(label=_("Lovgrundlag"), max_length=200,
                                  help_text=_("Fx Lov om frikommunenetværk, LBK 831/2018."))
    starts_on = forms.DateField(label=_("Fra"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Til og med"), widget=DATE_INPUT, required=False,
                              help_text=_("Tom: indtil videre."))
    decided_on = forms.DateField(label=_("Besluttet"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Bemærkning"), max_length=300, required=False)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        declared(self, "kind", forms.ModelChoiceField).queryset = ExemptionKind.objects.all()
        declared(self, "family", forms.ModelChoiceField).queryset = Household.objects.filter(
            pk__in=[h.pk for h in households])
