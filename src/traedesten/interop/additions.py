"""What interchange 1.1 added: fixed costs, payer shares, staff time, reception times, guide conversations, grant goals
with expectations and a group's end.

Each is checked with the web's own validation function (economy.services, courses.services, courses.groups,
frontdoor.services, authority.grants) and written after the records it points at. A field that a record leaves out
(as every 1.0 file does) leaves what is stored as it is.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts.models import User
from traedesten.accounts.roles import Role
from traedesten.authority.grants import GoalInput, check_goal
from traedesten.authority.models import GoalExpectation, GrantGoal
from traedesten.core.bulk import changed_rows, insert_rows, update_rows
from traedesten.courses.groups import check_group_end
from traedesten.courses.models import Activity, GroupRun, StaffTime
from traedesten.economy.models import FixedCost, PriceItem
from traedesten.economy.services import check_fixed_cost, check_payer_shares
from traedesten.frontdoor.models import Contact, GuideConversation
from traedesten.frontdoor.services import check_guide_conversation, check_reception

from .records import ContactRecord, GrantRecord, GroupRecord, MeasurementRecord, Record

if TYPE_CHECKING:  # the importer calls this module with itself
    from .importer import Records, Resolver, Writer

STEPS = ("fixed_cost", "staff_time", "guide_conversation", "goal")


def given(record: Record, name: str) -> bool:
    """Whether the record states the field (a 1.0 record never does)."""
    return name in record.model_fields_set


def referenced(by_type: Records, kind: str) -> set[str]:
    """Ids the 1.1 records point at, to be looked up with the rest."""
    if kind == "activity":
        return {rec.activity for _n, rec in by_type.guide_conversation}
    if kind == "contact":
        return {rec.contact for _n, rec in by_type.guide_conversation if rec.contact}
    return set()


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _rule(error: Callable[[int, str, str], None], line: int, field: str, check: Callable[..., object],
          **kwargs: Any) -> bool:
    try:
        check(**kwargs)
    except ValidationError as exc:
        error(line, field, exc.messages[0])
        return False
    return True


def check(resolver: Resolver) -> None:
    """Check every 1.1 record and field with the web's rules; errors go to the plan by line."""
    b, error = resolver.plan.by_type, resolver.plan.error
    named = {s.user for _n, rec in b.activity for s in rec.staff} | {u for _n, rec in b.guide_conversation for u in rec.staff}
    resolver.users = dict(User.objects.filter(username__in=list(named)).values_list("username", "pk"))
    shares: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for n, price in b.price:
        if price.payer_shares is not None:
            s = price.payer_shares
            if _rule(error, n, "payer_shares", check_payer_shares, kommune=s.kommune, region=s.region, stat=s.stat) \
                    and shares.setdefault(price.item, (s.kommune, s.region, s.stat)) != (s.kommune, s.region, s.stat):
                error(n, "payer_shares", _("andre betalerandele for »%(item)s« end tidligere i filen") % {"item": price.item})
    for n, cost in b.fixed_cost:
        _rule(error, n, "", check_fixed_cost, name=cost.name, annual_cost=cost.annual_cost, valid_from=cost.valid_from,
              valid_to=cost.valid_to)
    for n, contact in b.contact:
        if contact.received_at is not None:
            _rule(error, n, "received_at", check_reception, at=_aware(contact.at),
                  received_at=_aware(contact.received_at))
    for n, group in b.group:
        if group.ended_on is not None:
            _rule(error, n, "ended_on", check_group_end, start=group.start, last_session=None, on=group.ended_on)
    for n, activity in b.activity:
        _check_staff(resolver, n, [s.user for s in activity.staff])
    _check_conversations(resolver)
    for n, grant in b.grant:
        for i, goal in enumerate(grant.goals):
            due = [e.due_on for e in goal.expectations]
            if len(set(due)) != len(due):
                error(n, f"goals.{i}.expectations", _("to forventninger til samme opfølgning"))
            for e in goal.expectations:
                _rule(error, n, f"goals.{i}", check_goal, goal=GoalInput(goal.title, goal.condition_code, goal.baseline_level,
                                                                        goal.target_level, goal.goal_type_code,
                                                                        e.expected_level))


def _check_staff(resolver: Resolver, line: int, names: list[str]) -> None:
    for name in names:
        if name not in resolver.users and not resolver.create_staff:
            resolver.plan.error(line, "staff", _("ukendt medarbejder »%(user)s« (opret brugeren først, eller importér med "
                                                 "--create-staff)") % {"user": name})
    if len(set(names)) != len(names):
        resolver.plan.error(line, "staff", _("den samme medarbejder står to gange"))


