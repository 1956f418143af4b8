"""Export of the whole domain as JSON Lines, in the order an import needs it.

Rows without an external id get one (`<kind>-<pk>`) and keep it, so exporting and importing stay idempotent.
The file holds CPR numbers: it is meant for migration between installations and must be handled as such.
"""

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, CaseloadAssignment
from traedesten.authority.models import CaseProgression, Complaint, GoalExpectation, Grant, GrantGoal
from traedesten.courses.models import Activity, Course, Ending, GroupRun, Offer, StaffTime
from traedesten.economy.models import FixedCost, HourlyRate, Price, ShadowAssessment
from traedesten.frontdoor.models import Contact, GuideConversation
from traedesten.insights.models import Invitation, Response
from traedesten.measures.models import Administration
from traedesten.people.models import ContactPeriod, Household, HouseholdMember, Person
from traedesten.plans.models import Exemption, Plan, PlanVersion

from . import records as r
from .case_record import export_records as case_record_records
from .importer import BATCH, dumps
from .models import ExternalId


def _keys(kind: str, pks: list[int]) -> dict[int, str]:
    """External ids for the rows, given at first export and kept from then on."""
    known: dict[int, str] = {}
    for i in range(0, len(pks), BATCH):
        known.update(ExternalId.objects.filter(kind=kind, object_id__in=pks[i:i + BATCH]).values_list("object_id", "key"))
    missing = [ExternalId(kind=kind, key=f"{kind}-{pk}", object_id=pk) for pk in pks if pk not in known]
    ExternalId.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
    known.update((e.object_id, e.key) for e in missing)
    return known


def _drop_empty(record: dict) -> dict:
    return {k: v for k, v in record.items() if v not in (None, "", [], {}) or k in ("type", "id")}


