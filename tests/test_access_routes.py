"""The access matrix, generated from the URL configuration and the API's OpenAPI document.

Every route is requested by every viewer (a user per role, and a jobcentre caseworker) for every citizen of the
test municipality, each of whom stands in one relation to the viewers (see access_world.py). Three things are
checked on every response:

1. **Never more than the policy.** A page or operation that lets the request through must be one the gate opens for
   that viewer and citizen (the section and action the route declares below), or a tool the viewer has. A route may
   refuse more (a closed course, a wrong kind of offer), never less. Sent to the reason form only where a stated
   reason would open it.
2. **Judged by content.** Every section of every citizen carries a marker. No response (HTML, JSON, PDF, CSV, XLSX)
   contains a marker of a section the gate does not open to the viewer for that citizen.
3. **Audited once.** A page that shows a citizen's markers wrote exactly one read event for that citizen in that
   request, naming a section the markers belong to.

Two of the viewers are citizens logged in on Min side (citizen A and citizen B). They meet every route too: no staff
page or API operation lets them through, Min side shows each of them their own record only, and never a marker that
is staff-only (professional wording, staff notes, contact reasons, authority records, the CPR number).

A route without an entry in ROUTES fails `test_every_route_is_in_the_matrix`.
"""

import io
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from access_world import CITIZEN_VIEWERS, JOBCENTRE, VIEWERS, build
from conftest import goal_input, grant_kwargs, login_citizen, login_verified
from traedesten.accounts.models import AuditEvent
from traedesten.accounts.principals import is_citizen
from traedesten.gate import Action, NeedsReason, Relation, Section, Tool, clearance, may_use, sensitive

S, T = Section, Tool
ALLOW, REASON, DENY = "allow", "reason", "deny"


@dataclass(frozen=True)
class Citizen:
    """The route names one citizen's record: GET needs `read`, POST/PUT/PATCH needs `write`."""

    read: tuple = (S.IDENTITY,)
    write: tuple | None = None
    read_action: Action = Action.READ
    ids: tuple = ()
    any_of: bool = False
    """The page opens when any one of the sections is open (the plan page)."""
    sensitive: Section | None = None
    write_action: Action | None = None
    reason_form: bool = False
    """The reason form itself: it opens wherever the citizen is open or a stated reason would open it."""
    or_relation: Relation | None = None
    """A change that users in this relation to the citizen may also make (the family's coordinator writes the family's
    shared direction and members without writing any member's plan; decision 0059)."""
    or_sensitive: Section | None = None
    """A change that the sensitive tool's holders may also make (the data-protection officer answering a request
    for a copy of the citizen's data)."""

    def need(self, method: str):
        if method == "GET":
            return self.read, self.read_action
        if self.write_action is not None:
            return (self.write or self.read), self.write_action
        return (self.write or self.read), Action.DECIDE if self.read_action is Action.DECIDE else Action.WRITE


@dataclass(frozen=True)
class Tools:
    tools: tuple
    ids: tuple = ()


@dataclass(frozen=True)
class Own:
    """A page of Min side: the logged-in citizen's own record. Only the citizen themself may pass, for the sections
    named (GET reads `read`, POST writes `write`). Without `ids` the page is about whoever is logged in."""

    read: tuple = (S.IDENTITY,)
    write: tuple | None = None
    by_id: bool = False
    """The URL names a record (a consent): requested with every citizen's, only the owner's may pass."""
    write_action: Action = Action.WRITE
    """What a POST needs of `write`: a request for a copy of one's data asks, it changes nothing."""


EXEMPT = "exempt"
PLAN = (S.STORY, S.GOALS, S.ACTIONS, S.NETWORK, S.COPING, S.HEALTH)


def cit(*read, write=None, action=Action.READ, ids=(), any_of=False):
    return Citizen(read=read or (S.IDENTITY,), write=write, read_action=action, ids=ids, any_of=any_of)


