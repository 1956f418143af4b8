from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from traedesten.accounts.oidc import MunicipalOIDCBackend


def test_passwords_are_hashed_with_argon2(guide):
    assert identify_hasher(guide.password).algorithm == "argon2"


def test_login_with_the_form_and_wrong_password_message(client, guide):
    wrong = client.post(reverse("login"), {"username": "guide", "password": "nope"})
    assert "Forkert brugernavn eller adgangskode" in wrong.content.decode()
    right = client.post(reverse("login"), {"username": "guide", "password": "test-password-123"})
    assert right.status_code == 302


def test_login_is_throttled_after_five_failures(client, guide, settings):
    for _ in range(5):
        client.post(reverse("login"), {"username": "guide", "password": "wrong-password"})
    locked = client.post(reverse("login"), {"username": "guide", "password": "test-password-123"})
    assert locked.status_code == 429
    assert "For mange mislykkede" in locked.content.decode()


def test_english_can_be_selected(client, guide):
    client.force_login(guide)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("people:search")).content.decode()
    assert "Find citizen" in page and "Find borger" not in page


def test_oidc_backend_matches_existing_users_only(guide, make_user):
    guide.email = "guide@kommune.dk"
    guide.save()
    backend = MunicipalOIDCBackend.__new__(MunicipalOIDCBackend)
    backend.UserModel = type(guide)
    assert list(backend.filter_users_by_claims({"preferred_username": "GUIDE"})) == [guide]
    assert list(backend.filter_users_by_claims({"email": "guide@kommune.dk"})) == [guide]
    assert not backend.filter_users_by_claims({"email": "stranger@example.com"}).exists()


def test_security_headers_and_no_inline_script(client, guide):
    client.force_login(guide)
    response = client.get(reverse("people:search"))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()
