"""Who may do what, as data. The policy (policy.py) reads these tables and nothing else decides access.

A role says which sections it may read and write at most, through which relations it reaches a citizen, whether
it may reach further with a stated reason, and which tools it uses. A relation says which sections it can open at
most. A department decides what consent is needed: see `policy.department_allows`.
"""

from dataclasses import dataclass
from typing import Literal

from traedesten.accounts.principals import is_citizen
from traedesten.accounts.roles import Role

from .vocabulary import CASE_SECTIONS, PLAN_SECTIONS, Relation, Section, Tool

S, R, T = Section, Relation, Tool


@dataclass(frozen=True)
class RoleRule:
    reads: frozenset[Section]
    writes: frozenset[Section]
    relations: frozenset[Relation]
    tools: frozenset[Tool]
    team_caseload: bool = False
    """Sees the caseload of the whole team, not only the citizens assigned to the user."""
    reach_outside: bool = False
    """May open a citizen outside its relations after stating a reason, which is flagged for review."""
    decides: bool = False
    """Takes authority decisions (grants, follow-ups, answers to requests), in a department that decides grants."""
    sensitive: Literal["never", "with_reason", "always"] = "never"
    """The access log and the subject-access export: never, after a stated reason, or by office (always flagged)."""
    reason_only_with: Relation | None = None
    """A stated reason reaches only citizens in this relation (the on-call service: citizens with a crisis sheet)."""


_STAFF_TOOLS = frozenset({T.WORKLIST, T.MY_CITIZENS, T.GROUPS, T.GROUP_CREATE, T.CITIZEN_SEARCH, T.CITIZEN_CREATE,
                          T.CASE_CONFERENCE, T.COMMUNITY_DIRECTORY, T.MEASURE_RESULTS, T.SURVEY_INVITES,
                          T.DATA_REQUESTS})
_FIGURES = frozenset({T.KEY_FIGURES, T.HOURS, T.ECONOMY, T.MEASURE_RESULTS})
_CASEWORKER = RoleRule(
    reads=CASE_SECTIONS, writes=CASE_SECTIONS,
    relations=frozenset({R.CASELOAD, R.GRANT_PROVIDER, R.ORDER_RECIPIENT, R.GROUP_FACILITATOR, R.DESK_VISITOR,
                         R.FAMILY_COORDINATOR}),
    tools=_STAFF_TOOLS | {T.FRONT_DESK, T.ORDERS}, team_caseload=True, reach_outside=True)