W = Action.WRITE
ROUTES = {
    "home": Tools(()), "session_status": Tools(()),
    "login": EXEMPT, "logout": EXEMPT, "set_language": EXEMPT,
    # the kiosk is reached by a one-time token bound to the worker's session; tests/test_measures.py covers it
    "measures:kiosk": EXEMPT, "measures:kiosk_return": EXEMPT,
    # the citizen answers through the unguessable link alone; tests/test_surveys.py covers it
    "answer": EXEMPT,
    # Min side's login, callback and logout: tests/test_citizen_login.py drives them against a real OpenID Provider
    "citizen:login": EXEMPT, "citizen:login_expired": EXEMPT, "citizen:login_start": EXEMPT,
    "citizen:callback": EXEMPT, "citizen:logout": EXEMPT,
    "citizen:home": Own((S.IDENTITY, S.COURSES, S.COMMUNITY)),
    "citizen:plan": Own(PLAN),
    "citizen:tick": Own((S.GOALS,), write=(S.GOALS,)),
    "citizen:scores": Own((S.MEASURES,)),
    "citizen:score_home": Own((S.MEASURES,), write=(S.MEASURES,)),
    "citizen:consents": Own((S.CONSENT,), write=(S.CONSENT,)),
    "citizen:consent_withdraw": Own((S.CONSENT,), write=(S.CONSENT,), by_id=True),
    "citizen:log": Own((S.ACCESS_LOG,)),
    "citizen:letters": Own((S.IDENTITY, S.COURSES, S.LETTERS)),
    "citizen:letter": Own((S.LETTERS,), by_id=True),
    "citizen:my_data": Own((S.IDENTITY,), write=(S.IDENTITY,), write_action=Action.READ),
    "people:data_requests": Tools((T.DATA_REQUESTS,)),
    "people:data_request": Citizen(write=(S.IDENTITY,), or_sensitive=S.SUBJECT_ACCESS),
    "accounts:otp_verify": Tools(()), "accounts:otp_setup": Tools(()),
    "accounts:tokens": Tools(()), "accounts:token_revoke": Tools(()),
    # everyone sees their own competences; only the register's tool (managers) adds and deletes
    "accounts:competences": Tools(()), "accounts:competence_delete": Tools((T.COMPETENCES,)),
    "oncall:home": Tools((T.ON_CALL, T.ON_CALL_ROSTER)),
    "oncall:crisis_sheet": cit(S.IDENTITY, S.COPING, write=(S.ON_CALL,)),
    "oncall:roster": Tools((T.ON_CALL_ROSTER,)),
    "oncall:shift_delete": Tools((T.ON_CALL_ROSTER,)),
    "authority:matching_queue": Tools((T.MATCHING,)),
    "authority:matching": cit(S.IDENTITY, write=(S.IDENTITY, S.COURSES)),
    "authority:worker_change": cit(S.IDENTITY, S.COURSES, write=(S.IDENTITY, S.COURSES)),
    "accounts:outside_access": Citizen(reason_form=True),
    "accounts:person_audit": Citizen(sensitive=S.ACCESS_LOG),
    "accounts:subject_access": Citizen(sensitive=S.SUBJECT_ACCESS),
    "accounts:recusals": Citizen(write_action=Action.READ),
    "accounts:audit_export": Tools((T.AUDIT_EXPORT,)),
    "accounts:flagged": Tools((T.ACCESS_REVIEW,)),
    "accounts:review_access": Tools((T.ACCESS_REVIEW,)),
    "people:search": Tools((T.CITIZEN_SEARCH,)),
    "people:create": Tools((T.CITIZEN_CREATE,)),
    "people:create_pseudonymous": Tools((T.CITIZEN_CREATE,)),
    "people:overview": cit(S.IDENTITY),
    "people:edit": cit(S.IDENTITY, action=W),
    "people:merge": cit(S.IDENTITY, write=(S.IDENTITY,), ids=(("person_id", "pseudonym_id"),
                                                             ("target_id", "person_id"))),
    "people:network_add": cit(S.NETWORK, action=W),
    "people:consents": cit(S.CONSENT),
    "people:contact_persons": cit(S.COURSES),
    "people:consent_withdraw": cit(S.CONSENT, action=W),
    "people:network_map": cit(S.NETWORK),
    "frontdoor:desk": Tools((T.FRONT_DESK,)),
    "frontdoor:route": Tools((T.FRONT_DESK,)),
    "frontdoor:guide_conversation": Tools((T.FRONT_DESK,)),
    "frontdoor:ad_hoc": Tools((T.FRONT_DESK,)),
    "courses:worklist": Tools((T.WORKLIST,)),
    "courses:work_item": cit(S.COURSES, action=W),
    "courses:my_citizens": Tools((T.MY_CITIZENS,)),
    "courses:caseload_norms": Tools((T.CASELOAD_NORMS,)),
    "courses:start": cit(S.COURSES, action=W),
    "courses:activity": cit(S.COURSES, action=W),
    "courses:enrol": cit(S.COURSES, action=W),
    "courses:close": cit(S.COURSES, action=W),
    "courses:package": cit(S.COURSES, action=W, ids=(("course_id", "bostotte_course_id"),)),
    "courses:limit": cit(S.COURSES, write=(S.COURSES,), ids=(("course_id", "limited_course_id"),)),
    "courses:reenter": cit(S.COURSES, action=W, ids=(("course_id", "closed_course_id"),)),
    "courses:hours": Tools((T.HOURS,)),
    "courses:package_hours": Tools((T.HOURS,)),
    "courses:groups": Tools((T.GROUPS,)),
    "courses:group_new": Tools((T.GROUP_CREATE,)),
    "courses:group": Tools((T.GROUPS,)),
    "courses:session_new": Tools((T.GROUPS,)),
    "courses:group_end": Tools((T.GROUPS,)),
    "courses:session_edit": Tools((T.GROUPS,)),
    "measures:person": cit(S.MEASURES),
    "measures:trajectory": cit(S.MEASURES),
    "measures:start": cit(S.MEASURES, action=W),
    "measures:schedule": cit(S.MEASURES, action=W),
    "measures:results": Tools((T.MEASURE_RESULTS,)),
    "measures:fit_start": cit(S.COURSES, S.MEASURES, action=W),
    "measures:fit_session": cit(S.COURSES, S.MEASURES, ids=(("activity_id", "session_activity_id"),)),
    "measures:fit_kiosk": cit(S.MEASURES, action=W, ids=(("activity_id", "session_activity_id"),)),
    "measures:fit_practice": Tools(()),
    "measures:group_srs": cit(S.MEASURES, action=W, ids=(("session_id", "session_id"),)),
    "plans:plan": cit(*PLAN, any_of=True),
    "plans:edit": cit(*PLAN, action=W),
    "plans:versions": cit(*PLAN),
    "plans:coordinator": cit(*PLAN, action=W),
    "plans:meeting": cit(*PLAN, action=W),
    "plans:pause": cit(*PLAN, action=W),
    "plans:resume": cit(*PLAN, action=W),
    "plans:print": cit(*PLAN, any_of=True),
    "plans:pdf": cit(*PLAN, any_of=True),
    "plans:health_check": cit(S.HEALTH, action=W),
    "plans:exemptions": cit(S.AUTHORITY, action=Action.DECIDE),
    "plans:exemption_end": cit(S.AUTHORITY, action=Action.DECIDE),
    "plans:gp_print": cit(S.HEALTH, S.CONSENT),
    "plans:gp_pdf": cit(S.HEALTH, S.CONSENT),
    # the family plan, reached through one member; each member shown as far as the gate opens that member
    "plans:family": cit(S.IDENTITY),
    "plans:family_new": cit(S.GOALS, action=W),
    "plans:family_add": Citizen(write=(S.GOALS,), or_relation=Relation.FAMILY_COORDINATOR),
    "plans:family_remove": Citizen(write=(S.GOALS,), or_relation=Relation.FAMILY_COORDINATOR),
    "plans:family_direction": Citizen(write=(S.GOALS,), or_relation=Relation.FAMILY_COORDINATOR),
    "plans:family_coordinator": cit(S.IDENTITY, write=(S.GOALS,)),
    "plans:family_cluster": Citizen(write=(S.GOALS,), or_relation=Relation.FAMILY_COORDINATOR),
    "plans:cluster": cit(S.IDENTITY, write=(S.GOALS,)),
    "economy:business_case": Tools((T.ECONOMY,)),
    "economy:excel": Tools((T.ECONOMY,)),
    "economy:shadow": cit(S.COURSES, action=W, ids=(("course_id", "closed_course_id"),)),
    "civil:directory": Tools((T.COMMUNITY_DIRECTORY,)),
    "civil:offer_new": Tools((T.COMMUNITY_EDIT,)),
    "civil:offer_edit": Tools((T.COMMUNITY_EDIT,)),
    "civil:offer_import": Tools((T.COMMUNITY_EDIT,)),
    "civil:volunteers": Tools((T.VOLUNTEER_REGISTER,)),
    "civil:volunteer_new": Tools((T.VOLUNTEER_REGISTER,)),
    "civil:volunteer_edit": Tools((T.VOLUNTEER_REGISTER,)),
    "civil:citizen": cit(S.COMMUNITY, write=(S.COMMUNITY,)),
    "civil:follow_up": cit(S.COMMUNITY, write=(S.COMMUNITY, S.ESCORT), any_of=True),
    "civil:coordinator": Tools((T.COORDINATION,)),
    "civil:volunteer_home": Tools((T.VOLUNTEER_TASKS,)),
    "civil:continue_group": Tools((T.GROUP_CREATE,)),
    "authority:desk": Tools((T.AUTHORITY_DESK, T.CASE_CONFERENCE)),
    "authority:person_handover": cit(S.AUTHORITY, action=W),
    "authority:rights": cit(S.AUTHORITY, write=(S.AUTHORITY,)),
    "authority:grant_new": cit(S.AUTHORITY, action=Action.DECIDE),
    "authority:handover": cit(S.AUTHORITY, write=(S.AUTHORITY,)),
    "authority:grant": cit(S.AUTHORITY, write=(S.AUTHORITY,)),
    "authority:progression_follow_up": cit(S.AUTHORITY, action=Action.DECIDE),
    "authority:progression_closing": cit(S.COURSES, action=W),
    "authority:complaints": cit(S.AUTHORITY, write=(S.AUTHORITY,)),
    "authority:complaint": cit(S.AUTHORITY, write=(S.AUTHORITY,)),
    "authority:orders": Tools((T.ORDERS,)),
    "authority:order": cit(S.AUTHORITY, write=(S.AUTHORITY,)),
    "authority:conference_new": Tools((T.AUTHORITY_DESK, T.CASE_CONFERENCE)),
    "authority:conference": Tools((T.AUTHORITY_DESK, T.CASE_CONFERENCE)),
    "authority:conference_decide": cit(S.COURSES, S.AUTHORITY, write=(S.COURSES, S.AUTHORITY), any_of=True),
    "insights:report": Tools((T.KEY_FIGURES,)),
    "insights:figures": Tools((T.KEY_FIGURES,)),
    "insights:frozen": Tools((T.KEY_FIGURES,)),
    "insights:print": Tools((T.KEY_FIGURES,)),
    "insights:export_csv": Tools((T.KEY_FIGURES,)),
    "insights:export_xlsx": Tools((T.KEY_FIGURES,)),
    "insights:surveys": Tools((T.KEY_FIGURES, T.SURVEY_INVITES)),
    "insights:survey": Tools((T.KEY_FIGURES, T.SURVEY_INVITES)),
    "insights:survey_invite": Tools((T.SURVEY_INVITES,)),
    "insights:non_response": cit(S.COURSES, action=W),
    "records:journal": cit(S.NOTES, write=(S.NOTES,)),
    "records:note": cit(S.NOTES, write=(S.NOTES,)),
    "records:documents": cit(S.DOCUMENTS, write=(S.DOCUMENTS,)),
    "records:download": Citizen(read=(S.DOCUMENTS,), write=(S.DOCUMENTS,), write_action=Action.READ),
    "records:letter": cit(S.DOCUMENTS, action=W),
    "overview:timeline": cit(S.IDENTITY),
    "GET /api/v1/people": Tools(()),
    "POST /api/v1/people": Tools((T.CITIZEN_CREATE,)),
    "POST /api/v1/people/search": Tools(()),
    "GET /api/v1/people/{person_id}": cit(S.IDENTITY),
    "PATCH /api/v1/people/{person_id}": cit(S.IDENTITY, action=W),
    "GET /api/v1/people/{person_id}/network": cit(S.NETWORK),
    "POST /api/v1/people/{person_id}/network": cit(S.NETWORK, action=W),
    "GET /api/v1/contacts": Tools((T.FRONT_DESK,)),
    "POST /api/v1/contacts": cit(S.CONTACTS, action=W),
    "GET /api/v1/people/{person_id}/courses": cit(S.COURSES),
    "POST /api/v1/people/{person_id}/courses": cit(S.COURSES, action=W),
    "POST /api/v1/courses/{course_id}/close": cit(S.COURSES, action=W),
    "GET /api/v1/people/{person_id}/activities": cit(S.COURSES),
    "POST /api/v1/people/{person_id}/activities": cit(S.COURSES, action=W),
    "POST /api/v1/groups/{group_id}/enrolments": cit(S.COURSES, action=W),
    "GET /api/v1/groups/{group_id}/sessions": Tools((T.GROUPS,)),
    "POST /api/v1/groups/{group_id}/sessions": Tools((T.GROUPS,)),
    "PUT /api/v1/sessions/{session_id}/attendance": Tools((T.GROUPS,)),
    "POST /api/v1/measurements": cit(S.MEASURES, action=W),
    "POST /api/v1/measurements/batch": cit(S.MEASURES, action=W),
    "GET /api/v1/people/{person_id}/trajectories/{code}": cit(S.MEASURES),
    "GET /api/v1/people/{person_id}/plan": cit(*PLAN, any_of=True),
    "PUT /api/v1/people/{person_id}/plan": cit(*PLAN, action=W),
    "GET /api/v1/people/{person_id}/plan/versions": cit(*PLAN),
    "POST /api/v1/people/{person_id}/plan/health-check": cit(S.HEALTH, action=W),
    "GET /api/v1/people/{person_id}/plan/versions/{number}": cit(*PLAN),
    "GET /api/v1/people/{person_id}/ffb-report": cit(S.AUTHORITY, S.CPR),
    "GET /api/v1/orders/{order_id}/fhir": cit(S.AUTHORITY, S.CPR),
    "POST /api/v1/people/{person_id}/grants": cit(S.AUTHORITY, action=Action.DECIDE),
    "POST /api/v1/grants/{grant_id}/approval": cit(S.AUTHORITY, action=Action.DECIDE),
}

