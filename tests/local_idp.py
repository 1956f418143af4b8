"""A real OpenID Provider on this machine, for development and tests: django-oauth-toolkit (decision 0046).

It runs as a process of its own with a throw-away SQLite database and an RSA key made at start, serves discovery,
authorisation (PKCE required), token, userinfo and JWKS under /o/, and registers one confidential client. Its login
page stands in for MitID or the municipality's staff login: type a user id; a ten-digit id is the CPR number (claim
"cpr" under scope "ssn"), and every id is also "preferred_username" (scope "profile") and an e-mail (scope "email").

    .venv/bin/python tests/local_idp.py --port 8765 --redirect-uri http://127.0.0.1:8000/min-side/log-ind/svar/

prints ``READY <issuer>`` once it serves. ``--shift-days N`` runs the provider's clock N days ahead, as the test run's
clock is with TRAEDESTEN_CLOCK_SHIFT_DAYS, so the tokens it signs are fresh to the process that checks them.
"""

import argparse
import datetime
import html
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urljoin

import requests

CLIENT_ID = "traedesten-local"
CLIENT_SECRET = "local-idp-secret-" + "s" * 24
LOGIN_PAGE = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Lokal MitID (test)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>Lokal MitID (kun til udvikling og test)</h1>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<label for="user">Bruger-id eller CPR-nummer</label> <input id="user" name="user" autocomplete="off" required>
<button type="submit">Log ind</button></form></main></body></html>"""


def _private_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _configure(issuer: str, data_dir: Path) -> None:
    from django.conf import settings

    settings.configure(
        DEBUG=False, SECRET_KEY=secrets.token_urlsafe(40), ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__, USE_TZ=True, LOGIN_URL="/login/",
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                        "oauth2_provider"],
        MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware",
                    "django.middleware.csrf.CsrfViewMiddleware",
                    "django.contrib.auth.middleware.AuthenticationMiddleware"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir / "idp.sqlite3")}},
        # Cookies are per host, not per port: keep clear of the relying party's on the same 127.0.0.1.
        SESSION_COOKIE_NAME="local_idp_session", CSRF_COOKIE_NAME="local_idp_csrftoken",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": _private_key(), "OIDC_ISS_ENDPOINT": issuer,
            "PKCE_REQUIRED": True, "OAUTH2_VALIDATOR_CLASS": f"{__name__}.Claims",
            "SCOPES": {"openid": "OpenID Connect", "ssn": "CPR-nummer", "profile": "Navn", "email": "E-mail"},
        },
    )


def _claims_validator():
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class Claims(OAuth2Validator):
        oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "cpr": "ssn"}

        def get_additional_claims(self, request):
            uid = request.user.username
            claims = {"preferred_username": uid, "name": f"Testperson {uid[-4:]}", "email": f"{uid}@kommune.example"}
            if len(uid) == 10 and uid.isdigit():
                claims["cpr"] = uid
            return claims

    return Claims


def login(request):
    """The stand-in for MitID: whoever types a user id is that user."""
    from django.contrib.auth import login as log_in
    from django.contrib.auth.models import User
    from django.http import HttpResponse, HttpResponseBadRequest
    from django.middleware.csrf import get_token
    from django.shortcuts import redirect

    if request.method == "POST":
        uid = "".join(request.POST.get("user", "").split())[:150]
        if not uid:
            return HttpResponseBadRequest("Skriv et bruger-id.")
        user, _created = User.objects.get_or_create(username=uid)
        log_in(request, user, backend="django.contrib.auth.backends.ModelBackend")
        target = request.GET.get("next", "")
        return redirect(target if target.startswith("/o/") else "/o/")
    return HttpResponse(LOGIN_PAGE.format(csrf=html.escape(get_token(request))))


def _urlpatterns():
    from django.urls import include, path

    return [path("login/", login), path("o/", include("oauth2_provider.urls", namespace="oauth2_provider"))]


def __getattr__(name):  # the URLconf and the validator class are read lazily, after settings are configured
    if name == "urlpatterns":
        return _urlpatterns()
    if name == "Claims":
        return _claims_validator()
    raise AttributeError(name)


def _register(redirect_uris: list[str]) -> None:
    from oauth2_provider.models import get_application_model

    application = get_application_model()
    application.objects.create(
        name="Trædesten", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=" ".join(redirect_uris),
        client_type=application.CLIENT_CONFIDENTIAL, authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        algorithm=application.RS256_ALGORITHM, skip_authorization=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--shift-days", type=int, default=0)
    args = parser.parse_args(argv)
    if args.shift_days:
        import time_machine

        time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=args.shift_days),
                            tick=True).start()
    import django
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", args.port), QuietHandler, ipv6=False)
    issuer = f"http://127.0.0.1:{server.server_port}/o"
    _configure(issuer, Path(tempfile.mkdtemp(prefix="local-idp-")))
    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    _register(args.redirect_uri)
    server.set_app(get_wsgi_application())
    print(f"READY {issuer}", flush=True)
    server.serve_forever()


class LocalIdp:
    """The provider as a child process of the test run (or of `make idp`)."""

    def __init__(self, redirect_uris: list[str], *, shift_days: int | None = None, env: dict | None = None):
        if shift_days is None:
            shift_days = int(os.environ.get("TRAEDESTEN_CLOCK_SHIFT_DAYS") or 0)
        command = [sys.executable, __file__, "--shift-days", str(shift_days)]
        for uri in redirect_uris:
            command += ["--redirect-uri", uri]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=env)
        ready: list[str] = []
        reader = threading.Thread(target=lambda: ready.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=90)
        if not ready or not ready[0].startswith("READY "):
            self.stop()
            raise RuntimeError("the local OpenID Provider did not start: " + self.process.stderr.read()[-2000:])
        self.issuer = ready[0].split()[1]
        self.client_id, self.client_secret = CLIENT_ID, CLIENT_SECRET

    def citizen_settings(self, **extra) -> dict:
        """TRAEDESTEN_CITIZEN_OIDC for Min side against this provider."""
        return {"issuer": self.issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "scopes": "openid ssn",
                "cpr_claim": "cpr", "acr_values": "", "timeout": 10, **extra}

    def staff_env(self) -> dict:
        """The environment that turns on staff single sign-on (mozilla-django-oidc) against this provider."""
        return {"TRAEDESTEN_OIDC_CLIENT_ID": CLIENT_ID, "TRAEDESTEN_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "TRAEDESTEN_OIDC_SIGN_ALGO": "RS256",
                "TRAEDESTEN_OIDC_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize/",
                "TRAEDESTEN_OIDC_TOKEN_ENDPOINT": f"{self.issuer}/token/",
                "TRAEDESTEN_OIDC_USER_ENDPOINT": f"{self.issuer}/userinfo/",
                "TRAEDESTEN_OIDC_JWKS_ENDPOINT": f"{self.issuer}/.well-known/jwks.json"}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def sign_in(authorize_url: str, user: str) -> str:
    """Walk the provider's pages as a browser would, logging in as `user`; the URL it sends back to the client."""
    browser = requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
    if answer.status_code != 302 or "/login/" not in answer.headers["Location"]:
        return answer.headers.get("Location", "")
    login_url = urljoin(authorize_url, answer.headers["Location"])
    page = browser.get(login_url, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(login_url, data={"user": user, "csrfmiddlewaretoken": csrf}, allow_redirects=False,
                          timeout=10)
    answer = browser.get(urljoin(login_url, answer.headers["Location"]), allow_redirects=False, timeout=10)
    return answer.headers.get("Location", "")


if __name__ == "__main__":
    sys.exit(main())
