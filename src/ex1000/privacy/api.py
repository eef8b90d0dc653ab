from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field, field_validator

from ex1000.core.api import PageParams, Text, operator_only, paginate, user_auth
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip

from . import disclosures, export, selectors, services
from .consents import Purpose
from .error_codes import PrivacyError
from .models import ExportJob

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
    purpose: Text = Field(max_length=40, json_schema_extra={"enum": [p.value for p in Purpose]})
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
        default_factory=dict,
        description="language code → translated text (optional)",
        # the document states the codes; the validator below keeps its message
        json_schema_extra={"propertyNames": {"enum": [code for code, _ in settings.LANGUAGES]}},
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


# --- access and export ---------------------------------------------------------------


def _private_download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ExportQuery(Schema):
    format: Literal["json", "zip"] = "json"


EXPORT_RESPONSE = {
    "description": "The export as JSON, or with `format=zip` a ZIP of it and the files.",
    "content": {
        "application/json": {"schema": {"type": "object"}},
        "application/zip": {"schema": {"type": "string", "format": "binary"}},
    },
}


@router.get(
    "/export",
    auth=user_auth,
    response={200: dict},
    openapi_extra={"responses": {200: EXPORT_RESPONSE}},
)
def export_now(request: HttpRequest, query: Query[ExportQuery]):
    """Everything held about the caller, built from the personal-data registry:
    `{"user", "generated_at", "registry_version", "data": {"app.Model": [{"id", field: value}]}}`.
    `?format=zip` gives `export.json` plus the caller's files (qualification documents,
    payment proofs, order documents they uploaded).

    Re-authentication: a bearer token (issued for the password) is enough; a browser
    session must have logged in, or confirmed the password with `POST /privacy/export`,
    within the last `PRIVACY_REAUTH_MINUTES` (10), else `403 reauthentication_required`.
    Large exports: prefer `POST /privacy/export`, which prepares the ZIP in the background."""
    services.require_recent_authentication(request)
    user = request.user
    stamp = timezone.now().strftime("%Y%m%d")
    services.record_export_download(request=request, user=user, job=None)
    if query.format == "zip":
        response = HttpResponse(export.zip_bytes(user), content_type="application/zip")
        return _private_download(response, f"ex1000-export-{stamp}.zip")
    response = HttpResponse(
        export.dumps(export.export_data(user)), content_type="application/json; charset=utf-8"
    )
    return _private_download(response, f"ex1000-export-{stamp}.json")


class ExportIn(Schema):
    password: str


class ExportJobOut(Schema):
    id: int
    status: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    size: int
    download_url: str | None


def export_job_json(request: HttpRequest, job: ExportJob) -> dict:
    url = None
    if job.downloadable:
        path = reverse("api:privacy_export_download", args=[job.pk])
        url = request.build_absolute_uri(f"{path}?token={services.download_token(job)}")
    return {
        "id": job.pk,
        "status": job.status,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
        "size": job.size,
        "download_url": url,
    }


@router.post("/export", auth=user_auth, response={202: ExportJobOut})
def request_export(request: HttpRequest, payload: ExportIn):
    """Re-authenticate with the password and prepare the ZIP in the background; poll
    `GET /privacy/export/{id}` for its `status` and, once `ready`, a `download_url` valid
    for 24 hours (`PRIVACY_EXPORT_LINK_HOURS`). A wrong password answers
    `403 wrong_password` (and counts towards the login lock-out)."""
    job = services.request_export(request=request, user=request.user, password=payload.password)
    job.refresh_from_db()
    return Status(202, export_job_json(request, job))


def _own_job(request: HttpRequest, job_id: int) -> ExportJob:
    job = selectors.export_jobs_of(request.user).filter(pk=job_id).first()
    if job is None:
        raise AppError(CoreError.NOT_FOUND)
    return job


@router.get("/export/{int:job_id}", auth=user_auth, response=ExportJobOut)
def export_status(request: HttpRequest, job_id: int):
    return export_job_json(request, _own_job(request, job_id))


