"""KL's Fælles Faglige Begreber as the project uses them.

The codes are a transcription of KL's CodeSystem-FFB (data/ffb-codes.json); a test checks it
against the official file when that is present.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from traedesten.core.text import Label

SYSTEM = "urn:oid:1.2.208.176.2.22"
ACTIVITY_AND_PARTICIPATION = "Aktivitet og deltagelse"


@dataclass(frozen=True)
class Concept:
    code: str
    display: str
    root: str
    parent: str
    leaf: bool


@cache
def _codes() -> dict[str, Concept]:
    raw = json.loads((Path(__file__).parent / "data" / "ffb-codes.json").read_text(encoding="utf-8"))
    return {c["code"]: Concept(**c) for c in raw["concepts"]}


def concept(code: str) -> Concept | None:
    return _codes().get(code)


def display(code: str) -> str:
    c = concept(code)
    return c.display if c else code


@cache
def _by_parent() -> dict[str, list[Concept]]:
    by_parent: dict[str, list[Concept]] = {}
    for c in _codes().values():
        by_parent.setdefault(c.parent, []).append(c)
    return by_parent


@cache
def _under(*parents: str) -> tuple[Concept, ...]:
    """The leaf concepts below the named parents, at any depth."""
    found, stack = [], list(parents)
    while stack:
        for c in _by_parent().get(stack.pop(0), []):
            if c.leaf:
                found.append(c)
            else:
                stack.append(c.display)
    return tuple(found)


def code_named(concepts, name: str) -> str:
    """The code of the concept with this Danish display name among `concepts`."""
    return next(c.code for c in concepts if c.display == name)


def choices(concepts) -> list[tuple[str, str]]:
    return [(c.code, c.display) for c in concepts]


def group_of(code: str) -> str:
    """The area a condition belongs to (e.g. "Egenomsorg")."""
    c = concept(code)
    return c.parent if c else ""


def is_activity_condition(code: str) -> bool:
    """A condition under "Aktivitet og deltagelse": the only ones that carry a functional level."""
    c = concept(code)
    if not (c and c.leaf and c.root == "FFB tilstande"):
        return False
    area = concept_by_display(c.parent)
    return area is not None and area.parent == ACTIVITY_AND_PARTICIPATION


def is_condition(code: str) -> bool:
    c = concept(code)
    return bool(c and c.leaf and c.root == "FFB tilstande")


@cache
def concept_by_display(name: str) -> Concept | None:
    return next((c for c in _codes().values() if c.display == name and not c.leaf), None)


def activity_conditions() -> tuple[Concept, ...]:
    return _under(ACTIVITY_AND_PARTICIPATION)


def conditions_in(*areas: str) -> list[Concept]:
    return [c for c in _under(*areas) if c.root == "FFB tilstande"]


@cache
def levels() -> dict[int, Concept]:
    """Funktionsevneniveau 0 (ingen nedsat) to 4 (fuldstændig nedsat)."""
    order = ["Ingen nedsat funktionsevne", "Let nedsat funktionsevne", "Moderat nedsat funktionsevne",
             "Svært nedsat funktionsevne", "Fuldstændig nedsat funktionsevne"]
    by_name = {c.display: c for c in _under("Funktionsevneniveau")}
    return {i: by_name[name] for i, name in enumerate(order)}


def level_choices() -> list[tuple[int, str]]:
    return [(i, f"{i} · {c.display}") for i, c in levels().items()]


def support_needs() -> list[Concept]:
    order = ["Intet støttebehov", "Let støttebehov", "Moderat støttebehov", "Højt støttebehov",
             "Fuldstændigt støttebehov", "Ikke vurderet"]
    by_name = {c.display: c for c in _under("Støttebehovsniveau")}
    return [by_name[n] for n in order]


def goal_types() -> list[Concept]:
    by_name = {c.display: c for c in _under("Måltype")}
    return [by_name[n] for n in ["Udvikle funktionsevne", "Fastholde funktionsevne", "Begrænse tab af funktionsevne"]]


def intervention_statuses() -> tuple[Concept, ...]:
    return _under("Status på indsats")


def services() -> tuple[Concept, ...]:
    """Ydelser a grant can give."""
    return _under("Ydelse")


def offer_types() -> tuple[Concept, ...]:
    return _under("Tilbud")


def target_groups() -> tuple[Concept, ...]:
    return _under("Målgruppe")


# The eleven functional themes of the hand-over form, each with the FFB areas it is recorded against.
THEMES: list[tuple[str, Label, list[str]]] = [
    ("physical", _("Fysiske udfordringer"), ["Fysiske funktioner", "Sundhedsforhold"]),
    ("mental", _("Psykiske udfordringer"), ["Mentale funktioner"]),
    ("social", _("Sociale udfordringer"), ["Sociale forhold"]),
    ("practical", _("Praktiske opgaver i hjemmet"), ["Praktiske opgaver"]),
    ("self_care", _("Egenomsorg"), ["Egenomsorg"]),
    ("mobility", _("Mobilitet"), ["Mobilitet"]),
    ("communication", _("Kommunikation"), ["Kommunikation"]),
    ("community", _("Samfundsliv"), ["Samfundsliv"]),
    ("finances", _("Økonomi"), ["Samfundsliv", "Sociale forhold"]),
    ("social_life", _("Socialt liv"), ["Relationer"]),
    ("surroundings", _("Omgivelser"), ["Omgivelser"]),
]
THEME_KEYS = [key for key, _label, _areas in THEMES]


def theme_conditions(key: str) -> list[Concept]:
    areas = next(a for k, _label, a in THEMES if k == key)
    found = conditions_in(*areas)
    if key == "finances":
        found = [c for c in found if "konomi" in c.display]
    return found
