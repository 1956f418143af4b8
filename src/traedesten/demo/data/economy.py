"""Example prices, an hourly rate and shadow visitations, so the business case has something to show."""

import datetime
import random
from decimal import Decimal

from traedesten.courses.models import Course
from traedesten.economy import services
from traedesten.economy.models import FixedCost, PriceItem

# Example annual prices for the demo only; a municipality enters its own.
EXAMPLE_PRICES = {
    "§85 bostøtte, under 3 timer/uge": 36_000, "§85 bostøtte, 3-6 timer/uge": 78_000, "§85 bostøtte, 6-20 timer/uge": 210_000,
    "§103 beskyttet beskæftigelse": 120_000, "§104 aktivitets- og samværstilbud": 70_000,
    "§107 midlertidigt botilbud": 650_000, "§108 længerevarende botilbud": 900_000, "§99 støtte- og kontaktperson": 45_000,
}
WOULD_HAVE = ["§85 bostøtte, under 3 timer/uge"] * 5 + ["§85 bostøtte, 3-6 timer/uge"] * 3 + ["§104 aktivitets- og samværstilbud"]


def build(rnd: random.Random, today: datetime.date, staff: dict) -> int:
    start = today.replace(year=today.year - 3)
    items = {i.name: i for i in PriceItem.objects.all()}
    for name, price in EXAMPLE_PRICES.items():
        services.set_price(items[name], annual_cost=Decimal(price), valid_from=start)
    services.set_rate(amount=Decimal("311.94"), valid_from=start)

    FixedCost.objects.create(name="Lokaler til Din Indgang", annual_cost=Decimal(240_000), valid_from=start)
    assessors = [staff["guide2"], staff["guide"]]
    made = 0
    for course in Course.objects.filter(status="closed", offer__front_door=True, group=None).order_by("pk"):
        would = items[rnd.choice(WOULD_HAVE)] if rnd.random() < 0.57 else None
        got = items[rnd.choice(WOULD_HAVE)] if rnd.random() < 0.14 else None
        services.assess_shadow(rnd.choice(assessors), course, would_have=would, actually_got=got,
                               confidence=rnd.choice(["low", "medium", "medium", "high"]))
        made += 1
    return made
