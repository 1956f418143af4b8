"""Validation of a DeliveryReport bundle: FHIR structure through fhir.resources, then the guide's profile rules."""

import uuid

from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError as PydanticError
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError

from traedesten.authority import ffb

from .ffb_profile import (CASE_NUMBER, CONDITION_RANK, CPR_SYSTEM, FOLLOW_UP_DATE, MEASURE_GOAL_TYPE, MEASURE_LEVEL,
                          PROFILE_BASE, STS_SYSTEM)

PROFILES = {"citizen": "Patient", "serviceRequest": "ServiceRequest", "informationGathering": "ClinicalImpression",
            "condition": "Condition", "targetGroup": "Condition", "interventionGoal": "Goal", "carePlan": "CarePlan",
            "intervention": "CarePlan", "followUpEncounter": "Encounter", "careEvaluation": "Observation",
            "followUp": "Observation", "servicePerformer": "CareTeam"}
FREE_TEXT_KEYS = {"text", "note", "display", "div", "comment"}


def _codes(concept: dict | None) -> list[str]:
    return [c.get("code") for c in (concept or {}).get("coding", []) if c.get("system") == ffb.SYSTEM]


def _one_code(concept) -> str:
    codes = _codes(concept)
    return codes[0] if len(codes) == 1 else ""


def _rank(ref: dict) -> int | None:
    return next((e.get("valuePositiveInt") for e in ref.get("extension", []) if e.get("url") == CONDITION_RANK), None)


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


def validate(bundle: dict) -> list[str]:
    errors = []
    try:
        Bundle.model_validate(bundle)
    except PydanticError as exc:
        errors += [_("FHIR-struktur: %(loc)s: %(msg)s") % {"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"]}
                   for e in exc.errors()[:10]]
    if bundle.get("type") != "collection" or not bundle.get("timestamp"):
        errors.append(_("Bundtet skal være en collection med tidsstempel."))
    entries = bundle.get("entry", [])
    by_url = {e.get("fullUrl"): e.get("resource", {}) for e in entries}
    profiles = {}
    for url, resource in by_url.items():
        profile = (resource.get("meta", {}).get("profile") or [""])[0].removeprefix(PROFILE_BASE)
        if PROFILES.get(profile) != resource.get("resourceType") or not resource.get("meta", {}).get("lastUpdated"):
            errors.append(_("%(url)s mangler en gyldig profil og lastUpdated i meta.") % {"url": url})
        if url != f"{resource.get('resourceType')}/{resource.get('id')}":
            errors.append(_("%(url)s: fullUrl passer ikke til ressourcens id.") % {"url": url})
        profiles[url] = profile
    errors += _references(bundle, by_url)
    patients = [r for u, r in by_url.items() if profiles[u] == "citizen"]
    if len(patients) != 1:
        errors.append(_("Bundtet skal have præcis én borger."))
    for patient in patients:
        errors += _citizen(patient)
    checks = {"condition": _condition, "targetGroup": _target_group, "interventionGoal": _goal,
              "carePlan": _care_plan, "intervention": _intervention, "careEvaluation": _evaluation,
              "followUp": _follow_up, "servicePerformer": _performer, "serviceRequest": _service_request}
    for url, resource in by_url.items():
        check = checks.get(profiles[url])
        if check:
            errors += [f"{url}: {message}" for message in check(resource, by_url, profiles)]
    for path in _free_text(bundle):
        errors.append(_("Fritekst må ikke indgå i indberetningen (%(path)s).") % {"path": path.lstrip(".")})
    return errors


def _references(node, by_url) -> list[str]:
    found = []
    if isinstance(node, dict):
        ref = node.get("reference")
        if isinstance(ref, str) and ref not in by_url:
            found.append(_("Referencen %(ref)s peger ikke på en ressource i bundtet.") % {"ref": ref})
        for value in node.values():
            found += _references(value, by_url)
    elif isinstance(node, list):
        for value in node:
            found += _references(value, by_url)
    return found


def _citizen(patient: dict) -> list[str]:
    errors = []
    identifiers = patient.get("identifier", [])
    cpr = identifiers[0].get("value", "") if len(identifiers) == 1 else ""
    try:
        if identifiers[0].get("system") != CPR_SYSTEM:
            raise StdnumError()
        stdnum_cpr.validate(cpr)
    except (StdnumError, IndexError):
        errors.append(_("Borgeren har ikke et gyldigt CPR-nummer."))
    org = patient.get("managingOrganization", {}).get("identifier", {})
    try:
        uuid.UUID(org.get("value", ""))
        valid_org = org.get("system") == STS_SYSTEM and org.get("use") == "official"
    except ValueError:
        valid_org = False
    if not valid_org:
        errors.append(_("Kommunens STS-organisationskode mangler eller er ugyldig."))
    return errors


def _condition(resource, by_url, profiles) -> list[str]:
    errors = []
    code = _one_code(resource.get("code"))
    if not ffb.is_condition(code):
        errors.append(_("Tilstanden har ikke en gyldig FFB-kode."))
    if not resource.get("recordedDate"):
        errors.append(_("Tilstanden mangler dato for første dokumentation."))
    severity = _one_code(resource.get("severity")) if resource.get("severity") else None
    if ffb.is_activity_condition(code):
        if severity not in {c.code for c in ffb.levels().values()}:
            errors.append(_("En tilstand under Aktivitet og deltagelse skal have et funktionsevneniveau på FFB-skalaen."))
    elif severity is not None:
        errors.append(_("Kun tilstande under Aktivitet og deltagelse må have et funktionsevneniveau."))
    return errors


