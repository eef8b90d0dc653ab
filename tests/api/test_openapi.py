"""The OpenAPI document is the integrators' contract: it must build and list every path."""

import pytest

CONTRACT = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/token"),
    ("delete", "/api/v1/auth/token"),
    ("get", "/api/v1/me"),
    ("patch", "/api/v1/me"),
    ("post", "/api/v1/me/documents"),
    ("get", "/api/v1/me/verification"),
    ("get", "/api/v1/ops/verifications"),
    ("post", "/api/v1/ops/verifications/{request_id}/decision"),
    ("get", "/api/v1/vehicles"),
    ("post", "/api/v1/vehicles"),
    ("get", "/api/v1/vehicles/{vehicle_id}"),
    ("patch", "/api/v1/vehicles/{vehicle_id}"),
    ("delete", "/api/v1/vehicles/{vehicle_id}"),
    ("post", "/api/v1/vehicles/{vehicle_id}/photos"),
    ("post", "/api/v1/vehicles/import"),
    ("get", "/api/v1/jobs/{job_id}"),
    ("get", "/api/v1/privacy/policy"),
    ("get", "/api/v1/privacy/policy/versions"),
}


@pytest.mark.django_db
def test_openapi_document_lists_every_contract_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    offered = {(method, path) for path, ops in paths.items() for method in ops}
    assert CONTRACT - offered == set()


@pytest.mark.django_db
def test_swagger_ui_is_served_without_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
