"""The one access policy: (user, citizen) → which sections may be read and written, and why.

Every page, fragment, API operation, print, export and use case asks `clearance` (or `require`) and writes its read
through `record_read`, so the audit trail says who read which sections of whom, with the stated reason when there was one.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, Department, OutsideAccess, User, department_of
from traedesten.accounts.principals import CitizenPrincipal, is_citizen
from traedesten.people.models import Person

from . import relations as rel
from .rules import ALWAYS_SHARED, CITIZEN_RULE, CONSENT_ONLY, CONSENT_SCOPE, RELATION_SECTIONS, rule_for
from .vocabulary import Action, Relation, Section, Tool


class NeedsReason(PermissionDenied):
    """The citizen is outside the user's relations; a stated reason would open the section (flagged for review)."""

    def __init__(self, person_id: int):
        super().__init__("needs reason")
        self.person_id = person_id


_UNSET = object()


def department(user: User | CitizenPrincipal) -> Department | None:
    """The department of the user's first team that has one. A team without a department belongs to the
    department that owns citizens' plans (the municipality's social services). A citizen has none."""
    if isinstance(user, CitizenPrincipal):
        return None
    cached = getattr(user, "_gate_department", _UNSET)
    if cached is _UNSET:
        cached = department_of(user)
        vars(user)["_gate_department"] = cached
    return cached if isinstance(cached, Department) else None


def owns_plans(dept: Department | None) -> bool:
    return dept is None or dept.owns_plans


def decides_grants(dept: Department | None) -> bool:
    return dept is not None and dept.decides_grants


def department_allows(dept: Department | None, section: Section, consented: set[str],
                      relations: frozenset[Relation]) -> bool:
    """May the user's department see this section of the citizen at all?"""
    if section in ALWAYS_SHARED:
        return True
    if section is Section.AUTHORITY:
        return (owns_plans(dept) or decides_grants(dept) or Relation.HANDOVER_RECIPIENT in relations
                or Relation.DECISION_MANDATE in relations)
    if section in (Section.CONSENT, Section.SENSITIVE_NOTES):
        return owns_plans(dept)
    if owns_plans(dept):
        return True
    return CONSENT_SCOPE.get(section) in consented


def department_may_write(dept: Department | None, section: Section) -> bool:
    """A consent shares a section to read; only the department that owns the plan changes it. A deciding department
    writes its own authority records."""
    return owns_plans(dept) or (section is Section.AUTHORITY and decides_grants(dept))


@dataclass(frozen=True)
class Clearance:
    """What one user may do with one citizen, right now."""

    user: User | CitizenPrincipal
    person: Person
    relations: frozenset[Relation] = frozenset()
    readable: frozenset[Section] = frozenset()
    writable: frozenset[Section] = frozenset()
    may_decide: bool = False
    reason: str = ""
    """The stated reason, when the citizen is reached only through one; every read is then flagged."""
    by_reason: frozenset[Section] = frozenset()
    """Sections a stated reason would open to read."""
    by_reason_writable: frozenset[Section] = frozenset()
    """Sections a stated reason would open to write (and decide, for a deciding role in a deciding department)."""
    decides_by_reason: bool = False
    hidden_by_consent: frozenset[Section] = field(default=frozenset())
    """Sections the role may see but the citizen has not shared with the user's department."""

    @property
    def staff(self) -> User:
        """The staff user acting. A citizen on Min side is never one: a staff-only change refuses them."""
        if not isinstance(self.user, User):
            raise PermissionDenied
        return self.user

    @property
    def flagged(self) -> bool:
        return bool(self.reason)

    @property
    def reached(self) -> bool:
        return bool(self.readable)

    def can(self, section: Section, action: Action = Action.READ) -> bool:
        if action is Action.READ:
            return section in self.readable
        if action is Action.DECIDE:
            return self.may_decide
        return section in self.writable

    def require(self, *sections: Section, action: Action = Action.READ) -> "Clearance":
        """Raise NeedsReason or PermissionDenied unless every section is open for the action."""
        missing = [s for s in sections if not self.can(s, action)]
        if missing:
            opens = {Action.READ: self.by_reason, Action.WRITE: self.by_reason_writable,
                     Action.DECIDE: self.by_reason_writable if self.decides_by_reason else frozenset()}[action]
            if all(s in opens for s in missing):
                raise NeedsReason(self.person.pk)
            raise PermissionDenied
        return self

    def shown(self, *sections: Section) -> list[Section]:
        """The sections of `sections` that the user may read, in order."""
        return [s for s in sections if s in self.readable]


