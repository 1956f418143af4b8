import functools
import itertools
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db.backends.signals import connection_created
from django.test import override_settings
from hypothesis import HealthCheck, settings

from traedesten.accounts.models import CaseloadAssignment, Team, User
from traedesten.accounts.roles import Role
from traedesten.people import services

settings.register_profile(
    "traedesten",
    deadline=None,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("traedesten")

_counter = itertools.count(1)


def _allow_audit_truncate(sender, connection, **kwargs):
    """Django empties the test database with TRUNCATE between transactional tests; the audit log's trigger refuses
    that unless the session says so (accounts/migrations/0008). Only the test run does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET traedesten.audit_truncate = 'allow'")


connection_created.connect(_allow_audit_truncate)


def pytest_configure(config):
    """With TRAEDESTEN_CLOCK_SHIFT_DAYS set, the whole run happens that many days from now (CI runs it a year ahead),
    so a test that only passes on the day it was written fails the day it is written."""
    days = os.environ.get("TRAEDESTEN_CLOCK_SHIFT_DAYS")
    if days:
        import datetime

        import time_machine

        traveller = time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=int(days)),
                                        tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(scope="session", autouse=True)
def _case_files(tmp_path_factory):
    """Documents and letters go to a folder of the test run, never to var/."""
    configured = django_settings.STORAGES["case_files"]
    storages = {**django_settings.STORAGES, "case_files": {**configured, "OPTIONS": {
        **configured["OPTIONS"], "location": str(tmp_path_factory.mktemp("case-files"))}}}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _fresh_caches():
    """A rolled-back test winds revision counters back; a cached overview must not outlive it."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def team(db):
    return Team.objects.create(name="Din Indgang")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Bostøtte Syd")


@functools.cache
def password_hash(password: str) -> str:
    """One real (argon2) hash per password for the whole run: hashing costs a quarter of a second each time."""
    from django.contrib.auth.hashers import make_password

    return make_password(password)


@pytest.fixture
def make_user(db):
    def make(role=Role.GUIDE, teams=(), username=None, **extra):
        user = User.objects.create(
            username=username or f"{role}{next(_counter)}", password=password_hash("test-password-123"), role=role,
            first_name=extra.pop("first_name", "Test"), last_name=extra.pop("last_name", str(role)), **extra
        )
        user.teams.set(teams)
        return user

    return make


@pytest.fixture
def guide(make_user, team):
    return make_user(Role.GUIDE, [team], username="guide")


@pytest.fixture
def make_person(db):
    def make(actor, team=None, worker=None, **data):
        data.setdefault("first_name", "Mette")
        data.setdefault("last_name", f"Hansen{next(_counter)}")
        person = services.create_person(actor, data, confirm_similar=True, team=team)
        if worker is not None and team is not None:
            CaseloadAssignment.objects.filter(person=person).update(worker=worker)
        return person

    return make


@pytest.fixture(autouse=True)
def catalogue(request):
    """Transactional tests flush what the data migrations loaded; put the starting lists back."""
    if not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from traedesten.courses.catalogue import ensure_catalogue
    from traedesten.frontdoor.catalogue import ensure_partners
    from traedesten.measures.catalogue import ensure_instruments

    ensure_catalogue()
    ensure_partners()
    ensure_instruments()
    from traedesten.plans.catalogue import ensure_departments, ensure_plan_catalogue

    ensure_departments()
    ensure_plan_catalogue()
    from traedesten.economy.catalogue import ensure_price_items

    ensure_price_items()
    from traedesten.insights.catalogue import ensure_built_in

    ensure_built_in()


def login_verified(client, user):
    """Log in past the second factor too (some roles always need it; see accounts/two_factor.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from traedesten.accounts.roles import SECOND_FACTOR_REQUIRED

    client.force_login(user)
    if user.role in SECOND_FACTOR_REQUIRED:
        device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


def login_citizen(client, person_id: int) -> None:
    """A Min side session for the citizen, as if MitID had just vouched for them (what force_login is for staff).
    Production has no such door: only the broker's callback starts a citizen session (tests/test_citizen_login.py)."""
    import time
    from importlib import import_module

    from django.conf import settings as django_settings

    from traedesten.citizen import session

    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    now = int(time.time())
    store.update({session.PERSON_KEY: person_id, session.LOGIN_AT_KEY: now, session.SEEN_AT_KEY: now})
    store.set_expiry(django_settings.TRAEDESTEN_CITIZEN_MAX_HOURS * 3600)
    store.save()
    client.cookies[django_settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE] = store.session_key


def subprocess_env(**extra) -> dict:
    """The environment for a fresh `traedesten` process: none of the test run's database or settings, plus `extra`."""
    import os

    return {k: v for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE") and not k.startswith("TRAEDESTEN_")} | extra


def pdf_bytes(text: str = "Erklaering") -> bytes:
    """A small, plain PDF with `text` on its page (what a scanner or a word processor gives)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def goal_input(area="Håndtere post", baseline=3, target=1, expected=2, goal_type="Udvikle funktionsevne"):
    """An intervention goal for a grant, by the Danish names of its FFB codes."""
    from traedesten.authority import ffb, grants

    condition = ffb.code_named(ffb.activity_conditions(), area) if area else ""
    return grants.GoalInput("Åbner selv sin digitale post", condition, baseline, target,
                            ffb.code_named(ffb.goal_types(), goal_type), expected)


def grant_kwargs(**extra):
    """A valid grant decided 60 days ago with its first follow-up in 30 days; `extra` overrides."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from traedesten.authority import ffb

    today = timezone.localdate()
    return {"case_number": "27.12.20-G01-1-26", "legal_basis": "SEL § 85",
            "service_code": ffb.code_named(ffb.services(), "Støtte til administration"),
            "offer_type_code": ffb.code_named(ffb.offer_types(), "Mobilt tilbud"),
            "target_groups": [ffb.code_named(ffb.target_groups(), "Social isolation")],
            "support_need_code": ffb.code_named(ffb.support_needs(), "Moderat støttebehov"), "hours_per_week": Decimal(3),
            "decided_on": today - datetime.timedelta(days=60), "starts_on": today - datetime.timedelta(days=60),
            "follow_up_on": today + datetime.timedelta(days=30), "appeal_informed": True} | extra


FHIR_STANDARDS = [Path(p) for p in [os.environ.get("TRAEDESTEN_FHIR_STANDARDS", "")] if p] + [
    Path(__file__).resolve().parents[2] / "shared" / "standards" / "fhir", Path("/work/shared/standards/fhir")]


@pytest.fixture(scope="session")
def fhir_standards():
    """KL's FHIR guides as data (../shared/standards/fhir, found as test_authority finds CodeSystem-FFB.json).

    Tests of FFB reports skip only where that folder is absent. The R4 core definitions come from npm and `make test`
    installs them, so their absence fails the test instead of skipping it.
    """
    from django.conf import settings as django_settings

    from traedesten.interop import ffb_guide

    folder = next((p for p in FHIR_STANDARDS if (p / ffb_guide.GUIDE_FOLDER).is_dir()), None)
    if folder is None:
        pytest.skip("KL's FHIR guides (shared/standards/fhir) are not present")
    if ffb_guide.standards_dir().resolve() != folder.resolve():
        django_settings.TRAEDESTEN_FHIR_STANDARDS = str(folder)
        ffb_guide._validator.cache_clear()
    missing = ffb_guide.missing()
    if missing:
        pytest.fail("FHIR definitions are missing (run `make test`, which runs `npm ci`): "
                    + ", ".join(str(p) for p in missing))
    return folder