ROLE_RULES: dict[str, RoleRule] = {
    # The host greets, registers and routes: contacts and courses, never the plan, measurements or authority records.
    Role.HOST: RoleRule(
        reads=frozenset({S.IDENTITY, S.CPR, S.CONTACTS, S.COURSES, S.COMMUNITY, S.PARTICIPATION}),
        writes=frozenset({S.IDENTITY, S.CPR, S.CONTACTS, S.COURSES}),
        relations=frozenset({R.CASELOAD, R.GROUP_FACILITATOR, R.DESK_VISITOR}),
        tools=frozenset({T.FRONT_DESK, T.WORKLIST, T.MY_CITIZENS, T.GROUPS, T.CITIZEN_SEARCH, T.CITIZEN_CREATE,
                         T.COMMUNITY_DIRECTORY, T.CASE_CONFERENCE, T.SURVEY_INVITES}),
        team_caseload=True, reach_outside=True),
    Role.GUIDE: _CASEWORKER,
    Role.BOSTOTTE: _CASEWORKER,
    Role.OUTREACH: _CASEWORKER,
    Role.AUTHORITY: RoleRule(
        reads=CASE_SECTIONS, writes=CASE_SECTIONS,
        relations=frozenset({R.CASELOAD, R.GRANT_PROVIDER, R.HANDOVER_RECIPIENT, R.FAMILY_COORDINATOR}),
        tools=_STAFF_TOOLS - {T.GROUPS, T.GROUP_CREATE} | {T.AUTHORITY_DESK, T.EXEMPTIONS},
        team_caseload=True, reach_outside=True, decides=True),
    # Peer workers see the citizens assigned to them and their groups' participants: no CPR, no plan, no notes. They
    # host the desk too (in Fredericia the peer worker is one of the hosts): the host's tools, the desk's visitors
    # (who they are and why they came), registering contacts and ad hoc help, never the CPR number.
    Role.PEER: RoleRule(
        reads=frozenset({S.IDENTITY, S.CONTACTS, S.COURSES, S.PARTICIPATION}),
        writes=frozenset({S.IDENTITY, S.CONTACTS, S.COURSES, S.PARTICIPATION}),
        relations=frozenset({R.CASELOAD, R.GROUP_FACILITATOR, R.DESK_VISITOR}),
        tools=frozenset({T.GROUPS, T.CITIZEN_SEARCH, T.FRONT_DESK, T.CITIZEN_CREATE})),
    Role.VOLUNTEER_COORDINATOR: RoleRule(
        reads=frozenset({S.IDENTITY, S.COMMUNITY, S.PARTICIPATION}), writes=frozenset({S.COMMUNITY, S.PARTICIPATION}),
        relations=frozenset({R.CASELOAD, R.COMMUNITY_MATCH, R.GROUP_FACILITATOR}),
        tools=frozenset({T.GROUPS, T.CITIZEN_SEARCH, T.COMMUNITY_DIRECTORY, T.COMMUNITY_EDIT, T.VOLUNTEER_REGISTER,
                         T.COORDINATION}),
        team_caseload=True),
    # Volunteers see their own escort tasks (a first name, a time, a place and the task), and run continuation
    # groups: first names and attendance in the groups they facilitate.
    Role.VOLUNTEER: RoleRule(
        reads=frozenset({S.ESCORT, S.PARTICIPATION}), writes=frozenset({S.ESCORT, S.PARTICIPATION}),
        relations=frozenset({R.ESCORT_VOLUNTEER, R.GROUP_FACILITATOR}), tools=frozenset({T.VOLUNTEER_TASKS, T.GROUPS})),
    Role.MANAGER: RoleRule(
        reads=CASE_SECTIONS, writes=CASE_SECTIONS,
        relations=frozenset({R.CASELOAD, R.GRANT_PROVIDER, R.ORDER_RECIPIENT, R.GROUP_FACILITATOR,
                             R.HANDOVER_RECIPIENT, R.DESK_VISITOR}),
        tools=_STAFF_TOOLS | _FIGURES | {T.FRONT_DESK, T.AUTHORITY_DESK, T.COORDINATION, T.ACCESS_REVIEW,
                                         T.AUDIT_EXPORT, T.RECUSALS, T.ORDERS, T.CASELOAD_NORMS, T.ON_CALL,
                                         T.ON_CALL_ROSTER, T.COMPETENCES, T.MATCHING, T.GRANT_APPROVAL,
                                         T.EXEMPTIONS},
        team_caseload=True, reach_outside=True, decides=True, sensitive="with_reason"),
    Role.ANALYST: RoleRule(reads=frozenset(), writes=frozenset(), relations=frozenset(), tools=_FIGURES),
    # Administrators keep users, teams and catalogues; they never see a citizen, an access log or a secret.
    Role.ADMIN: RoleRule(
        reads=frozenset(), writes=frozenset(), relations=frozenset(),
        tools=_FIGURES | {T.ADMINISTRATION, T.COMMUNITY_DIRECTORY, T.COMMUNITY_EDIT, T.VOLUNTEER_REGISTER}),
    # The data-protection officer reviews flagged look-ups and answers requests for access; every use is flagged.
    Role.DPO: RoleRule(
        reads=frozenset(), writes=frozenset(), relations=frozenset(),
        tools=frozenset({T.ACCESS_REVIEW, T.AUDIT_EXPORT, T.DATA_REQUESTS}), sensitive="always"),
    # The on-call service (vagttelefon, døgnvagt) answers citizens it does not know, day and night: after a stated
    # reason, flagged for review, it opens the crisis sheet of any citizen who has one, with the name, age, address and
    # phone that identify the caller (never the CPR number), and registers the contact. Never the rest of the plan, the
    # courses, measurements or notes (decision 0048).
    Role.ON_CALL: RoleRule(
        reads=frozenset({S.IDENTITY, S.COPING, S.ON_CALL}), writes=frozenset({S.ON_CALL}),
        relations=frozenset({R.CRISIS_SHEET}), tools=frozenset({T.ON_CALL}),
        reach_outside=True, reason_only_with=R.CRISIS_SHEET),
}

