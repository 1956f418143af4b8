"""The front door: contacts, routing, the guide conversation and ad hoc help."""

from traedesten.frontdoor import services
from traedesten.gate import Action, Clearance, Section, Tool, require_tool

from ._gated import gated


def register_contact(actor, *, person: Clearance | None = None, **details):
    """Register a contact; a named one needs the citizen's contacts open for writing."""
    require_tool(actor, Tool.FRONT_DESK)
    if person is not None:
        person.require(Section.CONTACTS, action=Action.WRITE)
    return services.register_contact(actor, person=person.person if person else None, **details)


def route(actor, contact, outcome: str):
    require_tool(actor, Tool.FRONT_DESK)
    if outcome == "gone":
        return services.mark_gone(actor, contact)
    return services.route(actor, contact, outcome)


@gated(Section.CONTACTS)
def hold_guide_conversation(c: Clearance, **details):
    c.require(Section.COURSES, action=Action.WRITE)
    return services.hold_guide_conversation(c.user, person=c.person, **details)


@gated(Section.COURSES)
def give_ad_hoc_help(c: Clearance, **details):
    return services.give_ad_hoc_help(c.user, person=c.person, **details)
