"""What changed between two plan versions, in words a worker and a citizen understand."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .content import PlanContent

TEXT_FIELDS = [
    ("reason", "Årsag til henvendelsen"), ("motivation", "Motivation"), ("success_criteria", "Succeskriterier"),
    ("citizen_has_done", "Det har borgeren gjort"), ("citizen_can_do_after", "Det kan borgeren efter forløbet"),
    ("future_support", "Fremtidig støtte"), ("network_involvement", "Pårørende og netværk"),
]
GOAL_FIELDS = [("citizen_text", "med borgerens ord"), ("professional_text", "faglig formulering"), ("measurable", "målbart"), ("achievable", "realistisk"),
               ("relevant", "vigtigt fordi"),
               ("deadline", "frist"), ("status", "status"), ("replaced_reason", "begrundelse"), ("health", "sundhedsmål")]
HEALTH_FIELDS = [("gp_name", "Sundhed: egen læge"), ("gp_clinic", "Sundhed: lægehus"), ("gp_phone", "Sundhed: lægens telefon"),
                 ("medication", "Sundhed: medicinen håndteres af"), ("medication_note", "Sundhed: om medicinen"),
                 ("annual_check", "Sundhed: årligt helbredstjek"), ("last_check", "Sundhed: sidste helbredstjek")]
ACTION_FIELDS = [("text", "tekst"), ("responsible", "ansvarlig"), ("responsible_name", "ansvarlig"), ("department", "afdeling"),
                 ("legal_basis", "lovgrundlag"), ("due", "frist"), ("status", "status"),
                 ("requested_on", "søgt"), ("decided_on", "afgjort"), ("started_on", "startet"), ("ended_on", "slut")]


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed
    label: str
    old: str = ""
    new: str = ""


def _code(field: str, value) -> str:
    labels = {"active": _("aktivt"), "achieved": _("nået"), "replaced": _("erstattet"), "dropped": _("opgivet"),
              "not_started": _("ikke startet"), "in_progress": _("i gang"), "done": _("nået"), "citizen": _("borgeren"),
              "relative": _("pårørende"), "worker": _("medarbejder"), "department": _("afdeling"),
              "planned": _("planlagt"), "waiting": _("venter"), "paused": _("på pause")}
    return str(labels.get(value, value)) if field in ("status", "responsible") else _s(value)


def _s(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "strftime"):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    return str(value)


def _lists(label: str, old: list, new: list) -> list[Change]:
    return ([Change("removed", label, _s(v)) for v in old if v not in new]
            + [Change("added", label, new=_s(v)) for v in new if v not in old])


def _by_id(label: str, old: list, new: list, fields, title, nested=None) -> list[Change]:
    changes = []
    before, after = {x.id: x for x in old}, {x.id: x for x in new}
    for item_id, item in after.items():
        if item_id not in before:
            changes.append(Change("added", label, new=title(item)))
            continue
        was = before[item_id]
        for field, field_label in fields:
            if getattr(was, field) != getattr(item, field):
                changes.append(Change("changed", f"{label} »{title(item)}«: {_(field_label)}", _code(field, getattr(was, field)),
                                      _code(field, getattr(item, field))))
        if nested:
            changes += nested(was, item)
    changes += [Change("removed", label, title(item)) for item_id, item in before.items() if item_id not in after]
    return changes


def _goal_children(was, goal) -> list[Change]:
    where = f"»{goal.citizen_text}«"
    return (_by_id(_("Trædesten under %(goal)s") % {"goal": where}, was.sub_goals, goal.sub_goals,
                   [("text", "tekst"), ("status", "status")], lambda s: s.text)
            + _by_id(_("Handling under %(goal)s") % {"goal": where}, was.actions, goal.actions, ACTION_FIELDS,
                     lambda a: a.text))


def diff(old: PlanContent | None, new: PlanContent) -> list[Change]:
    old = old or PlanContent()
    changes = [Change("changed" if getattr(old, f) and getattr(new, f) else ("added" if getattr(new, f) else "removed"),
                      _(label), getattr(old, f), getattr(new, f))
               for f, label in TEXT_FIELDS if getattr(old, f) != getattr(new, f)]
    changes += _lists(_("Drøm"), old.dreams, new.dreams)
    changes += _lists(_("Ressource"), old.resources, new.resources)
    changes += _by_id(_("Barriere"), old.barriers, new.barriers, [("text", "tekst"), ("kind", "art"),
                      ("basic_type", "sygdom"), ("derived_type", "afledt type")], lambda b: b.text)
    changes += _by_id(_("Mål"), old.goals, new.goals, GOAL_FIELDS, lambda g: g.citizen_text, _goal_children)
    changes += _lists(_("Advarselstegn"), old.coping.warning_signs, new.coping.warning_signs)
    changes += _lists(_("Det hjælper mig"), old.coping.strategies, new.coping.strategies)
    changes += _lists(_("Personer jeg kan ringe til"), [p.name for p in old.coping.people], [p.name for p in new.coping.people])
    for field, label in HEALTH_FIELDS:
        if getattr(old.health, field) != getattr(new.health, field):
            changes.append(Change("changed", _(label), _s(getattr(old.health, field)), _s(getattr(new.health, field))))
    for field, label in (("about_me", "Akutark: om mig"), ("what_helps", "Akutark: det hjælper"), ("avoid", "Akutark: undgå")):
        if getattr(old.crisis, field) != getattr(new.crisis, field):
            changes.append(Change("changed", _(label), getattr(old.crisis, field), getattr(new.crisis, field)))
    return changes