def _check_conversations(resolver: Resolver) -> None:
    b, error = resolver.plan.by_type, resolver.plan.error
    in_file = {rec.id: rec.kind for _n, rec in b.activity}
    stored = dict(Activity.objects.filter(pk__in=[pk for key, pk in resolver.ids["activity"].items() if key not in in_file])
                  .values_list("pk", "kind"))
    contacts_in_file = {r.id for _m, r in b.contact}
    for n, rec in b.guide_conversation:
        pk = resolver.ids["activity"].get(rec.activity)
        kind = in_file.get(rec.activity) or (stored.get(pk) if pk is not None else None)
        if kind is None:
            error(n, "activity", _("ukendt aktivitet »%(id)s«") % {"id": rec.activity})
        elif kind != Activity.Kind.GUIDE_CONVERSATION:
            error(n, "activity", _("aktiviteten »%(id)s« er ikke en guidesamtale") % {"id": rec.activity})
        if rec.contact and rec.contact not in resolver.ids["contact"] and rec.contact not in contacts_in_file:
            error(n, "contact", _("ukendt henvendelse »%(id)s«") % {"id": rec.contact})
        _check_staff(resolver, n, rec.staff)
        _rule(error, n, "", check_guide_conversation, outcome=rec.outcome, location=rec.location, staff_1=rec.staff[0],
              staff_2=rec.staff[1] if len(rec.staff) > 1 else None)


def write(writer: Writer, resolver: Resolver) -> None:
    """Write the 1.1 records and fields, after everything they point at."""
    writer.users = resolver.users | _created_staff(writer, resolver)
    _shares_and_fixed_costs(writer)
    fields_given(writer, "contact", writer.b.contact, Contact, "received_at", _received_at)
    fields_given(writer, "group", writer.b.group, GroupRun, "ended_on", _ended_on)
    _staff_times(writer)
    _conversations(writer)
    _goals(writer)


def _received_at(rec: ContactRecord) -> datetime.datetime | None:
    return rec.received_at and _aware(rec.received_at)


def _ended_on(rec: GroupRecord) -> datetime.date | None:
    return rec.ended_on


def _created_staff(writer: Writer, resolver: Resolver) -> dict[str, int]:
    """Inactive accounts without a password for staff the file names and the installation lacks (when asked for)."""
    b = writer.b
    named = {s.user for _n, rec in b.activity for s in rec.staff} | {u for _n, rec in b.guide_conversation for u in rec.staff}
    created = {}
    for name in sorted(named - set(resolver.users)):
        user = User(username=name, is_active=False, role=Role.VOLUNTEER)
        user.set_unusable_password()
        user.save()
        created[name] = user.pk
    writer.report.created["user"] += len(created)
    return created


def _count(writer: Writer, kind: str, created: int, changed: int, same: int) -> None:
    writer.report.created[kind] += created
    writer.report.updated[kind] += changed
    writer.report.unchanged[kind] += same


def _shares_and_fixed_costs(writer: Writer) -> None:
    wanted = {rec.item: {"share_kommune": rec.payer_shares.kommune, "share_region": rec.payer_shares.region,
                         "share_stat": rec.payer_shares.stat} for _n, rec in writer.b.price if rec.payer_shares}
    items = {writer.items[name]: values for name, values in wanted.items()}
    fields = ["share_kommune", "share_region", "share_stat"]
    update_rows(PriceItem, changed_rows(PriceItem, items, fields), fields)
    stored = {(name, start): (pk, cost, end) for pk, name, start, cost, end in FixedCost.objects.values_list(
        "pk", "name", "valid_from", "annual_cost", "valid_to")}
    for _n, rec in writer.b.fixed_cost:
        pk, cost, end = stored.get((rec.name, rec.valid_from), (None, None, None))
        if pk is None:
            FixedCost.objects.create(name=rec.name, valid_from=rec.valid_from, annual_cost=rec.annual_cost,
                                     valid_to=rec.valid_to)
        elif (cost, end) != (rec.annual_cost, rec.valid_to):
            FixedCost.objects.filter(pk=pk).update(annual_cost=rec.annual_cost, valid_to=rec.valid_to)
        _count(writer, "fixed_cost", pk is None, pk is not None and (cost, end) != (rec.annual_cost, rec.valid_to),
               pk is not None and (cost, end) == (rec.annual_cost, rec.valid_to))
    writer.step("fixed_cost")


R = TypeVar("R", ContactRecord, GroupRecord, GrantRecord, MeasurementRecord)


def fields_given(writer: Writer, kind: str, lines: Sequence[tuple[int, R]], model: type[Model], field: str,
                 value: Callable[[R], object]) -> None:
    """Write one field of the records that state it (a record that leaves it out keeps what is stored)."""
    rows = {writer.ids[kind][rec.id]: {field: value(rec)} for _n, rec in lines if given(rec, field)}
    update_rows(model, changed_rows(model, rows, [field]), [field])