def _own_record(principal: CitizenPrincipal, person: Person) -> Clearance:
    """The citizen themself: their own active record, nothing of anybody else's."""
    if person.pk != principal.person_id or person.merged_into_id is not None:
        return Clearance(principal, person)
    opened = CITIZEN_RULE.reads & RELATION_SECTIONS[Relation.SELF]
    return Clearance(principal, person, relations=frozenset({Relation.SELF}), readable=opened,
                     writable=opened & CITIZEN_RULE.writes)


def clearance(user, person: Person, *, now=None) -> Clearance:
    if is_citizen(user):
        return _own_record(user, person)
    rule = rule_for(user)
    if rule is None or not rule.relations:
        return Clearance(user, person)
    is_recused, relations = rel.facts(user, rule, person.pk)
    if is_recused:
        return Clearance(user, person, relations=frozenset({Relation.RECUSED}))
    dept = department(user)
    if (not owns_plans(dept) and Relation.HANDOVER_RECIPIENT in rule.relations and dept is not None
            and rel.readable_handovers(dept.pk, person.pk, now)):
        relations.add(Relation.HANDOVER_RECIPIENT)
    mandated = (rule.decides and not decides_grants(dept) and not owns_plans(dept) and bool(relations)
                and rel.decides_by_mandate(user, person.pk))
    if mandated:
        relations.add(Relation.DECISION_MANDATE)
    consented = rel.consented_scopes(person.pk, dept.pk, now) if dept is not None and not owns_plans(dept) else set()
    reach = _reach(relations, person.pk, dept, now)
    reason = ""
    reason_reaches = rule.reach_outside and (rule.reason_only_with is None or rule.reason_only_with in relations)
    if reason_reaches and rule.reads - reach:
        grant = rel.open_outside_access(user, person.pk)
        if grant is not None:
            relations.add(Relation.OUTSIDE_WITH_REASON)
            reach |= RELATION_SECTIONS[Relation.OUTSIDE_WITH_REASON]
            reason = grant.reason
    frozen = frozenset(relations)
    allowed = {s for s in reach & rule.reads if department_allows(dept, s, consented, frozen)}
    writable = frozenset(s for s in allowed & rule.writes if department_may_write(dept, s)
                         or (mandated and s is Section.AUTHORITY))
    by_reason: frozenset[Section] = frozenset()
    if reason_reaches and not reason:
        with_reason = frozen | {Relation.OUTSIDE_WITH_REASON}
        by_reason = frozenset(s for s in rule.reads - allowed if department_allows(dept, s, consented, with_reason))
    deciding = rule.decides and (decides_grants(dept) or mandated)
    return Clearance(
        user, person, relations=frozen, readable=frozenset(allowed), writable=writable,
        may_decide=deciding and Section.AUTHORITY in allowed, reason=reason, by_reason=by_reason,
        by_reason_writable=frozenset(s for s in by_reason & rule.writes if department_may_write(dept, s)),
        decides_by_reason=deciding and Section.AUTHORITY in by_reason,
        hidden_by_consent=frozenset(s for s in rule.reads if s in CONSENT_SCOPE
                                    and not department_allows(dept, s, consented, frozen)))


def _reach(relations: set[Relation], person_id: int, dept: Department | None, now) -> set[Section]:
    """The sections the relations open. A section that only a consent-only relation opens (a family coordinator's view
    of a member's sub-plan) needs the citizen's consent to the user's department, whichever department that is."""
    reach: set[Section] = set()
    by_consent: set[Section] = set()
    for relation in relations:
        only = CONSENT_ONLY.get(relation, frozenset())
        reach |= RELATION_SECTIONS[relation] - only
        by_consent |= RELATION_SECTIONS[relation] & only
    if by_consent - reach:
        consented = rel.consented_scopes(person_id, dept.pk, now) if dept is not None else set()
        reach |= {s for s in by_consent if CONSENT_SCOPE.get(s) in consented}
    return reach


def require(user, person: Person, *sections: Section, action: Action = Action.READ) -> Clearance:
    return clearance(user, person).require(*sections, action=action)


def record_read(c: Clearance, name: str, sections, *, extra=(), channel: str | None = None,
                action: str = AuditAction.VIEW) -> None:
    """The read audit: one event per citizen and request, naming the page and the sections it showed."""
    shown = sorted({str(s) for s in sections if Section(s) in c.readable})
    audit.record(c.user, action, person=c.person, section=name, fields=shown + list(extra), reason=c.reason,
                 flagged=c.flagged, channel=channel)


