"""Role × resource × own or other caseload, asserted over real HTTP against the real views.

The expectations are written out by hand here, not derived from the role
table in the code, so a change to the rules has to change this table too.
"""

import pytest
from django.urls import reverse

from conftest import login_verified
from traedesten.accounts.models import AuditEvent, CaseloadAssignment
from traedesten.accounts.roles import Role

OK, REASON, DENY = 200, 302, 403

# resource -> role -> (own caseload, other caseload)
EXPECTED = {
    "overview": {
        Role.HOST: (OK, REASON), Role.GUIDE: (OK, REASON), Role.AUTHORITY: (OK, REASON),
        Role.BOSTOTTE: (OK, REASON), Role.OUTREACH: (OK, REASON), Role.MANAGER: (OK, REASON),
        Role.PEER: (OK, DENY), Role.VOLUNTEER_COORDINATOR: (OK, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
    # the peer worker hosting the desk corrects who a citizen is (never the CPR number)
    "edit": {
        Role.HOST: (OK, REASON), Role.GUIDE: (OK, REASON), Role.AUTHORITY: (OK, REASON),
        Role.BOSTOTTE: (OK, REASON), Role.OUTREACH: (OK, REASON), Role.MANAGER: (OK, REASON),
        Role.PEER: (OK, DENY), Role.VOLUNTEER_COORDINATOR: (DENY, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
    # the host registers and routes; the network is case work
    "network_add": {
        Role.HOST: (DENY, DENY), Role.GUIDE: (OK, REASON), Role.AUTHORITY: (OK, REASON),
        Role.BOSTOTTE: (OK, REASON), Role.OUTREACH: (OK, REASON), Role.MANAGER: (OK, REASON),
        Role.PEER: (DENY, DENY), Role.VOLUNTEER_COORDINATOR: (DENY, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
    # a manager states a reason, the data-protection officer opens it by office; both are flagged
    "person_audit": {
        Role.HOST: (DENY, DENY), Role.GUIDE: (DENY, DENY), Role.AUTHORITY: (DENY, DENY),
        Role.BOSTOTTE: (DENY, DENY), Role.OUTREACH: (DENY, DENY), Role.MANAGER: (OK, OK),
        Role.PEER: (DENY, DENY), Role.VOLUNTEER_COORDINATOR: (DENY, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (OK, OK),
        Role.ON_CALL: (DENY, DENY),
    },
    "plan": {
        Role.HOST: (DENY, DENY), Role.GUIDE: (OK, REASON), Role.AUTHORITY: (OK, REASON),
        Role.BOSTOTTE: (OK, REASON), Role.OUTREACH: (OK, REASON), Role.MANAGER: (OK, REASON),
        Role.PEER: (DENY, DENY), Role.VOLUNTEER_COORDINATOR: (DENY, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
    "measures": {
        Role.HOST: (DENY, DENY), Role.GUIDE: (OK, REASON), Role.AUTHORITY: (OK, REASON),
        Role.BOSTOTTE: (OK, REASON), Role.OUTREACH: (OK, REASON), Role.MANAGER: (OK, REASON),
        Role.PEER: (DENY, DENY), Role.VOLUNTEER_COORDINATOR: (DENY, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
    # the case record: hosts, peers, coordinators and volunteers never see journal notes or documents
    "journal": {
        Role.HOST: (DENY, DENY), Role.GUIDE: (OK, REASON), Role.AUTHORITY: (OK, REASON),
        Role.BOSTOTTE: (OK, REASON), Role.OUTREACH: (OK, REASON), Role.MANAGER: (OK, REASON),
        Role.PEER: (DENY, DENY), Role.VOLUNTEER_COORDINATOR: (DENY, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
    "documents": {
        Role.HOST: (DENY, DENY), Role.GUIDE: (OK, REASON), Role.AUTHORITY: (OK, REASON),
        Role.BOSTOTTE: (OK, REASON), Role.OUTREACH: (OK, REASON), Role.MANAGER: (OK, REASON),
        Role.PEER: (DENY, DENY), Role.VOLUNTEER_COORDINATOR: (DENY, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
    "api_person": {
        Role.HOST: (OK, DENY), Role.GUIDE: (OK, DENY), Role.AUTHORITY: (OK, DENY),
        Role.BOSTOTTE: (OK, DENY), Role.OUTREACH: (OK, DENY), Role.MANAGER: (OK, DENY),
        Role.PEER: (OK, DENY), Role.VOLUNTEER_COORDINATOR: (OK, DENY),
        Role.VOLUNTEER: (DENY, DENY), Role.ANALYST: (DENY, DENY), Role.ADMIN: (DENY, DENY), Role.DPO: (DENY, DENY),
        Role.ON_CALL: (DENY, DENY),
    },
}

# Pages without a citizen: role -> status
PAGES = {
    # the on-call service finds a crisis sheet on its own page, which names nobody until a reason is given
    "people:search": {Role.VOLUNTEER: DENY, Role.ANALYST: DENY, Role.ADMIN: DENY, Role.DPO: DENY, Role.ON_CALL: DENY},
    "people:create": {Role.VOLUNTEER: DENY, Role.ANALYST: DENY, Role.ADMIN: DENY,
                      Role.VOLUNTEER_COORDINATOR: DENY, Role.DPO: DENY, Role.ON_CALL: DENY},
    "accounts:flagged": {r: DENY for r in Role if r not in (Role.MANAGER, Role.DPO)},
    "accounts:audit_export": {r: DENY for r in Role if r not in (Role.MANAGER, Role.DPO)},
}

CASES = [
    (resource, role, where, statuses[0] if where == "own" else statuses[1])
    for resource, by_role in EXPECTED.items()
    for role, statuses in by_role.items()
    for where in ("own", "other")
]


def test_matrix_covers_every_role():
    for by_role in EXPECTED.values():
        assert set(by_role) == set(Role)


def _url(resource, person):
    if resource == "api_person":
        return f"/api/v1/people/{person.pk}"
    name = {"overview": "people:overview", "edit": "people:edit", "network_add": "people:network_add",
            "person_audit": "accounts:person_audit", "plan": "plans:plan", "measures": "measures:person",
            "journal": "records:journal", "documents": "records:documents"}[resource]
    return reverse(name, args=[person.pk])


@pytest.mark.parametrize("resource, role, where, expected", CASES)
def test_access(client, make_user, make_person, team, other_team, resource, role, where, expected):
    user = make_user(role, [team])
    owner = make_user(Role.GUIDE, [team] if where == "own" else [other_team])
    person = make_person(owner, team=team if where == "own" else other_team,
                         first_name="Fortrolig", last_name="Borgersen", cpr="0707771237")
    if where == "own":
        CaseloadAssignment.objects.filter(person=person).update(worker=user)
    login_verified(client, user)
    before = AuditEvent.objects.filter(user=user, person_id=person.pk).count()
    if resource == "person_audit":  # a sensitive tool: asked for with a reason (the form is the GET)
        response = client.post(_url(resource, person), {"reason": "Klage fra borgeren over sagsbehandlingen"})
    else:
        response = client.get(_url(resource, person))
    assert response.status_code == expected, response.content[:300]
    body = response.content.decode()
    if expected != OK:
        assert "Borgersen" not in body and "0707771237" not in body and "070777" not in body
        assert AuditEvent.objects.filter(user=user, person_id=person.pk).count() == before
    else:
        assert AuditEvent.objects.filter(user=user, person_id=person.pk).count() > before
        if resource == "overview":
            assert ("070777-1237" in body) == (role in (Role.HOST, Role.GUIDE, Role.AUTHORITY, Role.BOSTOTTE,
                                                        Role.OUTREACH, Role.MANAGER))
        if resource == "api_person":
            assert (response.json()["cpr"] is not None) == (role not in (Role.PEER, Role.VOLUNTEER_COORDINATOR))
    if expected == REASON:
        assert response["Location"] == reverse("accounts:outside_access", args=[person.pk])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_pages_without_a_citizen(client, make_user, team, page, role):
    login_verified(client, make_user(role, [team]))
    response = client.get(reverse(page))
    assert response.status_code == PAGES[page].get(role, OK)


def test_anonymous_users_are_sent_to_login(client, make_person, guide, team):
    person = make_person(guide, team=team)
    response = client.get(reverse("people:overview", args=[person.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 401


def test_outside_access_with_reason_is_flagged(client, make_user, make_person, team, other_team):
    user = make_user(Role.GUIDE, [team])
    stranger = make_person(make_user(Role.GUIDE, [other_team]), team=other_team, first_name="Ukendt", last_name="Borger")
    client.force_login(user)
    url = reverse("accounts:outside_access", args=[stranger.pk])
    short = client.post(url, {"reason": "kort"})
    assert short.status_code == 200 and "mindst 10 tegn" in short.content.decode()
    response = client.post(url, {"reason": "Borgeren står i skranken og spørger efter sin bostøtte"})
    assert response.status_code == 302
    page = client.get(reverse("people:overview", args=[stranger.pk]))
    assert page.status_code == 200 and "uden for din sagsstamme" in page.content.decode()
    flagged = AuditEvent.objects.filter(user=user, person_id=stranger.pk, flagged=True)
    assert flagged.count() == 2
    assert all("skranken" in e.reason for e in flagged)


def test_outside_access_through_the_api_needs_a_reason_header(client, make_user, make_person, team, other_team):
    user = make_user(Role.GUIDE, [team])
    stranger = make_person(make_user(Role.GUIDE, [other_team]), team=other_team)
    client.force_login(user)
    assert client.get(f"/api/v1/people/{stranger.pk}").status_code == 403
    ok = client.get(f"/api/v1/people/{stranger.pk}", headers={"X-Traedesten-Reason": "Telefonopkald fra borgeren"})
    assert ok.status_code == 200
    assert AuditEvent.objects.filter(user=user, person_id=stranger.pk, flagged=True, channel="api").exists()
