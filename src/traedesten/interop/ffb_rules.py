"""The check a DeliveryReport bundle passes before it is written, and in the tests.

1. The guide's profiles, read as data (`ffb_guide`): structure against R4, cardinality, fixed and pattern values,
   bindings, slicing, reference targets and every invariant.
2. The guide's rules that are written only in prose (index.md): meta.profile and meta.lastUpdated on every resource,
   exactly one citizen, a syntactically valid STS organisation code, universally unique resource ids.
3. Our own policy: no free text leaves Trædesten.

It reads no identifier from `ffb_profile.py`, the builder's list, so a wrong URL or code in the builder fails here.
"""

import uuid

from django.utils.translation import gettext as _

from . import ffb_guide
from .fhir.definitions import DefinitionError

FREE_TEXT_KEYS = {"text", "note", "display", "div", "comment"}


def _free_text(node, path="") -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FREE_TEXT_KEYS or (key == "description" and isinstance(value, str)):
                found.append(f"{path}.{key}")
            found += _free_text(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _free_text(value, f"{path}[{i}]")
    return found


def profile_errors(bundle: dict) -> list[str]:
    try:
        issues = ffb_guide.validate(bundle)
    except DefinitionError as exc:
        return [_("FFB-profilerne kan ikke indlæses, så bundtet kan ikke kontrolleres: %(error)s") % {"error": exc}]
    return [str(i) for i in issues if i.severity == "error"]


def prose_errors(bundle: dict) -> list[str]:
    """The guide's rules that its profiles do not state (index.md, "Validation" and "Reporting")."""
    errors = []
    entries = [e for e in bundle.get("entry") or [] if isinstance(e, dict) and isinstance(e.get("resource"), dict)]
    for i, entry in enumerate(entries):
        resource, where = entry["resource"], entry.get("fullUrl") or f"Bundle.entry[{i}]"
        meta = resource.get("meta") or {}
        if not meta.get("profile") or not meta.get("lastUpdated"):
            errors.append(_("%(url)s: ressourcen skal have profil og lastUpdated i meta.") % {"url": where})
        try:
            uuid.UUID(str(resource.get("id", "")))
        except ValueError:
            errors.append(_("%(url)s: id skal være globalt unikt (en UUID).") % {"url": where})
    patients = [e["resource"] for e in entries if e["resource"].get("resourceType") == "Patient"]
    if len(patients) != 1:
        errors.append(_("Bundtet skal have præcis én borger, ikke %(n)d.") % {"n": len(patients)})
    for patient in patients:
        org = (patient.get("managingOrganization") or {}).get("identifier") or {}
        try:
            uuid.UUID(str(org.get("value", "")))
        except ValueError:
            errors.append(_("Kommunens STS-organisationskode mangler eller er ikke en UUID."))
    return errors


def validate(bundle: dict) -> list[str]:
    """Every rule violation of a bundle, in Danish; empty when it may be sent."""
    errors = profile_errors(bundle) + prose_errors(bundle)
    for path in _free_text(bundle):
        errors.append(_("Fritekst må ikke indgå i indberetningen (%(path)s).") % {"path": path.lstrip(".")})
    return errors
