"""Visitors on the expensive open endpoints (issue 9, Abuse limits): a number of requests a
minute per address, then 429 problem JSON with Retry-After; signed-in users are not
limited there, and another address is not affected."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import BuyerFactory
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("bucket", "method", "path", "body"),
    [
        ("search", "get", "/api/v1/vehicles", None),
        (
            "estimate",
            "post",
            "/api/v1/quotes/estimate",
            {
                "items": [{"vehicle_id": 1, "quantity": 1}],
                "incoterm": "CIF",
                "destination": "AEJEA",
            },
        ),
    ],
)
def test_a_visitor_is_limited_per_minute(settings, bucket, method, path, body):
    settings.ANONYMOUS_RATE_LIMITS = {**settings.ANONYMOUS_RATE_LIMITS, bucket: 3}
    client = Client(REMOTE_ADDR="198.51.100.20")

    def call(c):
        if method == "get":
            return c.get(path)
        return c.post(path, body, content_type="application/json")

    answers = [call(client).status_code for _ in range(3)]
    assert 429 not in answers
    limited = call(client)
    assert assert_problem(limited, 429)["code"] == "rate_limited"
    assert 0 < int(limited["Retry-After"]) <= 60
    assert call(Client(REMOTE_ADDR="203.0.113.21")).status_code != 429
    signed_in = Client(REMOTE_ADDR="198.51.100.20")
    signed_in.force_login(BuyerFactory())
    assert call(signed_in).status_code != 429


def test_without_a_cache_the_limit_gives_way_instead_of_failing(settings):
    """Redis down: the site still answers (the limit is not applied)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.ANONYMOUS_RATE_LIMITS = {**settings.ANONYMOUS_RATE_LIMITS, "search": 1}
    client = Client(REMOTE_ADDR="198.51.100.22")
    for _ in range(3):
        assert client.get("/api/v1/vehicles").status_code == 200
