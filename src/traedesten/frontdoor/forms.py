from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contact, PartnerOrganisation


class ContactForm(forms.Form):
    origin = forms.ChoiceField(label=_("Hvem"), choices=Contact.Origin.choices, initial=Contact.Origin.CITIZEN,
                               widget=forms.Select(attrs={"autofocus": True}))
    channel = forms.ChoiceField(label=_("Hvordan"), choices=Contact.Channel.choices, initial=Contact.Channel.WALK_IN)
    partner = forms.ModelChoiceField(label=_("Samarbejdspartner"), queryset=PartnerOrganisation.objects.filter(active=True),
                                     required=False, empty_label="—")
    reason = forms.CharField(label=_("Årsag (kort)"), max_length=200, required=False)
    outcome = forms.ChoiceField(label=_("Udfald"), choices=[("", _("Sæt i kø (fremmøde)"))] + Contact.Outcome.choices,
                                required=False)

    def clean(self):
        data = super().clean()
        if data.get("origin") == Contact.Origin.PARTNER and not data.get("partner"):
            self.add_error("partner", _("Vælg hvilken samarbejdspartner der henvender sig."))
        if data.get("channel") != Contact.Channel.WALK_IN and not data.get("outcome"):
            self.add_error("outcome", _("Kun fremmødte sættes i kø. Vælg et udfald."))
        return data