def records(*, actor=None, files: Path | None = None) -> Iterator[dict]:
    """Every record in import order; the case record's files are written to `files` (see case_record.py)."""
    yield {"type": "header", "format": r.FORMAT, "version": r.VERSION, "exported_at": timezone.now().replace(microsecond=0)}
    for offer in Offer.objects.select_related("legal_basis"):
        yield _drop_empty({"type": "offer", "name": offer.name, "kind": offer.kind, "legal_basis": offer.legal_basis.code,
                           "front_door": offer.front_door, "requires_grant": offer.requires_grant,
                           "max_weeks": offer.max_weeks, "max_months": offer.max_months})
    for price in Price.objects.select_related("item"):
        yield _drop_empty({"type": "price", "item": price.item.name, "legal_basis": price.item.legal_basis,
                           "annual_cost": price.annual_cost, "valid_from": price.valid_from, "valid_to": price.valid_to,
                           "payer_shares": _shares(price.item)})
    for rate in HourlyRate.objects.all():
        yield _drop_empty({"type": "hourly_rate", "amount": rate.amount, "valid_from": rate.valid_from, "valid_to": rate.valid_to})
    for cost in FixedCost.objects.order_by("valid_from", "pk"):
        yield _drop_empty({"type": "fixed_cost", "name": cost.name, "annual_cost": cost.annual_cost,
                           "valid_from": cost.valid_from, "valid_to": cost.valid_to})

    persons = _keys("person", list(Person.objects.filter(merged_into__isnull=True).values_list("pk", flat=True)))
    teams = dict(CaseloadAssignment.objects.filter(end__isnull=True).order_by("pk").values_list("person_id", "team__name"))
    for p in Person.objects.filter(merged_into__isnull=True).order_by("pk").values(
            "pk", "cpr", "first_name", "last_name", "birth_date", "approx_birth_year", "sex", "postal_code", "phone",
            "is_pseudonymous", "cluster", "sub_target_group").iterator(chunk_size=BATCH):
        yield _drop_empty({"type": "person", "id": persons[p["pk"]], "cpr": p["cpr"], "first_name": p["first_name"],
                           "last_name": p["last_name"], "birth_date": p["birth_date"], "birth_year": p["approx_birth_year"],
                           "sex": p["sex"], "postal_code": p["postal_code"], "phone": p["phone"],
                           "pseudonymous": p["is_pseudonymous"] or None, "team": teams.get(p["pk"]),
                           "cluster": p["cluster"], "sub_target_group": p["sub_target_group"]})

    mine = Q(person__isnull=True) | Q(person__in=list(persons))
    contacts = Contact.objects.filter(mine)
    ids = _keys("contact", list(contacts.values_list("pk", flat=True)))
    contact_ids = ids
    for c in contacts.order_by("at", "pk").values("pk", "at", "origin", "channel", "person_id", "partner__name", "reason",
                                                  "outcome", "received_at").iterator(chunk_size=BATCH):
        yield _drop_empty({"type": "contact", "id": ids[c["pk"]], "at": c["at"], "origin": c["origin"], "channel": c["channel"],
                           "person": persons.get(c["person_id"]), "partner": c["partner__name"], "reason": c["reason"],
                           "outcome": c["outcome"], "received_at": c["received_at"]})

    groups = GroupRun.objects.select_related("offer")
    group_ids = _keys("group", list(groups.values_list("pk", flat=True)))
    for g in groups.order_by("start", "pk"):
        yield _drop_empty({"type": "group", "id": group_ids[g.pk], "offer": g.offer.name, "theme": g.theme, "start": g.start,
                           "planned_sessions": g.planned_sessions, "session_hours": g.session_hours, "capacity": g.capacity,
                           "ended_on": g.ended_on})

    courses = Course.objects.filter(person__in=list(persons))
    course_ids = _keys("course", list(courses.values_list("pk", flat=True)))
    rows = list(courses.order_by("start", "pk").values("pk", "person_id", "offer__name", "start", "team__name", "group_id", "previous_id",
                                                       "status", "closed_on", "destination", "closing_note"))
    for course in rows:
        yield _drop_empty({"type": "course", "id": course_ids[course["pk"]], "person": persons[course["person_id"]],
                           "offer": course["offer__name"], "start": course["start"], "team": course["team__name"],
                           "group": group_ids.get(course["group_id"]),
                           "previous": course_ids.get(course["previous_id"])})
    endings = {e["course_id"]: e for e in Ending.objects.filter(course__in=courses).values(
        "course_id", "what_helped", "coping_plan_checked", "coping_plan_checked_on", "community", "call_name",
        "call_phone", "after_care_on", "klip_granted")}
    for course in rows:
        if course["status"] == Course.Status.CLOSED:
            ending = endings.get(course["pk"])
            yield _drop_empty({"type": "closing", "course": course_ids[course["pk"]], "on": course["closed_on"],
                               "destination": course["destination"], "note": course["closing_note"],
                               "ending": _drop_empty({k: v for k, v in ending.items() if k != "course_id"})
                               if ending else None})

    activities = Activity.objects.filter(person__in=list(persons))
    ids = _keys("activity", list(activities.values_list("pk", flat=True)))
    staff = _staff_times(activities)
    for a in activities.order_by("on", "pk").values("pk", "person_id", "course_id", "kind", "on", "delivered_hours",
                                                    "attendance", "channel", "outcome",
                                                    "over_plan_reason").iterator(chunk_size=BATCH):
        yield _drop_empty({"type": "activity", "id": ids[a["pk"]], "person": persons[a["person_id"]],
                           "course": course_ids.get(a["course_id"]), "kind": a["kind"], "on": a["on"],
                           "hours": a["delivered_hours"], "attendance": a["attendance"], "channel": a["channel"],
                           "outcome": a["outcome"], "staff": staff.get(a["pk"]),
                           "over_plan_reason": a["over_plan_reason"]})
    yield from _conversations(activities, ids, contact_ids)

    plans = Plan.objects.filter(person__in=list(persons))
    ids = _keys("plan", list(plans.values_list("pk", flat=True)))
    versions: dict[int, list] = {}
    for v in PlanVersion.objects.filter(plan__in=plans).order_by("plan_id", "number"):
        versions.setdefault(v.plan_id, []).append(_drop_empty({
            "number": v.number, "content": v.content, "created_at": v.created_at, "follow_up": v.follow_up or None,
            "note": v.note}))
    for plan in plans.order_by("pk"):
        if versions.get(plan.pk):
            yield {"type": "plan", "id": ids[plan.pk], "person": persons[plan.person_id], "started_on": plan.started_on,
                   "versions": versions[plan.pk]}

    administrations = Administration.objects.filter(person__in=list(persons), status__in=["complete", "partial"])
    ids = _keys("measurement", list(administrations.values_list("pk", flat=True)))
    for m in administrations.order_by("on", "pk").values("pk", "person_id", "course_id", "instrument__code", "on",
                                                         "rater", "item_scores", "phase").iterator(chunk_size=BATCH):
        if m["item_scores"]:
            yield _drop_empty({"type": "measurement", "id": ids[m["pk"]], "person": persons[m["person_id"]],
                               "course": course_ids.get(m["course_id"]), "instrument": m["instrument__code"], "on": m["on"],
                               "rater": m["rater"], "items": {k: Decimal(v) for k, v in m["item_scores"].items()},
                               "phase": m["phase"]})

    grants = Grant.objects.filter(person__in=list(persons))
    ids = grant_ids = _keys("grant", list(grants.values_list("pk", flat=True)))
    goals = _goals(grants)
    for grant in grants.order_by("decided_on", "pk"):
        yield _drop_empty({"type": "grant", "id": ids[grant.pk], "person": persons[grant.person_id],
                           "case_number": grant.case_number, "legal_basis": grant.legal_basis,
                           "service_code": grant.service_code, "offer_type_code": grant.offer_type_code,
                           "support_need_code": grant.support_need_code, "hours_per_week": grant.hours_per_week,
                           "decided_on": grant.decided_on, "starts_on": grant.starts_on, "follow_up_on": grant.follow_up_on,
                           "ended_on": grant.ended_on, "goals": goals.get(grant.pk),
                           "status": grant.status if grant.status != "decided" else None,
                           "competence": grant.competence if grant.competence != "department" else None,
                           "amount_per_year": grant.amount_per_year}) | (
            {"follow_up_on": None} if grant.follow_up_on is None else {})
    for s in ShadowAssessment.objects.filter(course__in=list(course_ids)).values(
            "course_id", "would_have__name", "actually_got__name", "confidence"):
        yield _drop_empty({"type": "shadow", "course": course_ids[s["course_id"]], "would_have": s["would_have__name"],
                           "actually_got": s["actually_got__name"], "confidence": s["confidence"]})
    yield from _households(persons)
    yield from _surveys(persons, course_ids)
    yield from _progressions(persons, course_ids)
    yield from _complaints(persons, grant_ids)
    yield from _contact_periods(persons)
    yield from _exemptions(persons)
    for record in case_record_records(persons, course_ids, _keys, files):
        yield _drop_empty(record)
    audit.record(actor, AuditAction.EXPORT, persons=list(persons), section="interchange", channel="export")


