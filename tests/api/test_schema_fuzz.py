"""Schemathesis over every operation of the OpenAPI document, as each role: no input makes the
API answer 5xx, and every status it answers is one the document states (docs/api.md).

One world is built per module (a verified supplier with published listings, a buyer with an
order and an open inquiry, a logistics partner, an operator, a rate book) inside a
transaction that is rolled back at the end, like Django's TestCase.setUpTestData. Every
generated request runs in a savepoint that is rolled back too: a case that revokes the
token (DELETE /auth/token), changes the password or locks the account for its deletion
leaves the role's token valid for the next case, and listings, orders and limits are as
built. Path parameters are drawn either freely or from the world's ids, so the fuzzing
reaches past 404 into the operations' own rules.

Bounded for CI: a handful of examples per operation and role (FUZZ_EXAMPLES), against the
Django WSGI app in-process.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from ex1000.orders.state_machine import Action
from ex1000.privacy import access_log
from ex1000.wsgi import application
from tests.factories import (
    BuyerFactory,
    OperatorFactory,
    PartnerFactory,
    VehicleFactory,
)
from tests.helpers import api_token
from tests.quotes import fixtures_inquiries as fx

ROLES = ("anonymous", "buyer", "supplier", "partner", "operator")

# Not fuzzed here, with the reason:
EXCLUDED = {
    # Signed by the carrier (Standard Webhooks HMAC over the raw body): without the
    # signature every request is a 401; tests/logistics/test_webhook.py covers it.
    "POST /api/v1/logistics/webhook/{provider}",
}

# Valid data may still meet the business rules: not logged in or not allowed, not found or
# not yours, a state conflict, gone, the policy to accept first, a rate limit.
EXPECTED_FOR_VALID_DATA = ["2xx", "3xx", "401", "403", "404", "409", "410", "428", "429"]

# 422s that depend on the data, not on the request's shape: the rate book's places and
# currencies, which listings exist and are published, who is registered, password strength.
# Any other 422 for a schema-valid request means the document misses a constraint.
DATA_DEPENDENT_422 = {
    "unknown_place",
    "unknown_currency",
    "vehicle_not_offered",
    "not_published",
    "not_enough_units",
    "several_suppliers",
    "weak_password",
    # secrets only the user holds: the password, the authenticator's code, a mailed link
    "current_password_wrong",
    "otp_wrong",
    "link_invalid",
    "link_expired",
    "reset_link_invalid",
    "email_unchanged",
}

# Operations whose document does not state every constraint the server enforces yet (the
# server's answer, 422, is right; the schema should say it): positive_data_acceptance is not
# asserted for them until it does. Remove a row when its schema is fixed.
SCHEMA_GAPS = {
    "POST /api/v1/auth/register": "accepted_policy_version must be the current version",
    "PATCH /api/v1/me": "country: ISO 3166 codes",
    "POST /api/v1/me/documents": "multipart fields required",
    "POST /api/v1/ops/verifications/{request_id}/decision": "reason required to reject",
    "POST /api/v1/ops/disclosures": "recipient required",
    "POST /api/v1/vehicles": "required non-empty fields, year range",
    "POST /api/v1/vehicles/import": "a .csv or .xlsx file",
    "PATCH /api/v1/vehicles/{vehicle_id}": "money amount as a decimal string",
    "POST /api/v1/vehicles/{vehicle_id}/photos": "an image file",
    "POST /api/v1/feedback": "text required non-empty",
    "POST /api/v1/quotes/estimate": "incoterm and destination required",
    "POST /api/v1/inquiries": "incoterm and destination required",
    "POST /api/v1/inquiries/{inquiry_id}/quotes": "adjustment amount as a decimal string",
    "POST /api/v1/orders/{number}/payments": "multipart fields required",
    "POST /api/v1/orders/{number}/documents": "multipart fields required",
    # Rules across fields, which a per-field schema cannot state:
    "PUT /api/v1/me/notification-preferences": "at most one object per event in the list",
    "GET /api/v1/vehicles": "incoterm, mode and currency only with a destination",
    "POST /api/v1/privacy/requests": "text required for some types",
    "POST /api/v1/ops/privacy/requests/{request_id}/decision": "reason required to refuse",
    "POST /api/v1/orders/{number}/actions/{action}": "the action's required fields",
    "PUT /api/v1/orders/{number}/consignee": "country, email and phone formats",
    "POST /api/v1/orders/{number}/shipments": "voyage format",
    "POST /api/v1/threads/{thread_id}/messages": "attachment file types",
}

config = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": EXPECTED_FOR_VALID_DATA}}}
)
# Loaded at collection, before any test database: the document's request must not leave an
# access record for the background writer (it would write while the test database is made).
with override_settings(ACCESS_LOG_BACKGROUND=False):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
access_log.discard()

# Filled by the world fixture: path parameter → ids that exist.
KNOWN: dict[str, list] = {}
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, the world's ids instead of drawn ones (those are nearly always 404)."""
    known = {
        name: st.sampled_from(KNOWN[name]) for name in (path_parameters or {}) if KNOWN.get(name)
    }
    if not known:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.fixed_dictionaries(known).map(lambda ids: {**path_parameters, **ids}),
    )


