"""The starting list of partner organisations; the list is editable afterwards."""

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

PARTNERS = [
    "Jobcenter", "Lokalpsykiatrien", "Hospitalspsykiatrien", "Praktiserende læge", "Alkohol- og misbrugscenter",
    "Borgerservice", "Boligforening", "Politi", "Familie & Handicap", "Udskrivningskoordinator",
    "Frivillighedscenter", "Anden kommune", "Andet",
]

AD_HOC_TOPICS = [
    "Skattekort og forskudsopgørelse", "e-Boks og digital post", "MitID", "Ansøgninger og blanketter",
    "Boligsikring", "SU", "Rykkere og gæld", "RKI", "Forstå et brev", "Økonomisk vejledning", "Andet",
]


def ensure_partners(apps: Apps = global_apps, **_signal: Any) -> None:
    """The starting partners and ad hoc topics, if missing; runs after every migrate (apps.py)."""
    PartnerOrganisation, AdHocTopic = apps.get_model("frontdoor", "PartnerOrganisation"), apps.get_model(
        "frontdoor", "AdHocTopic")
    for name in PARTNERS:
        PartnerOrganisation.objects.get_or_create(name=name)
    for position, name in enumerate(AD_HOC_TOPICS):
        AdHocTopic.objects.get_or_create(name=name, defaults={"position": position})
