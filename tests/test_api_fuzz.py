"""Schemathesis against /api/v1/openapi.json, in-process: no 500s, and answers that match the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from traedesten.api import api
from traedesten.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Calling the WSGI app directly would close the test's database connection after each request, as a real server
    does; Django's own test client switches that off the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, wsgi_keeps_the_test_connection, make_user, make_person, team):
    from traedesten.accounts.api_auth import issue_token
    from traedesten.accounts.roles import Role

    user = make_user(Role.GUIDE, [team], username="fuzzer")
    make_person(user, team=team, first_name="Fuzz", last_name="Borger", cpr="1010901233")
    return issue_token(user, name="fuzz")


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_never_fails_and_matches_its_schema(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, content_type_conformance])