# Routes whose URL carries a record of the citizen under another name.
IDS = {"people:data_request": {"request_id": "data_request_id"},
       "frontdoor:route": {"contact_id": "contact_id"}, "insights:survey": {"code": "survey_code"},
       "insights:survey_invite": {"code": "survey_code"}, "insights:non_response": {"pk": "invitation_id"},
       "accounts:review_access": {"access_id": "access_id"}, "accounts:token_revoke": {"token_id": "token_id"},
       "oncall:shift_delete": {"shift_id": "shift_id"},
       "accounts:competence_delete": {"competence_id": "competence_id"}}


def _walk(resolver, prefix="", namespace=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(n for n in (namespace, p.namespace) if n) or None
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)


def all_routes() -> dict:
    from traedesten.api import api

    routes = {name: ("page", pattern) for name, pattern in _walk(get_resolver())
              if name and not name.startswith(("admin:", "api:"))}
    routes |= {f"{method.upper()} {path}": ("api", path) for path, ops in api.get_openapi_schema()["paths"].items()
               for method in ops}
    return routes


def test_every_route_is_in_the_matrix():
    missing = sorted(set(all_routes()) - set(ROUTES))
    assert not missing, f"Routes without an entry in the access matrix: {missing}"
    assert not set(ROUTES) - set(all_routes()), "The matrix names routes that no longer exist"


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


