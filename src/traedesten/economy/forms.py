from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import Background, User
from traedesten.core import disclosure
from traedesten.core.forms import DATE_INPUT
from traedesten.courses.models import Offer
from traedesten.gate import Section
from traedesten.gate.rules import roles_writing

from .models import PriceItem, ShadowAssessment


class AssessorField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        experience = (_("myndighedserfaring") if user.background == Background.AUTHORITY
                      else _("uden myndighedserfaring"))
        return f"{user} ({experience})"


class ShadowFields(forms.Form):
    assessed_by = AssessorField(label=_("Vurderet af"), queryset=User.objects.none(), required=False,
                                empty_label=None,
                                help_text=_("Skyggevisitationen laves helst af eller sammen med en kollega med "
                                            "myndighedserfaring."))
    would_have = forms.ModelChoiceField(label=_("Uden indgangen ville borgeren have fået"), required=False,
                                        queryset=PriceItem.objects.filter(active=True), empty_label=_("Intet ordinært tilbud"))
    confidence = forms.ChoiceField(label=_("Hvor sikker er vurderingen"), choices=ShadowAssessment.Confidence.choices,
                                   initial=ShadowAssessment.Confidence.MEDIUM, widget=forms.RadioSelect)


    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role__in=roles_writing(Section.COURSES))
        if user is not None:
            staff = staff | User.objects.filter(pk=user.pk)
            self.fields["assessed_by"].initial = user.pk
        self.fields["assessed_by"].queryset = staff.distinct().order_by("first_name", "username")


class ShadowForm(ShadowFields):
    actually_got = forms.ModelChoiceField(label=_("Borgeren fik efterfølgende"), required=False,
                                          queryset=PriceItem.objects.filter(active=True), empty_label=_("Intet ordinært tilbud"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class BusinessCaseForm(forms.Form):
    fra = forms.DateField(label=_("Fra"), widget=DATE_INPUT)
    til = forms.DateField(label=_("Til"), widget=DATE_INPUT)
    tilbud = forms.ModelChoiceField(label=_("Tilbud"), queryset=Offer.objects.all(), required=False,
                                    empty_label=_("Indgangens tilbud"))
    varighed = forms.IntegerField(label=_("Gevinsten holder (år)"), min_value=1, max_value=10, initial=1)
    aftager = forms.DecimalField(label=_("Aftagende effekt pr. år (0-1)"), min_value=Decimal(0), max_value=Decimal(1),
                                 initial=Decimal(0), decimal_places=3)
    rente = forms.DecimalField(label=_("Diskonteringsrente (0-1)"), min_value=Decimal(0), max_value=Decimal(1),
                               initial=Decimal(0), decimal_places=3)
    timer = forms.ChoiceField(label=_("Timer der værdisættes"), initial="delivered",
                              choices=[("delivered", _("Leverede timer")), ("staff", _("Medarbejdertimer"))])
    faste = forms.BooleanField(label=_("Medtag faste udgifter"), required=False, initial=True)

    @staticmethod
    def defaults() -> dict:
        start, end = disclosure.last_twelve_months(timezone.localdate())
        return {"fra": start, "til": end, "varighed": 1, "aftager": 0, "rente": 0,
                "timer": "delivered", "faste": True}

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til"):
            data["fra"], data["til"] = disclosure.reporting_period(data["fra"], data["til"], timezone.localdate())
        return data
