from datetime import datetime

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django_otp import login as otp_login
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from ex1000.core.api import (
    EMAIL_PATTERN,
    PageParams,
    Text,
    bearer_auth,
    operator_only,
    paginate,
    user_auth,
)
from ex1000.core.http import client_ip

from . import selectors, services
from .models import QualificationDocument, VerificationRequest
from .selectors import b32_secret

auth_router = Router(tags=["accounts"])
me_router = Router(tags=["accounts"], auth=user_auth)
ops_router = Router(tags=["operator"], auth=user_auth)


class RegisterIn(Schema):
    role: Text = Field(description="buyer, supplier or logistics (a logistics partner)")
    email: Text = Field(max_length=254)
    password: Text = Field(min_length=1, max_length=128)
    name: Text = Field(max_length=150)
    company_name: Text = Field(max_length=200)
    country: Text = Field(description="ISO 3166 alpha-2", max_length=2)
    phone: Text = Field("", max_length=40)
    whatsapp: Text = Field("", max_length=40)
    wechat: Text = Field("", max_length=64)
    telegram: Text = Field("", max_length=64)
    language: Text = "en"
    currency: Text = Field("USD", max_length=3)
    accepted_policy_version: Text | None = Field(
        None, description="must equal the current version from GET /api/v1/privacy/policy"
    )


class CompanyOut(Schema):
    id: int
    name: str
    country: str
    city: str
    verification_status: str

    @staticmethod
    def resolve_country(obj):
        return obj.country.code


class MeOut(Schema):
    id: int
    email: str
    name: str
    role: str
    company_name: str
    company: CompanyOut | None
    country: str
    phone: str
    whatsapp: str
    wechat: str
    telegram: str
    language: str
    currency: str
    time_zone: str = Field(description="IANA name the user chose; empty: automatic")
    effective_time_zone: str = Field(
        description="the zone times are shown in: time_zone, else the country's main zone"
    )
    email_verified: bool
    is_operator: bool
    two_factor_enabled: bool
    two_factor_required: bool = Field(
        description="the role must use two-factor (TWO_FACTOR_REQUIRED_ROLES)"
    )

    @staticmethod
    def resolve_company_name(obj):
        return obj.company.name if obj.company else ""

    @staticmethod
    def resolve_country(obj):
        return obj.country.code or ""

    @staticmethod
    def resolve_effective_time_zone(obj):
        return selectors.time_zone_of(obj).key

    @staticmethod
    def resolve_email_verified(obj):
        return obj.email_verified_at is not None

    @staticmethod
    def resolve_is_operator(obj):
        return obj.is_staff

    @staticmethod
    def resolve_two_factor_enabled(obj):
        return selectors.two_factor_enabled(obj)

    @staticmethod
    def resolve_two_factor_required(obj):
        return selectors.two_factor_required(obj)


class MePatch(Schema):
    name: Text | None = Field(None, max_length=150)
    company_name: Text | None = Field(None, max_length=200)
    city: Text | None = Field(None, max_length=100)
    country: Text | None = Field(None, max_length=2)
    phone: Text | None = Field(None, max_length=40)
    whatsapp: Text | None = Field(None, max_length=40)
    wechat: Text | None = Field(None, max_length=64)
    telegram: Text | None = Field(None, max_length=64)
    language: Text | None = None
    currency: Text | None = Field(None, max_length=3)
    time_zone: Text | None = Field(
        None, max_length=64, description="IANA name, e.g. Asia/Almaty; empty: from the country"
    )


class TokenIn(Schema):
    email: Text = Field(max_length=254)
    password: Text = Field(max_length=128)
    otp: Text | None = Field(
        None,
        max_length=64,
        description="with two-factor on: the authenticator's code, or a recovery code",
    )
    cancel_deletion: bool = Field(
        default=False,
        description="an account locked for its scheduled deletion: cancel it and log in",
    )


class PasswordChangeIn(Schema):
    current_password: Text = Field(max_length=128)
    new_password: Text = Field(max_length=128)


