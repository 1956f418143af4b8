"""The access matrix, generated from the URL configuration and the API's OpenAPI document.

Every route must have a rule in RULES; a new view without one fails `test_every_route_has_a_rule`.
Each route is requested by every role, for a citizen on and off the role's caseload, and the outcome
must match the rule. A refused response must not carry the citizen's name or CPR number.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from traedesten.accounts.roles import CAPABILITIES, Role

from conftest import login_verified
from access_world import CPR, NAME, OTHER_CPR, OTHER_NAME, build

ALLOW, REASON, DENY = "allow", "reason", "deny"
EXEMPT = "exempt"


def _walk(resolver, prefix="", namespace=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(n for n in (namespace, p.namespace) if n) or None
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)


def page_routes():
    return {name: pattern for name, pattern in _walk(get_resolver())
            if name and not name.startswith(("admin:", "api:"))}


def api_routes():
    from traedesten.api import api

    return {f"{method.upper()} {path}": path for path, ops in api.get_openapi_schema()["paths"].items()
            for method in ops}


def _fill(pattern: str, ids: dict) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), pattern)
    return "/" + path.lstrip("^").rstrip("$")


def _api_fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def outcome(response) -> str:
    if response.status_code in (403, 404, 401):
        return DENY
    if response.status_code == 302 and "/begrundelse/" in response["Location"]:
        return REASON
    if response.status_code == 302 and "/log-ind/" in response["Location"]:
        return DENY
    assert response.status_code < 500, response.content[:500]
    return ALLOW


# Per route: (own caseload, other caseload) for each role, in the order of `Role`:
# host, guide, authority, bostøtte, peer, outreach, volunteer coordinator, volunteer, manager, analyst, admin.
# a = allowed, r = sent to state a reason (flagged for review), d = refused.
RULES = {
    "home": "aa aa aa aa aa aa aa aa aa aa aa",
    "session_status": "aa aa aa aa aa aa aa aa aa aa aa",
    "login": EXEMPT, "logout": EXEMPT, "set_language": EXEMPT,
    "accounts:otp_verify": "aa aa aa aa aa aa aa aa aa aa aa",
    "accounts:otp_setup": "aa aa aa aa aa aa aa aa aa aa aa",
    # the kiosk is reached by a one-time token, not a login; tests/test_measures.py covers it
    "measures:kiosk": EXEMPT, "measures:kiosk_return": EXEMPT,
    "accounts:audit_export": "dd dd dd dd dd dd dd dd aa dd aa",
    "accounts:flagged": "dd dd dd dd dd dd dd dd aa dd aa",
    "accounts:outside_access": "aa aa aa aa ad aa ad dd aa dd dd",
    "accounts:person_audit": "dd dd dd dd dd dd dd dd aa dd aa",
    "accounts:subject_access": "dd dd dd dd dd dd dd dd aa dd dd",
    "accounts:review_access": "dd dd dd dd dd dd dd dd aa dd aa",
    "authority:conference": "ad ad dd ad dd ad dd dd ad dd dd",
    "authority:conference_decide": "ad ad dd ad dd ad dd dd ad dd dd",
    "authority:conference_new": "aa aa aa aa dd aa dd dd aa dd dd",
    "authority:desk": "aa aa aa aa dd aa dd dd aa dd dd",
    "authority:grant": "dd ar ar ar dd ar dd dd ar dd dd",
    "authority:grant_new": "dd dd ar dd dd dd dd dd dd dd dd",
    # the authority reads every hand-over addressed to its department while consent is in force
    "authority:handover": "dd ar aa ar dd ar dd dd ar dd dd",
    "authority:person_handover": "dd ar dd ar dd ar dd dd ar dd dd",
    "authority:rights": "dd ar ar ar dd ar dd dd ar dd dd",
    "civil:citizen": "ar ar ar ar dd ar ad dd ar dd dd",
    "civil:continue_group": "ad ad dd ad dd ad aa dd aa dd dd",
    "civil:coordinator": "dd dd dd dd dd dd aa dd aa dd dd",
    "civil:directory": "aa aa aa aa aa aa aa dd aa dd aa",
    "civil:follow_up": "ad ad ad ad dd ad ad ad ad dd dd",
    "civil:offer_edit": "dd dd dd dd dd dd aa dd aa dd aa",
    "civil:offer_import": "dd dd dd dd dd dd aa dd aa dd aa",
    "civil:offer_new": "dd dd dd dd dd dd aa dd aa dd aa",
    "civil:volunteer_edit": "dd dd dd dd dd dd aa dd aa dd aa",
    "civil:volunteer_home": "dd dd dd dd dd dd dd aa dd dd dd",
    "civil:volunteer_new": "dd dd dd dd dd dd aa dd aa dd aa",
    "civil:volunteers": "dd dd dd dd dd dd aa dd aa dd aa",
    "courses:activity": "ar ar ar ar dd ar dd dd ar dd dd",
    "courses:close": "ar ar ar ar dd ar dd dd ar dd dd",
    "courses:enrol": "ar ar ar ar dd ar dd dd ar dd dd",
    "courses:group": "ad ad dd ad dd ad dd dd ad dd dd",
    "courses:group_new": "aa aa aa aa dd aa dd dd aa dd dd",
    "courses:groups": "aa aa aa aa aa aa aa dd aa dd dd",
    "courses:hours": "dd dd dd dd dd dd dd dd aa aa aa",
    "courses:package": "ar ar ar ar dd ar dd dd ar dd dd",
    "courses:reenter": "ar ar ar ar dd ar dd dd ar dd dd",
    "courses:session_edit": "ad ad dd ad dd ad dd dd ad dd dd",
    "courses:session_new": "ad ad dd ad dd ad dd dd ad dd dd",
    "courses:start": "ar ar ar ar dd ar dd dd ar dd dd",
    "courses:worklist": "aa aa aa aa dd aa dd dd aa dd dd",
    "economy:business_case": "dd dd dd dd dd dd dd dd aa aa aa",
    "economy:excel": "dd dd dd dd dd dd dd dd aa aa aa",
    "economy:shadow": "ar ar ar ar dd ar dd dd ar dd dd",
    "frontdoor:ad_hoc": "aa aa aa aa dd aa dd dd aa dd dd",
    "frontdoor:desk": "aa aa aa aa dd aa dd dd aa dd dd",
    "frontdoor:guide_conversation": "aa aa aa aa dd aa dd dd aa dd dd",
    "frontdoor:route": "aa aa aa aa dd aa dd dd aa dd dd",
    "measures:person": "ar ar ar ar ad ar ad dd ar dd dd",
    "measures:results": "aa aa aa aa dd aa dd dd aa aa aa",
    "measures:schedule": "ar ar ar ar dd ar dd dd ar dd dd",
    "measures:start": "ar ar ar ar dd ar dd dd ar dd dd",
    "measures:trajectory": "ar ar ar ar ad ar ad dd ar dd dd",
    "people:consent_withdraw": "ad ad ad ad dd ad dd dd ad dd dd",
    "people:consents": "ar ar ar ar ad ar ad dd ar dd dd",
    "people:create": "aa aa aa aa dd aa dd dd aa dd dd",
    "people:create_pseudonymous": "aa aa aa aa dd aa dd dd aa dd dd",
    "people:edit": "ar ar ar ar dd ar dd dd ar dd dd",
    "people:merge": "ad ad dd ad dd ad dd dd ad dd dd",
    "people:network_add": "ar ar ar ar dd ar dd dd ar dd dd",
    # the authority does not own the plan: the network is shown only with consent
    "people:network_map": "ar ar dr ar ad ar ad dd ar dd dd",
    "people:overview": "ar ar ar ar ad ar ad dd ar dd dd",
    "people:search": "aa aa aa aa aa aa aa dd aa dd dd",
    "plans:coordinator": "ar ar dr ar dd ar dd dd ar dd dd",
    # reports: aggregates only, small cells suppressed
    "insights:report": "dd dd dd dd dd dd dd dd aa aa aa",
    "insights:figures": "dd dd dd dd dd dd dd dd aa aa aa",
    "insights:print": "dd dd dd dd dd dd dd dd aa aa aa",
    "insights:export_csv": "dd dd dd dd dd dd dd dd aa aa aa",
    "insights:export_xlsx": "dd dd dd dd dd dd dd dd aa aa aa",
    "insights:frozen": "dd dd dd dd dd dd dd dd aa aa aa",
    # staff see their own caseload's invitations; analysts see the suppressed results
    "insights:surveys": "aa aa aa aa dd aa dd dd aa aa aa",
    "insights:survey": "aa aa aa aa dd aa dd dd aa aa aa",
    "insights:survey_invite": "aa aa aa aa dd aa dd dd aa dd dd",
    "insights:non_response": "ad ad ad ad dd ad dd dd ad dd dd",
    # the citizen answers through the unguessable link alone; tests/test_insights.py covers it
    "answer": EXEMPT,
    "plans:edit": "ar ar dr ar dd ar dd dd ar dd dd",
    "plans:meeting": "ar ar dr ar dd ar dd dd ar dd dd",
    "plans:pdf": "ad ad ad ad ad ad ad dd ad dd dd",
    "plans:plan": "ar ar ar ar ad ar ad dd ar dd dd",
    "plans:print": "ad ad ad ad ad ad ad dd ad dd dd",
    "plans:versions": "ar ar dr ar ad ar ad dd ar dd dd",
    "GET /api/v1/contacts": "aa aa aa aa dd aa dd dd aa dd dd",
    "GET /api/v1/groups/{group_id}/sessions": "ad ad dd ad dd ad dd dd ad dd dd",
    # lists only the caller's own caseload (empty for roles without citizens)
    "GET /api/v1/people": "aa aa aa aa aa aa aa aa aa aa aa",
    "GET /api/v1/people/{person_id}": "ad ad ad ad ad ad ad dd ad dd dd",
    "GET /api/v1/people/{person_id}/activities": "ad ad ad ad ad ad ad dd ad dd dd",
    "GET /api/v1/people/{person_id}/courses": "ad ad ad ad ad ad ad dd ad dd dd",
    "GET /api/v1/people/{person_id}/ffb-report": "dd ad ad ad dd ad dd dd ad dd dd",
    "GET /api/v1/people/{person_id}/network": "ad ad ad ad ad ad ad dd ad dd dd",
    "GET /api/v1/people/{person_id}/plan": "ad ad ad ad ad ad ad dd ad dd dd",
    "GET /api/v1/people/{person_id}/plan/versions": "ad ad dd ad ad ad ad dd ad dd dd",
    "GET /api/v1/people/{person_id}/plan/versions/{number}": "ad ad dd ad ad ad ad dd ad dd dd",
    "GET /api/v1/people/{person_id}/trajectories/{code}": "ad ad ad ad ad ad ad dd ad dd dd",
    "POST /api/v1/people": "aa aa aa aa dd aa dd dd aa dd dd",
    # search answers everyone, but only with citizens the caller may see (checked below for leaks)
    "POST /api/v1/people/search": "aa aa aa aa aa aa aa aa aa aa aa",
    "PATCH /api/v1/people/{person_id}": "ad ad ad ad dd ad dd dd ad dd dd",
    "POST /api/v1/people/{person_id}/network": "ad ad ad ad dd ad dd dd ad dd dd",
    "POST /api/v1/contacts": "aa aa aa aa dd aa dd dd aa dd dd",
    "POST /api/v1/people/{person_id}/courses": "ad ad ad ad dd ad dd dd ad dd dd",
    "POST /api/v1/courses/{course_id}/close": "ad ad ad ad dd ad dd dd ad dd dd",
    "POST /api/v1/people/{person_id}/activities": "ad ad ad ad dd ad dd dd ad dd dd",
    "POST /api/v1/groups/{group_id}/enrolments": "ad ad dd ad dd ad dd dd ad dd dd",
    "POST /api/v1/groups/{group_id}/sessions": "ad ad dd ad dd ad dd dd ad dd dd",
    "PUT /api/v1/sessions/{session_id}/attendance": "ad ad dd ad dd ad dd dd ad dd dd",
    "POST /api/v1/measurements": "ad ad ad ad dd ad dd dd ad dd dd",
    "POST /api/v1/measurements/batch": "ad ad ad ad dd ad dd dd ad dd dd",
    "PUT /api/v1/people/{person_id}/plan": "ad ad dd ad dd ad dd dd ad dd dd",
}

def _today():
    import datetime

    return datetime.date.today().isoformat()


# API writes are sent with a valid body, so that the schema passes and the access rule decides.
BODIES = {
    "POST /api/v1/people": lambda i: {"first_name": "Ny", "last_name": "Registreret"},
    "POST /api/v1/people/search": lambda i: {"q": "Fortrolig"},
    "PATCH /api/v1/people/{person_id}": lambda i: {"version": i["person_version"], "phone": "12345678"},
    "POST /api/v1/people/{person_id}/network": lambda i: {"name": "En ven", "relation": "friend"},
    "POST /api/v1/contacts": lambda i: {"origin": "citizen", "channel": "phone", "outcome": "ad_hoc"},
    "POST /api/v1/people/{person_id}/courses": lambda i: {"offer_id": i["new_offer_id"], "start": _today(),
                                                           "cap_reason": "Test"},
    "POST /api/v1/courses/{course_id}/close": lambda i: {"closed_on": _today(), "destination": "other",
                                                         "version": i["course_version"]},
    "POST /api/v1/people/{person_id}/activities": lambda i: {"kind": "coaching", "on": _today()},
    "POST /api/v1/groups/{group_id}/enrolments": lambda i: {"person_id": i["pseudonym_id"]},
    "POST /api/v1/groups/{group_id}/sessions": lambda i: {"on": "2026-01-05", "hours": "2", "attendance": []},
    "PUT /api/v1/sessions/{session_id}/attendance": lambda i: {"version": i["session_version"], "attendance": []},
    "POST /api/v1/measurements": lambda i: {"person_id": i["person_id"], "instrument": "ORS", "on": _today(),
                                            "values": {"individual": 5, "interpersonal": 5, "social": 5, "overall": 5}},
    "POST /api/v1/measurements/batch": lambda i: [{"person_id": i["person_id"], "instrument": "ORS", "on": _today(),
                                                   "values": {"individual": 5, "interpersonal": 5, "social": 5,
                                                              "overall": 5}}],
    "PUT /api/v1/people/{person_id}/plan": lambda i: {"version": 1, "content": {"reason": "Ny tekst"}},
}
CODES = {"a": ALLOW, "r": REASON, "d": DENY}
ROUTE_IDS = {"courses:package": {"course_id": "bostotte_course_id"},
             "economy:shadow": {"course_id": "closed_course_id"},
             "people:merge": {"person_id": "pseudonym_id"},
             "insights:survey": {"code": "survey_code"}, "insights:survey_invite": {"code": "survey_code"},
             "insights:non_response": {"pk": "invitation_id"}}
POST_DATA = {"plans:coordinator": lambda users: {"coordinator": users[Role.GUIDE].pk}}
NO_CITIZEN_DATA = (Role.ADMIN, Role.ANALYST, Role.VOLUNTEER)
# The access log names the citizen it is about; reviewing it is the administrator's job.
NAMED_FOR_REVIEW = {("accounts:person_audit", Role.ADMIN)}


def all_routes() -> dict:
    routes = {name: ("page", pattern) for name, pattern in page_routes().items()}
    routes |= {key: ("api", path) for key, path in api_routes().items()}
    return routes


def test_every_route_has_a_rule():
    missing = [name for name in all_routes() if name not in RULES]
    assert not missing, f"Routes without an access rule in RULES: {missing}"
    assert not set(RULES) - set(all_routes()), "RULES names routes that no longer exist"


def test_the_matrix_names_every_role():
    for name, rule in RULES.items():
        assert rule == EXEMPT or len(rule.split()) == len(Role), name


CHECKED = sorted(name for name, rule in RULES.items() if rule != EXEMPT)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    from django.db import transaction

    from traedesten.courses.catalogue import ensure_catalogue
    from traedesten.frontdoor.catalogue import ensure_partners
    from traedesten.measures.services import ensure_instruments
    from traedesten.plans.catalogue import ensure_departments, ensure_plan_catalogue

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_catalogue(), ensure_partners(), ensure_instruments(), ensure_departments(), ensure_plan_catalogue()
        yield build()
        transaction.set_rollback(True)


@pytest.mark.parametrize("route", CHECKED)
def test_route_follows_its_rule(world, db, client, route):
    from django.db import transaction

    users, own, other = world
    kind, pattern = all_routes()[route]
    expected = dict(zip(Role, RULES[route].split()))
    wrong = []
    for role in Role:
        login_verified(client, users[role])
        for where, side in (("own", own), ("other", other)):
            ids = dict(side.ids) | {k: side.ids[v] for k, v in ROUTE_IDS.get(route, {}).items()}
            url = _fill(pattern, ids) if kind == "page" else _api_fill(pattern, ids)
            method = route.split()[0] if kind == "api" else "GET"
            with transaction.atomic():
                if method != "GET":
                    response = getattr(client, method.lower())(url, BODIES[route](ids), content_type="application/json")
                else:
                    response = client.get(url)
                if response.status_code == 405:
                    response = client.post(url, POST_DATA.get(route, lambda users: {})(users))
                transaction.set_rollback(True)
            client.cookies.pop("messages", None)  # a message from a rolled-back request is not news
            got = outcome(response)
            want = CODES[expected[role][0 if where == "own" else 1]]
            if got != want:
                wrong.append(f"{role}/{where}: {got}, expected {want}")
            body = response.content.decode(errors="replace")
            if got != ALLOW or (role in NO_CITIZEN_DATA and (route, role) not in NAMED_FOR_REVIEW):
                for secret in (NAME, CPR, CPR[:6], OTHER_NAME, OTHER_CPR):
                    assert secret not in body, f"{route} leaks {secret} to {role}/{where}"
            if got == ALLOW and where == "other":
                assert OTHER_CPR[:6] not in body or CAPABILITIES[role].sees_cpr, f"{route} shows CPR to {role}"
    assert not wrong, f"{route}: " + "; ".join(wrong)
