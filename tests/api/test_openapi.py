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


@pytest.mark.django_db
def test_every_operation_documents_its_errors_as_problem_json(client):
    """Integrators (and the fuzzer's status check) read the error answers from the document:
    each operation lists its error statuses as ProblemDetails, never a catch-all default."""
    document = client.get("/api/v1/openapi.json").json()
    problem = document["components"]["schemas"]["ProblemDetails"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    assert "errors" in problem["properties"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "default" not in responses, (method, path)
            errors = {int(s): r for s, r in responses.items() if int(s) >= 400}
            assert 503 in errors, (method, path)
            for response in errors.values():
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ProblemDetails"}
            if operation.get("security"):
                assert {401, 403} <= set(errors), (method, path)
            if "{" in path:
                assert 404 in errors, (method, path)
            if "requestBody" in operation:
                assert {400, 413, 422} <= set(errors), (method, path)


@pytest.mark.django_db
def test_business_rule_statuses_are_documented_where_they_happen(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    def statuses(method, path):
        return {int(s) for s in paths[f"/api/v1{path}"][method]["responses"]}

    assert 409 in statuses("post", "/orders/{number}/actions/{action}")
    assert 409 in statuses("post", "/auth/register")
    assert 429 in statuses("get", "/vehicles")
    assert 429 in statuses("post", "/auth/token")
    assert 401 in statuses("post", "/auth/token")
    assert 410 in statuses("get", "/privacy/export/{job_id}/download")
    # the re-consent gate stops logged-in calls, except the privacy centre and logging out
    assert 428 in statuses("post", "/inquiries")
    assert 428 not in statuses("get", "/privacy/consents")
    assert 428 not in statuses("delete", "/auth/token")
    assert 409 not in statuses("get", "/vehicles")


def test_business_statuses_name_only_real_operations():
    """A renamed path must not leave its row behind in ex1000.api.BUSINESS_STATUSES."""
    from ex1000.api import BUSINESS_STATUSES, PREFIX, api

    document = api.get_openapi_schema()
    labels = {
        f"{method.upper()} {path.removeprefix(PREFIX)}"
        for path, item in document["paths"].items()
        for method in item
    }
    for status, rows in BUSINESS_STATUSES.items():
        assert rows <= labels, (status, rows - labels)
