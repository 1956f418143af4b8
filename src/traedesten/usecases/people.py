"""Changes to a citizen's identity, network and consents."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.gate import Action, Clearance, Relation, Section, Tool, persons_reached, require_tool, sensitive
from traedesten.gate.rules import rule_for
from traedesten.people import consent as consents, contacts, requests as data_requests, services
from traedesten.people.models import Consent, DataRequest

from ._gated import gated, same_citizen


def create_person(actor, data: dict, *, confirm_similar: bool = False, channel: str = "web"):
    require_tool(actor, Tool.CITIZEN_CREATE)
    if data.get("cpr") and not may_write_cpr(actor):
        raise PermissionDenied(_("Din rolle registrerer ikke CPR-numre."))
    if not (data.get("first_name") or data.get("last_name")):
        raise ValidationError(_("Skriv mindst et fornavn eller et efternavn."))
    return services.create_person(actor, data, confirm_similar=confirm_similar, channel=channel)


def may_write_cpr(actor) -> bool:
    """A role that never sees CPR numbers (the peer worker at the desk) does not type them in either."""
    rule = rule_for(actor)
    return rule is not None and Section.CPR in rule.writes


def create_pseudonymous(actor, *, sex: str, approx_age: int | None, channel: str = "web"):
    require_tool(actor, Tool.CITIZEN_CREATE)
    return services.create_pseudonymous(actor, sex=sex, approx_age=approx_age, channel=channel)


@gated(Section.IDENTITY)
def update_person(c: Clearance, data: dict, *, expected_version: int, channel: str = "web"):
    if "cpr" in data:
        c.require(Section.CPR, action=Action.WRITE)
    first = data.get("first_name", c.person.first_name)
    last = data.get("last_name", c.person.last_name)
    if not c.person.is_pseudonymous and not (first or last):
        raise ValidationError(_("Skriv mindst et fornavn eller et efternavn."))
    return services.update_person(c.user, c.person, data, expected_version=expected_version, channel=channel)


@gated(Section.IDENTITY)
def merge_into(c: Clearance, target: Clearance):
    """A pseudonymous registration turned out to be an identified citizen: both must be open to the user."""
    target.require(Section.IDENTITY, action=Action.WRITE)
    if not c.person.is_pseudonymous or c.person.pk == target.person.pk:
        raise PermissionDenied
    return services.merge_persons(c.user, source=c.person, target=target.person)


@gated(Section.NETWORK)
def add_network_person(c: Clearance, data: dict, *, channel: str = "web"):
    return services.add_network_person(c.user, c.person, data, channel=channel)


@gated(Section.CONSENT)
def give_consent(c: Clearance, *, recipient, **details):
    """Only the department that owns the citizen's plan, or the citizen themself on Min side, records a consent (the
    gate opens CONSENT to no one else); it shares with another department, never with the owning one. The citizen's
    own consent is given digitally, by them, today. A consent to the citizen's GP (`external="gp"`, no department)
    is recorded by the owning department only (decision 0050)."""
    if recipient is None:
        if Relation.SELF in c.relations:
            raise PermissionDenied(_("Samtykke til egen læge registreres af din kontaktperson."))
        return consents.give_consent(c.user, c.person, recipient=None, **details)
    if details.get("external"):
        raise ValidationError(_("Vælg én modtager: en afdeling eller borgerens egen læge."))
    if recipient.owns_plans:
        raise ValidationError(_("%(dept)s ser allerede hele planen og skal ikke have et samtykke.") % {"dept": recipient})
    if Relation.SELF in c.relations:
        details |= {"form": Consent.Form.MIN_SIDE, "given_by": Consent.GivenBy.CITIZEN,
                    "given_on": timezone.localdate()}
    return consents.give_consent(c.user, c.person, recipient=recipient, **details)


@gated(Section.CONSENT)
def withdraw_consent(c: Clearance, consent):
    same_citizen(c, consent)
    return consents.withdraw_consent(c.user, consent)


@gated(Section.IDENTITY, Action.READ)
def request_data(c: Clearance, kind: str, text: str = ""):
    """The citizen asks for a copy of their data or a correction, from Min side."""
    if Relation.SELF not in c.relations:
        raise PermissionDenied
    return data_requests.make_request(c.user, c.person, kind, text)


def may_answer(c: Clearance, request: DataRequest) -> bool:
    """Staff who may change the citizen's details answer any request; the data-protection officer, by office, answers
    requests for access (the export is theirs to hand over)."""
    if request.person_id != c.person.pk or Relation.SELF in c.relations:
        return False
    if c.can(Section.IDENTITY, Action.WRITE):
        return True
    return (request.kind == DataRequest.Kind.ACCESS
            and sensitive(c.user, c.person, Section.SUBJECT_ACCESS) == "allowed")


def answer_data_request(c: Clearance, request: DataRequest, **details):
    if not may_answer(c, request):
        raise PermissionDenied
    return data_requests.answer_request(c.user, request, **details)


def disclose_duplicates(actor, exc, *, channel: str | None = None) -> list:
    """A create or update was refused because the citizen may exist already. Showing who is a disclosure, so it is
    audited as a search (after the refused transaction, which took its own audit with it)."""
    found = [exc.existing] if isinstance(exc, services.DuplicatePerson) else list(exc.candidates)
    audit.record(actor, AuditAction.SEARCH, persons=found, section="duplicate_check", channel=channel)
    return found


def search(actor, *, text: str = "", cpr: str = "", channel: str = "web"):
    """Name, phone or CPR search over the citizens the actor reaches; roles that may state a reason also learn that
    someone outside exists (without a birth date or an address)."""
    rule = rule_for(actor)
    if rule is None or Tool.CITIZEN_SEARCH not in rule.tools:
        return []
    return services.search_persons(actor, reached=persons_reached(actor), outside=rule.reach_outside, text=text,
                                   cpr=cpr, channel=channel)


def change_contact_person(c: Clearance, kind: str, *, on, worker=None, name: str = "", within=None):
    """The one use case for every change of a citizen's caseworker, mentor, support contact (§85) or coordinator
    (decision 0060): the contact-person page, the plan's coordinator and the matching all record the history through
    it. On its own it needs the citizen's courses open to write; `within` is the section of the use case that calls
    it as part of its own change (the plan's coordinator: the plan; the matching: the courses)."""
    c.require(within or Section.COURSES, action=Action.WRITE)
    if worker is not None and not worker.is_active:
        raise ValidationError(_("Medarbejderen er ikke aktiv."))
    return contacts.change_contact(c.staff, c.person, kind, on=on, worker=worker, name=name)
