"""Every API error is RFC 9457 problem JSON: type, title, status, detail (+ errors)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ex1000.catalog import selectors
from tests.factories import PASSWORD, SupplierFactory, VehicleFactory
from tests.helpers import assert_problem, listing_payload

pytestmark = pytest.mark.django_db


def test_401_not_authenticated(api):
    body = assert_problem(api.get("me"), 401)

    assert body["title"] == "Unauthorized"
    assert body["type"].endswith("/not_authenticated")
    assert "errors" not in body


def test_401_carries_a_bearer_challenge(api):
    response = api.get("me")

    assert response["WWW-Authenticate"].startswith("Bearer")


def test_401_bad_credentials(api, buyer):
    body = assert_problem(api.post("auth/token", {"email": buyer.email, "password": "x"}), 401)

    assert body["type"].endswith("/bad_credentials")
    assert body["code"] == "bad_credentials"


def test_detail_is_in_the_callers_language(api, buyer):
    credentials = {"email": buyer.email, "password": "x"}

    english = api.post("auth/token", credentials).json()
    russian = api.post("auth/token", credentials, headers={"Accept-Language": "ru"}).json()

    assert english["code"] == russian["code"] == "bad_credentials"
    assert english["detail"] == "Invalid email or password."
    assert russian["detail"] == "Неверный email или пароль."


def test_403_forbidden(login_api, buyer):
    body = assert_problem(login_api(buyer).post("vehicles", listing_payload()), 403)

    assert body["title"] == "Forbidden"
    assert body["code"] == "not_supplier"


def test_403_operator_only(login_api, supplier):
    body = assert_problem(login_api(supplier).get("ops/verifications"), 403)

    assert body["code"] == "operators_only"


def test_404_not_found(api):
    body = assert_problem(api.get("vehicles/123456"), 404)

    assert body["title"] == "Not Found"
    assert body["code"] == "not_found"


def test_404_not_yours(login_api, supplier):
    theirs = VehicleFactory(company=SupplierFactory().company)

    body = assert_problem(login_api(supplier).delete(f"vehicles/{theirs.pk}"), 404)

    assert str(theirs.pk) not in body["detail"]


@pytest.mark.parametrize("path", ["nope", "vehicles/12/nope", "jobs/abc", "vehicles/abc"])
def test_404_unknown_api_paths(api, path):
    assert_problem(api.get(path), 404)


def test_404_unknown_api_paths_for_writes(api):
    assert_problem(api.post("nope", {"a": 1}), 404)


def test_409_conflict(api, buyer):
    body = assert_problem(
        api.post(
            "auth/register",
            {
                "role": "buyer",
                "email": buyer.email,
                "password": "Steppe-Eagle-2026",
                "name": "Someone",
                "company_name": "Other LLP",
                "country": "KZ",
                "accepted_policy_version": api.get("privacy/policy").json()["version"],
            },
        ),
        409,
        "email",
    )

    assert body["title"] == "Conflict"
    assert body["code"] == "email_taken" and body["type"].endswith("/email_taken")


def test_422_validation_names_fields(login_api, supplier):
    body = assert_problem(
        login_api(supplier).post("vehicles", listing_payload(year="soon", mileage_km=-1)),
        422,
        "year",
        "mileage_km",
    )

    assert body["title"] == "Unprocessable Entity"
    assert body["type"].endswith("/validation")


def test_422_for_a_multipart_form(login_api, supplier):
    response = login_api(supplier).upload(
        "me/documents", {"file": SimpleUploadedFile("a.pdf", b"%PDF-", "application/pdf")}
    )

    assert assert_problem(response, 422, "kind")["code"] == "validation"


def test_400_unparseable_json(client):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")

    assert_problem(response, 400)


def test_422_json_of_the_wrong_shape(client):
    response = client.post("/api/v1/auth/token", "[1, 2, 3]", content_type="application/json")

    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)


def test_422_nul_bytes_are_refused_before_the_database(api, buyer):
    response = api.post("auth/token", {"email": "a\x00@example.com", "password": PASSWORD})

    assert_problem(response, 422, "email")


def test_429_locked_out(api, buyer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("auth/token", {"email": buyer.email, "password": "wrong"})

    body = assert_problem(api.post("auth/token", {"email": buyer.email, "password": PASSWORD}), 429)

    assert body["title"] == "Too Many Requests"
    assert body["code"] == "locked_out"


def test_500_is_problem_json_without_internals(api, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    monkeypatch.setattr(selectors, "search_vehicles", broken)

    body = assert_problem(api.get("vehicles"), 500)

    assert "hunter2" not in str(body) and "Traceback" not in str(body)
    assert body["code"] == "server_error"


@pytest.mark.django_db
def test_a_wrong_method_is_refused_in_problem_json_with_the_allowed_methods(client):
    response = client.put("/api/v1/privacy/policy")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "GET" in response["Allow"]
    assert response.json()["status"] == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_body_over_the_limit_is_413_not_500(api):
    response = api.client.post(
        "/api/v1/auth/token", b"x" * (13 * 1024 * 1024), content_type="application/json"
    )
    body = assert_problem(response, 413)
    assert body["code"] == "too_large"


def test_multipart_without_a_boundary_is_400(login_api, supplier):
    client = login_api(supplier)
    vehicle = VehicleFactory(company=supplier.company)
    response = client.client.generic(
        "POST",
        f"/api/v1/vehicles/{vehicle.pk}/photos",
        b"x",
        content_type="multipart/form-data",
        headers=client._headers(None),
    )
    assert assert_problem(response, 400)["code"] == "malformed"


def test_an_unreadable_json_body_says_so_without_parser_internals(api):
    body = assert_problem(
        api.client.post("/api/v1/auth/token", b"{bad", content_type="application/json"), 400
    )
    assert body["code"] == "malformed"
    assert "char" not in body["detail"] and "Expecting" not in body["detail"]


def test_field_messages_are_in_the_callers_language(api):
    from django.utils import translation

    response = api.client.post(
        "/api/v1/auth/register", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    body = assert_problem(response, 422)
    with translation.override("ru"):
        required = str(translation.gettext("This field is required."))
    assert required != "This field is required."
    assert body["errors"]["email"] == [required]
