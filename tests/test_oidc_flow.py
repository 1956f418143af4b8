"""Municipal single sign-on (OIDC) for staff, end to end against the local OpenID Provider (tests/local_idp.py), in a
process with OIDC switched on: authorisation code with PKCE, an RS256 ID token checked against the provider's keys."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import subprocess_env
from local_idp import LocalIdp

FLOW = textwrap.dedent("""
    import sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    call_command("migrate", "--noinput", "-v0")
    sys.path.insert(0, TESTS)
    from local_idp import sign_in
    from traedesten.accounts.models import User
    User.objects.create_user(username="mette.guide", password="unused-password-123", role="guide", first_name="Mette")
    client = Client()
    login_page = client.get("/log-ind/").content.decode()
    assert "Log ind med kommunens login" in login_page
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and "code_challenge=" in start["Location"], start["Location"]
    callback = sign_in(start["Location"], LOGIN).replace("http://testserver", "")
    done = client.get(callback)
    home = client.get("/")
    print("RESULT", done.status_code, done.get("Location"), "Mette" in home.content.decode(), home.status_code)
""")


@pytest.fixture(scope="module")
def provider():
    idp = LocalIdp(["http://testserver/oidc/callback/"], shift_days=0)  # the client below runs on the real clock
    yield idp
    idp.stop()


@pytest.mark.parametrize("login, logged_in", [("mette.guide", True), ("ukendt", False)])
def test_oidc_login_matches_existing_users_only(tmp_path, provider, login, logged_in):
    env = subprocess_env(**provider.staff_env(), TRAEDESTEN_DATA_DIR=str(tmp_path),
                         DJANGO_SETTINGS_MODULE="traedesten.settings")
    script = f"TESTS = {str(Path(__file__).parent)!r}\nLOGIN = {login!r}\n" + FLOW
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    result = run.stdout.split("RESULT", 1)[1].split()
    assert result[0] == "302"
    if logged_in:
        assert result[2] == "True" and result[3] == "200"
    else:
        assert result[2] == "False" and result[3] == "302"  # still sent to the login page
