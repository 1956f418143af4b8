"""KL's draft FFB messaging guide (kl-ffb-messaging 0.1.0, 2023) as data, for checking order messages.

The guide is published only as FSH sources (`src/kl-ffb-messaging/` under the standards folder). They are read by
`fhir/fsh.py` into constraint profiles over their parents, which the same validator as the reporting guide applies
(decision 0044). Two things the sources name cannot be had, and are read as follows:

- The parents `http://kl.dk/fhir/common/caresocial/StructureDefinition/KLCommon…` come from a package that is not
  published (`dk.fhir.ig.kl.common.caresocial`). The same profiles, under the same names, are in kl.dk.fhir.core 1.2.0
  at `http://fhir.kl.dk/core/StructureDefinition/…`, and so are the value sets (`…/ValueSet/…`); the code systems the
  aliases name are KL's CareSocialCodes and the FFB code system in kl.dk.fhir.term 1.0.0.
- `KLCommonCitizen` is in neither package. It is read as HL7 Denmark's dk-core-patient (CPR identifier), which is what
  the guide's own example citizen uses (`identifier[cpr]`).
"""

from __future__ import annotations

import threading
from functools import cache

from .ffb_guide import PACKAGES, R4_FILES, r4_dir, standards_dir
from .fhir.definitions import Definitions
from .fhir.fsh import Guide, read_guide
from .fhir.validator import Issue, Validator

SOURCES = "src/kl-ffb-messaging/input/fsh"
CANONICAL = "http://ffb/messaging/kl.dk/1.0"
COMMON = "http://kl.dk/fhir/common/caresocial/"
KL_CORE = "http://fhir.kl.dk/core/"
CITIZEN = KL_CORE + "StructureDefinition/KLCommonCitizen"
DK_PATIENT = "http://hl7.dk/fhir/core/StructureDefinition/dk-core-patient"
ORDER_MESSAGE = CANONICAL + "/StructureDefinition/kl-messaging-ffb-orderMessage"


class _Parents(dict):
    """Where each name the guide uses for something published elsewhere is found."""

    def __missing__(self, key):
        raise KeyError(key)

    def __contains__(self, key):
        return dict.__contains__(self, key) or (isinstance(key, str) and key.startswith(COMMON))

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key.startswith(COMMON + "StructureDefinition/"):
            return KL_CORE + key[len(COMMON):]
        if key.startswith(COMMON + "ValueSet/"):
            return KL_CORE + key[len(COMMON):]
        raise KeyError(key)


PARENTS = _Parents({
    "KLCommonOrganization": KL_CORE + "StructureDefinition/KLCommonOrganization",
    COMMON + "StructureDefinition/KLCommonCitizen": CITIZEN,
    COMMON + "CodeSystem/KLCommonCareSocialCodes": "http://fhir.kl.dk/term/CodeSystem/CareSocialCodes",
    COMMON + "CodeSystem/FFB": "urn:oid:1.2.208.176.2.22",
})


def sources_missing() -> list[str]:
    folder = standards_dir() / SOURCES
    needed = [folder] + [standards_dir() / "packages" / p / "package" for p in PACKAGES] + [r4_dir() / n for n in R4_FILES]
    return [str(p) for p in needed if not p.exists()]


@cache
def _loaded() -> tuple[Validator, Guide]:
    standards = standards_dir()
    definitions = Definitions([standards / "packages" / p / "package" for p in PACKAGES] +
                              [r4_dir() / name for name in R4_FILES])
    definitions.add_resource({"resourceType": "StructureDefinition", "url": CITIZEN, "name": "KLCommonCitizen",
                              "type": "Patient", "kind": "resource", "derivation": "constraint",
                              "baseDefinition": DK_PATIENT, "differential": {"element": [{"id": "Patient",
                                                                                          "path": "Patient"}]}})
    guide = read_guide(standards / SOURCES, definitions, CANONICAL, PARENTS)
    return Validator(definitions, require_bundled_references=True), guide


_lock = threading.Lock()


def guide() -> Guide:
    with _lock:
        return _loaded()[1]


def validate(bundle: dict) -> list[Issue]:
    """Every issue of an order message against the guide's OrderMessage profile and the profiles its entries claim."""
    with _lock:
        validator, _guide = _loaded()
        return validator.validate(bundle, [ORDER_MESSAGE])


def errors(bundle: dict) -> list[str]:
    return [str(i) for i in validate(bundle) if i.severity == "error"]