@router.get(
    "/export/{int:job_id}/download",
    auth=user_auth,
    url_name="privacy_export_download",
)
def export_download(request: HttpRequest, job_id: int, token: str = ""):
    """The prepared ZIP, for its owner with the signed `token` of `download_url`;
    `410 export_expired` once the link or the file has expired."""
    job = services.export_for_download(user=request.user, job_id=job_id, token=token)
    services.record_export_download(request=request, user=request.user, job=job)
    response = FileResponse(job.file.open("rb"), content_type="application/zip")
    return _private_download(response, f"ex1000-export-{job.created_at:%Y%m%d}.zip")


# --- disclosures -----------------------------------------------------------------------


class DisclosureOut(Schema):
    id: int
    recipient_kind: str = Field(description="logistics_partner or authority")
    recipient_kind_label: str
    recipient: str = Field(description="the company or the authority")
    reference: str = Field(description="a shipment number, a legal order's number…")
    data: list[str] = Field(description="the fields or data released")
    data_labels: list[str] = Field(description="the same, in the caller's language")
    purpose: str
    purpose_label: str = Field(description="the purpose in the caller's language")
    at: datetime


class DisclosurePage(Schema):
    items: list[DisclosureOut]
    count: int
    page: int
    page_size: int


class OpsDisclosureOut(DisclosureOut):
    user: int
    withheld_from_user: bool
    recorded_by: int | None


def disclosure_json(disclosure) -> dict:
    data = disclosure.data
    return {
        "id": disclosure.pk,
        "recipient_kind": disclosure.recipient_kind,
        "recipient_kind_label": str(disclosure.get_recipient_kind_display()),
        "recipient": disclosure.recipient,
        "reference": disclosure.reference,
        "data": [str(item) for item in data] if isinstance(data, list) else [str(data)],
        "data_labels": disclosure.data_labels,
        "purpose": disclosure.purpose,
        "purpose_label": disclosure.purpose_label,
        "at": disclosure.at,
    }


@router.get("/disclosures", response=DisclosurePage, auth=user_auth)
def my_disclosures(request: HttpRequest, paging: Query[PageParams]):
    """Hand-overs of the caller's data to third parties (logistics partners) and to
    authorities, newest first; a disclosure a legal order withholds is never listed."""
    page, meta = paginate(disclosures.disclosures_of(request.user), paging.page, paging.page_size)
    return {"items": [disclosure_json(d) for d in page], **meta}


class LegalDisclosureIn(Schema):
    user: int = Field(ge=1, le=2**63 - 1, description="whose data was released")
    authority: Text = Field(max_length=200)
    reference: Text = Field("", max_length=200, description="the legal order's number")
    data: list[Text] | Text = Field(description="the fields or data released")
    purpose: Text = Field("", max_length=500)
    withheld_from_user: bool = Field(
        False, description="the order forbids telling the user: not listed nor exported to them"
    )

    @field_validator("data")
    @classmethod
    def _bounded(cls, value: list[str] | str) -> list[str] | str:
        items = [value] if isinstance(value, str) else value
        if len(items) > 100 or sum(len(item) for item in items) > 5000:
            raise ValueError("at most 100 items and 5000 characters")
        return value


@ops_router.post("/disclosures", response={201: OpsDisclosureOut}, auth=user_auth)
def record_legal_disclosure(request: HttpRequest, payload: LegalDisclosureIn):
    """Record data released to an authority under a legal order."""
    operator_only(request)
    disclosure = disclosures.record_legal_disclosure(
        operator=request.user,
        user_id=payload.user,
        authority=payload.authority,
        reference=payload.reference,
        data=payload.data,
        purpose=payload.purpose,
        withheld_from_user=payload.withheld_from_user,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(
        201,
        {
            **disclosure_json(disclosure),
            "user": disclosure.user_id,
            "withheld_from_user": disclosure.withheld_from_user,
            "recorded_by": disclosure.recorded_by_id,
        },
    )
