"""The starting price catalogue: the ordinary offers a shadow visitation can point to. Prices are entered locally."""

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

ITEMS = [
    ("§85 bostøtte, under 3 timer/uge", "SEL §85"), ("§85 bostøtte, 3-6 timer/uge", "SEL §85"),
    ("§85 bostøtte, 6-20 timer/uge", "SEL §85"), ("§103 beskyttet beskæftigelse", "SEL §103"),
    ("§104 aktivitets- og samværstilbud", "SEL §104"), ("§107 midlertidigt botilbud", "SEL §107"),
    ("§108 længerevarende botilbud", "SEL §108"), ("§99 støtte- og kontaktperson", "SEL §99"),
]


def ensure_price_items(apps: Apps = global_apps, **_signal: Any) -> None:
    """The starting price items, if missing; runs after every migrate (apps.py)."""
    PriceItem = apps.get_model("economy", "PriceItem")
    for name, legal in ITEMS:
        PriceItem.objects.get_or_create(name=name, defaults={"legal_basis": legal})