_CITIZEN_SECTIONS = frozenset({S.IDENTITY, S.COURSES, *PLAN_SECTIONS, S.MEASURES, S.COMMUNITY, S.CONSENT,
                               S.ACCESS_LOG, S.LETTERS})
CITIZEN_RULE = RoleRule(
    reads=_CITIZEN_SECTIONS, writes=frozenset({S.GOALS, S.MEASURES, S.CONSENT}), relations=frozenset({R.SELF}),
    tools=frozenset())
"""The citizen on Min side: their own record as they know it (no CPR on screen, no contact reasons, no authority
records, no other citizen's participation), their own access log; they tick stepping stones, score themselves and
give and withdraw their consents. The pages show the citizen's words only: professional wording and staff notes are
never rendered there (tests/test_access_routes.py checks it by content)."""

_EVERYTHING = frozenset(Section)
RELATION_SECTIONS: dict[Relation, frozenset[Section]] = {
    R.CASELOAD: _EVERYTHING,
    R.GRANT_PROVIDER: _EVERYTHING,
    R.OUTSIDE_WITH_REASON: _EVERYTHING,
    R.GROUP_FACILITATOR: frozenset({S.PARTICIPATION}),
    R.COMMUNITY_MATCH: frozenset({S.IDENTITY, S.COMMUNITY}),
    R.ESCORT_VOLUNTEER: frozenset({S.ESCORT}),
    R.DESK_VISITOR: frozenset({S.IDENTITY, S.CONTACTS}),
    R.HANDOVER_RECIPIENT: frozenset({S.IDENTITY, S.CPR, S.AUTHORITY}),
    R.ORDER_RECIPIENT: frozenset({S.IDENTITY, S.CPR, S.AUTHORITY}),
    R.RECUSED: frozenset(),
    R.CRISIS_SHEET: frozenset(),
    R.FAMILY_COORDINATOR: frozenset({S.IDENTITY, *PLAN_SECTIONS}),
    R.SELF: _CITIZEN_SECTIONS,
    R.DECISION_MANDATE: frozenset({S.IDENTITY, S.CPR, S.AUTHORITY}),
}
"""The most each relation can open; the role and the department narrow it further."""

CONSENT_ONLY: dict[Relation, frozenset[Section]] = {R.FAMILY_COORDINATOR: frozenset(PLAN_SECTIONS)}
"""Sections a relation opens only with the citizen's own consent to the user's department, even in the department that
owns the plans: a family's coordinator sees a member's sub-plan only as far as that member shares it (decision 0059)."""

CONSENT_SCOPE: dict[Section, str] = {
    S.CONTACTS: "contacts", S.COURSES: "courses", **{s: str(s) for s in PLAN_SECTIONS}, S.MEASURES: "measures",
    S.ON_CALL: "courses",
    S.COMMUNITY: "network", S.NOTES: "notes", S.DOCUMENTS: "documents", S.LETTERS: "documents",
}
"""The consent scope that shares a section with a department that does not own the citizen's plan. Sensitive notes
have none: they stay in the department that keeps the case record, like the consent register."""

ALWAYS_SHARED = frozenset({S.IDENTITY, S.CPR, S.PARTICIPATION, S.ESCORT})
"""Sections that follow the relation alone: whoever reaches the citizen knows who it is."""


def rule_for(user) -> RoleRule | None:
    if is_citizen(user):
        return CITIZEN_RULE
    if not getattr(user, "is_authenticated", False):
        return None
    return ROLE_RULES.get(user.role)


def roles_reaching_citizens() -> list[str]:
    """The roles that can have a relation to a citizen at all (recusals and assignments name only these)."""
    return [role for role, rule in ROLE_RULES.items() if rule.relations]


def roles_writing(section: Section) -> list[str]:
    return [role for role, rule in ROLE_RULES.items() if section in rule.writes]


def roles_with_relation(relation: Relation) -> list[str]:
    return [role for role, rule in ROLE_RULES.items() if relation in rule.relations]
