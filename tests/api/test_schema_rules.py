"""The OpenAPI document's stated rules agree with what the server checks, and every schema
has its own name there (components are named by class: a namesake overwrites the other)."""

import re
from collections import defaultdict

from django.core.validators import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st
from ninja import Schema

from ex1000.api import api
from ex1000.core.api import EMAIL_PATTERN
from ex1000.core.errors import AppError
from ex1000.core.idempotency import MAX_KEY_LENGTH, _checked_key


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schemas_share_a_component_name():
    api.get_openapi_schema()  # every router's schemas are imported
    by_name = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("ex1000."):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


@settings(max_examples=200, deadline=None)
@given(st.from_regex(EMAIL_PATTERN, fullmatch=True))
def test_an_address_of_the_documented_pattern_is_valid(address):
    validate_email(address.lower())


def test_the_documented_pattern_refuses_what_validate_email_refuses():
    for address in ("a..b@example.com", ".a@example.com", "a@-example.com", "a@example"):
        assert not re.fullmatch(EMAIL_PATTERN, address)


def test_the_documented_idempotency_key_pattern_is_the_check():
    schema = api.get_openapi_schema()["paths"]["/api/v1/inquiries"]["post"]["parameters"]
    pattern = next(p["schema"]["pattern"] for p in schema if p["name"] == "Idempotency-Key")
    for key in ("k", "a b", "~" * MAX_KEY_LENGTH, "", " ", "a\tb", "é", "k" * 256, " k"):
        try:
            accepted = _checked_key(key) == key
        except AppError:
            accepted = False
        assert bool(re.fullmatch(pattern, key)) == accepted, key