class PasswordChangeOut(Schema):
    revoked_tokens: int = Field(description="other API tokens revoked; other sessions end")


class EmailChangeIn(Schema):
    new_email: Text = Field(max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN})
    password: Text = Field(max_length=128, description="the current password")


class EmailChangeConfirmIn(Schema):
    token: Text = Field(max_length=200, description="from the link mailed to the new address")


class PasswordResetIn(Schema):
    email: Text = Field(max_length=254)


class PasswordResetConfirmIn(Schema):
    token: Text = Field(max_length=200, description="from the emailed link")
    new_password: Text = Field(max_length=128)


class TwoFactorStartOut(Schema):
    secret: str = Field(description="base32, for typing into the authenticator app")
    otpauth_url: str = Field(description="the otpauth:// URI the QR code holds")


class OtpIn(Schema):
    otp: Text = Field(
        min_length=1,
        max_length=64,
        description="a code from the authenticator app, or a recovery code",
    )


class RecoveryCodesOut(Schema):
    enabled: bool = True
    recovery_codes: list[str] = Field(description="one-time codes, shown only now")


class AcceptedOut(Schema):
    detail: str


class TokenOut(Schema):
    token: str
    expires_at: datetime


class QualificationDocumentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: QualificationDocument):
        from django.urls import reverse

        return reverse("accounts:document", args=[obj.pk])


class VerificationOut(Schema):
    status: str
    reason: str
    company_name: str


class VerificationRequestOut(Schema):
    id: int
    user: str
    user_id: int
    company_name: str
    role: str
    documents: list[QualificationDocumentOut]
    status: str
    reason: str
    submitted_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_user(obj: VerificationRequest):
        return obj.user.email

    @staticmethod
    def resolve_company_name(obj: VerificationRequest):
        return obj.company.name

    @staticmethod
    def resolve_role(obj: VerificationRequest):
        return obj.user.role

    @staticmethod
    def resolve_documents(obj: VerificationRequest):
        return list(obj.documents.all())


class VerificationDecisionIn(Schema):
    # Not "DecisionIn": the document names components by class, and privacy has one.
    decision: Text = Field(
        description="approve or reject",
        json_schema_extra={"enum": ["approve", "reject"]},  # checked by services (its code)
    )
    reason: Text = Field("", max_length=2000)


class VerificationList(Schema):
    items: list[VerificationRequestOut]
    count: int
    page: int
    page_size: int


@auth_router.post("/register", response={201: MeOut})
def register(request: HttpRequest, payload: RegisterIn):
    user = services.register_user(
        **payload.dict(),
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, user)


@auth_router.post("/token", response=TokenOut)
def obtain_token(request: HttpRequest, payload: TokenIn):
    raw, token = services.issue_token(
        request=request,
        email=payload.email,
        password=payload.password,
        otp=payload.otp,
        cancel_deletion=payload.cancel_deletion,
    )
    return {"token": raw, "expires_at": token.expires_at}


@auth_router.delete("/token", response={204: None}, auth=bearer_auth)
def revoke_token(request: HttpRequest):
    services.revoke_token(raw=request.bearer_token)
    return Status(204, None)


@auth_router.post("/password-reset", response={202: AcceptedOut})
def password_reset(request: HttpRequest, payload: PasswordResetIn):
    """Always 202: the answer never says whether an account has that address. If it has,
    a link valid PASSWORD_RESET_TIMEOUT is mailed; it works once."""
    services.check_reset_requests(request)
    services.request_password_reset(email=payload.email)
    return Status(202, {"detail": str(services.RESET_SENT)})


@auth_router.post("/password-reset/confirm", response={204: None})
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn):
    """The link's token and the new password; every token of the account is revoked."""
    services.reset_password(token=payload.token, new_password=payload.new_password)
    return Status(204, None)


