import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import Team
from traedesten.core import disclosure
from traedesten.core.forms import DATE_INPUT
from traedesten.courses.models import LegalBasis, Offer
from traedesten.people.models import Sex

from .scope import AGE_GROUP_CHOICES, Scope

MAX_YEARS = 20


class ReportForm(forms.Form):
    fra = forms.DateField(label=_("Fra"), widget=DATE_INPUT)
    til = forms.DateField(label=_("Til"), widget=DATE_INPUT)
    tilbud = forms.ModelChoiceField(label=_("Tilbud"), queryset=Offer.objects.all(), required=False, empty_label=_("Alle tilbud"))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("Alle teams"))
    lovgrundlag = forms.ModelChoiceField(label=_("Lovgrundlag"), queryset=LegalBasis.objects.all(), required=False,
                                         empty_label=_("Alle lovgrundlag"))
    alder = forms.ChoiceField(label=_("Aldersgruppe"), choices=AGE_GROUP_CHOICES, required=False)
    koen = forms.ChoiceField(label=_("Køn"), choices=[("", _("Alle"))] + list(Sex.choices), required=False)

    @classmethod
    def for_request(cls, query) -> "ReportForm":
        data = query.copy() if query else {}
        if not data.get("fra") and not data.get("til"):
            start, end = disclosure.default_period(timezone.localdate())
            data = {**dict(data.items()), "fra": start.isoformat(), "til": end.isoformat()}
        return cls(data)

    def clean(self):
        data = super().clean()
        start, end = data.get("fra"), data.get("til")
        if start and end:
            try:
                data["fra"], data["til"] = disclosure.reporting_period(start, end, timezone.localdate())
            except ValidationError as exc:
                self.add_error("til", exc)
            else:
                if data["til"] - data["fra"] > datetime.timedelta(days=366 * MAX_YEARS):
                    self.add_error("til", _("Vælg en periode på højst %(n)s år.") % {"n": MAX_YEARS})
        return data

    def scope(self) -> Scope:
        d = self.cleaned_data
        return Scope(d["fra"], d["til"], offer_id=d["tilbud"].pk if d.get("tilbud") else None,
                     team_id=d["team"].pk if d.get("team") else None,
                     legal_basis_id=d["lovgrundlag"].pk if d.get("lovgrundlag") else None,
                     age_group=d.get("alder") or "", sex=d.get("koen") or "")
