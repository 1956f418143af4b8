from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Destination, Offer


class StartCourseForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Tilbud"), queryset=Offer.objects.filter(active=True), empty_label=None)
    start = forms.DateField(label=_("Start (borgerens ja)"), initial=timezone.localdate,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hours_package = forms.ChoiceField(label=_("Timepakke (bostøtte)"), required=False,
                                      choices=[("", "—"), ("<3", _("Under 3 timer/uge")), ("3-6", _("3-6 timer/uge")),
                                               ("6-20", _("6-20 timer/uge"))])
    cap_reason = forms.CharField(label=_("Begrundelse for at gå over loftet"), max_length=500, required=False,
                                 widget=forms.HiddenInput)


class CloseCourseForm(forms.Form):
    closed_on = forms.DateField(label=_("Afsluttet"), initial=timezone.localdate,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    destination = forms.ChoiceField(label=_("Borgeren går videre til"), choices=[("", "—")] + Destination.choices,
                                    error_messages={"required": _("Vælg hvor borgeren går videre til, før forløbet afsluttes.")})
    kickoff_on = forms.DateField(label=_("Kick off-møde med frivilligkoordinator"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Bemærkning"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
