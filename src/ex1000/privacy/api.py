from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, field_validator

from ex1000.core.api import Text, operator_only, user_auth
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip

from . import selectors, services
from .error_codes import PrivacyError

router = Router(tags=["privacy"])
# Mounted at /ops by the API assembly (ex1000/api.py): operators' privacy endpoints.
ops_router = Router(tags=["privacy", "ops"])


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
    text: str = Field(description="the binding English text")
    translations: dict[str, str] = Field(
        description="translations by language code; the English text prevails"
    )


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


class ConsentOut(Schema):
    purpose: str
    label: str
    granted: bool
    required_for: str = Field(description="what stops working without this consent")
    description: str = Field(description="what it is for; who receives which data")
    updated_at: datetime | None = Field(description="null: the default, never changed")


class ConsentIn(Schema):
    purpose: Text = Field(max_length=40)
    granted: bool


def _consents(user) -> list[dict]:
    return [
        {
            "purpose": str(state.purpose),
            "label": str(state.info.label),
            "granted": state.granted,
            "required_for": str(state.info.required_for),
            "description": str(state.info.description),
            "updated_at": state.updated_at,
        }
        for state in selectors.consent_states(user).values()
    ]


@router.get("/consents", response=list[ConsentOut], auth=user_auth)
def consents(request: HttpRequest):
    return _consents(request.user)


@router.put("/consents", response=list[ConsentOut], auth=user_auth)
def set_consent(request: HttpRequest, payload: ConsentIn):
    services.set_consent(
        user=request.user,
        purpose=payload.purpose,
        granted=payload.granted,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return _consents(request.user)


class PolicyVersionIn(Schema):
    version: Text = Field(min_length=1, max_length=20)
    text: Text = Field(min_length=1, max_length=200_000)
    material: bool = False
    summary: Text = Field("", max_length=500)
    translations: dict[str, Text] = Field(
        default_factory=dict, description="language code → translated text (optional)"
    )

    @field_validator("translations")
    @classmethod
    def _known_languages(cls, value: dict[str, str]) -> dict[str, str]:
        known = {code for code, _name in settings.LANGUAGES}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown language codes: {', '.join(unknown)}")
        return value


@ops_router.post("/policy-versions", response={201: PolicyOut}, auth=user_auth)
def publish_policy_version(request: HttpRequest, payload: PolicyVersionIn):
    operator_only(request)
    policy = services.publish_policy(
        version=payload.version,
        text=payload.text,
        material=payload.material,
        summary=payload.summary,
        translations=payload.translations,
    )
    return 201, policy
