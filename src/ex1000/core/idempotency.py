"""Idempotency-Key for the POSTs that create things (inquiries, orders, payments).

A client that lost the response to a POST retries it with the same key and gets the first
response again instead of a second inquiry or order. The first successful response (status
and body) is stored in the same transaction as the thing it created, so either both exist or
neither does; a failed attempt stores nothing and may be retried with the same key. Two
concurrent requests with one key cannot both create: the unique constraint lets one record
win, the loser's transaction is rolled back and it answers with the winner's response.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Annotated, Any

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from ninja import Header
from ninja.responses import NinjaJSONEncoder
from pydantic import WithJsonSchema

from .error_codes import CoreError
from .errors import AppError
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
_VISIBLE_ASCII = re.compile(r"^[\x20-\x7e]+$")

# The header of the operations that take one. The document states the rule _checked_key
# enforces, in the schema only (the check answers with its own code, not "validation"):
# 1 to 255 printable ASCII characters once the surrounding spaces are stripped.
IdempotencyKey = Annotated[
    str | None,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^[!-~](?:[ -~]{{0,{MAX_KEY_LENGTH - 2}}}[!-~])?$",
            "maxLength": MAX_KEY_LENGTH,
        }
    ),
    Header(
        None,
        alias=HEADER,
        description="Send a unique key; a retry with the same key returns the first result.",
    ),
]


def request_hash(payload: Any) -> str:
    """SHA-256 of the request's validated fields in canonical JSON (key order, spacing and
    number formatting of the client's bytes do not matter)."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _checked_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not _VISIBLE_ASCII.match(key):
        raise AppError(
            CoreError.IDEMPOTENCY_KEY_INVALID, errors={HEADER: [CoreError.IDEMPOTENCY_KEY_INVALID]}
        )
    return key


def _stored(scope: dict[str, Any]) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(**scope).first()


def _replay(record: IdempotencyRecord, digest: str) -> tuple[int, Any, bool]:
    if record.request_hash != digest:
        raise AppError(
            CoreError.IDEMPOTENCY_KEY_REUSED, errors={HEADER: [CoreError.IDEMPOTENCY_KEY_REUSED]}
        )
    return record.status, record.body, True


def run_once(
    *,
    user,
    key: str | None,
    endpoint: str,
    payload: Any,
    create: Callable[[], tuple[int, Any]],
) -> tuple[int, Any, bool]:
    """Run ``create`` (which returns status and a JSON-ready body) at most once per key.

    Returns ``(status, body, replayed)``. Without a key, ``create`` simply runs. The same key
    with a different payload on the same endpoint is refused (422).
    """
    if key is None:
        status, body = create()
        return status, body, False
    scope = {"user": user, "endpoint": endpoint[:200], "key": _checked_key(key)}
    digest = request_hash(payload)
    if stored := _stored(scope):
        return _replay(stored, digest)
    try:
        with transaction.atomic():
            status, body = create()
            IdempotencyRecord.objects.create(**scope, request_hash=digest, status=status, body=body)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        stored = _stored(scope)
        if stored is None:
            raise
        return _replay(stored, digest)
    return status, body, False


def jsonable(body: Any) -> Any:
    """A response body as plain JSON (dates and decimals as ninja writes them), to store."""
    return json.loads(json.dumps(body, cls=NinjaJSONEncoder))


def json_body(schema, obj: Any) -> Any:
    """The body exactly as ninja would render ``obj`` with ``schema``, as plain JSON."""
    return jsonable(schema.from_orm(obj).model_dump())


def idempotent_response(status: int, body: Any, replayed: bool) -> JsonResponse:
    response = JsonResponse(body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
