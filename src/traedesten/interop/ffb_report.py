"""KL FFB DeliveryReport bundles (kl.dk.fhir.ffbreporting 1.0.0): one per citizen and day with reportable changes.

A bundle carries codes, dates and identifiers only: no free text ever leaves through it. It is a snapshot of the
citizen as at the end of one day (the guide: "each covering no more than one day"); a later report of the same thing
uses the same resource id, so the receiver replaces the earlier version.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from traedesten.authority import ffb
from traedesten.authority.handover import handover_consent
from traedesten.authority.models import Grant, GrantStatus, Handover
from traedesten.measures.models import Administration
from traedesten.people.models import Person

from . import ffb_rules
from .ffb_profile import (
    BASED_ON_REQUEST,
    CARE_SOCIAL,
    CASE_NUMBER,
    CONDITION_CLINICAL,
    CONDITION_RANK,
    CONDITION_VERIFICATION,
    CPR_SYSTEM,
    FOLLOW_UP_DATE,
    FOLLOW_UP_ENCOUNTER,
    GOAL_CATEGORY,
    LAST_ASSERTED,
    MEASURE_GOAL_TYPE,
    MEASURE_LEVEL,
    PROFILE_BASE,
    STS_SYSTEM,
    SUPPORT_ASSESSMENT,
)

PROFILE = PROFILE_BASE + "{}"
CASE_SYSTEM = "urn:traedesten:case"
NAMESPACE = uuid.UUID("6c1f0d55-1d0e-4f5e-9a53-7d3b1f0d2a11")
FFB_ASSESSMENT = "FFB-FUNKTIONSEVNE"


def municipality() -> str:
    return getattr(settings, "TRAEDESTEN_MUNICIPALITY_STS", "")


def _id(*parts) -> str:
    """A stable UUID per thing, so a later report of the same thing is an update, as the guide requires."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _ffb(code: str) -> dict:
    return {"coding": [{"system": ffb.SYSTEM, "code": code}]}


def _care_social(code: str) -> dict:
    return {"coding": [{"system": CARE_SOCIAL, "code": code}]}


def _status(clinical: str, verification: str = "confirmed") -> dict:
    return {"clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": clinical}]},
            "verificationStatus": {"coding": [{"system": CONDITION_VERIFICATION, "code": verification}]}}


def end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class _Builder:
    def __init__(self, person, last_updated: datetime.datetime, now: datetime.datetime):
        self.person = person
        self.entries: list[dict[str, Any]] = []
        self.last_updated = timezone.localtime(last_updated).isoformat(timespec="seconds")
        self.timestamp = timezone.localtime(now).isoformat(timespec="seconds")
        self.patient = self.add("Patient", _id("person", person.pk), "citizen", {
            "identifier": [{"use": "official", "system": CPR_SYSTEM, "value": person.cpr or ""}],
            "managingOrganization": {"identifier": {"use": "official", "system": STS_SYSTEM, "value": municipality()}},
        })

    def add(self, kind: str, rid: str, profile: str, body: dict[str, Any]) -> dict:
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
                "type": "collection", "timestamp": self.timestamp, "entry": self.entries}


class _Assessed:
    """One condition as assessed over time: first and latest assessment, the latest level."""

    def __init__(self, code: str, level: int | None, on: datetime.date):
        self.code, self.level, self.first, self.last = code, level, on, on
        self.active = True

    def again(self, level: int | None, on: datetime.date):
        self.level = level if level is not None else self.level
        self.last = max(self.last, on)


def _assessments(person, as_of: datetime.date):
    """The FFB functional assessments (udredninger) up to a day, oldest first."""
    return list(Administration.objects.filter(person=person, instrument__code=FFB_ASSESSMENT, on__lte=as_of)
                .exclude(status="declined").order_by("on", "pk"))


