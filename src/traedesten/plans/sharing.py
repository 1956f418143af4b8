"""Én plan across departments: who sees which parts, following the citizen's consent."""

from django.utils.translation import gettext_lazy as _

from .content import PARTS, PlanContent

PART_LABELS = {"story": _("Borgerens fortælling og drømme"), "goals": _("Mål og trædesten"),
               "actions": _("Handlinger"), "network": _("Netværk"), "coping": _("Mestringsplan og akutark"),
               "health": _("Sundhed")}


def visible(content: PlanContent, scopes: set[str] | None) -> tuple[PlanContent, list[str]]:
    """The content with the parts outside the consent removed, and the labels of what was hidden."""
    if scopes is None:
        return content, []
    data, hidden = content.model_dump(), []
    blank = PlanContent().model_dump()
    for part, fields in PARTS.items():
        if part not in scopes:
            hidden.append(str(PART_LABELS[part]))
            for field in fields:
                data[field] = blank[field]
    if "actions" not in scopes:
        hidden.append(str(PART_LABELS["actions"]))
        for goal in data["goals"]:
            goal["actions"] = []
    return PlanContent.model_validate(data), hidden
