"""The annual health check as a deadline: which citizens need one and when it is due (decision 0050)."""

import datetime

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .content import Health
from .models import PlanVersion

MEDICATION_LABELS = {"": "—", "citizen": _("Borgeren selv"), "bostotte": _("Bostøtten"), "home_care": _("Hjemmeplejen"),
                     "pharmacy": _("Apoteket (dosisdispensering)"), "relative": _("En pårørende"),
                     "none": _("Borgeren får ingen medicin")}


def checks_due(person_ids, *, until: datetime.date) -> dict[int, datetime.date]:
    """Per citizen among `person_ids` whose current plan marks them for an annual health check: the day the next
    check is due, where that is on or before `until`."""
    rows = (PlanVersion.objects.filter(plan__person__in=person_ids, number=F("plan__version"),
                                       content__health__annual_check=True)
            .values_list("plan__person_id", "content"))
    due = {}
    for person_id, content in rows:
        day = Health.model_validate(content.get("health") or {}).check_due()
        if day is not None and day <= until:
            due[person_id] = day
    return due
