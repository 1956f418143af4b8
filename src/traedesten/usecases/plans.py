"""The one plan: saving a version, the coordinator and network meetings. Only the department that owns the plan
writes it; other departments read the parts the citizen has consented to share."""

from django.core.exceptions import PermissionDenied

from traedesten.gate import Action, Clearance
from traedesten.gate.vocabulary import PLAN_SECTIONS
from traedesten.plans import services


def _require_plan(c: Clearance) -> None:
    c.require(*PLAN_SECTIONS, action=Action.WRITE)


def save_plan(c: Clearance, content, **details):
    _require_plan(c)
    return services.save_plan(c.user, c.person, content, **details)


def set_coordinator(c: Clearance, plan, coordinator):
    _require_plan(c)
    if plan.person_id != c.person.pk:
        raise PermissionDenied
    return services.set_coordinator(c.user, plan, coordinator)


def hold_meeting(c: Clearance, plan, **details):
    _require_plan(c)
    if plan.person_id != c.person.pk:
        raise PermissionDenied
    return services.hold_meeting(c.user, plan, **details)
