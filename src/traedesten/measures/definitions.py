"""Instrument definitions as data: parse and check the JSON that describes an instrument.

A definition names its items (or areas × dimensions), the scale and its direction,
the scoring method, cut-off and reliable change, who rates, and how often.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

BUILT_IN = Path(__file__).parent / "instruments"
RATERS = {"citizen", "worker", "joint", "relative"}
MODES = {"kiosk", "form", "consensus", "matrix"}
METHODS = {"sum", "mean", "per_area", "profile"}


class DefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    area: str = ""
    dimension: str = ""
    ffb_code: str = ""


@dataclass(frozen=True)
class Level:
    value: Decimal
    label: str
    code: str = ""


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    description: str
    raters: tuple[str, ...]
    mode: str
    items: tuple[Item, ...]
    minimum: Decimal
    maximum: Decimal
    step: Decimal
    higher_is_better: bool
    method: str
    low_label: str = ""
    high_label: str = ""
    levels: tuple[Level, ...] = ()
    areas: tuple[tuple[str, str], ...] = ()
    dimensions: tuple[tuple[str, str], ...] = ()
    cutoff: Decimal | None = None
    clinical_at_cutoff: bool = True
    reliable_change: Decimal | None = None
    allow_partial: bool = False
    requires_active_course: bool = False
    frequency_days: int | None = None
    first_due_days: int | None = None
    alert_below: Decimal | None = None
    alert_deterioration: bool = False
    no_improvement_after: int | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def item_codes(self) -> list[str]:
        return [i.code for i in self.items]

    @property
    def total_range(self) -> tuple[Decimal, Decimal] | None:
        if self.method == "sum":
            return self.minimum * len(self.items), self.maximum * len(self.items)
        if self.method in ("mean", "per_area"):
            return self.minimum, self.maximum
        return None


def _decimal(value, name: str) -> Decimal:
    try:
        return Decimal(str(value))
    except Exception:
        raise DefinitionError(f"{name} skal være et tal.") from None


def parse(raw: dict) -> Definition:
    """Check a definition and return it; raise DefinitionError with a message an administrator can act on."""
    if not isinstance(raw, dict):
        raise DefinitionError("Definitionen skal være et JSON-objekt.")
    for key in ("code", "name", "scale", "scoring", "raters"):
        if key not in raw:
            raise DefinitionError(f"Definitionen mangler '{key}'.")
    scale = raw["scale"]
    minimum, maximum = _decimal(scale.get("min"), "scale.min"), _decimal(scale.get("max"), "scale.max")
    step = _decimal(scale.get("step", 1), "scale.step")
    if minimum >= maximum or step <= 0:
        raise DefinitionError("Skalaen skal have min < max og et trin over 0.")
    raters = tuple(raw["raters"])
    if not raters or set(raters) - RATERS:
        raise DefinitionError(f"Bedømmere skal være blandt {sorted(RATERS)}.")
    mode = raw.get("mode", "form")
    if mode not in MODES:
        raise DefinitionError(f"mode skal være en af {sorted(MODES)}.")
    method = raw["scoring"].get("method")
    if method not in METHODS:
        raise DefinitionError(f"scoring.method skal være en af {sorted(METHODS)}.")
    areas = tuple((a["code"], a["label"]) for a in raw.get("areas", []))
    dimensions = tuple((d["code"], d["label"]) for d in raw.get("dimensions", []))
    if areas and dimensions:
        items = tuple(Item(f"{a}.{d}", f"{al}: {dl}", area=a, dimension=d) for a, al in areas for d, dl in dimensions)
    else:
        items = tuple(Item(i["code"], i["label"], area=i.get("area", ""), ffb_code=i["code"] if raw.get("source") else "")
                      for i in raw.get("items", []))
    if not items:
        raise DefinitionError("Definitionen har ingen spørgsmål (items eller areas × dimensions).")
    codes = [i.code for i in items]
    if len(set(codes)) != len(codes):
        raise DefinitionError("To spørgsmål har samme kode.")
    levels = tuple(Level(_decimal(lv["value"], "level"), lv["label"], lv.get("code", "")) for lv in scale.get("levels", []))
    cutoff = raw.get("cutoff") or {}
    alerts = raw.get("alerts") or {}
    return Definition(
        code=raw["code"], name=raw["name"], description=raw.get("description", ""), raters=raters, mode=mode,
        items=items, minimum=minimum, maximum=maximum, step=step,
        higher_is_better=bool(scale.get("higher_is_better", True)), method=method,
        low_label=scale.get("low_label", ""), high_label=scale.get("high_label", ""), levels=levels,
        areas=areas, dimensions=dimensions,
        cutoff=_decimal(cutoff["value"], "cutoff.value") if "value" in cutoff else None,
        clinical_at_cutoff=bool(cutoff.get("clinical_at_cutoff", True)),
        reliable_change=_decimal(raw["reliable_change"], "reliable_change") if raw.get("reliable_change") is not None else None,
        allow_partial=bool(raw.get("allow_partial", False)),
        requires_active_course=bool(raw.get("requires_active_course", False)),
        frequency_days=raw.get("frequency_days"), first_due_days=raw.get("first_due_days"),
        alert_below=_decimal(alerts["below"], "alerts.below") if "below" in alerts else None,
        alert_deterioration=bool(alerts.get("reliable_deterioration", False)),
        no_improvement_after=alerts.get("no_improvement_after"),
        raw=raw,
    )


def built_in() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(BUILT_IN.glob("*.json"))]