ORS = {"individual": 5, "interpersonal": 5, "social": 5, "overall": 5}
BODIES = {
    "POST /api/v1/people": lambda i: {"first_name": "Ny", "last_name": "Registreret"},
    "POST /api/v1/people/search": lambda i: {"q": "ingen-saadan-borger"},
    "PATCH /api/v1/people/{person_id}": lambda i: {"version": i["person_version"], "phone": "12345678"},
    "POST /api/v1/people/{person_id}/network": lambda i: {"name": "En ven", "relation": "friend"},
    "POST /api/v1/contacts": lambda i: {"origin": "citizen", "channel": "phone", "outcome": "ad_hoc",
                                        "person_id": i["person_id"]},
    "POST /api/v1/people/{person_id}/courses": lambda i: {"offer_id": i["new_offer_id"], "start": _today(),
                                                           "cap_reason": "Test"},
    "POST /api/v1/courses/{course_id}/close": lambda i: {"closed_on": _today(), "destination": "other",
                                                         "version": i["course_version"],
                                                         "shadow": {"would_have_id": i["shadow_item_id"]},
                                                         "ending": {"what_helped": "At nogen lyttede"}},
    "POST /api/v1/people/{person_id}/activities": lambda i: {"kind": "coaching", "on": _today()},
    "POST /api/v1/groups/{group_id}/enrolments": lambda i: {"person_id": i["person_id"]},
    "POST /api/v1/groups/{group_id}/sessions": lambda i: {"on": "2026-01-05", "hours": "2", "attendance": []},
    "PUT /api/v1/sessions/{session_id}/attendance": lambda i: {"version": i["session_version"], "attendance": []},
    "POST /api/v1/measurements": lambda i: {"person_id": i["person_id"], "instrument": "ORS", "on": _today(),
                                            "values": ORS},
    "POST /api/v1/measurements/batch": lambda i: [{"person_id": i["person_id"], "instrument": "ORS", "on": _today(),
                                                   "values": ORS}],
    "PUT /api/v1/people/{person_id}/plan": lambda i: {"version": 1, "content": {"reason": "Ny tekst"}},
    "POST /api/v1/people/{person_id}/plan/health-check": lambda i: {"version": 1, "checked_on": _today()},
    "POST /api/v1/people/{person_id}/grants": lambda i: _grant_body(),
    "POST /api/v1/grants/{grant_id}/approval": lambda i: {"version": 1, "approve": True},
}


