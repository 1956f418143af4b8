"""KL FFB DeliveryReport bundles (kl.dk.fhir.ffbreporting 1.0.0): one per citizen whose grant data changed.

A bundle carries codes, dates and identifiers only: no free text ever leaves through it.
"""

import datetime
import uuid

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from traedesten.authority import ffb
from traedesten.authority.handover import handover_consent
from traedesten.authority.models import Grant, Handover

from . import ffb_rules
from .ffb_profile import (BASED_ON_REQUEST, CARE_SOCIAL, CASE_NUMBER, CONDITION_RANK, CPR_SYSTEM, FOLLOW_UP_DATE,
                          FOLLOW_UP_ENCOUNTER, GOAL_CATEGORY, MEASURE_GOAL_TYPE, MEASURE_LEVEL, PROFILE_BASE,
                          STS_SYSTEM, SUPPORT_ASSESSMENT)

PROFILE = PROFILE_BASE + "{}"
CASE_SYSTEM = "urn:traedesten:case"
NAMESPACE = uuid.UUID("6c1f0d55-1d0e-4f5e-9a53-7d3b1f0d2a11")


def municipality() -> str:
    return getattr(settings, "TRAEDESTEN_MUNICIPALITY_STS", "")


def _id(*parts) -> str:
    """A stable UUID per thing, so a later report of the same thing is an update, as the guide requires."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _ffb(code: str) -> dict:
    return {"coding": [{"system": ffb.SYSTEM, "code": code}]}


def _care_social(code: str) -> dict:
    return {"coding": [{"system": CARE_SOCIAL, "code": code}]}


class _Builder:
    def __init__(self, person, now: datetime.datetime):
        self.person, self.now, self.entries = person, now, []
        self.last_updated = now.isoformat(timespec="seconds")
        self.patient = self.add("Patient", _id("person", person.pk), "citizen", {
            "identifier": [{"use": "official", "system": CPR_SYSTEM, "value": person.cpr or ""}],
            "managingOrganization": {"identifier": {"use": "official", "system": STS_SYSTEM, "value": municipality()}},
        })

    def add(self, kind: str, rid: str, profile: str, body: dict) -> dict:
        ref = f"{kind}/{rid}"
        resource = {"resourceType": kind, "id": rid,
                    "meta": {"profile": [PROFILE.format(profile)], "lastUpdated": self.last_updated}, **body}
        if kind != "Patient":
            resource["subject"] = {"reference": self.patient["reference"]}
        self.entries.append({"fullUrl": ref, "resource": resource})
        return {"reference": ref}

    def bundle(self) -> dict:
        return {"resourceType": "Bundle", "id": str(uuid.uuid4()),
                "meta": {"profile": [PROFILE.format("deliveryReport")], "lastUpdated": self.last_updated},
                "type": "collection", "timestamp": self.last_updated, "entry": self.entries}


def _assessed_levels(person) -> dict[str, tuple[int, datetime.date]]:
    """The latest level per "Aktivitet og deltagelse" condition from the FFB functional assessments."""
    from traedesten.measures.models import Administration

    levels = {}
    assessments = (Administration.objects.filter(person=person, instrument__code="FFB-FUNKTIONSEVNE")
                   .exclude(status="declined").order_by("on", "pk"))
    for assessment in assessments:
        for code, value in assessment.item_values().items():
            first = levels.get(code, (None, assessment.on))[1]
            levels[code] = (int(value), first)
    return levels


def build_bundle(person, now=None) -> dict:
    now = now or timezone.now()
    b = _Builder(person, now)
    grants = list(Grant.objects.filter(person=person).prefetch_related("goals", "follow_ups").order_by("decided_on", "pk"))
    assessed = _assessed_levels(person)
    handover = Handover.objects.filter(person=person, status=Handover.Status.RECEIVED).order_by("-sent_at").first()
    if handover is not None and handover_consent(person, handover.recipient) is None:
        handover = None  # the citizen withdrew consent: the hand-over's themes no longer travel
    conditions: dict[str, dict] = {}

    def condition(code: str, level: int | None, recorded: datetime.date) -> dict:
        if code not in conditions:
            body = {"clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                                   "code": "active"}]},
                    "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                                       "code": "confirmed"}]},
                    "code": _ffb(code), "recordedDate": recorded.isoformat()}
            if ffb.is_activity_condition(code):
                body["severity"] = _ffb(ffb.levels()[level].code)
            conditions[code] = b.add("Condition", _id("condition", person.pk, code), "condition", body)
        return conditions[code]

    for code, (level, first) in assessed.items():
        if ffb.is_activity_condition(code):
            condition(code, level, first)
    if handover is not None:
        for theme in handover.themes.values():
            for code in theme.get("conditions", []):
                if not ffb.is_activity_condition(code):
                    condition(code, None, handover.sent_at.date())
    for grant in grants:
        _grant(b, grant, condition, assessed)
    return b.bundle()


def _grant(b: _Builder, grant: Grant, condition, assessed) -> None:
    pk, completed = grant.pk, grant.ended_on is not None
    case_number = {"url": CASE_NUMBER, "extension": [{"url": "municipalitySpecific", "valueIdentifier": {
        "use": "usual", "system": CASE_SYSTEM, "value": grant.case_number}}]}
    request = b.add("ServiceRequest", _id("request", pk), "serviceRequest", {
        "extension": [case_number], "status": "completed" if completed else "active", "intent": "proposal"})
    goals, findings = [], []
    for goal in grant.goals.all():
        level = assessed.get(goal.condition_code, (goal.baseline_level, grant.decided_on))[0]
        primary = condition(goal.condition_code, level, grant.decided_on)
        findings.append(primary)
        goals.append(b.add("Goal", _id("goal", goal.pk), "interventionGoal", {
            "lifecycleStatus": "completed" if completed else "active",
            "category": [_care_social(GOAL_CATEGORY)],
            "description": {"coding": [{"system": "http://snomed.info/sct", "code": "410518001"}]},
            "target": [{"measure": _care_social(MEASURE_LEVEL), "detailCodeableConcept": _ffb(ffb.levels()[goal.target_level].code)},
                       {"measure": _care_social(MEASURE_GOAL_TYPE), "detailCodeableConcept": _ffb(goal.goal_type_code)}],
            "addresses": [{**primary, "extension": [{"url": CONDITION_RANK, "valuePositiveInt": 1}]}],
        }))
    evaluation = b.add("Observation", _id("evaluation", pk), "careEvaluation", {
        "status": "final", "code": _care_social(SUPPORT_ASSESSMENT),
        "effectiveDateTime": grant.decided_on.isoformat(), "valueCodeableConcept": _ffb(grant.support_need_code)})
    b.add("ClinicalImpression", _id("gathering", pk), "informationGathering", {
        "extension": [{"url": BASED_ON_REQUEST, "valueReference": request}],
        "status": "completed", "effectiveDateTime": grant.decided_on.isoformat(),
        "investigation": [{"code": _care_social(SUPPORT_ASSESSMENT), "item": [evaluation]}],
        **({"finding": [{"itemReference": f} for f in findings]} if findings else {})})
    target_groups = [b.add("Condition", _id("target", pk, code), "targetGroup", {
        "code": _ffb(code), "recordedDate": grant.decided_on.isoformat()}) for code in grant.target_groups]
    performer = b.add("CareTeam", _id("performer", pk), "servicePerformer", {"category": [_ffb(grant.offer_type_code)]})
    extensions = [case_number]
    if not completed:
        encounter = b.add("Encounter", _id("follow-up", pk, grant.follow_up_on), "followUpEncounter", {
            "status": "planned", "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HH"},
            "type": [_care_social(FOLLOW_UP_ENCOUNTER)], "period": {"start": grant.follow_up_on.isoformat()}})
        extensions.append({"url": FOLLOW_UP_DATE, "valueReference": encounter})
    period = {"start": grant.starts_on.isoformat(), **({"end": grant.ended_on.isoformat()} if completed else {})}
    plan = b.add("CarePlan", _id("careplan", pk), "carePlan", {
        "extension": extensions, "status": "completed" if completed else "active", "intent": "order", "period": period,
        "careTeam": [performer], "goal": goals, "activity": [{"outcomeReference": [evaluation]}],
        "addresses": [{**ref, "extension": [{"url": CONDITION_RANK, "valuePositiveInt": 1 if i == 0 else 2}]}
                      for i, ref in enumerate(target_groups)]})
    b.add("CarePlan", _id("intervention", pk), "intervention", {
        "basedOn": [plan], "status": "completed" if completed else "active", "intent": "order", "period": period,
        "created": grant.decided_on.isoformat(),
        "activity": [{"detail": {"code": _ffb(grant.service_code), "status": "completed" if completed else "in-progress"}}]})
    for follow_up in grant.follow_ups.all():
        b.add("Observation", _id("follow-up-result", follow_up.pk), "followUp", {
            "status": "final", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "712744002"}]},
            "focus": [plan], "effectiveDateTime": follow_up.held_on.isoformat(),
            "valueCodeableConcept": _ffb(follow_up.status_code)})


def changed_since(since: datetime.date):
    """Citizens with a grant whose reportable data changed on or after the date."""
    from traedesten.people.models import Person

    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    changed = Q(grants__updated_at__gte=start) | Q(grants__created_at__gte=start) | Q(
        grants__follow_ups__held_on__gte=since) | Q(administrations__instrument__code="FFB-FUNKTIONSEVNE",
                                                    administrations__created_at__gte=start)
    return Person.objects.filter(grants__isnull=False).filter(changed).distinct().order_by("pk")


def report(person, now=None) -> tuple[dict, list[str]]:
    """The bundle and the list of rule violations (empty when it may be sent)."""
    bundle = build_bundle(person, now)
    return bundle, ffb_rules.validate(bundle)

