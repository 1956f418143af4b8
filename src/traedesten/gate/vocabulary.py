"""The words of the access policy: the sections of a citizen's record, the relations a user can have to a citizen,
the tools (pages without a citizen) and the two actions."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Section(StrEnum):
    """A part of a citizen's record that is opened, shown, shared and audited as one."""

    IDENTITY = "identity"
    """Name, age, sex, address, phone, e-mail, contact wish and caseload."""
    CPR = "cpr"
    CONTACTS = "contacts"
    """Contacts at the front door and their reasons, and the entry slip of the guide conversation."""
    COURSES = "courses"
    """Courses, activities, group participation, hours packages and shadow visitation."""
    STORY = "story"
    GOALS = "goals"
    ACTIONS = "actions"
    NETWORK = "network"
    """Network persons and the plan's network part."""
    COPING = "coping"
    """The coping plan and the crisis sheet."""
    HEALTH = "health"
    """The plan's health section: the citizen's GP, who handles the medication, the annual health check
    (decision 0050). Shared with another department only by a consent that names health."""
    MEASURES = "measures"
    ON_CALL = "on_call"
    """Contacts with the on-call service (activities of the kind on_call_contact without a course): when, how and a
    few words. The on-call worker registers them next to the crisis sheet without seeing the courses."""
    COMMUNITY = "community"
    """Matches with community offers, escorts and kick-off meetings."""
    AUTHORITY = "authority"
    """Hand-overs, case conferences, rights, requests for assessment, grants, follow-ups and FFB reports."""
    CONSENT = "consent"
    """The consent register itself."""
    NOTES = "notes"
    """Journal notes (the duty to take notes, notatpligt): every version of every note not marked sensitive."""
    SENSITIVE_NOTES = "sensitive_notes"
    """Journal notes marked sensitive, and their history: only within the department that keeps the case record,
    never shared by consent."""
    DOCUMENTS = "documents"
    LETTERS = "letters"
    """Letters sent to the citizen: what they were about and the letter itself. The citizen reads their own on Min
    side; staff read them where they read documents (a letter's PDF is also a document)."""
    """Documents received or uploaded, and letters sent to the citizen (a letter is a document)."""
    PARTICIPATION = "participation"
    """A group facilitator's view: the participant's first name and attendance in that group."""
    ESCORT = "escort"
    """A volunteer's task: the citizen's first name, when and where to meet, and what to do."""
    ACCESS_LOG = "access_log"
    """Who has looked at the citizen: a sensitive tool, only with the data-protection role or a stated reason."""
    SUBJECT_ACCESS = "subject_access"
    """Everything about the citizen, for the right of access (GDPR art. 15): as sensitive as the access log."""


RECORD_SECTIONS = (Section.NOTES, Section.SENSITIVE_NOTES, Section.DOCUMENTS, Section.LETTERS)
"""The case record: journal notes and documents (letters included)."""
PLAN_SECTIONS = (Section.STORY, Section.GOALS, Section.ACTIONS, Section.NETWORK, Section.COPING, Section.HEALTH)
CASE_SECTIONS = frozenset({Section.IDENTITY, Section.CPR, Section.CONTACTS, Section.COURSES, *PLAN_SECTIONS,
                           Section.MEASURES, Section.ON_CALL, Section.COMMUNITY, Section.AUTHORITY, Section.CONSENT,
                           Section.PARTICIPATION, *RECORD_SECTIONS})
SENSITIVE_SECTIONS = frozenset({Section.ACCESS_LOG, Section.SUBJECT_ACCESS})

SECTION_LABELS = {
    Section.IDENTITY: _("Stamdata"), Section.CPR: _("CPR-nummer"), Section.CONTACTS: _("Henvendelser"),
    Section.COURSES: _("Forløb og aktiviteter"), Section.STORY: _("Borgerens fortælling og drømme"),
    Section.GOALS: _("Mål og trædesten"), Section.ACTIONS: _("Handlinger"), Section.NETWORK: _("Netværk"),
    Section.COPING: _("Mestringsplan og akutark"), Section.HEALTH: _("Sundhed"), Section.MEASURES: _("Målinger"),
    Section.ON_CALL: _("Vagtkontakter"),
    Section.COMMUNITY: _("Fællesskaber og ledsagelse"), Section.AUTHORITY: _("Myndighed"),
    Section.CONSENT: _("Samtykker"), Section.NOTES: _("Journalnotater"),
    Section.SENSITIVE_NOTES: _("Følsomme journalnotater"), Section.DOCUMENTS: _("Dokumenter og breve"),
    Section.LETTERS: _("Breve til borgeren"),
    Section.PARTICIPATION: _("Deltagelse på hold"),
    Section.ESCORT: _("Ledsageropgave"), Section.ACCESS_LOG: _("Hvem har set borgeren"),
    Section.SUBJECT_ACCESS: _("Indsigt i alt om borgeren"),
}


