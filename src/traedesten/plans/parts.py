"""The plan's parts from issue 26: the labels of barriers and intervention statuses, and waiting interventions as a
deadline (an intervention waiting longer than `WAITING_ALERT_DAYS` comes on the coordinator's worklist)."""

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .content import Action, PlanContent
from .models import PlanVersion

WAITING_ALERT_DAYS = 30
"""An intervention that has waited more than this many days since it was asked for is a worklist item for the
plan's coordinator (decision 0060)."""

BARRIER_CHOICES = [
    (_("Grundlæggende barriere"), [("basic:physical_illness", _("Fysisk sygdom")),
                                   ("basic:mental_illness", _("Psykisk sygdom"))]),
    (_("Afledt barriere"), [("derived:mobility", _("Mobilitet")), ("derived:economy", _("Økonomi")),
                            ("derived:housing", _("Bolig")), ("derived:self_belief", _("Tro på egne evner")),
                            ("derived:family_wellbeing", _("Familiens trivsel"))]),
]
BARRIER_LABELS = {value: label for _group, choices in BARRIER_CHOICES for value, label in choices}
KIND_LABELS = {"basic": _("grundlæggende"), "derived": _("afledt")}

STATUS_LABELS = {"planned": _("Planlagt"), "waiting": _("Venter"), "active": _("I gang"), "paused": _("På pause"),
                 "done": _("Afsluttet")}


@dataclass(frozen=True)
class LongWait:
    person_id: int
    action: Action
    due: datetime.date
    """The day the wait passed the threshold."""


def long_waits(person_ids, *, today: datetime.date) -> list[LongWait]:
    """The waiting interventions in the current plans of `person_ids` that have waited more than
    `WAITING_ALERT_DAYS` days on `today`."""
    rows = (PlanVersion.objects.filter(plan__person__in=person_ids, number=F("plan__version"))
            .values_list("plan__person_id", "content"))
    found = []
    for person_id, content in rows:
        for action in PlanContent.model_validate(content).waiting:
            waited = action.waited_days(today)
            if waited is not None and action.requested_on is not None and waited > WAITING_ALERT_DAYS:
                found.append(LongWait(person_id, action,
                                      action.requested_on + datetime.timedelta(days=WAITING_ALERT_DAYS + 1)))
    return found
