from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import User
from traedesten.core.forms import DATE_INPUT
from traedesten.courses.kinds import kinds_where
from traedesten.courses.models import Offer
from traedesten.gate import Section
from traedesten.gate.rules import roles_writing
from traedesten.people.forms import PersonForm
from traedesten.people.models import Sex

from .models import AdHocTopic, Contact, GuideConversation, PartnerOrganisation

HOURS = [(Decimal("0.25"), _("15 min")), (Decimal("0.5"), _("30 min")), (Decimal("1"), _("1 time")),
         (Decimal("1.5"), _("1½ time")), (Decimal("2"), _("2 timer"))]


class ContactForm(forms.Form):
    origin = forms.ChoiceField(label=_("Hvem"), choices=Contact.Origin.choices, initial=Contact.Origin.CITIZEN,
                               widget=forms.Select(attrs={"autofocus": True}))
    channel = forms.ChoiceField(label=_("Hvordan"), choices=Contact.Channel.choices, initial=Contact.Channel.WALK_IN)
    partner = forms.ModelChoiceField(label=_("Samarbejdspartner"), queryset=PartnerOrganisation.objects.filter(active=True),
                                     required=False, empty_label="—")
    outcome = forms.ChoiceField(label=_("Udfald"), choices=[("", _("Sæt i kø (fremmøde)"))] + Contact.Outcome.choices,
                                required=False)
    reason = forms.CharField(label=_("Årsag (kort)"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("origin") == Contact.Origin.PARTNER and not data.get("partner"):
            self.add_error("partner", _("Vælg hvilken samarbejdspartner der henvender sig."))
        if data.get("channel") != Contact.Channel.WALK_IN and not data.get("outcome"):
            self.add_error("outcome", _("Kun fremmødte sættes i kø. Vælg et udfald."))
        return data


class EntrySlipForm(PersonForm):
    """The entry slip (indgangsseddel): the citizen's own details, filled in with the citizen."""

    birth_date = None
    sex = None

    def person_data(self) -> dict:
        return {k: v for k, v in super().person_data().items() if k in self.fields}


def _colleagues(user):
    """The second person in a guide conversation (often from the authority): anyone whose role works on courses."""
    roles = roles_writing(Section.COURSES)
    return User.objects.filter(is_active=True, role__in=roles).exclude(pk=user.pk).order_by("first_name", "username")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.get_background_display()})"


class GuideConversationForm(forms.Form):
    on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)
    location = forms.ChoiceField(label=_("Hvor"), choices=GuideConversation.Location.choices,
                                 initial=GuideConversation.Location.FRONT_DOOR, widget=forms.RadioSelect)
    staff_2 = StaffChoiceField(label=_("Medarbejder 2"), queryset=User.objects.none(), required=False,
                               empty_label=_("Ingen – jeg holdt samtalen alene"))
    hours = forms.TypedChoiceField(label=_("Varighed"), choices=HOURS, coerce=Decimal, initial=Decimal("1"))
    outcome = forms.ChoiceField(label=_("Udfald"), choices=GuideConversation.Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Vælg udfaldet af samtalen.")})
    offer = forms.ModelChoiceField(label=_("Forløb (hvis borgeren sagde ja)"), required=False, empty_label=None,
                                   queryset=Offer.objects.filter(active=True, kind__in=kinds_where("from_guide_conversation")).order_by("-front_door", "name"))
    bring_person = forms.CharField(label=_("Person borgeren tager med næste gang"), max_length=200, required=False)
    next_meeting = forms.DateTimeField(label=_("Næste møde"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_2"].queryset = _colleagues(user)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == GuideConversation.Outcome.COURSE_STARTED and not data.get("offer"):
            self.add_error("offer", _("Vælg hvilket forløb borgeren siger ja til."))
        return data


class AdHocForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Hjælp til"), queryset=AdHocTopic.objects.filter(active=True),
                                   widget=forms.RadioSelect, empty_label=None,
                                   error_messages={"required": _("Vælg hvad borgeren fik hjælp til.")})
    hours = forms.TypedChoiceField(label=_("Tid brugt"), choices=HOURS, coerce=Decimal, initial=Decimal("0.5"))
    on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)


class AnonymousForm(forms.Form):
    """For a citizen who stays anonymous: only what the host can see or is told."""

    sex = forms.ChoiceField(label=_("Køn"), choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect)
    approx_age = forms.IntegerField(label=_("Alder ca."), min_value=15, max_value=110, required=False)
