from django import forms
from django.utils.translation import gettext_lazy as _

from traedesten.core.forms import DATE_INPUT

from .models import Pause


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Årsag"), choices=Pause.Reason.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("Fra"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Til og med"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Bemærkning"), max_length=300, required=False,
                           help_text=_("Kort og uden helbredsoplysninger; den står på planen."))
