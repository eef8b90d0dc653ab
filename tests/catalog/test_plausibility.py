"""Issue 10: implausible listings are refused with field errors — in the API, the page and
the bulk import alike (one VehicleForm) — instead of being published and then quoted with
absurd insurance."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ex1000.catalog.models import Vehicle
from tests.catalog.test_import import COLUMNS, row, to_csv
from tests.helpers import assert_problem, listing_payload

pytestmark = pytest.mark.django_db

IMPLAUSIBLE = [
    ({"mileage_km": 999_999_999}, "mileage_km"),
    ({"fuel": "bev", "engine_cc": 99_999_999_999}, "engine_cc"),
    ({"fuel": "bev", "engine_cc": 1998}, "engine_cc"),  # an electric car has no engine
    ({"fuel": "bev", "battery_kwh": "-1"}, "battery_kwh"),
    ({"fuel": "bev", "battery_kwh": "900"}, "battery_kwh"),
    ({"fuel": "petrol", "battery_kwh": "60"}, "battery_kwh"),  # no traction battery
    ({"price": {"amount": "9999999999", "currency": "CNY"}}, "price"),
    ({"width_mm": 9000}, "width_mm"),
    ({"height_mm": 12000}, "height_mm"),
    ({"length_mm": 1200}, "length_mm"),
]


@pytest.mark.parametrize(("overrides", "field"), IMPLAUSIBLE, ids=lambda v: str(v))
def test_the_api_refuses_an_implausible_listing_on_its_field(login_api, supplier, overrides, field):
    api = login_api(supplier)
    response = api.post("vehicles", listing_payload(**overrides))
    assert_problem(response, 422, field)
    assert not Vehicle.objects.exists()


def test_plausible_electric_and_hybrid_listings_pass(login_api, supplier):
    api = login_api(supplier)
    ev = api.post("vehicles", listing_payload(fuel="bev", battery_kwh="71.8", engine_cc=None))
    assert ev.status_code == 201, ev.content
    phev = api.post("vehicles", listing_payload(fuel="phev", battery_kwh="18.3", engine_cc=1498))
    assert phev.status_code == 201, phev.content


def test_the_listing_page_shows_the_field_error(client, supplier):
    client.force_login(supplier)
    data = {k: v for k, v in listing_payload(mileage_km=999_999_999).items() if k != "price"}
    data["price"] = "135000"
    response = client.post("/supplier/vehicles/new/", data)
    assert response.status_code in (200, 400)
    assert "less than or equal to 2000000" in response.content.decode()
    assert not Vehicle.objects.exists()


def test_the_import_refuses_the_implausible_row_with_its_field(
    login_api, supplier, django_capture_on_commit_callbacks
):
    api = login_api(supplier)
    rows = [row(), row(mileage_km="999999999"), row(fuel="bev", engine_cc="99999999999")]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.upload(
            "vehicles/import",
            {
                "file": SimpleUploadedFile(
                    "stock.csv", to_csv(rows, columns=[*COLUMNS, "engine_cc"]).encode(), "text/csv"
                )
            },
        )
    job = api.get(f"jobs/{response.json()['id']}").json()
    assert job["created"] == 1
    assert {(e["row"], e["field"]) for e in job["errors"]} == {(3, "mileage_km"), (4, "engine_cc")}