def _target_group(resource, by_url, profiles) -> list[str]:
    errors = []
    if _one_code(resource.get("code")) not in {c.code for c in ffb.target_groups()}:
        errors.append(_("Målgruppen har ikke en gyldig FFB-kode."))
    if "severity" in resource:
        errors.append(_("En målgruppe må ikke have et funktionsevneniveau."))
    if not resource.get("recordedDate"):
        errors.append(_("Målgruppen mangler dato for første dokumentation."))
    return errors


def _goal(resource, by_url, profiles) -> list[str]:
    errors = []
    addresses = resource.get("addresses", [])
    if sum(1 for a in addresses if _rank(a) == 1) != 1:
        errors.append(_("Indsatsmålet skal have præcis én primær tilstand."))
    for ref in addresses:
        target = by_url.get(ref.get("reference"), {})
        if not ffb.is_activity_condition(_one_code(target.get("code"))):
            errors.append(_("Indsatsmålet må kun pege på tilstande under Aktivitet og deltagelse."))
    targets = {}
    for t in resource.get("target", []):
        measure = next((c.get("code") for c in t.get("measure", {}).get("coding", [])), "")
        targets[measure] = _one_code(t.get("detailCodeableConcept"))
    if targets.get(MEASURE_LEVEL) not in {c.code for c in ffb.levels().values()}:
        errors.append(_("Indsatsmålets mål skal være et funktionsevneniveau fra FFB."))
    if targets.get(MEASURE_GOAL_TYPE) not in {c.code for c in ffb.goal_types()}:
        errors.append(_("Indsatsmålets ændringsværdi skal være en måltype fra FFB."))
    return errors


def _service_request(resource, by_url, profiles) -> list[str]:
    return [] if _case_number(resource) else [_("Henvendelsen mangler kommunens sagsnummer.")]


def _case_number(resource) -> str:
    for ext in resource.get("extension", []):
        if ext.get("url") == CASE_NUMBER:
            for sub in ext.get("extension", []):
                value = sub.get("valueIdentifier", {}).get("value", "")
                if value.strip():
                    return value
    return ""


def _care_plan(resource, by_url, profiles) -> list[str]:
    errors = []
    if not _case_number(resource):
        errors.append(_("Indsatsen mangler kommunens sagsnummer."))
    if not resource.get("period", {}).get("start"):
        errors.append(_("Indsatsen mangler en startdato."))
    open_order = resource.get("intent") == "order" and resource.get("status") != "completed"
    follow_up = any(e.get("url") == FOLLOW_UP_DATE for e in resource.get("extension", []))
    if open_order and not follow_up:
        errors.append(_("En igangværende indsats skal have en opfølgningsdato."))
    if open_order and not any(a.get("outcomeReference") for a in resource.get("activity", [])):
        errors.append(_("En igangværende indsats skal have en støttebehovsvurdering."))
    if open_order and not resource.get("addresses"):
        errors.append(_("En igangværende indsats skal have en målgruppe."))
    if sum(1 for a in resource.get("addresses", []) if _rank(a) == 1) > 1:
        errors.append(_("Indsatsen må højst have én primær målgruppe."))
    for ref in resource.get("addresses", []):
        if profiles.get(ref.get("reference")) != "targetGroup":
            errors.append(_("Indsatsen må kun pege på målgrupper."))
    return errors


def _intervention(resource, by_url, profiles) -> list[str]:
    errors = []
    if not any(profiles.get(r.get("reference")) == "carePlan" for r in resource.get("basedOn", [])):
        errors.append(_("Ydelsen skal pege på en indsats."))
    codes = [_one_code(a.get("detail", {}).get("code")) for a in resource.get("activity", [])]
    if not codes or any(c not in {s.code for s in ffb.services()} for c in codes):
        errors.append(_("Ydelsen har ikke en gyldig FFB-kode."))
    if not resource.get("period", {}).get("start"):
        errors.append(_("Ydelsen mangler en startdato."))
    return errors


def _evaluation(resource, by_url, profiles) -> list[str]:
    if _one_code(resource.get("valueCodeableConcept")) not in {c.code for c in ffb.support_needs()}:
        return [_("Støttebehovet har ikke en gyldig FFB-kode.")]
    return [] if resource.get("effectiveDateTime") else [_("Støttebehovsvurderingen mangler en dato.")]


def _follow_up(resource, by_url, profiles) -> list[str]:
    errors = []
    if resource.get("status") not in ("final", "entered-in-error"):
        errors.append(_("Opfølgningen skal have status final."))
    if _one_code(resource.get("valueCodeableConcept")) not in {c.code for c in ffb.intervention_statuses()}:
        errors.append(_("Opfølgningens resultat har ikke en gyldig FFB-kode."))
    if not any(profiles.get(r.get("reference")) == "carePlan" for r in resource.get("focus", [])):
        errors.append(_("Opfølgningen skal pege på en indsats."))
    return errors


def _performer(resource, by_url, profiles) -> list[str]:
    codes = [_one_code(c) for c in resource.get("category", [])]
    if len(codes) != 1 or codes[0] not in {c.code for c in ffb.offer_types()}:
        return [_("Tilbudstypen har ikke en gyldig FFB-kode.")]
    return []

