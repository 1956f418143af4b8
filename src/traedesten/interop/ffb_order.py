"""An order (bestilling) as a FHIR message after KL's draft FFB messaging guide: the authority's order care plan sent
to the provider, with the citizen, the intervention, its purpose and goals, the conditions they address and the target
groups. Checked against the guide's profiles (ffb_messaging.py) before it leaves.

Unlike the delivery report, an order carries the citizen's name, address and phone and the goals in words: the
provider needs them to deliver, and the guide asks for them. It is only built for a user the gate lets read the
citizen's CPR number and authority part.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils import timezone

from traedesten.accounts.models import Department
from traedesten.authority import ffb
from traedesten.authority.models import Order

from . import ffb_messaging
from .ffb_profile import (
    CARE_SOCIAL,
    CONDITION_CLINICAL,
    CONDITION_RANK,
    CPR_SYSTEM,
    GOAL_CATEGORY,
    MEASURE_GOAL_TYPE,
    MEASURE_LEVEL,
)

PROFILE = ffb_messaging.CANONICAL + "/StructureDefinition/kl-messaging-ffb-{}"
EVENTS = ffb_messaging.CANONICAL + "/CodeSystem/kl-messaging-ffb-messageEventSystem"
PURPOSE_CATEGORY = "424827b1-23aa-4848-962b-56ee47def560"
ORDER_CATEGORY = "e459386d-1474-4c31-89c5-c8bc7a25e3d4"
NAMESPACE = uuid.UUID("3e2b8c1a-5d7f-4b0e-9c61-2f4a8d9e7b13")


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _ffb(code: str) -> dict:
    return {"coding": [{"system": ffb.SYSTEM, "code": code}]}


def _care_social(code: str) -> dict:
    return {"coding": [{"system": CARE_SOCIAL, "code": code}]}


class _Message:
    def __init__(self):
        self.entries: list[dict] = []

    def add(self, kind: str, rid: str, profile: str | None, body: dict) -> dict:
        resource = {"resourceType": kind, "id": rid, **({"meta": {"profile": [PROFILE.format(profile)]}} if profile else {}),
                    **body}
        self.entries.append({"fullUrl": f"{kind}/{rid}", "resource": resource})
        return {"reference": f"{kind}/{rid}"}


def _citizen(m: _Message, person) -> dict:
    body: dict = {}
    if person.cpr:
        body["identifier"] = [{"use": "official", "system": CPR_SYSTEM, "value": person.cpr}]
    name = {k: v for k, v in (("family", person.last_name), ("given", [person.first_name] if person.first_name else None))
            if v}
    if name:
        body["name"] = [{"use": "official", **name}]
    if person.address or person.postal_code or person.city:
        body["address"] = [{k: v for k, v in (("line", [person.address] if person.address else None),
                                              ("postalCode", person.postal_code), ("city", person.city)) if v}]
    telecom = [{"system": "phone", "value": person.phone}] if person.phone else []
    telecom += [{"system": "email", "value": person.email}] if person.email else []
    if telecom:
        body["telecom"] = telecom
    return m.add("Patient", _id("citizen", person.pk), "citizen", body)


def _caseworker(m: _Message, order: Order, department: str) -> dict:
    """The authority's team as the guide's participating organisation, with the caseworker as its contact."""
    user = order.sent_by
    contact: dict = {"name": {"prefix": [str(user.get_role_display())] if user else [],
                              "family": user.last_name if user else "", "given": [user.first_name] if user else []}}
    phone = getattr(settings, "TRAEDESTEN_AUTHORITY_PHONE", "")
    telecom = [{"system": "phone", "value": phone}] if phone else []
    telecom += [{"system": "email", "value": user.email}] if user and user.email else []
    if telecom:
        contact["telecom"] = telecom
    contact["name"] = {k: v for k, v in contact["name"].items() if v}
    return m.add("Organization", _id("authority-contact", order.pk), "participatingOrganization",
                 {"name": department, "contact": [contact]})


def build(order: Order, now=None) -> dict:
    """The order message for one order."""
    now = timezone.localtime(now or timezone.now())
    grant, person = order.grant, order.person
    m = _Message()
    header_id = _id("header", order.pk, order.version)
    m.entries.append({})  # the MessageHeader comes first; filled in at the end
    department = (Department.objects.filter(decides_grants=True).order_by("pk").values_list("name", flat=True).first()
                  or "Myndighed")
    sender = m.add("Organization", _id("sender", department), "messagingOrganization", {"name": department})
    receiver = m.add("Organization", _id("team", order.provider_team_id), "messagingOrganization",
                     {"name": order.provider_team.name})
    citizen = _citizen(m, person)
    author = _caseworker(m, order, department)
    levels = ffb.levels()
    conditions = {}
    for goal in grant.goals.all():
        if goal.condition_code not in conditions:
            conditions[goal.condition_code] = m.add("Condition", _id("condition", grant.pk, goal.condition_code),
                                                    "condition", {
                "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}]},
                "severity": _ffb(levels[goal.baseline_level].code), "code": _ffb(goal.condition_code),
                "subject": citizen, "recordedDate": grant.decided_on.isoformat()})
    purpose = m.add("Goal", _id("purpose", grant.pk), "interventionPurpose", {
        "lifecycleStatus": "active" if grant.ended_on is None else "completed",
        "category": [_care_social(PURPOSE_CATEGORY)], "description": {"text": ffb.display(grant.service_code)},
        "subject": citizen})
    goals = [m.add("Goal", _id("goal", goal.pk), "interventionGoal", {
        "lifecycleStatus": "active" if grant.ended_on is None else "completed",
        "category": [{"coding": [{"system": CARE_SOCIAL, "code": GOAL_CATEGORY, "display": "FFB indsatsmål"}]}],
        "description": {"text": goal.title}, "subject": citizen,
        "target": [{"measure": _care_social(MEASURE_LEVEL), "detailCodeableConcept": _ffb(levels[goal.target_level].code)},
                   {"measure": _care_social(MEASURE_GOAL_TYPE), "detailCodeableConcept": _ffb(goal.goal_type_code)}],
        "addresses": [{**conditions[goal.condition_code],
                       "extension": [{"url": CONDITION_RANK, "valuePositiveInt": 1}]}]})
        for goal in grant.goals.all()]
    target_groups = [m.add("Condition", _id("target", grant.pk, code), "targetGroup", {
        "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}]}, "code": _ffb(code),
        "subject": citizen}) for code in grant.target_groups]
    period = {"start": grant.starts_on.isoformat(), **({"end": grant.ended_on.isoformat()} if grant.ended_on else {})}
    created = timezone.localtime(grant.created_at).isoformat(timespec="seconds")
    plan = m.add("CarePlan", _id("order", order.pk), "orderCarePlan", {
        "status": "active" if grant.ended_on is None else "completed", "intent": "order",
        "category": [_care_social(ORDER_CATEGORY)], "subject": citizen, "period": period, "created": created,
        "author": author, "goal": [purpose, *goals],
        "addresses": [{**ref, "extension": [{"url": CONDITION_RANK, "valuePositiveInt": 1 if i == 0 else 2}]}
                      for i, ref in enumerate(target_groups)],
        **({"activity": [{"detail": {"status": "not-started", "scheduledString": grant.follow_up_on.isoformat(),
                                     "description": f"Første opfølgning {grant.follow_up_on:%d.%m.%Y}"}}]}
           if grant.follow_up_on is not None else {})})  # none for a citizen exempt from process goals (0057)
    hours = f", {grant.hours_per_week:g} timer pr. uge" if grant.hours_per_week is not None else ""
    m.add("CarePlan", _id("intervention", order.pk), "intervention", {
        "basedOn": [plan], "status": "active" if grant.ended_on is None else "completed", "intent": "order",
        "subject": citizen, "created": created, "period": period,
        "title": f"{ffb.display(grant.service_code)} ({grant.legal_basis}{hours})",
        "activity": [{"detail": {"code": _ffb(grant.service_code), "status": "not-started"}}]})
    m.entries[0] = {"fullUrl": f"MessageHeader/{header_id}", "resource": {
        "resourceType": "MessageHeader", "id": header_id, "meta": {"profile": [PROFILE.format("orderMessageHeader")]},
        "eventCoding": {"system": EVENTS, "code": "ffb-order"},
        "destination": [{"receiver": receiver, "endpoint": f"urn:traedesten:team:{order.provider_team_id}"}],
        "sender": sender, "source": {"endpoint": "urn:traedesten"}, "focus": [plan]}}
    return {"resourceType": "Bundle", "id": _id("message", order.pk, order.version),
            "meta": {"profile": [PROFILE.format("orderMessage")]}, "type": "message",
            "timestamp": now.isoformat(timespec="seconds"), "entry": m.entries}


def message(order: Order) -> tuple[dict, list[str]]:
    """The bundle and its errors against the guide (none when it conforms)."""
    bundle = build(order)
    return bundle, ffb_messaging.errors(bundle)
