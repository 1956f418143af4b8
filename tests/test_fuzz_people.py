"""Hostile and random input to the person form and API: a 4xx with a message, or a correct save."""

import json

from django.urls import reverse
from hypothesis import given, strategies as st

from traedesten.accounts.api_auth import issue_token
from traedesten.people.models import Person

HOSTILE = st.sampled_from([
    "'; DROP TABLE people_person; --", "<script>alert(1)</script>", "\x00", "\u202e\u200b", "A" * 5000,
    "Ø" * 101, "1' OR '1'='1", "{{ 7*7 }}", "\r\n\r\nSet-Cookie: x=y", "../../etc/passwd", "💥" * 40,
])
VALUES = st.one_of(HOSTILE, st.text(max_size=300), st.integers().map(str), st.just(""))
FIELDS = ["first_name", "last_name", "cpr", "birth_date", "sex", "address", "postal_code", "city", "phone",
          "email", "contact_wish"]


@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, VALUES)))
def test_person_form_never_fails_with_a_server_error(client, guide, data):
    client.force_login(guide)
    before = Person.objects.count()
    response = client.post(reverse("people:create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        body = response.content.decode()
        assert "errorlist" in body or "warning" in body or "error" in body
        assert Person.objects.count() == before
        assert "<script>alert(1)</script>" not in body
    else:
        person = Person.objects.latest("pk")
        assert person.first_name or person.last_name


@given(payload=st.dictionaries(st.sampled_from(FIELDS + ["confirm_similar", "unknown"]),
                               st.one_of(VALUES, st.integers(), st.none(), st.booleans(), st.lists(st.integers(), max_size=2))))
def test_person_api_never_fails_with_a_server_error(client, guide, payload):
    token = issue_token(guide, "fuzz")
    response = client.post("/api/v1/people", data=json.dumps(payload), content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (201, 400, 409, 422), response.content[:500]
    body = response.json()
    if response.status_code != 201:
        assert body["detail"]
    else:
        assert Person.objects.filter(pk=body["id"]).exists()


@given(text=VALUES)
def test_search_never_fails(client, guide, text):
    client.force_login(guide)
    assert client.post(reverse("people:search"), {"q": text}).status_code == 200
    assert client.post(reverse("people:search"), {"cpr": text}).status_code == 200