def _grant_body() -> dict:
    k, g = grant_kwargs(), goal_input()
    return {"case_number": "M-1", "legal_basis": "SEL § 85", "service_code": k["service_code"],
            "offer_type_code": k["offer_type_code"], "target_groups": k["target_groups"],
            "support_need_code": k["support_need_code"], "hours_per_week": "3", "decided_on": _today(),
            "starts_on": _today(), "goals": [{"title": g.title, "condition_code": g.condition_code,
                                               "baseline_level": g.baseline_level, "target_level": g.target_level,
                                               "goal_type_code": g.goal_type_code, "expected_level": 2}]}


def outcome(response) -> str:
    assert response.status_code < 500, response.content[:800]
    if response.status_code in (401, 403, 404, 405):
        return DENY
    location = response.get("Location", "") or response.get("HX-Redirect", "")
    if response.status_code == 302 and "/log-ind/" in location.split("?")[0]:
        return DENY  # a login page (staff or Min side), whatever it would come back to
    if response.status_code in (302, 204) and "/begrundelse/" in location:
        return REASON
    return ALLOW


def policy(c, spec, method: str) -> str:
    """What the gate allows for this route (`c` is the viewer's clearance): the most a page may let through."""
    if isinstance(spec, Own):
        if Relation.SELF not in c.relations:
            return DENY
        needed = spec.read if method == "GET" else (spec.write or ())
        return ALLOW if needed and all(c.can(s, Action.READ if method == "GET" else spec.write_action)
                                       for s in needed) else DENY
    if spec.or_relation and method != "GET" and spec.or_relation in c.relations:
        return ALLOW
    if spec.or_sensitive and method != "GET" and sensitive(c.user, c.person, spec.or_sensitive) == "allowed":
        return ALLOW
    if spec.sensitive:
        return DENY if sensitive(c.user, c.person, spec.sensitive) == "denied" else ALLOW
    sections, action = spec.need(method)
    if spec.reason_form:
        return ALLOW if S.IDENTITY in c.readable or S.IDENTITY in c.by_reason else DENY
    wanted = [(s,) for s in sections] if spec.any_of else [tuple(sections)]
    results = []
    for group in wanted:
        try:
            c.require(*group, action=action)
            return ALLOW
        except NeedsReason:
            results.append(REASON)
        except PermissionDenied:
            results.append(DENY)
    return REASON if REASON in results else DENY


