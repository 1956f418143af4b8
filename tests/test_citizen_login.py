"""Min side's login: MitID through an OpenID Connect broker, here the local OpenID Provider (tests/local_idp.py).

The whole authorisation-code flow with PKCE runs against the real provider; the provider's login page is walked as
a browser would. The provider's clock runs as far ahead as the test run's (TRAEDESTEN_CLOCK_SHIFT_DAYS), so the ID
token's times are checked for real in both runs.
"""

import datetime
import inspect
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from local_idp import LocalIdp, sign_in
from traedesten.accounts.models import AuditEvent
from traedesten.citizen import login as login_views, oidc, session
from traedesten.citizen.oidc import PENDING_KEY

CALLBACK = "http://testserver/min-side/log-ind/svar/"


@pytest.fixture(scope="module")
def provider():
    idp = LocalIdp([CALLBACK])
    yield idp
    idp.stop()


@pytest.fixture
def broker(provider, settings):
    settings.TRAEDESTEN_CITIZEN_OIDC = provider.citizen_settings()
    oidc._DISCOVERY.clear()
    return provider


@pytest.fixture
def citizen(make_person, guide, team):
    return make_person(guide, team=team, first_name="Ane", last_name="Borgersen", cpr="0707771237")


def door_session(client):
    """The citizen session the client holds (the test client's `session` is the staff one)."""
    from importlib import import_module

    cookie = client.cookies.get(settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE)
    return import_module(settings.SESSION_ENGINE).SessionStore(cookie.value if cookie else None)


def _start(client) -> str:
    start = client.get("/min-side/log-ind/mitid/")
    assert start.status_code == 302
    return start["Location"]


def _back(client, callback_url: str):
    return client.get(callback_url.replace("http://testserver", ""))


def test_mitid_login_finds_the_citizen_by_cpr_in_a_session_of_its_own(client, broker, citizen, guide):
    authorize = _start(client)
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["scope"] == ["openid ssn"] and query["redirect_uri"] == [CALLBACK]
    assert "0707771237" not in authorize

    done = _back(client, sign_in(authorize, "0707771237"))
    assert done.status_code == 302 and done["Location"] == "/min-side/"
    cookie = client.cookies[settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE]
    assert cookie["path"] == "/min-side/" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.TRAEDESTEN_CITIZEN_IDLE_MINUTES * 60
    assert settings.SESSION_COOKIE_NAME not in client.cookies  # no staff session came with it

    home = client.get("/min-side/")
    assert home.status_code == 200 and "Hej Ane" in home.content.decode()
    assert "0707771237" not in home.content.decode() and "070777-1237" not in home.content.decode()
    login = AuditEvent.objects.get(person_id=citizen.pk, section="min_side_login")
    assert login.by_citizen and login.user is None and login.channel == "min_side"
    # The same browser is nobody on the staff side: the citizen cookie is not read there.
    assert client.get("/")["Location"].startswith("/log-ind/")
    assert client.get(f"/borgere/{citizen.pk}/").status_code == 302
    assert client.get(f"/api/v1/people/{citizen.pk}").status_code in (401, 403)


def test_a_staff_session_is_nobody_on_min_side(client, broker, citizen, guide):
    client.force_login(guide)
    assert client.get("/").status_code == 200
    response = client.get("/min-side/")
    assert response.status_code == 302 and response["Location"] == "/min-side/log-ind/"


def test_an_unknown_cpr_number_opens_nothing(client, broker, citizen):
    done = _back(client, sign_in(_start(client), "0101901236"))
    assert done.status_code == 403 and "kan ikke finde dig" in done.content.decode()
    assert session.PERSON_KEY not in door_session(client)
    assert client.get("/min-side/plan/")["Location"] == "/min-side/log-ind/"


def test_a_login_without_a_cpr_claim_is_refused(client, broker, citizen):
    done = _back(client, sign_in(_start(client), "mette.guide"))
    assert done.status_code == 400 and "CPR-nummer" in done.content.decode()
    assert client.get("/min-side/")["Location"] == "/min-side/log-ind/"


def test_a_forged_state_or_a_wrong_pkce_verifier_is_refused(client, broker, citizen):
    callback = sign_in(_start(client), "0707771237")
    forged = callback.replace("state=", "state=x")
    assert _back(client, forged).status_code == 400  # and the pending login is spent
    assert _back(client, callback).status_code == 400

    callback = sign_in(_start(client), "0707771237")
    store = door_session(client)
    store[PENDING_KEY] = {**store[PENDING_KEY], "verifier": "a-different-verifier-" + "v" * 40}
    store.save()
    refused = _back(client, callback)
    assert refused.status_code == 400 and "Start forfra" in refused.content.decode()
    assert session.PERSON_KEY not in door_session(client)