def _households(persons: dict[int, str]) -> Iterator[dict]:
    """Families whose members are all exported (a family with a merged-away member lists the one it was merged into)."""
    households = Household.objects.filter(members__person__in=list(persons)).distinct().select_related("coordinator")
    ids = _keys("household", list(households.values_list("pk", flat=True)))
    members: dict[int, list[dict]] = {}
    for m in HouseholdMember.objects.filter(household__in=list(ids)).order_by("pk"):
        if m.person_id in persons:
            members.setdefault(m.household_id, []).append(_drop_empty({
                "person": persons[m.person_id], "role": m.role, "joined_on": m.joined_on, "left_on": m.left_on}))
    for h in households.order_by("pk"):
        if h.pk not in members:
            continue
        yield _drop_empty({"type": "household", "id": ids[h.pk], "name": h.name, "cluster": h.cluster,
                           "sub_target_group": h.sub_target_group, "direction": h.direction,
                           "coordinator": h.coordinator.username if h.coordinator else None, "started_on": h.started_on,
                           "ended_on": h.ended_on, "members": members.get(h.pk)})


def _surveys(persons: dict[int, str], course_ids: dict[int, str]) -> Iterator[dict]:
    invitations = Invitation.objects.filter(person__in=list(persons)).select_related("questionnaire")
    ids = _keys("survey", list(invitations.values_list("pk", flat=True)))
    answers = {r.invitation_id: r for r in Response.objects.filter(invitation__in=list(ids))}
    for i in invitations.order_by("created_at", "pk"):
        a = answers.get(i.pk)
        response = {"answers": a.answers, "helped_by_professional": a.helped_by_professional or None,
                    "submitted_at": a.submitted_at} if a else None
        yield _drop_empty({"type": "survey", "id": ids[i.pk], "questionnaire": i.questionnaire.code,
                           "person": persons[i.person_id], "course": course_ids.get(i.course_id or 0), "channel": i.channel,
                           "invited_at": i.created_at, "sent_at": i.sent_at, "reminders_sent": i.reminders_sent,
                           "non_response": i.non_response, "response": response and _drop_empty(response)})


def _progressions(persons: dict[int, str], course_ids: dict[int, str]) -> Iterator[dict]:
    rows = CaseProgression.objects.filter(person__in=list(persons)).select_related("assessed_by")
    ids = _keys("case_progression", list(rows.values_list("pk", flat=True)))
    households = _keys("household", list(rows.exclude(household=None).values_list("household_id", flat=True)))
    for p in rows.order_by("assessed_on", "pk"):
        yield _drop_empty({"type": "case_progression", "id": ids[p.pk], "person": persons[p.person_id],
                           "household": households.get(p.household_id or 0), "occasion": p.occasion,
                           "course": course_ids.get(p.course_id or 0), "cluster": p.cluster,
                           "assessed_on": p.assessed_on, "category": p.category, "reason": p.reason,
                           "assessed_by": p.assessed_by.username if p.assessed_by else None})