def text_of(response) -> str:
    body = response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(body)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


def leaks(text: str, viewer, citizens: dict, route: str, spec, method: str, opened: dict) -> list[str]:
    """Markers in the response of sections the gate does not open to the viewer, and, for a citizen, of anything
    staff-only."""
    found = []
    name = viewer_name(viewer)
    for code, citizen in citizens.items():
        open_sections = opened[name, code].readable
        if is_citizen(viewer):
            found += [f"{mark} (staff only)" for mark in citizen.staff_only() if mark in text]
        if isinstance(spec, Citizen) and spec.sensitive and method != "GET" and \
                sensitive(viewer, citizen.person, spec.sensitive) != "denied":
            continue  # the access log and the subject-access export show everything, flagged for review
        for mark, sections in citizen.markers().items():
            if mark in text and not sections & open_sections:
                found.append(f"{mark} ({'/'.join(sorted(sections))})")
    return found


def seen(text: str, citizens: dict) -> dict:
    """Per citizen, the sections whose markers the response shows."""
    shown = {}
    for code, citizen in citizens.items():
        sections = set()
        for mark, owners in citizen.markers().items():
            if mark in text:
                sections |= owners
        if sections:
            shown[code] = sections
    return shown


def _fill(pattern: str, ids: dict) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), pattern)
    return "/" + path.lstrip("^").rstrip("$")


