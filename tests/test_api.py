import pytest

from traedesten.accounts.api_auth import issue_token
from traedesten.accounts.models import ApiToken, AuditEvent
from traedesten.accounts.roles import Role


@pytest.fixture
def api(client, guide):
    token = issue_token(guide, "test")
    return lambda method, path, **kw: getattr(client, method)(
        f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, content_type="application/json", **kw
    )


def test_openapi_is_published(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Trædesten API"
    assert "/api/v1/people/{person_id}" in spec["paths"]


def test_token_is_stored_as_a_digest(guide):
    token = issue_token(guide, "x")
    assert not ApiToken.objects.filter(digest=token).exists()


def test_create_read_update_through_the_api(api, guide):
    created = api("post", "/people", data={"first_name": "Emil", "last_name": "Dahl", "cpr": "1010901233"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["birth_date"] == "1990-10-10" and body["sex"] == "male" and body["cpr"] == "1010901233"
    pid = body["id"]
    assert api("get", f"/people/{pid}").json()["display_name"] == "Emil Dahl"
    patched = api("patch", f"/people/{pid}", data={"version": 1, "phone": "+45 22 33 44 55"})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = api("patch", f"/people/{pid}", data={"version": 1, "phone": "11223344"})
    assert stale.status_code == 409
    assert "En anden har ændret" in stale.json()["detail"]
    actions = set(AuditEvent.objects.filter(person_id=pid, channel="api").values_list("action", flat=True))
    assert actions == {"create", "view", "update"}


def test_duplicate_cpr_returns_409_with_the_existing_id(api):
    first = api("post", "/people", data={"first_name": "A", "last_name": "B", "cpr": "1010901233"}).json()
    dup = api("post", "/people", data={"first_name": "C", "last_name": "D", "cpr": "101090-1233"})
    assert dup.status_code == 409
    assert dup.json()["errors"][0]["existing_id"] == first["id"]


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"first_name": "A", "cpr": "3113901234"}, "gyldig fødselsdato"),
        ({"first_name": "A", "birth_date": "2999-01-01"}, "fremtiden"),
        ({"first_name": "A", "postal_code": "70a0"}, "postnummer"),
        ({"first_name": "A", "email": "not-an-email"}, "e-mail"),
        ({"first_name": "A\x00B"}, "kontroltegn"),
        ({"first_name": "", "last_name": ""}, "fornavn"),
    ],
)
def test_bad_input_gets_a_danish_message(api, payload, message):
    response = api("post", "/people", data=payload)
    assert response.status_code in (400, 422)
    assert message.lower() in response.content.decode().lower()


def test_cpr_search_is_post_only_and_network_endpoints(api, guide):
    pid = api("post", "/people", data={"first_name": "Nanna", "last_name": "Friis", "cpr": "0404041234"}).json()["id"]
    hits = api("post", "/people/search", data={"cpr": "040404-1234"}).json()
    assert [h["id"] for h in hits] == [pid]
    added = api("post", f"/people/{pid}/network", data={"name": "Mor Friis", "relation": "parent", "is_next_of_kin": True})
    assert added.status_code == 201
    assert api("get", f"/people/{pid}/network").json()[0]["name"] == "Mor Friis"
    bad = api("post", f"/people/{pid}/network", data={"name": "X", "relation": "parent", "closeness": 9})
    assert bad.status_code == 422


def test_volunteer_token_sees_nothing(client, make_user, guide, make_person, team):
    person = make_person(guide, team=team)
    token = issue_token(make_user(Role.VOLUNTEER, [team]), "v")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/people/{person.pk}", headers=headers).status_code == 403
    assert client.get("/api/v1/people?q=Mette", headers=headers).json() == []


def test_revoked_token_is_refused(client, guide):
    token = issue_token(guide, "old")
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"}).status_code == 401
