from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traedesten.core.forms import DATE_INPUT, declared
from traedesten.core.text import Label
from traedesten.courses.models import Course
from traedesten.people.models import NetworkPerson

from .definitions import Definition
from .models import Phase, Rater


class StartForm(forms.Form):
    """Who rates, for which course and when. The scores themselves come from the kiosk or the staff form."""

    rater = forms.ChoiceField(label=_("Hvem vurderer"), widget=forms.RadioSelect)
    rater_network = forms.ModelChoiceField(label=_("Pårørende"), queryset=NetworkPerson.objects.none(), required=False,
                                           empty_label="—")
    course = forms.ModelChoiceField(label=_("Forløb"), queryset=Course.objects.none(), required=False,
                                    empty_label=_("Intet forløb"))
    on = forms.DateField(label=_("Dato"), initial=timezone.localdate, widget=DATE_INPUT)

    def __init__(self, *args, definition: Definition, person, **kwargs):
        super().__init__(*args, **kwargs)
        rater = declared(self, "rater", forms.ChoiceField)
        rater.choices = [(r, Rater(r).label) for r in definition.raters]
        rater.initial = definition.raters[0]
        declared(self, "rater_network", forms.ModelChoiceField).queryset = NetworkPerson.objects.filter(person=person)
        active = Course.objects.filter(person=person, status=Course.Status.ACTIVE).select_related("offer")
        course = declared(self, "course", forms.ModelChoiceField)
        course.queryset = active
        course.initial = active.first()
        if "relative" not in definition.raters:
            del self.fields["rater_network"]
        if definition.raw.get("phases"):
            self.fields["phase"] = forms.ChoiceField(label=_("Før eller efter indsatsen"), choices=[
                (p, Phase(p).label) for p in definition.raw["phases"]])

    def clean(self):
        data = super().clean()
        if data.get("rater") == Rater.RELATIVE and not data.get("rater_network"):
            self.add_error("rater_network", _("Vælg hvilken pårørende der giver sin vurdering."))
        return data


def _choices(definition: Definition, blank: Label):
    if definition.levels:
        return [("", blank)] + [(str(lv.value), f"{lv.value} – {lv.label}") for lv in definition.levels]
    values, value = [], definition.minimum
    while value <= definition.maximum:
        values.append((str(value), str(value)))
        value += definition.step
    return [("", blank)] + values


def parse_values(post, definition: Definition, prefix: str = "item") -> dict[str, Decimal]:
    """Posted item values; empty fields are unanswered."""
    values = {}
    for item in definition.items:
        raw = (post.get(f"{prefix}-{item.code}") or "").strip().replace(",", ".")
        if raw:
            try:
                values[item.code] = Decimal(raw)
            except ArithmeticError:
                values[item.code] = Decimal(-999)  # rejected by the scoring check with a clear message
    return values


def item_rows(definition: Definition, post=None, prefixes=("item",)):
    """(item, [(prefix, current value)]) rows for the staff forms."""
    return [(item, [(p, (post or {}).get(f"{p}-{item.code}", "")) for p in prefixes]) for item in definition.items]


def choices_for(definition: Definition, blank=None):
    return _choices(definition, blank if blank is not None else _("Ikke vurderet"))


def vas_lines(definition: Definition, previous: dict[str, str], post=None):
    """(item, posted value, where the last mark sat in per cent) per line of a visual-analogue scale."""
    span = definition.maximum - definition.minimum
    return [(item, (post or {}).get(f"item-{item.code}", ""),
             round(float((Decimal(previous[item.code]) - definition.minimum) / span * 100), 1)
             if item.code in previous else None)
            for item in definition.items]


class FitSessionForm(forms.Form):
    """A session with FIT begins: on which course, and how long it is planned to take."""

    course = forms.ModelChoiceField(label=_("Forløb"), queryset=Course.objects.none(), empty_label=None)
    hours = forms.DecimalField(label=_("Varighed (timer)"), min_value=Decimal("0.25"), max_value=Decimal(8),
                               decimal_places=2, initial=Decimal(1))

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        active = Course.objects.filter(person=person, status=Course.Status.ACTIVE, group=None).select_related("offer")
        course = declared(self, "course", forms.ModelChoiceField)
        course.queryset = active
        course.initial = active.first()


class FitPracticeForm(forms.Form):
    """The worker's own FIT practice: each of Trædesten's statements from 1 (slet ikke) to 5 (helt)."""

    comment = forms.CharField(label=_("Kommentar (valgfri)"), max_length=500, required=False)

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        scale = [(str(n), str(n)) for n in range(1, 6)]
        for code, label in statements:
            self.fields[f"s_{code}"] = forms.TypedChoiceField(label=label, choices=scale, coerce=int,
                                                              widget=forms.RadioSelect)
        self.order_fields([f"s_{code}" for code, _label in statements] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("s_")}
