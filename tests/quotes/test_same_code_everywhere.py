"""The same bad option gives the same code (and message) on every endpoint that takes it:
the estimate, an inquiry, a supplier's revision, the catalogue search with a destination,
and the vehicle page's calculator (the page shows the API's message on the field)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from ex1000.quotes.models import Inquiry
from tests.quotes import fixtures_inquiries as fx

pytestmark = pytest.mark.django_db

BAD = [
    ({"incoterm": "XYZ"}, "incoterm", "unknown_incoterm"),
    ({"destination": "ZZZZZ"}, "destination", "unknown_place"),
    ({"origin": "ZZZZZ"}, "origin", "unknown_place"),
    ({"mode": "air"}, "mode", "unknown_mode"),
    ({"currency": "GBP"}, "currency", "unknown_currency"),  # ISO 4217, no fx in the book
    ({"currency": "ZZZ"}, "currency", "unknown_currency"),
    ({"insurance": "ICC-B"}, "insurance", "unknown_insurance_cover"),
    ({"incoterm": "FOB", "mode": "rail", "destination": "KZALA"}, "incoterm", "term_not_for_mode"),
]
GOOD = {"incoterm": "CIF", "destination": "AEJEA", "mode": "roro", "currency": "USD"}


def _problem(response, code, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["type"].endswith(f"/{code}")
    assert body["errors"][field], body
    return body["errors"][field][0]


def _estimate(api, cars, seller_api, inquiry, bad):
    items = [{"vehicle_id": cars[0].pk, "quantity": 1}]
    return api.post("quotes/estimate", {"items": items, **GOOD, **bad})


def _inquiry(api, cars, seller_api, inquiry, bad):
    return api.post("inquiries", fx.inquiry_payload(cars[0], **{**GOOD, **bad}))


def _revision(api, cars, seller_api, inquiry, bad):
    return seller_api.post(f"inquiries/{inquiry.pk}/quotes", {"note": "x", **GOOD, **bad})


def _search(api, cars, seller_api, inquiry, bad):
    params = {
        k: v
        for k, v in {**GOOD, **bad}.items()
        if k in ("incoterm", "destination", "mode", "currency")
    }
    return api.get("vehicles", params)


ENDPOINTS = {
    "estimate": _estimate,
    "inquiry": _inquiry,
    "revision": _revision,
    "search": _search,
}
# The search takes the four options of a landed price (not origin or insurance).
SEARCH_PARSES = {"destination", "incoterm", "mode", "currency"}


@pytest.fixture
def seller_api(login_api, seller):
    return login_api(seller)


@pytest.fixture
def inquiry(book, stock, buyer_api):
    response = buyer_api.post("inquiries", fx.inquiry_payload(*stock[1]))
    assert response.status_code == 201, response.content
    return Inquiry.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize(("bad", "field", "code"), BAD, ids=[c for *_x, c in BAD])
def test_the_same_bad_option_has_the_same_code_on_every_endpoint(
    client, buyer_api, cars, seller_api, inquiry, bad, field, code
):
    messages = {}
    for name, call in ENDPOINTS.items():
        if name == "search" and not set(bad) <= SEARCH_PARSES:
            continue
        messages[name] = _problem(call(buyer_api, cars, seller_api, inquiry, bad), code, field)
    assert len(set(messages.values())) == 1, messages

    if field in PAGE_FIELDS:  # the calculator's form shows the API's message on the field
        response = client.get(
            reverse("quotes:calculator", args=[cars[0].pk]),
            {**GOOD, "quantity": 1, **bad},
            headers={"HX-Request": "true"},
        )
        text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))
        assert messages["estimate"] in text


PAGE_FIELDS = {"incoterm", "destination", "mode", "currency"}  # the form has no origin
