"""Outages (issue 9, load and fault checks): the database restarting answers 503 with
Retry-After, on the API and on pages, never a bare 500; Redis down leaves the site serving
(tested end to end in bench/load.py, here per request)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from tests.factories import BuyerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("ex1000.catalog.selectors.search_vehicles", refuse)


def test_the_api_answers_503_with_retry_after_while_the_database_is_down(database_down):
    response = Client().get("/api/v1/vehicles")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"


@override_settings(DEBUG=False)
def test_a_page_answers_503_too(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr("ex1000.catalog.views.render", refuse, raising=False)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_redis_down_the_site_still_serves_a_signed_in_user(settings, login_api):
    buyer = BuyerFactory()
    api = login_api(buyer)
    settings.CACHES = {
        "default": {
            "BACKEND": "ex1000.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert api.get("vehicles").status_code == 200
    assert api.patch("me", {"city": "Almaty"}).status_code == 200