def test_the_provider_refuses_a_flow_without_pkce(broker):
    authorize = f"{broker.issuer}/authorize/?response_type=code&client_id={broker.client_id}&scope=openid" \
                f"&redirect_uri={CALLBACK}&state=abc"
    back = sign_in(authorize, "0707771237")
    assert back.startswith(CALLBACK) and "error=" in back and "code=" not in back


def test_the_session_ends_after_the_idle_timeout(client, broker, citizen):
    _back(client, sign_in(_start(client), "0707771237"))
    idle = datetime.timedelta(minutes=settings.TRAEDESTEN_CITIZEN_IDLE_MINUTES)
    with time_machine.travel(timezone.now() + idle - datetime.timedelta(minutes=1)):
        assert client.get("/min-side/plan/").status_code == 200  # still there, and the clock restarts
    with time_machine.travel(timezone.now() + 2 * idle - datetime.timedelta(minutes=3)):
        assert client.get("/min-side/plan/").status_code == 200
    with time_machine.travel(timezone.now() + 3 * idle):
        gone = client.get("/min-side/plan/")
        assert gone["Location"] == "/min-side/log-ind/udloebet/"
        assert "logget ud" in client.get(gone["Location"]).content.decode()
        assert client.get("/min-side/")["Location"] == "/min-side/log-ind/"


def test_logout_ends_the_session(client, broker, citizen):
    _back(client, sign_in(_start(client), "0707771237"))
    assert client.post("/min-side/log-ud/")["Location"] == "/min-side/log-ind/"
    assert client.get("/min-side/")["Location"] == "/min-side/log-ind/"


def test_without_a_broker_there_is_no_way_in(client, settings, citizen):
    settings.TRAEDESTEN_CITIZEN_OIDC = {**settings.TRAEDESTEN_CITIZEN_OIDC, "issuer": "", "client_id": ""}
    page = client.get("/min-side/log-ind/")
    assert "ikke sat op" in page.content.decode()
    assert client.get("/min-side/log-ind/mitid/").status_code == 404
    assert client.get("/min-side/log-ind/svar/?code=x&state=y").status_code == 404


def test_only_the_brokers_callback_starts_a_citizen_session():
    """No shortcut: the one call that makes a citizen session is in the callback, after the broker's answer."""
    from pathlib import Path

    import traedesten.citizen as package

    callers = [path.name for path in Path(package.__file__).parent.glob("*.py")
               if "session.start(" in path.read_text()]
    assert callers == ["login.py"]
    assert "session.start(" in inspect.getsource(login_views.callback)
    assert "oidc.finish(" in inspect.getsource(login_views.callback)


def test_a_session_ends_after_the_absolute_limit_however_active(client, broker, citizen):
    _back(client, sign_in(_start(client), "0707771237"))
    step = datetime.timedelta(minutes=settings.TRAEDESTEN_CITIZEN_IDLE_MINUTES - 1)
    now = timezone.now()
    for n in range(1, int(settings.TRAEDESTEN_CITIZEN_MAX_HOURS * 3600 / step.total_seconds()) + 3):
        with time_machine.travel(now + n * step):
            response = client.get("/min-side/")
            if response.status_code != 200:
                break
    assert response["Location"] == "/min-side/log-ind/udloebet/"
    assert n * step > datetime.timedelta(hours=settings.TRAEDESTEN_CITIZEN_MAX_HOURS)


def test_deploy_checks_want_an_https_broker_and_a_cookie_of_its_own(settings):
    from traedesten.citizen.apps import check_door

    settings.TRAEDESTEN_CITIZEN_OIDC = {**settings.TRAEDESTEN_CITIZEN_OIDC, "issuer": "http://broker.example"}
    settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE = settings.SESSION_COOKIE_NAME
    settings.TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES = "everything"
    assert {e.id for e in check_door()} == {"traedesten.citizen.E001", "traedesten.citizen.E002",
                                             "traedesten.citizen.E003"}
    settings.TRAEDESTEN_CITIZEN_OIDC = {**settings.TRAEDESTEN_CITIZEN_OIDC, "issuer": "https://broker.example"}
    settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE = "traedesten_borger"
    settings.TRAEDESTEN_CITIZEN_LOG_STAFF_NAMES = "name"
    assert check_door() == []