class Relation(StrEnum):
    """Why a user may reach a citizen at all."""

    CASELOAD = "caseload"
    """The citizen is on the user's own caseload, or on the team's for roles that work as a team."""
    GRANT_PROVIDER = "grant_provider"
    """The user is on the provider team that accepted the order of a running grant for the citizen (authority/orders.py):
    from the grant's start until it ends or names another provider."""
    ORDER_RECIPIENT = "order_recipient"
    """An order (bestilling) to the user's team waits for an answer: the team sees who it is and what is ordered."""
    GROUP_FACILITATOR = "group_facilitator"
    """The user facilitates a group the citizen is (or was) enrolled in."""
    COMMUNITY_MATCH = "community_match"
    """The citizen has a current match with a community offer that the user coordinates."""
    DESK_VISITOR = "desk_visitor"
    """The citizen is at the front desk today: a walk-in waiting, or received and waiting for the help to be
    registered. The desk's hosts see who it is and why they came."""
    ESCORT_VOLUNTEER = "escort_volunteer"
    """The user is the volunteer on one of the citizen's escorts."""
    HANDOVER_RECIPIENT = "handover_recipient"
    """A hand-over was sent to the user's department and the citizen's consent to share it is in force."""
    OUTSIDE_WITH_REASON = "outside_with_reason"
    """The user stated a reason for opening the citizen outside every other relation; flagged for review."""
    RECUSED = "recused"
    """The user has a conflict of interest and may not reach the citizen at all, whatever else holds."""
    CRISIS_SHEET = "crisis_sheet"
    """The citizen has a crisis sheet (the plan's coping part is filled in). It opens nothing by itself: it is what a
    stated reason needs for the on-call service to open the crisis sheet (decision 0048)."""
    FAMILY_COORDINATOR = "family_coordinator"
    """The user coordinates a running family the citizen is a current member of (people.Household.coordinator). It
    opens the member's name; the member's sub-plan only with that member's own consent to the user's department
    (rules.CONSENT_ONLY), whatever department the coordinator is in (decision 0059)."""
    SELF = "self"
    """The citizen themself, logged in on Min side with MitID: their own record, in their own words."""
    DECISION_MANDATE = "decision_mandate"
    """The user already reaches the citizen, works outside a department that decides grants, holds a decision mandate
    in force, and the citizen is exempt from sector-divided organisation (decisions 0057, 0058): the authority part
    opens to read, write and decide within the mandate."""


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    DECIDE = "decide"
    """An authority decision: a grant, a follow-up, an answer to a request. Only in a deciding department."""


class Tool(StrEnum):
    """A page or feature that is not about one citizen."""

    FRONT_DESK = "front_desk"
    WORKLIST = "worklist"
    GROUPS = "groups"
    GROUP_CREATE = "group_create"
    CITIZEN_SEARCH = "citizen_search"
    CITIZEN_CREATE = "citizen_create"
    CASE_CONFERENCE = "case_conference"
    AUTHORITY_DESK = "authority_desk"
    ORDERS = "orders"
    """The provider's inbox of orders from the authority."""
    MY_CITIZENS = "my_citizens"
    """"Mine borgere": the citizens the user or the team works with, by next deadline and last contact."""
    CASELOAD_NORMS = "caseload_norms"
    """Per worker: active citizens, hours and overdue items against the team's caseload norm."""
    ON_CALL = "on_call"
    """The on-call page: who is on call now, and finding a citizen's crisis sheet."""
    ON_CALL_ROSTER = "on_call_roster"
    """Keeping the 24/7 team's on-call roster."""
    COMPETENCES = "competences"
    """The competence register of the user's teams (everyone sees their own)."""
    GRANT_APPROVAL = "grant_approval"
    """Grants proposed beyond a caseworker's decision mandate, waiting for a manager's approval (decision 0058)."""
    EXEMPTIONS = "exemptions"
    """Recording and ending the free-municipality exemptions of a citizen or a family (decision 0057)."""
    MATCHING = "matching"
    """The matching queue: citizens with a new § 85 order or a request for another worker, waiting for a worker."""
    COMMUNITY_DIRECTORY = "community_directory"
    COMMUNITY_EDIT = "community_edit"
    VOLUNTEER_REGISTER = "volunteer_register"
    COORDINATION = "coordination"
    VOLUNTEER_TASKS = "volunteer_tasks"
    MEASURE_RESULTS = "measure_results"
    SURVEY_INVITES = "survey_invites"
    KEY_FIGURES = "key_figures"
    HOURS = "hours"
    ECONOMY = "economy"
    ACCESS_REVIEW = "access_review"
    DATA_REQUESTS = "data_requests"
    """The queue of citizens' requests for access to and rectification of their data."""
    AUDIT_EXPORT = "audit_export"
    RECUSALS = "recusals"
    ADMINISTRATION = "administration"
