import itertools
import os

import pytest
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


@pytest.fixture
def team(db):
    return Team.objects.create(name="Din Indgang")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Bostøtte Syd")


@pytest.fixture
def make_user(db):
    def make(role=Role.GUIDE, teams=(), username=None, **extra):
        user = User.objects.create_user(
            username=username or f"{role}{next(_counter)}", password="test-password-123", role=role,
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

    from traedesten.measures.services import ensure_instruments

    ensure_catalogue()
    ensure_partners()
    ensure_instruments()
    from traedesten.plans.catalogue import ensure_departments, ensure_plan_catalogue

    ensure_departments()
    ensure_plan_catalogue()
    from traedesten.economy.catalogue import ensure_price_items

    ensure_price_items()
