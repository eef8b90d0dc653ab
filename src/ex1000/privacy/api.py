from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from ex1000.core.api import user_auth
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip

from . import selectors, services
from .error_codes import PrivacyError

router = Router(tags=["privacy"])


def _published_policy():
    policy = selectors.current_policy()
    if policy is None:
        raise AppError(PrivacyError.NO_POLICY)
    return policy


class PolicyOut(Schema):
    version: str
    published_at: datetime
    material: bool
    summary: str
    text: str


class AcceptanceOut(Schema):
    version: str
    accepted_at: datetime


@router.get("/policy", response=PolicyOut)
def current_policy(request: HttpRequest):
    return _published_policy()


@router.get("/policy/versions", response=list[PolicyOut])
def policy_versions(request: HttpRequest):
    return list(selectors.policy_versions())


@router.post("/policy/accept", response=AcceptanceOut, auth=user_auth)
def accept_current_policy(request: HttpRequest):
    policy = _published_policy()
    acceptance = services.accept_policy(
        user=request.user,
        policy=policy,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return {"version": policy.version, "accepted_at": acceptance.accepted_at}
