"""The carriers' webhook, in the Standard Webhooks scheme (orders.md; standardwebhooks.com):
``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` =
``v1,`` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the secret being
``whsec_`` + base64(key). The body is one event or a list, in our event form or as DCSA
Track & Trace events, which ``to_our_event`` maps to our codes. No Django model here:
the service (logistics.services) stores, dedupes and applies."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from typing import Any

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60

# DCSA Track & Trace codes → ours (orders.md's list).
DCSA_TRANSPORT = {"ARRI": "arrived", "DEPA": "departed"}
DCSA_EQUIPMENT = {"LOAD": "loaded", "DISC": "discharged", "GTIN": "gate_in", "GTOT": "gate_out"}
# Transport document references that name a B/L or a waybill.
DCSA_TRANSPORT_DOCUMENTS = {"TRD", "BOL", "MBL", "HBL", "SWB"}


class SignatureError(Exception):
    """Missing headers, a stale timestamp or no matching signature: 401, nothing changes."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    raw = secret[len(SECRET_PREFIX) :] if secret.startswith(SECRET_PREFIX) else secret
    return base64.b64decode(raw)


def sign(secret: str, webhook_id: str, timestamp: int | str, body: bytes) -> str:
    """The ``webhook-signature`` header a sender puts on ``body`` (used by the docs' example
    and the tests; the receiver only verifies)."""
    message = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None):
    """Check a delivery; returns its ``webhook-id``. Several signatures may be sent, space
    separated (a sender rotating its key): one valid ``v1`` signature is enough."""
    webhook_id = (headers.get("webhook-id") or "").strip()
    timestamp = (headers.get("webhook-timestamp") or "").strip()
    signatures = (headers.get("webhook-signature") or "").split()
    if not (webhook_id and timestamp and signatures) or len(webhook_id) > 200:
        raise SignatureError("missing webhook headers")
    try:
        sent = int(timestamp)
    except ValueError as exc:
        raise SignatureError("bad timestamp") from exc
    if abs((time.time() if now is None else now) - sent) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance")
    try:
        expected = sign(secret, webhook_id, sent, body).split(",", 1)[1]
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("unusable secret") from exc
    for signature in signatures:
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected.encode()):
            return webhook_id
    raise SignatureError("no valid signature")


def _mapping(value: Any) -> Mapping[str, Any]:
    """A carrier's body is untrusted: where an object is expected, anything else is empty."""
    return value if isinstance(value, Mapping) else {}


def _location(event: Mapping[str, Any]) -> str:
    """The UN/LOCODE of the event's location or of its transport call (a bare string is
    taken as the place itself)."""
    call = _mapping(event.get("transportCall"))
    for holder in (event.get("eventLocation"), call.get("location"), call):
        if isinstance(holder, str) and holder.strip():
            return holder.strip()
        code = _mapping(holder).get("UNLocationCode")
        if code:
            return str(code)
    return ""


def _bl_number(event: Mapping[str, Any]) -> str:
    references = event.get("documentReferences")
    for reference in references if isinstance(references, list) else []:
        reference = _mapping(reference)
        if str(reference.get("documentReferenceType", "")).upper() in DCSA_TRANSPORT_DOCUMENTS:
            return str(reference.get("documentReferenceValue") or "")
    return str(event.get("transportDocumentReference") or "")


def is_dcsa(event: Mapping[str, Any]) -> bool:
    return "eventType" in event or "eventClassifierCode" in event


def to_our_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """One event of the body in our form (code, classifier, location, occurred_at,
    description, and the reference naming its shipment). Unknown DCSA codes become an
    unknown code, which the service refuses like any other."""
    if not is_dcsa(event):
        keys = ("code", "classifier", "location", "occurred_at", "description")
        ours = {key: event.get(key) for key in keys}
        ours["bl_number"] = str(event.get("bl_number") or "")
        ours["container_number"] = str(event.get("container_number") or "")
        return ours
    kind = str(event.get("eventType", "")).upper()
    if kind == "TRANSPORT":
        raw = str(event.get("transportEventTypeCode", "")).upper()
        code = DCSA_TRANSPORT.get(raw, raw.lower())
    elif kind == "EQUIPMENT":
        raw = str(event.get("equipmentEventTypeCode", "")).upper()
        code = DCSA_EQUIPMENT.get(raw, raw.lower())
    else:
        code = kind.lower()
    vessel = _mapping(_mapping(event.get("transportCall")).get("vessel"))
    description = " ".join(
        part
        for part in (str(event.get("description") or ""), str(vessel.get("vesselName") or ""))
        if part
    )
    return {
        "code": code,
        "classifier": str(event.get("eventClassifierCode") or ""),
        "location": _location(event),
        "occurred_at": event.get("eventDateTime"),
        "description": description[:1000],
        "bl_number": _bl_number(event),
        "container_number": str(event.get("equipmentReference") or ""),
    }