def may_use(user, tool: Tool) -> bool:
    rule = rule_for(user)
    if rule is None or tool not in rule.tools:
        return False
    if tool in (Tool.AUTHORITY_DESK, Tool.GRANT_APPROVAL, Tool.EXEMPTIONS):
        return decides_grants(department(user))
    return True


def require_tool(user, *tools: Tool) -> None:
    """At least one of the tools."""
    if not any(may_use(user, t) for t in tools):
        raise PermissionDenied


def tools_of(user) -> frozenset[Tool]:
    rule = rule_for(user)
    return frozenset(t for t in rule.tools if may_use(user, t)) if rule else frozenset()


def persons_reached(user, section: Section = Section.IDENTITY, *, action: Action = Action.READ, today=None):
    """The citizens on whom the user may read (or write) `section` through their standing relations, not through a
    stated reason: lists, search, worklists and group registers use it."""
    rule = rule_for(user)
    if rule is None or section not in (rule.writes if action is Action.WRITE else rule.reads):
        return Person.objects.none()
    if is_citizen(user):
        return Person.objects.filter(pk=user.person_id, merged_into__isnull=True)
    dept = department(user)
    if action is Action.WRITE and not department_may_write(dept, section):
        return Person.objects.none()
    # a consent-only relation (the family coordinator's) never puts a citizen on a list of a consent-only section
    wanted = {r for r in rule.relations if section in RELATION_SECTIONS[r] - CONSENT_ONLY.get(r, frozenset())}
    persons = rel.reached_persons(user, rule, wanted, today)
    if Relation.HANDOVER_RECIPIENT in wanted and dept is not None and not owns_plans(dept):
        received = rel.handover_recipients(dept.pk)
        persons = (persons | Person.objects.filter(pk__in=received, merged_into__isnull=True)).exclude(
            rel.recused(user)).distinct()
        if section is Section.AUTHORITY or section in ALWAYS_SHARED:
            return persons
    if department_allows(dept, section, set(), frozenset()):
        return persons
    scope = CONSENT_SCOPE.get(section)
    if scope is None or dept is None:
        return Person.objects.none()
    return persons.filter(pk__in=rel.consented_persons(dept.pk, scope))


def sensitive(user, person: Person, section: Section) -> str:
    """"allowed", "needs_reason" or "denied" for the access log and the subject-access export. Every use is flagged."""
    rule = rule_for(user)
    if rule is None or section not in (Section.ACCESS_LOG, Section.SUBJECT_ACCESS) or rule.sensitive == "never":
        return "denied"
    if rule.sensitive == "always":
        return "allowed"
    return "needs_reason"


def use_sensitive(user, person: Person, section: Section, reason: str = "") -> OutsideAccess:
    """Record the use of a sensitive tool as a flagged access, to be reviewed by someone else."""
    state = sensitive(user, person, section)
    reason = " ".join(reason.split())
    if state == "denied" or (state == "needs_reason" and len(reason) < 10):
        raise PermissionDenied
    kind = OutsideAccess.Kind.ACCESS_LOG if section is Section.ACCESS_LOG else OutsideAccess.Kind.SUBJECT_ACCESS
    flag = OutsideAccess.objects.create(user=user, person=person, reason=reason or str(kind.label), kind=kind)
    audit.record(user, AuditAction.EXPORT if section is Section.SUBJECT_ACCESS else AuditAction.VIEW, person=person,
                 section=str(section), fields=[str(section)], reason=flag.reason, flagged=True)
    return flag


def grant_outside_access(user, person: Person, reason: str) -> OutsideAccess:
    """A stated reason opens the citizen for a few hours; it and every read under it are flagged for review."""
    if not clearance(user, person).by_reason:  # a reason opens nothing for this user (a recusal, say)
        raise PermissionDenied
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ValueError("reason too short")
    grant = OutsideAccess.objects.create(user=user, person=person, reason=reason)
    audit.record(user, AuditAction.VIEW, person=person, section="outside_access", reason=reason, flagged=True)
    return grant


def may_open_group(user, group) -> bool:
    """A group's page and register: its facilitators, and the group tool's users on the group's team."""
    if not may_use(user, Tool.GROUPS):
        return False
    if group.facilitators.filter(pk=user.pk).exists():
        return True
    return group.team_id is not None and group.team_id in rel.team_ids(user)
