"""The starting catalogue: legal bases and offers with their rules as data (sources in docs/glossary.md)."""

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

LEGAL_BASES = [
    ("SEL §82a", "Gruppebaseret hjælp og støtte"),
    ("SEL §82b", "Individuel tidsbegrænset socialpædagogisk støtte"),
    ("SEL §82c", "Sociale akuttilbud til personer med psykiske lidelser"),
    ("SEL §82d", "Hjælp og støtte etableret i samarbejde med frivillige"),
    ("SEL §85", "Socialpædagogisk bistand (bostøtte)"),
    ("SEL §99", "Støtte- og kontaktperson (SKP)"),
    ("SEL §104", "Aktivitets- og samværstilbud"),
    ("SEL §10/§12", "Råd og vejledning"),
]

OFFERS: list[dict[str, Any]] = [
    {"name": "Din Indgang – forløb", "kind": "course", "legal": "SEL §82b", "target_group": "Voksne med sociale, psykiske eller fysiske udfordringer",
         "max_weeks": 20, "first_follow_up_weeks": 4, "assessment_weeks": 10, "max_municipal_offers": 3, "max_coaching_sessions": 6,
         "anonymous_allowed": False, "front_door": True},
    {"name": "Individuelt §82b-forløb (6 måneder)", "kind": "course", "legal": "SEL §82b", "target_group": "Voksne med behov for tidsbegrænset støtte",
         "max_months": 6, "first_follow_up_weeks": 4, "assessment_weeks": 10, "max_municipal_offers": 3,
         "hard_limit": True, "extension_notice_months": 5, "extension_min_months": 3, "extension_max_months": 6,
         "status_note_months": [2.5, 5]},
    {"name": "Gruppeforløb", "kind": "group", "legal": "SEL §82a", "target_group": "Voksne der vil arbejde med et tema i en gruppe",
         "group_capacity": 8, "group_facilitators": 2, "max_municipal_offers": 3, "anonymous_allowed": True, "front_door": True},
    {"name": "Akut rådgivning (§82c)", "kind": "open", "legal": "SEL §82c", "target_group": "Personer med psykiske lidelser i akut behov",
         "anonymous_allowed": True},
    {"name": "Bostøtte (§85)", "kind": "bostotte", "legal": "SEL §85", "target_group": "Voksne med betydelig nedsat funktionsevne",
         "first_follow_up_weeks": 17, "requires_grant": True},
    {"name": "Opsøgende SKP (§99)", "kind": "open", "legal": "SEL §99", "target_group": "Socialt udsatte", "anonymous_allowed": True},
]



def ensure_catalogue(apps: Apps = global_apps, **_signal: Any) -> None:
    """Create the starting legal bases and offers if missing; never changes existing rows. Runs after every
    migrate (apps.py), so a new entry here reaches every installation."""
    LegalBasis, Offer = apps.get_model("courses", "LegalBasis"), apps.get_model("courses", "Offer")
    known = {f.name for f in Offer._meta.get_fields()}
    bases = {code: LegalBasis.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in LEGAL_BASES}
    for spec in OFFERS:
        spec = {k: v for k, v in spec.items() if k in known or k in ("name", "legal")}
        legal = bases[spec.pop("legal")]
        Offer.objects.get_or_create(name=spec.pop("name"), defaults={**spec, "legal_basis": legal})