def valid_data_accepted(ctx, response, case):
    """positive_data_acceptance, with the data-dependent 422s above counted as accepted."""
    if case.operation.label in SCHEMA_GAPS:
        return None
    if response.status_code == 422:
        try:
            code = response.json().get("code")
        except ValueError:
            code = None
        if code in DATA_DEPENDENT_422:
            return None
    return positive_data_acceptance(ctx, response, case)


def _fuzzed(ctx) -> bool:
    return ctx.operation.label not in EXCLUDED


fuzzed = schema.include(_fuzzed)


def test_every_operation_is_fuzzed_but_the_excluded():
    every = {r.ok().label for r in schema.get_all_operations()}
    selected = {r.ok().label for r in fuzzed.get_all_operations()}

    assert every >= EXCLUDED  # a renamed path must not hide behind an old exclusion
    assert selected == every - EXCLUDED
    assert len(selected) >= 75


@pytest.fixture
def in_process_wsgi():
    """Like Django's test client: the real WSGI handler would close the database connection
    after each request (it is inside the test's transaction), losing the test data. Per test:
    Django's test client (the world's setup uses it) connects the handlers back."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The roles' users and tokens and the objects their operations act on."""
    from tests.orders.builders import accepted_order

    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["tests.hashers.FastArgon2PasswordHasher"],
            ACCESS_LOG_BACKGROUND=False,  # the access records stay in this transaction
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            fx.rate_book()
            seller, cars = fx.supplier_with_listings(3)
            buyer = BuyerFactory()
            order = accepted_order(buyer=buyer, seller=seller, cars=cars[:1])
            inquiry = order.quote.inquiry
            open_order_free = fx.inquiry_payload(cars[1])
            from django.test import Client

            client = Client()
            client.force_login(buyer)
            response = client.post(
                "/api/v1/inquiries", open_order_free, content_type="application/json"
            )
            assert response.status_code == 201, response.content
            open_inquiry = response.json()
            VehicleFactory(make="Toyota", model="Camry", fuel="petrol", body_type="sedan")
            users = {
                "buyer": buyer,
                "supplier": seller,
                "partner": PartnerFactory(),
                "operator": OperatorFactory(),
            }
            tokens = {role: api_token(user) for role, user in users.items()}
            KNOWN.update(
                vehicle_id=[car.pk for car in cars],
                inquiry_id=[inquiry.pk, open_inquiry["id"]],
                quote_id=[order.quote_id, *(q["id"] for q in open_inquiry["quotes"])],
                number=[order.number],
                action=[action.value for action in Action],
                kind=["contract", "proforma", "commercial_invoice", "packing_list"],
                thread_id=[inquiry.thread.pk],
            )
            yield tokens
        finally:
            KNOWN.clear()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("role", ROLES)
@fuzzed.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_answers_5xx_or_an_undocumented_status(case, role, world, db, in_process_wsgi):
    headers = {"Authorization": f"Bearer {world[role]}"} if role != "anonymous" else {}
    with transaction.atomic():
        try:
            case.call_and_validate(
                headers=headers,
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                    valid_data_accepted,
                ],
            )
        finally:
            transaction.set_rollback(True)
