"""The starting price catalogue: the ordinary offers a shadow visitation can point to. Prices are entered locally."""

ITEMS = [
    ("§85 bostøtte, under 3 timer/uge", "SEL §85"), ("§85 bostøtte, 3-6 timer/uge", "SEL §85"),
    ("§85 bostøtte, 6-20 timer/uge", "SEL §85"), ("§103 beskyttet beskæftigelse", "SEL §103"),
    ("§104 aktivitets- og samværstilbud", "SEL §104"), ("§107 midlertidigt botilbud", "SEL §107"),
    ("§108 længerevarende botilbud", "SEL §108"), ("§99 støtte- og kontaktperson", "SEL §99"),
]


def ensure_price_items(PriceItem=None) -> None:
    if PriceItem is None:
        from .models import PriceItem
    for name, legal in ITEMS:
        PriceItem.objects.get_or_create(name=name, defaults={"legal_basis": legal})
