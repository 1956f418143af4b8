"""The built-in follow-up cadences per legal basis, loaded after every migrate (idempotent; edits are kept)."""

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

# Egedal's cadences (seed 002, L2247-2251): legal basis, first follow-up after weeks (None: the rhythm), every months.
CADENCES = [
    ("SEL § 85", None, 4, "Egedal: § 85 hver 4. måned"),
    ("SEL § 103", None, 6, "Egedal: §§ 103/104 hver 6. måned"),
    ("SEL § 104", None, 6, "Egedal: §§ 103/104 hver 6. måned"),
    ("SEL § 107", 12, 6, "Egedal: § 107 stk. 2 efter 10-12 uger, derefter hver 6. måned"),
]


def ensure_cadences(apps: Apps = global_apps, **_signal: Any) -> None:
    Cadence = apps.get_model("authority", "FollowUpCadence")
    for basis, first, every, note in CADENCES:
        Cadence.objects.get_or_create(legal_basis=basis, defaults={"first_weeks": first, "every_months": every,
                                                                   "note": note})
