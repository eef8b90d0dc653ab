"""Schemathesis against the OpenAPI document: no input makes the public API answer 5xx.

Covers the anonymous GET operations and the two anonymous POSTs (register, token), with a
bounded number of generated requests per operation, against the Django WSGI app in-process.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from ex1000.wsgi import application
from tests.factories import BuyerFactory, VehicleFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


ANONYMOUS = {
    "GET /api/v1/vehicles",
    "GET /api/v1/vehicles/{vehicle_id}",
    "GET /api/v1/countries",
    "GET /api/v1/privacy/policy",
    "GET /api/v1/privacy/policy/versions",
    "POST /api/v1/auth/register",
    "POST /api/v1/auth/token",
}


def _anonymous_operations(ctx) -> bool:
    return ctx.operation.label in ANONYMOUS


def test_every_anonymous_operation_is_fuzzed():
    selected = {r.ok().label for r in schema.include(_anonymous_operations).get_all_operations()}

    assert selected == ANONYMOUS


@pytest.fixture
def in_process_wsgi():
    """Like Django's test client: the real WSGI handler would close the database connection
    after each request (it is inside the test's transaction), losing the test data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, in_process_wsgi):
    """Something to find, facet and log in as, so the fuzzing reaches past empty results."""
    VehicleFactory(make="BYD", model="Song Plus")
    VehicleFactory(make="Toyota", model="Camry", fuel="petrol", body_type="sedan", year=2021)
    BuyerFactory(email="fuzz@example.com")


@schema.include(_anonymous_operations).parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_anonymous_operations_never_answer_5xx(case, seeded):
    case.call_and_validate(checks=[not_a_server_error])
