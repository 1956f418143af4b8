"""The production configuration, checked in a fresh process started the way a municipality would start it."""

import json
import subprocess
import sys
import textwrap

from conftest import subprocess_env

PROBE = textwrap.dedent("""
    import json, django
    from django.conf import settings
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    response = Client().get("/log-ind/", secure=True, headers={"host": "traedesten.kommune.dk"})
    plain = Client().get("/log-ind/", headers={"host": "traedesten.kommune.dk"})
    call_command("check", "--deploy", "--fail-level", "WARNING")
    print(json.dumps({
        "status": response.status_code, "plain": plain.status_code, "headers": dict(response.headers),
        "cookies": {k: dict(v) for k, v in response.cookies.items()},
        "settings": {k: getattr(settings, k) for k in ("DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "PASSWORD_HASHERS")},
    }))
""")


def test_production_settings_and_headers(tmp_path):
    (tmp_path / "static").mkdir()
    env = subprocess_env(**{
        "TRAEDESTEN_ENV": "production", "TRAEDESTEN_SECRET_KEY": "x" * 60 + "-a-long-random-production-key",
        "TRAEDESTEN_ALLOWED_HOSTS": "traedesten.kommune.dk", "TRAEDESTEN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "traedesten.settings"})
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    s, h = result["settings"], result["headers"]
    assert s["DEBUG"] is False and s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_SSL_REDIRECT"]
    assert "Argon2" in s["PASSWORD_HASHERS"][0]
    assert result["status"] == 200 and result["plain"] == 301  # plain HTTP is sent to HTTPS
    assert "max-age=31536000" in h["Strict-Transport-Security"]
    csp = h["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin" and h["Cross-Origin-Opener-Policy"] == "same-origin"
    csrf = result["cookies"].get("csrftoken")
    assert csrf and csrf["secure"] and csrf["samesite"] == "Lax"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = subprocess_env(**{
        "TRAEDESTEN_ENV": "production", "TRAEDESTEN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "traedesten.settings"})
    run = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode != 0 and "TRAEDESTEN_SECRET_KEY must be set" in run.stderr