def build_bundle(person, now=None, as_of: datetime.date | None = None) -> dict:
    """The citizen's report as at the end of `as_of` (today when not given)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    as_of = min(as_of or today, today)
    moment = now if as_of >= today else end_of(as_of)
    b = _Builder(person, moment, now)
    grants = list(Grant.objects.filter(person=person, status=GrantStatus.DECIDED, decided_on__lte=as_of).select_related("handover")
                  .prefetch_related("goals", "follow_ups").order_by("decided_on", "pk"))
    assessments = _assessments(person, as_of)
    conditions: dict[str, _Assessed] = {}
    gatherings: list[tuple[str, datetime.date, list[str], int | None]] = []  # (id, date, condition codes, grant pk)

    for assessment in assessments:
        codes = []
        for code, value in assessment.item_values().items():
            if not ffb.is_activity_condition(code):
                continue
            codes.append(code)
            if code in conditions:
                conditions[code].again(int(value), assessment.on)
            else:
                conditions[code] = _Assessed(code, int(value), assessment.on)
        if codes:
            gatherings.append((_id("gathering", "assessment", assessment.pk), assessment.on, codes,
                               _grant_for(grants, assessment.on)))
    for grant in grants:
        for goal in grant.goals.all():
            if goal.condition_code not in conditions:
                conditions[goal.condition_code] = _Assessed(goal.condition_code, goal.baseline_level, grant.decided_on)
            else:  # documented first with the goal, assessed later
                c = conditions[goal.condition_code]
                c.first = min(c.first, grant.decided_on)

    handover_codes = _handover_conditions(person, moment, conditions)
    for grant in grants:
        if not any(g[3] == grant.pk for g in gatherings):  # decided without an FFB assessment in Trædesten
            linked = _handover_codes(grant.handover) if grant.handover_id else []
            codes = [goal.condition_code for goal in grant.goals.all()] + [
                c for c, when in handover_codes.items() if when <= grant.decided_on or c in linked]
            gatherings.append((_id("gathering", grant.pk), grant.decided_on, list(dict.fromkeys(codes)), grant.pk))

    refs = {}
    for code in sorted(conditions, key=lambda c: (conditions[c].first, c)):
        refs[code] = _condition(b, person, conditions[code])
    by_grant = {}
    for grant in grants:
        by_grant[grant.pk] = _grant(b, grant, refs, as_of)
    for gid, on, codes, grant_pk in sorted(gatherings, key=lambda g: (g[1], g[0])):
        if grant_pk is None:
            continue  # assessed before any grant: reported with the first grant's request once there is one
        request, evaluation, decided_on = by_grant[grant_pk]
        # The støttebehov was assessed with the decision: it belongs to the last gathering before the decision.
        latest = max((g for g in gatherings if g[3] == grant_pk and g[1] <= decided_on), key=lambda g: (g[1], g[0]),
                     default=None)
        body = {"extension": [{"url": BASED_ON_REQUEST, "valueReference": request}],
                "status": "completed", "effectiveDateTime": on.isoformat()}
        if latest is not None and latest[0] == gid:
            body["investigation"] = [{"code": _care_social(SUPPORT_ASSESSMENT), "item": [evaluation]}]
        if codes:
            body["finding"] = [{"itemReference": refs[c]} for c in codes]
        b.add("ClinicalImpression", gid, "informationGathering", body)
    return b.bundle()


def _grant_for(grants, on: datetime.date) -> int | None:
    """The grant an assessment informed: the first decided on or after it, else the latest before it."""
    after = [g for g in grants if g.decided_on >= on]
    if after:
        return after[0].pk
    return grants[-1].pk if grants else None


def _handover_conditions(person, moment, conditions) -> dict[str, datetime.date]:
    """The hand-over's conditions outside "Aktivitet og deltagelse", added to `conditions`.

    While the citizen's consent is in force they are active. Once it is withdrawn they are reported once more as
    inactive, with the withdrawal as the last asserted date: the same resource id, so the receiver replaces the
    version it holds (the guide: a resource with the same id is an update), instead of keeping it unchanged.
    """
    handovers = list(Handover.objects.filter(person=person, status=Handover.Status.RECEIVED, sent_at__lte=moment)
                     .select_related("consent").order_by("sent_at", "pk"))
    found: dict[str, datetime.date] = {}
    for handover in handovers:
        in_force = handover_consent(person, handover.recipient, at=moment) is not None
        withdrawn = handover.consent.withdrawn_at if handover.consent is not None else None
        sent = timezone.localtime(handover.sent_at).date()
        for theme in handover.themes.values():
            for code in theme.get("conditions", []):
                if ffb.is_activity_condition(code) or not ffb.is_condition(code):
                    continue
                found.setdefault(code, sent)
                if code in conditions:
                    conditions[code].again(None, sent)
                else:
                    conditions[code] = _Assessed(code, None, sent)
                if not in_force:
                    conditions[code].active = False
                    if withdrawn is not None and withdrawn <= moment:
                        conditions[code].again(None, timezone.localtime(withdrawn).date())
                else:
                    conditions[code].active = True
    return found


def _handover_codes(handover) -> list[str]:
    return [code for theme in handover.themes.values() for code in theme.get("conditions", [])]


def _condition(b: _Builder, person, c: _Assessed) -> dict:
    body = {**_status("active" if c.active else "inactive"), "code": _ffb(c.code), "recordedDate": c.first.isoformat()}
    if c.last > c.first:
        body = {"extension": [{"url": LAST_ASSERTED, "valueDateTime": c.last.isoformat()}], **body}
    if ffb.is_activity_condition(c.code) and c.level is not None:
        body["severity"] = _ffb(ffb.levels()[c.level].code)
    return b.add("Condition", _id("condition", person.pk, c.code), "condition", body)


def _follow_up_date(grant: Grant, held: list) -> datetime.date | None:
    """The planned follow-up as at the snapshot: set by the last follow-up held, else the grant's own date (which a
    later follow-up overwrites, so then the day that follow-up was held). None for a citizen exempt from process goals
    with no follow-up date (decision 0057)."""
    if held:
        return held[-1].next_on or grant.follow_up_on
    later = list(grant.follow_ups.all())
    return later[0].held_on if later else grant.follow_up_on


def _grant(b: _Builder, grant: Grant, conditions: dict, as_of: datetime.date):
    pk = grant.pk
    ended = grant.ended_on if grant.ended_on is not None and grant.ended_on <= as_of else None
    completed = ended is not None
    held = [f for f in grant.follow_ups.all() if f.held_on <= as_of]
    case_number = {"url": CASE_NUMBER, "extension": [{"url": "municipalitySpecific", "valueIdentifier": {
        "use": "usual", "system": CASE_SYSTEM, "value": grant.case_number}}]}
    request = b.add("ServiceRequest", _id("request", pk), "serviceRequest", {
        "extension": [case_number], "status": "completed" if completed else "active", "intent": "proposal"})
    goals = []
    for goal in grant.goals.all():
        goals.append(b.add("Goal", _id("goal", goal.pk), "interventionGoal", {
            "lifecycleStatus": "completed" if completed else "active",
            "category": [_care_social(GOAL_CATEGORY)],
            "description": {"coding": [{"system": "http://snomed.info/sct", "code": "410518001"}]},
            "target": [{"measure": _care_social(MEASURE_LEVEL), "detailCodeableConcept": _ffb(ffb.levels()[goal.target_level].code)},
                       {"measure": _care_social(MEASURE_GOAL_TYPE), "detailCodeableConcept": _ffb(goal.goal_type_code)}],
            "addresses": [{**conditions[goal.condition_code], "extension": [{"url": CONDITION_RANK, "valuePositiveInt": 1}]}],
        }))
    evaluation = b.add("Observation", _id("evaluation", pk), "careEvaluation", {
        "status": "final", "code": _care_social(SUPPORT_ASSESSMENT),
        "effectiveDateTime": grant.decided_on.isoformat(), "valueCodeableConcept": _ffb(grant.support_need_code)})
    target_groups = [b.add("Condition", _id("target", pk, code), "targetGroup", {
        **_status("active"), "code": _ffb(code), "recordedDate": grant.decided_on.isoformat()})
        for code in grant.target_groups]
    performer = b.add("CareTeam", _id("performer", pk), "servicePerformer", {"category": [_ffb(grant.offer_type_code)]})
    extensions: list[dict[str, Any]] = [case_number]
    planned = _follow_up_date(grant, held)
    if not completed and planned is not None:
        # One encounter per grant, moved when the date moves: an update the receiver applies, where a new id per date
        # would leave the old date standing as planned (the profile fixes the status at "planned").
        encounter = b.add("Encounter", _id("follow-up", pk), "followUpEncounter", {
            "status": "planned", "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HH"},
            "type": [_care_social(FOLLOW_UP_ENCOUNTER)],
            "period": {"start": planned.isoformat()}})
        extensions.append({"url": FOLLOW_UP_DATE, "valueReference": encounter})
    period = {"start": grant.starts_on.isoformat(), **({"end": ended.isoformat()} if ended is not None else {})}
    plan = b.add("CarePlan", _id("careplan", pk), "carePlan", {
        "extension": extensions, "status": "completed" if completed else "active", "intent": "order", "period": period,
        "careTeam": [performer], "goal": goals, "activity": [{"outcomeReference": [evaluation]}],
        "addresses": [{**ref, "extension": [{"url": CONDITION_RANK, "valuePositiveInt": 1 if i == 0 else 2}]}
                      for i, ref in enumerate(target_groups)]})
    b.add("CarePlan", _id("intervention", pk), "intervention", {
        "basedOn": [plan], "status": "completed" if completed else "active", "intent": "order", "period": period,
        "created": grant.decided_on.isoformat(),
        "activity": [{"detail": {"code": _ffb(grant.service_code), "status": "completed" if completed else "in-progress"}}]})
    for follow_up in held:
        b.add("Observation", _id("follow-up-result", follow_up.pk), "followUp", {
            "status": "final", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "712744002"}]},
            "focus": [plan], "effectiveDateTime": follow_up.held_on.isoformat(),
            "valueCodeableConcept": _ffb(follow_up.status_code)})
    return request, evaluation, grant.decided_on


def _day(field: str, day: datetime.date) -> Q:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return Q(**{f"{field}__gte": start, f"{field}__lt": start + datetime.timedelta(days=1)})


def changed_on(day: datetime.date):
    """Citizens with a grant whose reportable data changed on a day: a grant decided, created or changed, a follow-up
    held, an FFB functional assessment, or a withdrawn consent (which changes what the hand-over may carry)."""
    changed = (_day("grants__updated_at", day) | _day("grants__created_at", day) | Q(grants__decided_on=day) |
               Q(grants__follow_ups__held_on=day) |
               Q(administrations__instrument__code=FFB_ASSESSMENT, administrations__on=day) |
               _day("consents__withdrawn_at", day))
    return Person.objects.filter(grants__isnull=False).filter(changed).distinct().order_by("pk")


def changed_since(since: datetime.date):
    """Citizens with a grant whose reportable data changed on or after the date."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    changed = Q(grants__updated_at__gte=start) | Q(grants__created_at__gte=start) | Q(
        grants__follow_ups__held_on__gte=since) | Q(administrations__instrument__code=FFB_ASSESSMENT,
                                                    administrations__created_at__gte=start) | Q(
        consents__withdrawn_at__gte=start)
    return Person.objects.filter(grants__isnull=False).filter(changed).distinct().order_by("pk")


def report(person, now=None, as_of: datetime.date | None = None) -> tuple[dict, list[str]]:
    """The bundle and the list of rule violations (empty when it may be sent)."""
    bundle = build_bundle(person, now, as_of)
    return bundle, ffb_rules.validate(bundle)