def _api_fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    from traedesten.courses.catalogue import ensure_catalogue
    from traedesten.economy.catalogue import ensure_price_items
    from traedesten.frontdoor.catalogue import ensure_partners
    from traedesten.insights.catalogue import ensure_built_in
    from traedesten.measures.catalogue import ensure_instruments
    from traedesten.plans.catalogue import ensure_departments, ensure_plan_catalogue

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_catalogue(), ensure_partners(), ensure_instruments(), ensure_departments(), ensure_plan_catalogue()
        ensure_price_items(), ensure_built_in()
        viewers, citizens = build()
        opened = {(name, code): clearance(v, c.person) for name, v in viewers.items() for code, c in citizens.items()}
        yield viewers, citizens, opened
        transaction.set_rollback(True)


# Page POSTs go out empty, which most forms answer with a message; these need a field to get past their lookup.
POST_DATA = {"plans:coordinator": lambda i: {"coordinator": i["coordinator"]}}
# Pages that name what they show in the query string; without it they send the user back to a list.
GET_QUERY = {"courses:work_item": "?kind=follow_up&due=2026-01-05"}


def _request(client, kind, route, method, url, ids):
    if kind == "api" and method != "GET":
        return getattr(client, method.lower())(url, BODIES[route](ids), content_type="application/json")
    if method == "GET":
        return client.get(url + GET_QUERY.get(route, ""))
    return client.post(url, POST_DATA.get(route, lambda i: {})(ids))


CHECKED = sorted(name for name, spec in ROUTES.items() if spec != EXEMPT)

# Every viewer meets the citizen on their own team, one on another team and one they are recused from; the other
# relations are tried by the viewers they concern (a relation the viewer cannot have makes the citizen "other").
RELEVANT = {
    "consent_none": {"authority", JOBCENTRE, "manager", "guide"},
    "consent_partial": {"authority", JOBCENTRE, "manager", "guide"},
    "consent_full": {"authority", JOBCENTRE, "manager", "guide"},
    "provider": {"guide", "bostotte", "host", "manager", "peer"},
    "group": {"guide", "peer", "volunteer", "volunteer_coordinator", "host"},
    "escort": {"volunteer", "volunteer_coordinator", "guide"},
    "handover": {"authority", "manager", JOBCENTRE, "guide"},
}


