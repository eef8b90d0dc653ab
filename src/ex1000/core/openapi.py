"""The error answers in the OpenAPI document, stated in one place for every operation.

Routers declare only their success answers; `ProblemAPI.get_openapi_schema` adds, to each
operation, the error statuses it can really give, each as `application/problem+json` with
the `ProblemDetails` schema (core.errors.problem builds those bodies). No `default`
response: a client (or schemathesis' status_code_conformance) must be able to tell a
documented error from an undocumented one.

Which statuses, from the operation's shape:
- every operation: 503 (the database restarting or unreachable, with Retry-After);
- a request body: 400 (unreadable: malformed JSON, a multipart without boundary) and 413
  (over the size limit);
- any parameter or body: 422 (the fields' validation, `errors` names them);
- a login (security): 401 without a valid one, 403 not allowed (wrong role, not yours to
  change, `two_factor_required`);
- path parameters: 404 (no such object, or not yours);
plus what business rules add for some operations (409 state conflicts, 410, 428 policy
re-consent, 429 rate limits), given by the API's assembler in `extra_statuses`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from ninja import NinjaAPI

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/ProblemDetails"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ProblemDetails",
    "description": "RFC 9457 problem details; `code` is the stable identifier of the error "
    "catalogue (the end of `type`), `detail` is in the caller's language.",
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Field → messages (validation).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

# What each status means in this API (docs/api.md, "Errors").
MEANINGS = {
    400: "The request cannot be read (malformed JSON or multipart).",
    401: "Not authenticated: no valid bearer token or session.",
    403: "Not allowed (role, ownership, two_factor_required …).",
    404: "Not found, or not yours.",
    409: "Conflicts with the current state (or a concurrent change).",
    410: "Gone: the link has expired.",
    413: "The request body is too large.",
    422: "Invalid fields; `errors` names them.",
    428: "The privacy policy changed: accept it first (`policy_url`).",
    429: "Rate limited; see Retry-After.",
    503: "Briefly unavailable (database); retry after Retry-After seconds.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "required": True}}

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# (method, path) → extra statuses; path is the document's, e.g. "/api/v1/vehicles/{vehicle_id}".
ExtraStatuses = Callable[[str, str, dict[str, Any]], Iterable[int]]


def shape_statuses(operation: dict[str, Any]) -> set[int]:
    """The statuses any operation of this shape can answer (see the module docstring)."""
    statuses = {503}
    parameters = operation.get("parameters") or []
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if parameters:
        statuses.add(422)
    if operation.get("security"):
        statuses |= {401, 403}
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    return statuses


def problem_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": MEANINGS.get(status, HTTPStatus(status).phrase),
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def document_errors(schema: dict[str, Any], extra: ExtraStatuses | None = None) -> dict[str, Any]:
    """Add ProblemDetails and every operation's error responses to an OpenAPI document."""
    schema.setdefault("components", {}).setdefault("schemas", {})["ProblemDetails"] = PROBLEM_SCHEMA
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            statuses = shape_statuses(operation)
            if extra is not None:
                statuses |= set(extra(method, path, operation))
            responses = operation.setdefault("responses", {})
            declared = {str(status) for status in responses}  # ninja keys them by int
            for status in sorted(statuses):
                if str(status) not in declared:
                    responses[status] = problem_response(status)
    return schema


class ProblemAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document states every operation's error answers."""

    def __init__(self, *args: Any, extra_statuses: ExtraStatuses | None = None, **kwargs: Any):
        self.extra_statuses = extra_statuses
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema, self.extra_statuses)
