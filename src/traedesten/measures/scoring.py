"""Scoring and change classification. Pure functions over a Definition and item values.

Conventions (see docs/instruments.md):
- A total exactly at the cut-off counts as clinical when the definition says `clinical_at_cutoff` (ORS: 25 is clinical).
- A change exactly equal to the reliable-change amount is reliable.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .definitions import Definition

RECOVERED, IMPROVED, UNCHANGED, DETERIORATED = "recovered", "improved", "unchanged", "deteriorated"


class ScoreError(ValueError):
    pass


@dataclass(frozen=True)
class Score:
    total: Decimal | None
    areas: dict[str, Decimal]
    partial: bool


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_values(defn: Definition, values: dict[str, Decimal]) -> bool:
    """Raise ScoreError for an impossible answer; return whether the answers are partial."""
    unknown = set(values) - set(defn.item_codes)
    if unknown:
        raise ScoreError(_("Ukendte spørgsmål: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    for _code, value in values.items():
        if value < defn.minimum or value > defn.maximum:
            raise ScoreError(_("%(value)s er uden for skalaen %(min)s-%(max)s.") % {
                "value": value, "min": defn.minimum, "max": defn.maximum})
        if (value - defn.minimum) % defn.step != 0:
            raise ScoreError(_("%(value)s passer ikke til skalaens trin på %(step)s.") % {"value": value, "step": defn.step})
    missing = [i.label for i in defn.items if i.code not in values]
    if missing and not defn.allow_partial:
        raise ScoreError(_("Alle spørgsmål skal besvares. Mangler: %(items)s.") % {"items": ", ".join(missing)})
    if not values:
        raise ScoreError(_("Besvar mindst ét spørgsmål."))
    return bool(missing)


def score(defn: Definition, values: dict[str, Decimal]) -> Score:
    partial = check_values(defn, values)
    areas: dict[str, Decimal] = {}
    total = None
    if defn.method == "sum" and not partial:
        total = sum(values.values(), Decimal(0))
    elif defn.method == "mean":
        total = _q(sum(values.values(), Decimal(0)) / len(values))
    elif defn.method == "per_area":
        for area, _label in defn.areas:
            answered = [v for code, v in values.items() if code.split(".")[0] == area]
            if answered:
                areas[area] = _q(sum(answered, Decimal(0)) / len(answered))
        total = _q(sum(areas.values(), Decimal(0)) / len(areas)) if areas else None
    return Score(total=total, areas=areas, partial=partial)


def is_clinical(defn: Definition, total: Decimal | None) -> bool | None:
    if defn.cutoff is None or total is None:
        return None
    if total == defn.cutoff:
        return defn.clinical_at_cutoff
    return total < defn.cutoff if defn.higher_is_better else total > defn.cutoff


def improvement(defn: Definition, first: Decimal, last: Decimal) -> Decimal:
    """Change in the good direction (negative when worse)."""
    return last - first if defn.higher_is_better else first - last


def classify(defn: Definition, first: Decimal | None, last: Decimal | None) -> str | None:
    """Jacobson-Truax: recovered, reliably improved, unchanged or reliably deteriorated."""
    if first is None or last is None or defn.reliable_change is None:
        return None
    delta = improvement(defn, first, last)
    if delta <= -defn.reliable_change:
        return DETERIORATED
    if delta < defn.reliable_change:
        return UNCHANGED
    if is_clinical(defn, first) and is_clinical(defn, last) is False:
        return RECOVERED
    return IMPROVED


def class_label(value: str | None) -> str:
    return {RECOVERED: _("Bedret og over grænsen"), IMPROVED: _("Pålideligt bedret"), UNCHANGED: _("Uændret"),
            DETERIORATED: _("Pålideligt forværret")}.get(value or "", "—")