def relevant(viewer_name: str, code: str) -> bool:
    return viewer_name in CITIZEN_VIEWERS or code not in RELEVANT or viewer_name in RELEVANT[code]


def viewer_name(viewer) -> str:
    if is_citizen(viewer):
        return next(n for n, code in CITIZEN_VIEWERS.items() if _WORLD_IDS[code] == viewer.person_id)
    return viewer.username.removeprefix("u-")


_WORLD_IDS: dict[str, int] = {}


def log_in(client, viewer) -> None:
    """A fresh session for the viewer: a staff login, or a citizen's Min side session, never both at once."""
    client.logout()
    client.cookies.clear()
    if is_citizen(viewer):
        login_citizen(client, viewer.person_id)
    else:
        login_verified(client, viewer)


def own_events(viewer, before: int):
    events = AuditEvent.objects.filter(pk__gt=before)
    return list(events.filter(by_citizen=True) if is_citizen(viewer) else events.filter(user=viewer))


def sides_for(spec, name: str, citizens: dict) -> dict:
    """The citizens whose ids a route is requested with, for one viewer."""
    if isinstance(spec, Own) and not spec.by_id:
        return {CITIZEN_VIEWERS.get(name, "own"): citizens[CITIZEN_VIEWERS.get(name, "own")]}
    if isinstance(spec, (Citizen, Own)):
        return citizens
    return {"own": citizens["own"]}


@pytest.mark.parametrize("route", CHECKED)
def test_route_never_allows_more_than_the_policy(world, db, client, route):
    viewers, citizens, opened = world
    _WORLD_IDS.update({code: c.person.pk for code, c in citizens.items()})
    spec = ROUTES[route]
    kind, pattern = all_routes()[route]
    methods = [route.split()[0]] if kind == "api" else ["GET", "POST"]
    problems, allowed = [], 0
    for name in VIEWERS:
        viewer = viewers[name]
        log_in(client, viewer)
        for code, citizen in sides_for(spec, name, citizens).items():
            if not relevant(name, code):
                continue
            ids = dict(citizen.ids) | {k: citizen.ids[v] for k, v in getattr(spec, "ids", ())}
            ids |= {k: citizen.ids.get(v, 0) for k, v in IDS.get(route, {}).items()}
            url = _fill(pattern, ids) if kind == "page" else _api_fill(pattern, ids)
            for method in methods:
                with transaction.atomic():
                    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                    response = _request(client, kind, route, method, url, ids)
                    got = outcome(response)
                    allowed += got == ALLOW
                    text = text_of(response)
                    events = own_events(viewer, before)
                    if isinstance(spec, (Citizen, Own)):
                        most = policy(opened[name, code], spec, method)
                        if got == ALLOW and most != ALLOW or got == REASON and most == DENY:
                            problems.append(f"{name}/{code} {method}: {got}, the gate allows {most}")
                    elif got == ALLOW and spec.tools and not any(may_use(viewer, t) for t in spec.tools):
                        problems.append(f"{name} {method}: allowed without the tool {spec.tools}")
                    if got == ALLOW and is_citizen(viewer) and not isinstance(spec, Own):
                        problems.append(f"{name}/{code} {method}: a citizen's session reached a staff route")
                    problems += [f"{name}/{code} {method}: leaks {m}"
                                 for m in leaks(text, viewer, citizens, route, spec, method, opened)]
                    if method == "GET" and got == ALLOW:
                        for shown_code, sections in seen(text, citizens).items():
                            person_id = citizens[shown_code].person.pk
                            reads = [e for e in events if e.person_id == person_id and e.action in ("view", "export")]
                            named = {e.section for e in reads} | {f for e in reads for f in e.fields}
                            if len(reads) != 1 or not {str(s) for s in sections} & named:
                                problems.append(f"{name}/{code}: shows {shown_code} ({sorted(sections)}) with "
                                                f"{len(reads)} read events {sorted(named)}")
                    transaction.set_rollback(True)
                client.cookies.pop("messages", None)
    assert not problems, f"{route}:\n  " + "\n  ".join(problems[:40])
    assert allowed, f"{route} let nobody through: the matrix would not notice a leak in it"
