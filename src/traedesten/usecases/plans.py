"""The one plan: saving a version, the coordinator and network meetings. Only the department that owns the plan
writes it; other departments read the parts the citizen has consented to share."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.gate import Action, Clearance, Relation, Section, persons_reached
from traedesten.gate.vocabulary import PLAN_SECTIONS
from traedesten.people.models import ContactKind, ContactPeriod
from traedesten.plans import pauses, services
from traedesten.plans.models import CoordinatorNote, Pause, Plan

from .people import change_contact_person


def _require_plan(c: Clearance) -> None:
    c.require(*PLAN_SECTIONS, action=Action.WRITE)


@transaction.atomic
def save_plan(c: Clearance, content, **details):
    _require_plan(c)
    version = services.save_plan(c.user, c.person, content, **details)
    if version.number == 1:  # the plan was made: its first coordinator starts the coordinator history
        plan = Plan.objects.select_related("coordinator").get(pk=version.plan_id)
        already = ContactPeriod.objects.filter(person=c.person, kind=ContactKind.COORDINATOR, ends_on__isnull=True)
        if plan.coordinator is not None and not already.exists():
            change_contact_person(c, ContactKind.COORDINATOR, on=plan.started_on, worker=plan.coordinator,
                                  within=Section.GOALS)
    return version


@transaction.atomic
def set_coordinator(c: Clearance, plan, coordinator):
    _require_plan(c)
    if plan.person_id != c.person.pk:
        raise PermissionDenied
    plan = services.set_coordinator(c.user, plan, coordinator)
    change_contact_person(c, ContactKind.COORDINATOR, on=timezone.localdate(), worker=coordinator,
                          within=Section.GOALS)
    return plan


def hold_meeting(c: Clearance, plan, **details):
    _require_plan(c)
    if plan.person_id != c.person.pk:
        raise PermissionDenied
    return services.hold_meeting(c.user, plan, **details)


def pause_plan(c: Clearance, **details) -> Pause:
    """A low phase: the plan's writers put the citizen's deadlines and measurement alerts off until a day."""
    _require_plan(c)
    return pauses.start(c.user, c.person, **details)


def resume_plan(c: Clearance, pause: Pause, *, on) -> Pause:
    _require_plan(c)
    if pause.person_id != c.person.pk:
        raise PermissionDenied
    return pauses.resume(c.user, pause, on=on)


def register_health_check(c: Clearance, **details):
    """The annual health check was held (decision 0050): only the health section is needed, as on every channel."""
    c.require(Section.HEALTH, action=Action.WRITE)
    return services.register_health_check(c.user, c.person, **details)


def tick_stepping_stone(c: Clearance, plan, **details):
    """The citizen ticks off a stepping stone of their own plan on Min side (staff change the plan in the editor)."""
    c.require(Section.GOALS, action=Action.WRITE)
    if Relation.SELF not in c.relations or plan.person_id != c.person.pk:
        raise PermissionDenied
    return services.mark_stepping_stone(c.user, plan, **details)


def notes_for_coordinator(user, limit: int = 20) -> list[CoordinatorNote]:
    """What the user's citizens ticked off on Min side since the user last opened their plans; a read of each citizen
    shown, as on every list page."""
    reached = persons_reached(user, Section.GOALS)
    notes = list(CoordinatorNote.objects.filter(plan__coordinator=user, seen_at__isnull=True,
                                                plan__person__in=reached)
                 .select_related("plan__person").order_by("-created_at")[:limit])
    if notes:
        audit.record(user, AuditAction.VIEW, persons=sorted({n.plan.person_id for n in notes}),
                     section="coordinator_notes", fields=[str(Section.IDENTITY), str(Section.GOALS)])
    return notes
