import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import Department, User

from .cpr import parse_cpr
from .models import Consent, ConsentScope, ContactKind, ContactWish, NetworkPerson, Relation, Sex

PHONE_RE = re.compile(r"^\+?[0-9 ]{8,16}$")


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(_("Skriv telefonnummeret med 8 cifre, eventuelt med landekode (+45)."))
    return value


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Efternavn"), max_length=100, required=False)
    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        required=False,
        help_text=_("Valgfrit. Fødselsdato og køn udledes af CPR-nummeret."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    birth_date: forms.DateField | None = forms.DateField(  # None in a form without it
        label=_("Fødselsdato"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Kun hvis CPR-nummeret ikke kendes."),
    )
    sex: forms.ChoiceField | None = forms.ChoiceField(label=_("Køn"), choices=Sex.choices, initial=Sex.UNKNOWN,
                                                      required=False)
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=4, required=False)
    city = forms.CharField(label=_("By"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mail"), max_length=200, required=False)
    contact_wish = forms.ChoiceField(label=_("Ønsker kontakt via"), choices=ContactWish.choices, initial=ContactWish.NONE)
    confirm_similar = forms.BooleanField(
        label=_("Det er en anden person end de lignende borgere"), required=False, widget=forms.HiddenInput
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        return parse_cpr(value).digits if value else ""

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Fødselsdatoen ligger i fremtiden."))
        return value

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and not (value.isdigit() and value.isascii() and len(value) == 4):
            raise forms.ValidationError(_("Et postnummer har 4 cifre."))
        return value

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if not (data.get("first_name") or "").strip() and not (data.get("last_name") or "").strip():
            raise forms.ValidationError(_("Skriv mindst et fornavn eller et efternavn."))
        data["sex"] = data.get("sex") or Sex.UNKNOWN
        return data

    def person_data(self) -> dict:
        skip = {"confirm_similar", "version"}
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        for key in ("first_name", "last_name", "address", "city"):
            data[key] = " ".join(data[key].split())
        return data


class PseudonymForm(forms.Form):
    sex = forms.ChoiceField(label=_("Køn"), choices=Sex.choices, initial=Sex.UNKNOWN)
    approx_age = forms.IntegerField(label=_("Alder ca."), min_value=15, max_value=110, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Navn eller telefon"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}))
    cpr = forms.CharField(label=_("CPR-nummer"), max_length=11, required=False,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        return parse_cpr(value).digits if value else ""


class NetworkPersonForm(forms.ModelForm):
    class Meta:
        model = NetworkPerson
        fields = ["name", "relation", "organisation", "phone", "email", "closeness", "is_next_of_kin", "note"]
        widgets = {"closeness": forms.Select(choices=[(1, _("Tæt")), (2, _("Mellem")), (3, _("Fjern"))])}

    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class ConsentForm(forms.Form):
    to = forms.ChoiceField(label=_("Modtager"))
    scope = forms.MultipleChoiceField(label=_("Omfatter"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Vælg hvad samtykket omfatter.")})
    purpose = forms.CharField(label=_("Formål"), max_length=300)
    form = forms.ChoiceField(label=_("Form"), widget=forms.RadioSelect)
    given_by = forms.ChoiceField(label=_("Givet af"), widget=forms.RadioSelect)
    given_on = forms.DateField(label=_("Givet"), initial=timezone.localdate,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    expires_on = forms.DateField(label=_("Udløber (valgfri)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = ([(f"department:{d.pk}", d.name) for d in Department.objects.all()]
                                     + [(Consent.External.GP.value, Consent.External.GP.label)])
        self.fields["scope"].choices = ConsentScope.choices
        self.fields["form"].choices, self.fields["form"].initial = Consent.Form.choices, Consent.Form.WRITTEN
        self.fields["given_by"].choices, self.fields["given_by"].initial = Consent.GivenBy.choices, Consent.GivenBy.CITIZEN

    def clean(self):
        data = super().clean()
        to = data.get("to") or ""
        kind, _sep, pk = to.partition(":")
        data["recipient"] = Department.objects.filter(pk=pk).first() if kind == "department" and pk.isdigit() else None
        data["external"] = to if to in Consent.External.values else ""
        if to and data["recipient"] is None and not data["external"]:
            self.add_error("to", _("Vælg en modtager."))
        return data


class ContactChangeForm(forms.Form):
    """A change of contact person: a colleague in the system, or a name for someone outside it; neither ends the
    current one (decision 0060)."""

    kind = forms.ChoiceField(label=_("Type"), choices=ContactKind.choices)
    worker = forms.ModelChoiceField(label=_("Medarbejder"), queryset=User.objects.none(), required=False,
                                    empty_label="—")
    name = forms.CharField(label=_("Eller navn (uden for systemet)"), max_length=200, required=False)
    on = forms.DateField(label=_("Fra og med"), initial=timezone.localdate,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers if workers is not None else User.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("worker") and (data.get("name") or "").strip():
            raise forms.ValidationError(_("Vælg en medarbejder eller skriv et navn, ikke begge."))
        on = data.get("on")
        if on and on > timezone.localdate():
            raise forms.ValidationError(_("Skiftet ligger i fremtiden. Registrér det, når det sker."))
        return data