def _staff_times(writer: Writer) -> None:
    """An activity record that states its staff replaces the activity's staff time with exactly that."""
    wanted = {writer.ids["activity"][rec.id]: {writer.users[s.user]: s.hours for s in rec.staff}
              for _n, rec in writer.b.activity if given(rec, "staff")}
    stored: defaultdict[int, dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    for pk, activity, user, hours in StaffTime.objects.filter(activity__in=list(wanted)).values_list(
            "pk", "activity_id", "user_id", "hours"):
        stored[activity][user] = (pk, hours)
    gone: list[int] = []
    new: list[dict[str, Any]] = []
    changed: dict[int, dict[str, Any]] = {}
    for activity, users in wanted.items():
        have = stored.get(activity, {})
        gone += [pk for user, (pk, _h) in have.items() if user not in users]
        new += [{"activity_id": activity, "user_id": user, "hours": hours} for user, hours in users.items() if user not in have]
        changed |= {have[user][0]: {"hours": hours} for user, hours in users.items() if user in have and have[user][1] != hours}
    StaffTime.objects.filter(pk__in=gone).delete()
    insert_rows(StaffTime, new, return_ids=False)
    update_rows(StaffTime, changed, ["hours"])
    same = sum(len(users) for users in wanted.values()) - len(new) - len(changed)
    _count(writer, "staff_time", len(new), len(changed) + len(gone), same)
    writer.step("staff_time")


def _conversations(writer: Writer) -> None:
    recs = {writer.ids["activity"][rec.activity]: rec for _n, rec in writer.b.guide_conversation}
    activities = {pk: (person, course) for pk, person, course in Activity.objects.filter(pk__in=list(recs)).values_list(
        "pk", "person_id", "course_id")}
    backgrounds = dict(User.objects.filter(pk__in=list(writer.users.values())).values_list("pk", "background"))
    existing = dict(GuideConversation.objects.filter(activity__in=list(recs)).values_list("activity_id", "pk"))
    rows = {}
    for activity, rec in recs.items():
        staff_1, staff_2 = writer.users[rec.staff[0]], writer.users[rec.staff[1]] if len(rec.staff) > 1 else None
        rows[activity] = {"contact_id": writer.ids["contact"].get(rec.contact) if rec.contact else None,
                          "outcome": rec.outcome, "location": rec.location, "staff_1_id": staff_1,
                          "staff_1_background": backgrounds.get(staff_1) or "", "staff_2_id": staff_2,
                          "staff_2_background": (backgrounds.get(staff_2) if staff_2 is not None else None) or "",
                          "person_id": activities[activity][0], "course_id": activities[activity][1]}
    GuideConversation.objects.bulk_create([GuideConversation(activity_id=a, **values) for a, values in rows.items()
                                           if a not in existing], batch_size=2000)
    fields = list(next(iter(rows.values()))) if rows else []
    changed = changed_rows(GuideConversation, {existing[a]: v for a, v in rows.items() if a in existing}, fields)
    update_rows(GuideConversation, changed, fields)
    _count(writer, "guide_conversation", len(rows) - len(existing), len(changed), len(existing) - len(changed))
    writer.step("guide_conversation")


def _goals(writer: Writer) -> None:
    """Goals are matched by title within their grant: added or updated, never removed (they may carry scores).
    Expectations are matched by their follow-up day within the goal."""
    wanted = {}
    for _n, rec in writer.b.grant:
        for goal in rec.goals:
            wanted[(writer.ids["grant"][rec.id], " ".join(goal.title.split())[:300])] = goal
    stored = {(grant, title): pk for pk, grant, title in GrantGoal.objects.filter(
        grant__in={grant for grant, _t in wanted}).values_list("pk", "grant_id", "title")}

    def values(goal):
        return {"condition_code": goal.condition_code, "baseline_level": goal.baseline_level,
                "target_level": goal.target_level, "goal_type_code": goal.goal_type_code}
    new = [GrantGoal(grant_id=grant, title=title, **values(goal)) for (grant, title), goal in wanted.items()
           if (grant, title) not in stored]
    GrantGoal.objects.bulk_create(new, batch_size=2000)
    fields = ["condition_code", "baseline_level", "target_level", "goal_type_code"]
    changed = changed_rows(GrantGoal, {stored[key]: values(goal) for key, goal in wanted.items() if key in stored}, fields)
    update_rows(GrantGoal, changed, fields)
    _count(writer, "goal", len(new), len(changed), len(wanted) - len(new) - len(changed))
    pks = stored | {(g.grant_id, g.title): g.pk for g in new}
    expected = {(pks[key], e.due_on): e.expected_level for key, goal in wanted.items() for e in goal.expectations}
    have = {(goal, due): (pk, level) for pk, goal, due, level in GoalExpectation.objects.filter(
        goal__in={goal for goal, _d in expected}).values_list("pk", "goal_id", "due_on", "expected_level")}
    GoalExpectation.objects.bulk_create([GoalExpectation(goal_id=goal, due_on=due, expected_level=level, set_by=writer.actor)
                                         for (goal, due), level in expected.items() if (goal, due) not in have],
                                        batch_size=2000)
    update_rows(GoalExpectation, {have[key][0]: {"expected_level": level} for key, level in expected.items()
                                  if key in have and have[key][1] != level}, ["expected_level"])
    writer.step("goal")
