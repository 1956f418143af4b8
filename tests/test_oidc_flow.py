"""Municipal single sign-on (OIDC), end to end against a local fake provider, in a process with OIDC switched on."""

import subprocess
import sys
import textwrap

import pytest

from conftest import subprocess_env
from oidc_fake_provider import FakeProvider

FLOW = textwrap.dedent("""
    import django, requests
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    call_command("migrate", "--noinput", "-v0")
    from traedesten.accounts.models import User
    User.objects.create_user(username="mette.guide", password="unused-password-123", role="guide", first_name="Mette")
    client = Client()
    login_page = client.get("/log-ind/").content.decode()
    assert "Log ind med kommunens login" in login_page
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    back = requests.get(start["Location"], allow_redirects=False)
    callback = back.headers["Location"].replace("http://testserver", "")
    done = client.get(callback)
    home = client.get("/")
    print("RESULT", done.status_code, done.get("Location"), "Mette" in home.content.decode(), home.status_code)
""")


@pytest.mark.parametrize("claims, logged_in", [
    ({"preferred_username": "mette.guide", "email": "mette@kommune.dk"}, True),
    ({"preferred_username": "ukendt", "email": "ukendt@kommune.dk"}, False),
])
def test_oidc_login_matches_existing_users_only(tmp_path, claims, logged_in):
    provider = FakeProvider(claims)
    try:
        env = subprocess_env(**provider.env(), TRAEDESTEN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="traedesten.settings")
        run = subprocess.run([sys.executable, "-c", FLOW], env=env, capture_output=True, text=True, timeout=180)
        assert run.returncode == 0, run.stderr[-3000:]
        result = run.stdout.split("RESULT", 1)[1].split()
        assert result[0] == "302"
        if logged_in:
            assert result[2] == "True" and result[3] == "200"
        else:
            assert result[2] == "False" and result[3] == "302"  # still sent to the login page
    finally:
        provider.stop()