@me_router.post("/password", response=PasswordChangeOut)
def change_password(request: HttpRequest, payload: PasswordChangeIn):
    """Other API tokens are revoked and other sessions end; this one goes on."""
    revoked = services.change_password(
        user=request.user,
        current_password=payload.current_password,
        new_password=payload.new_password,
        keep_token=getattr(request, "bearer_token", None),
    )
    if not getattr(request, "bearer_token", None):
        update_session_auth_hash(request, request.user)  # this browser stays logged in
    return {"revoked_tokens": revoked}


@me_router.post("/email", response={202: AcceptedOut})
def change_email(request: HttpRequest, payload: EmailChangeIn):
    """A new login address: a link goes to it, and the address changes when it is opened
    (the old address is told). Until then the old one logs in."""
    email = services.request_email_change(
        user=request.user, new_email=payload.new_email, password=payload.password
    )
    return Status(202, {"detail": str(services.EMAIL_CHANGE_SENT) % {"email": email}})


@auth_router.post("/email-change/confirm", response=MeOut)
def confirm_email_change(request: HttpRequest, payload: EmailChangeConfirmIn):
    """The mailed link's token: the new address is the login address from now on."""
    return services.confirm_email_change(token=payload.token)


@me_router.post("/2fa", response=TwoFactorStartOut)
def start_two_factor(request: HttpRequest):
    """A TOTP secret to add to an authenticator app; confirm it with a code."""
    device = services.start_two_factor(user=request.user)
    return {"secret": b32_secret(device), "otpauth_url": device.config_url}


@me_router.post("/2fa/confirm", response=RecoveryCodesOut)
def confirm_two_factor(request: HttpRequest, payload: OtpIn):
    """Two-factor is on; other API tokens are revoked. The recovery codes are shown once."""
    device, codes = services.confirm_two_factor(
        user=request.user, otp=payload.otp, keep_token=getattr(request, "bearer_token", None)
    )
    if not getattr(request, "bearer_token", None):
        otp_login(request, device)  # this browser's session has given its code
    return {"enabled": True, "recovery_codes": codes}


@me_router.post("/2fa/recovery-codes", response=RecoveryCodesOut)
def new_recovery_codes(request: HttpRequest, payload: OtpIn):
    """A new set of recovery codes (the old ones stop working), with a current code."""
    return {"recovery_codes": services.new_recovery_codes(user=request.user, otp=payload.otp)}


@me_router.delete("/2fa", response={204: None})
def disable_two_factor(request: HttpRequest, payload: OtpIn):
    """Turn two-factor off with a code; not for roles that must use it (403)."""
    services.disable_two_factor(user=request.user, otp=payload.otp)
    return Status(204, None)


@me_router.get("", response=MeOut)
def me(request: HttpRequest):
    return request.user


@me_router.patch("", response=MeOut)
def update_me(request: HttpRequest, payload: MePatch):
    return services.update_profile(user=request.user, **payload.dict(exclude_unset=True))


@me_router.post("/documents", response={201: QualificationDocumentOut})
def upload_document(
    request: HttpRequest,
    kind: Form[str],
    file: File[UploadedFile],
    number: Form[str] = "",
):
    return Status(
        201, services.upload_document(user=request.user, kind=kind, file=file, number=number)
    )


@me_router.get("/verification", response=VerificationOut)
def my_verification(request: HttpRequest):
    status, reason = selectors.verification_status(request.user)
    company = request.user.company
    return {"status": status, "reason": reason, "company_name": company.name if company else ""}


@ops_router.get("/verifications", response=VerificationList)
def list_verifications(
    request: HttpRequest,
    paging: Query[PageParams],
    status: Text | None = None,
):
    operator_only(request)
    queryset = selectors.verification_requests(status=status)
    items, meta = paginate(queryset, paging.page, paging.page_size)
    return {"items": items, **meta}


@ops_router.post("/verifications/{request_id}/decision", response=VerificationRequestOut)
def decide(request: HttpRequest, request_id: int, payload: VerificationDecisionIn):
    operator_only(request)
    get_object_or_404(VerificationRequest, pk=request_id)
    return services.decide_verification(
        request_id=request_id,
        operator=request.user,
        decision=payload.decision,
        reason=payload.reason,
    )
