"""The built-in instruments (files in instruments/), loaded after every migrate."""

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

from .definitions import built_in, parse

# Which starting offers use which built-in instruments (editable afterwards in the admin).
DEFAULT_OFFERS = {
    "ORS": ["Din Indgang – forløb", "Individuelt §82b-forløb (6 måneder)"],
    "SRS": ["Din Indgang – forløb", "Individuelt §82b-forløb (6 måneder)"],
    "GSRS": ["Gruppeforløb"],
    "REM-9": ["Bostøtte (§85)"],
    "STJERNE": ["Din Indgang – forløb"],
}


def ensure_instruments(apps: Apps = global_apps, **_signal: Any) -> None:
    """Create the built-in instruments that are missing; existing instruments are never changed here. Runs after
    every migrate (apps.py), so a new file in instruments/ reaches every installation."""
    Instrument, InstrumentVersion = apps.get_model("measures", "Instrument"), apps.get_model("measures",
                                                                                             "InstrumentVersion")
    Offer = apps.get_model("courses", "Offer")
    for raw in built_in():
        parse(raw)
        instrument, created = Instrument.objects.get_or_create(code=raw["code"], defaults={"name": raw["name"]})
        if created:
            InstrumentVersion.objects.create(instrument=instrument, number=1, definition=raw)
            instrument.offers.set(Offer.objects.filter(name__in=DEFAULT_OFFERS.get(raw["code"], [])))
