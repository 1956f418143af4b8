"""Saving plans as versions, conflicts, goal caps, meetings and the coordinator."""

import datetime
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.accounts.principals import is_citizen, staff_user
from traedesten.core.locking import VersionConflict, update_versioned

from .content import PlanContent
from .models import CoordinatorNote, Plan, PlanMeeting, PlanVersion


class GoalCapExceeded(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_goals() -> int:
    return getattr(settings, "TRAEDESTEN_MAX_GOALS", 3)


def schema_message(exc: SchemaError) -> str:
    """The first pydantic error, as the Danish sentence our validators wrote."""
    first = exc.errors()[0]
    message = first.get("msg", "")
    return message.removeprefix("Value error, ") if message else _("Planen kunne ikke læses.")


def parse(content: dict) -> PlanContent:
    try:
        return PlanContent.model_validate(content)
    except SchemaError as exc:
        raise ValidationError(schema_message(exc)) from exc


def current_content(plan: Plan | None) -> PlanContent | None:
    version = plan.current if plan else None
    return PlanContent.model_validate(version.content) if version else None


def _check_dates(content: PlanContent, started_on: datetime.date) -> None:
    for goal in content.goals:
        if goal.deadline and goal.deadline < started_on:
            raise ValidationError(_("Fristen for målet »%(goal)s« ligger før planen startede (%(start)s).") % {
                "goal": goal.citizen_text, "start": f"{started_on:%d.%m.%Y}"})
        for action in goal.actions:
            if action.due and action.due < started_on:
                raise ValidationError(_("Fristen for handlingen »%(action)s« ligger før planen startede (%(start)s).") % {
                    "action": action.text, "start": f"{started_on:%d.%m.%Y}"})


def _stamp_health(content: PlanContent, today: datetime.date) -> None:
    """The annual check's flag remembers the day it was set (the first check is due then); a check cannot be
    registered for a day that has not come."""
    health = content.health
    if health.last_check and health.last_check > today:
        raise ValidationError(_("Helbredstjekket ligger i fremtiden. Registrér det, når det har fundet sted."))
    if health.annual_check and health.annual_check_since is None:
        health.annual_check_since = today
    if not health.annual_check:
        health.annual_check_since = None


@transaction.atomic
def register_health_check(actor, person, *, checked_on: datetime.date, expected_version: int) -> PlanVersion:
    """The annual health check was held: a new plan version with the day as the last check, which moves the next
    deadline a year on (seed 003 theme 5, decision 0050)."""
    plan = Plan.objects.filter(person=person).first()
    content = current_content(plan)
    if plan is None or content is None or not content.health.annual_check:
        raise ValidationError(_("Borgeren er ikke markeret til et årligt helbredstjek. Markér det i planens "
                                "sundhedsdel først."))
    if content.health.last_check and checked_on <= content.health.last_check:
        raise ValidationError(_("Der er allerede registreret et helbredstjek den %(date)s eller senere.") % {
            "date": f"{content.health.last_check:%d.%m.%Y}"})
    content.health.last_check = checked_on
    return save_plan(actor, person, content, expected_version=expected_version, confirm_over_cap=True,
                     note=_("Årligt helbredstjek registreret %(date)s") % {"date": f"{checked_on:%d.%m.%Y}"})


@transaction.atomic
def save_plan(actor, person, content: PlanContent | dict, *, expected_version: int, follow_up: bool = False,
              note: str = "", confirm_over_cap: bool = False, started_on: datetime.date | None = None) -> PlanVersion:
    """Store the content as the next version. A stale `expected_version` is a conflict, never an overwrite."""
    if isinstance(content, dict):
        content = parse(content)
    plan, created = Plan.objects.get_or_create(
        person=person, defaults={"started_on": started_on or timezone.localdate(), "coordinator": staff_user(actor)})
    _check_dates(content, plan.started_on)
    _stamp_health(content, timezone.localdate())
    active = len(content.active_goals)
    if active > max_goals() and not confirm_over_cap:
        raise GoalCapExceeded(_("Planen har %(n)s aktive mål. Vi anbefaler højst %(cap)s, så målene er til at overskue. "
                                "Gem igen for at beholde dem alle.") % {"n": active, "cap": max_goals()})
    try:
        update_versioned(Plan.objects, plan.pk, expected_version, updated_at=timezone.now())
    except VersionConflict as exc:
        exc.current = plan.current
        raise
    version = PlanVersion.objects.create(plan=plan, number=expected_version + 1, content=content.model_dump(mode="json"),
                                         follow_up=follow_up, note=" ".join(note.split())[:300],
                                         created_by=staff_user(actor), by_citizen=is_citizen(actor))
    audit.record(actor, AuditAction.CREATE if created else AuditAction.UPDATE, person=person, section="plan",
                 fields=[f"version {version.number}"])
    return version


@transaction.atomic
def mark_stepping_stone(actor, plan: Plan, *, goal_id: str, stone_id: str, done: bool,
                        expected_version: int) -> PlanVersion | None:
    """The citizen ticks a stepping stone off (or back to "in progress") on Min side: a new plan version marked as the
    citizen's own change, and a note to the coordinator. None when the stone already had that status."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    content = current_content(locked)
    if locked.version != expected_version:
        raise VersionConflict(_("Planen er ændret imens. Genindlæs siden og prøv igen."), current=locked.current)
    goal = next((g for g in content.active_goals if g.id == goal_id), None) if content else None
    stone = next((s for s in goal.sub_goals if s.id == stone_id), None) if goal else None
    if stone is None:
        raise ValidationError(_("Trædestenen findes ikke længere i din plan. Genindlæs siden."))
    status: Literal["done", "in_progress"] = "done" if done else "in_progress"
    if content is None or stone.status == status:
        return None
    stone.status = status
    note = (_("Borgeren har selv markeret trædestenen som nået på Min side.") if done
            else _("Borgeren har selv sat trædestenen tilbage til »i gang« på Min side."))
    version = save_plan(actor, locked.person, content, expected_version=expected_version, note=note,
                        confirm_over_cap=True)
    CoordinatorNote.objects.create(plan=locked, version=version, stone=stone.text, done=done)
    return version


def unseen_notes(plan: Plan):
    return plan.notes.filter(seen_at__isnull=True)


def mark_notes_seen(user, plan: Plan) -> None:
    """The coordinator has seen the plan with the citizen's changes."""
    unseen_notes(plan).update(seen_by=user, seen_at=timezone.now())


@transaction.atomic
def set_coordinator(actor, plan: Plan, coordinator) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(coordinator=coordinator)
    audit.record(actor, AuditAction.UPDATE, person=plan.person_id, section="plan", fields=["coordinator"])
    plan.refresh_from_db()
    return plan


def last_follow_up(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(follow_up=True).order_by("-number").first()


@transaction.atomic
def hold_meeting(actor, plan: Plan, *, template: str, held_on: datetime.date, participants: list[str],
                 agreements: list[str], agenda=(), works=(), challenges=(), wants=()) -> PlanMeeting:
    """A network meeting always ends in agreements; Inddrag Nu also records works / challenges / wants."""
    def clean(items):
        return [" ".join(i.split())[:300] for i in items if i and i.strip()]
    if template not in PlanMeeting.Template.values:
        raise ValidationError(_("Vælg en mødeskabelon."))
    if held_on > timezone.localdate():
        raise ValidationError(_("Mødet ligger i fremtiden."))
    if not clean(participants):
        raise ValidationError(_("Skriv hvem der deltog."))
    if not clean(agreements):
        raise ValidationError(_("Et møde slutter med aftaler. Skriv mindst én."))
    meeting = PlanMeeting.objects.create(plan=plan, template=template, held_on=held_on, participants=clean(participants),
                                         agenda=clean(agenda), works=clean(works), challenges=clean(challenges),
                                         wants=clean(wants), agreements=clean(agreements), created_by=actor)
    audit.record(actor, AuditAction.CREATE, person=plan.person_id, section="plan_meeting")
    return meeting


def plan_summary(person) -> dict:
    """The coordinator and how far the citizen has come, for the overview."""
    plan = Plan.objects.select_related("coordinator").filter(person=person).first()
    content = current_content(plan)
    if plan is None or content is None:
        return {"coordinator": None, "plan_summary": ""}
    done = sum(g.progress[0] for g in content.active_goals)
    total = sum(g.progress[1] for g in content.active_goals)
    summary = _("%(goals)s mål, %(done)s af %(total)s trædesten nået") % {
        "goals": len(content.active_goals), "done": done, "total": total}
    return {"coordinator": plan.coordinator, "plan_summary": summary}
