"""Starting lists for plans: departments, legal bases for actions, and plan templates per offer."""

from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps

from .requirements import KINDS as EXEMPTION_KINDS

DEPARTMENTS = [  # code, name, owns citizens' plans, decides grants
    ("social", "Socialafdelingen", True, False), ("authority", "Myndighed, voksen", False, True),
    ("jobcentre", "Jobcenter", False, False), ("health", "Sundhed", False, False), ("housing", "Bolig", False, False),
    ("education", "Uddannelse", False, False), ("psychiatry", "Regionspsykiatrien", False, False),
    ("gp", "Egen læge", False, False), ("volunteer", "Frivillig organisation", False, False),
]

LEGAL_BASES = [
    ("SEL", "Lov om social service"), ("LAB", "Lov om en aktiv beskæftigelsesindsats"), ("LAS", "Lov om aktiv socialpolitik"),
    ("SUL", "Sundhedsloven"), ("PSYK", "Psykiatriloven"), ("ALMBOL", "Almenboligloven"), ("STU", "STU-loven"),
    ("ANDET", "Andet"),
]

HINTS_FRONT_DOOR = {
    "reason": "Hvad fik dig til at komme? Skriv med borgerens egne ord.",
    "motivation": "Hvad betyder det for dig at komme videre?",
    "dreams": "Én drøm pr. linje, fx »Jeg vil have en hverdag med faste rutiner«",
    "goal": "Hvad vil du nå i løbet af de næste 20 uger?",
    "sub_goal": "Et lille, konkret skridt",
    "citizen_can_do_after": "Hvad kan borgeren selv nu?",
}
TEMPLATES = {
    "Din Indgang – forløb": (HINTS_FRONT_DOOR, ["after"]),
    "Individuelt §82b-forløb (6 måneder)": (dict(HINTS_FRONT_DOOR, goal="Hvad vil du nå i løbet af de næste 6 måneder?"), ["after"]),
    "Bostøtte (§85)": ({"reason": "Hvad skal bostøtten hjælpe med?", "dreams": "Én drøm pr. linje",
                        "goal": "Hvad vil du gerne klare selv?", "sub_goal": "Et lille, konkret skridt"}, ["coping", "crisis"]),
}


def ensure_departments(apps: Apps = global_apps, **_signal: Any) -> None:
    Department = apps.get_model("accounts", "Department")
    for code, name, owns, decides in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "owns_plans": owns, "decides_grants": decides})


def ensure_plan_catalogue(apps: Apps = global_apps, **_signal: Any) -> None:
    """Departments, legal bases for actions and plan templates, if missing; runs after every migrate (apps.py)."""
    ensure_departments(apps)
    LegalBasisForAction, PlanTemplate = apps.get_model("plans", "LegalBasisForAction"), apps.get_model(
        "plans", "PlanTemplate")
    Offer = apps.get_model("courses", "Offer")
    ExemptionKind = apps.get_model("plans", "ExemptionKind")
    for code, name, basis, waives in EXEMPTION_KINDS:
        ExemptionKind.objects.get_or_create(code=code, defaults={"name": name, "legal_basis": basis, "waives": waives})
    for code, name in LEGAL_BASES:
        LegalBasisForAction.objects.get_or_create(code=code, defaults={"name": name})
    for offer_name, (hints, sections) in TEMPLATES.items():
        offer = Offer.objects.filter(name=offer_name).first()
        if offer:
            PlanTemplate.objects.get_or_create(offer=offer, defaults={"hints": hints, "sections": sections})