def _complaints(persons: dict[int, str], grant_ids: dict[int, str]) -> Iterator[dict]:
    rows = Complaint.objects.filter(person__in=list(persons)).select_related("responsible")
    ids = _keys("complaint", list(rows.values_list("pk", flat=True)))
    for c in rows.order_by("received_on", "pk"):
        yield _drop_empty({"type": "complaint", "id": ids[c.pk], "person": persons[c.person_id],
                           "received_on": c.received_on, "channel": c.channel, "kind": c.kind,
                           "grant": grant_ids.get(c.grant_id or 0), "other_decision": c.other_decision,
                           "summary": c.summary, "responsible": c.responsible.username if c.responsible else None,
                           "related_to_experiment": c.related_to_experiment or None, "outcome": c.outcome,
                           "outcome_on": c.outcome_on, "outcome_note": c.outcome_note})


def _contact_periods(persons: dict[int, str]) -> Iterator[dict]:
    rows = ContactPeriod.objects.filter(person__in=list(persons)).select_related("worker")
    ids = _keys("contact_period", list(rows.values_list("pk", flat=True)))
    for c in rows.order_by("starts_on", "pk"):
        yield _drop_empty({"type": "contact_period", "id": ids[c.pk], "person": persons[c.person_id], "kind": c.kind,
                           "worker": c.worker.username if c.worker else None, "name": c.name,
                           "starts_on": c.starts_on, "ends_on": c.ends_on})


def _exemptions(persons: dict[int, str]) -> Iterator[dict]:
    """A citizen's own exemptions, and a family's when the family is exported (at least one member is)."""
    households = set(HouseholdMember.objects.filter(person__in=list(persons)).values_list("household_id", flat=True))
    rows = (Exemption.objects.filter(Q(person__in=list(persons)) | Q(household__in=list(households)))
            .select_related("kind"))
    ids = _keys("exemption", list(rows.values_list("pk", flat=True)))
    family_ids = _keys("household", list(households))
    for e in rows.order_by("starts_on", "pk"):
        yield _drop_empty({"type": "exemption", "id": ids[e.pk], "person": persons.get(e.person_id or 0),
                           "household": family_ids.get(e.household_id or 0), "kind": e.kind.code,
                           "legal_basis": e.legal_basis, "starts_on": e.starts_on, "ends_on": e.ends_on,
                           "decided_on": e.decided_on, "note": e.note, "ended_on": e.ended_on})


def _shares(item) -> dict | None:
    """An item's payer shares, left out when they are the default (all kommune)."""
    shares = {"kommune": item.share_kommune, "region": item.share_region, "stat": item.share_stat}
    return None if (shares["kommune"], shares["region"], shares["stat"]) == (1, 0, 0) else shares


def _staff_times(activities) -> dict[int, list[dict]]:
    staff: dict[int, list[dict]] = {}
    for activity, username, hours in (StaffTime.objects.filter(activity__in=activities).order_by("activity_id", "pk")
                                      .values_list("activity_id", "user__username", "hours").iterator(chunk_size=BATCH)):
        staff.setdefault(activity, []).append({"user": username, "hours": hours})
    return staff


def _conversations(activities, activity_ids: dict, contact_ids: dict) -> Iterator[dict]:
    for c in (GuideConversation.objects.filter(activity__in=activities).order_by("activity_id")
              .values("activity_id", "contact_id", "outcome", "location", "staff_1__username", "staff_2__username")):
        yield _drop_empty({"type": "guide_conversation", "activity": activity_ids[c["activity_id"]],
                           "contact": contact_ids.get(c["contact_id"]), "outcome": c["outcome"], "location": c["location"],
                           "staff": [u for u in (c["staff_1__username"], c["staff_2__username"]) if u]})


def _goals(grants) -> dict[int, list[dict]]:
    expectations: dict[int, list[dict]] = {}
    for goal, due_on, level in GoalExpectation.objects.filter(goal__grant__in=grants).order_by("due_on").values_list(
            "goal_id", "due_on", "expected_level"):
        expectations.setdefault(goal, []).append({"due_on": due_on, "expected_level": level})
    goals: dict[int, list[dict]] = {}
    for g in GrantGoal.objects.filter(grant__in=grants).order_by("pk"):
        if expectations.get(g.pk):
            goals.setdefault(g.grant_id, []).append({
                "title": g.title, "condition_code": g.condition_code, "baseline_level": g.baseline_level,
                "target_level": g.target_level, "goal_type_code": g.goal_type_code, "expectations": expectations[g.pk],
                **({"plan_goal_id": g.plan_goal_id} if g.plan_goal_id else {})})
    return goals


class TextOut(Protocol):
    def write(self, text: str, /) -> object: ...


def export(out: TextOut, *, actor=None, tick: Callable[[str], None] = lambda kind: None,
           files: Path | None = None) -> int:
    count = 0
    for record in records(actor=actor, files=files):
        out.write(dumps(record))
        out.write("\n")
        count += 1
        tick(record["type"])
    return count


def default_name() -> str:
    return f"traedesten-{timezone.localdate():%Y%m%d}.jsonl"
