"""Min log: who has looked at the citizen's record. Staff appear by department and role, or by name as well when the
municipality has chosen so (TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES, decision 0045)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.models import AuditAction, AuditEvent, Department, department_of
from traedesten.gate.vocabulary import SECTION_LABELS, Section

LOOK_UPS = (AuditAction.VIEW, AuditAction.SEARCH, AuditAction.EXPORT)
LIMIT = 300

PAGES = {
    "search": _("Fundet i en søgning"), "duplicate_check": _("Fundet i en søgning"),
    "access_log": SECTION_LABELS[Section.ACCESS_LOG], "subject_access": SECTION_LABELS[Section.SUBJECT_ACCESS],
    "outside_access": _("Åbnede dine oplysninger uden for sin sagsstamme"),
}


@dataclass(frozen=True)
class LookUp:
    at: datetime.datetime
    department: str
    role: str
    name: str
    what: str
    reason_given: bool


def shows_names() -> bool:
    return settings.TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES == "name"


def _what(event: AuditEvent) -> str:
    sections = [str(SECTION_LABELS[Section(f)]) for f in event.fields if f in Section._value2member_map_]
    if event.section in PAGES:
        return str(PAGES[event.section])
    return ", ".join(dict.fromkeys(sections)) or str(_("Dine oplysninger"))


def look_ups(person) -> list[LookUp]:
    """Staff reads of the citizen, newest first; the citizen's own reads on Min side are not listed."""
    events = (AuditEvent.objects.filter(person_id=person.pk, action__in=LOOK_UPS, user__isnull=False, by_citizen=False)
              .select_related("user").order_by("-at", "-pk")[:LIMIT])
    departments: dict[int, str] = {}
    names = shows_names()
    owner = Department.objects.filter(owns_plans=True).order_by("pk").first()  # a team without one belongs here
    fallback = owner.name if owner else str(_("Kommunen"))
    found = []
    for event in events:
        user = event.user
        if user is None:  # the query asks for staff reads only
            continue
        if user.pk not in departments:
            dept = department_of(user)
            departments[user.pk] = dept.name if dept else fallback
        found.append(LookUp(event.at, departments[user.pk], user.get_role_display(),
                            (user.get_full_name() or user.username) if names else "", _what(event),
                            event.flagged))
    return found
