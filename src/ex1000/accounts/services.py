"""Every state change of accounts: registration, tokens, profile, documents, verification."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ex1000.core import ratelimit
from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip
from ex1000.core.money import CURRENCY_CODES
from ex1000.core.timezones import is_known_zone
from ex1000.core.uploads import checked_document
from ex1000.privacy import services as privacy_services
from ex1000.privacy import tickets as privacy_tickets

from . import selectors, tasks
from .error_codes import AccountError
from .lockout import lockout_seconds, lockout_warning
from .models import (
    ApiToken,
    Company,
    DocumentKind,
    Language,
    QualificationDocument,
    Role,
    User,
    VerificationRequest,
    VerificationStatus,
)
from .validation import normalise_phone

# Who registers themselves; logistics partners are verified by an operator like suppliers.
SELF_SERVICE_ROLES = {Role.BUYER, Role.SUPPLIER, Role.LOGISTICS}
EMAIL_SIGNING_SALT = "ex1000.accounts.verify-email"
EMAIL_CHANGE_SALT = "ex1000.accounts.change-email"


def _check_country(country: str) -> str:
    country = (country or "").upper()
    if country not in dict(countries):
        raise AppError(
            AccountError.UNKNOWN_COUNTRY, errors={"country": [AccountError.UNKNOWN_COUNTRY]}
        )
    return country


def _check_choice(value: str, choices, field: str) -> str:
    if value not in {c.value for c in choices}:
        raise _invalid_choice(field, [c.value for c in choices])
    return value


def _invalid_choice(field: str, allowed) -> AppError:
    return AppError(
        CoreError.INVALID_CHOICE, errors={field: [CoreError.INVALID_CHOICE]}, choices=list(allowed)
    )


def _check_currency(value: str) -> str:
    value = (value or "").upper()
    if value not in CURRENCY_CODES:
        raise AppError(
            AccountError.UNKNOWN_CURRENCY, errors={"currency": [AccountError.UNKNOWN_CURRENCY]}
        )
    return value


def _check_time_zone(value: str) -> str:
    """An IANA name, or blank for the country's main zone."""
    value = (value or "").strip()
    if value and not is_known_zone(value):
        raise AppError(
            AccountError.UNKNOWN_TIME_ZONE, errors={"time_zone": [AccountError.UNKNOWN_TIME_ZONE]}
        )
    return value


def _contact_fields(data: dict, country: str) -> dict:
    cleaned = dict(data)
    for field in ("phone", "whatsapp"):
        if field in cleaned:
            cleaned[field] = normalise_phone(cleaned[field], country, field)
    for field in ("wechat", "telegram"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
    return cleaned


@transaction.atomic
def register_user(
    *,
    role: str,
    email: str,
    password: str,
    name: str,
    company_name: str,
    country: str,
    accepted_policy_version: str | None,
    phone: str = "",
    whatsapp: str = "",
    wechat: str = "",
    telegram: str = "",
    language: str = "en",
    currency: str = "USD",
    ip: str | None = None,
    user_agent: str = "",
) -> User:
    """Buyers, suppliers and logistics partners register themselves; they must accept the
    policy in force."""
    policy = privacy_services.require_current_policy(accepted_policy_version)
    if role not in SELF_SERVICE_ROLES:
        raise _invalid_choice("role", sorted(SELF_SERVICE_ROLES))
    email = _normalised_email(email, "email")
    country = _check_country(country)
    language = _check_choice(language, Language, "language")
    currency = _check_currency(currency)
    if not (company_name or "").strip():
        raise AppError(CoreError.VALIDATION, errors={"company_name": [CoreError.REQUIRED]})
    contacts = _contact_fields(
        {"phone": phone, "whatsapp": whatsapp, "wechat": wechat, "telegram": telegram}, country
    )
    if User.objects.filter(email__iexact=email).exists():
        raise _email_taken()
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        country=country,
        language=language,
        currency=currency,
        **contacts,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        # Django's validators' messages are translated already.
        raise AppError(AccountError.WEAK_PASSWORD, errors={"password": exc.messages}) from exc
    user.set_password(password)
    user.company = Company.objects.create(name=company_name.strip(), country=country)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # lost a race with a concurrent registration
        raise _email_taken() from exc
    privacy_services.accept_policy(user=user, policy=policy, ip=ip, user_agent=user_agent)
    send_verification_email(user)
    return user


def _email_taken() -> AppError:
    return AppError(AccountError.EMAIL_TAKEN, errors={"email": [AccountError.EMAIL_TAKEN]})


def _email_fingerprint(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def _address_token(user: User, address: str, salt: str) -> str:
    """A signed "user id : fingerprint of the address" — no "/" to break the link's path, and
    no plain email in URLs (they end up in access logs). Another address voids it."""
    return signing.TimestampSigner(salt=salt).sign(f"{user.pk}:{_email_fingerprint(address)}")


def _address_claim(token: str, salt: str) -> tuple[int | None, str]:
    """The user id and address fingerprint of a link's token (link_expired, link_invalid)."""
    max_age = timedelta(days=settings.EMAIL_VERIFICATION_MAX_AGE_DAYS)
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise AppError(AccountError.LINK_EXPIRED) from exc
    except signing.BadSignature as exc:
        raise AppError(AccountError.LINK_INVALID) from exc
    user_id, _sep, fingerprint = value.partition(":")
    return (int(user_id) if user_id.isdigit() else None), fingerprint


def _same_address(fingerprint: str, address: str) -> bool:
    return bool(address) and constant_time_compare(fingerprint, _email_fingerprint(address))


def email_verification_token(user: User) -> str:
    return _address_token(user, user.email, EMAIL_SIGNING_SALT)


def send_verification_email(user: User) -> None:
    """Mail the confirmation link by a task once the transaction commits.

    robust: the account exists once committed; a queue or mail server hiccup must not turn
    the answer into a 500 (a retry would then meet "email already registered").
    """
    user_id = user.pk
    transaction.on_commit(lambda: tasks.email_verification_link.enqueue(user_id), robust=True)


@transaction.atomic
def verify_email(*, token: str) -> User:
    user_id, fingerprint = _address_claim(token, EMAIL_SIGNING_SALT)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None or not _same_address(fingerprint, user.email):
        raise AppError(AccountError.LINK_INVALID)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def _normalised_email(email: str, field: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise AppError(
            AccountError.INVALID_EMAIL, errors={field: [AccountError.INVALID_EMAIL]}
        ) from exc
    return email


@transaction.atomic
def request_email_change(*, user: User, new_email: str, password: str) -> str:
    """A new login address, asked with the password: it takes effect when the link mailed
    to it is opened (the address proves it is theirs); the old address is told."""
    _check_current_password(user, password, "password")
    email = _normalised_email(new_email, "new_email")
    if email == user.email.lower():
        raise AppError(
            AccountError.EMAIL_UNCHANGED, errors={"new_email": [AccountError.EMAIL_UNCHANGED]}
        )
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise AppError(AccountError.EMAIL_TAKEN, errors={"new_email": [AccountError.EMAIL_TAKEN]})
    user.pending_email = email
    user.save(update_fields=["pending_email"])
    user_id, old = user.pk, user.email
    transaction.on_commit(lambda: tasks.email_change_link.enqueue(user_id, email), robust=True)
    transaction.on_commit(
        lambda: tasks.email_change_notice.enqueue(user_id, old, email, False), robust=True
    )
    return email


EMAIL_CHANGE_SENT = gettext_lazy(
    "We sent a link to %(email)s: your login address changes when you open it."
)


def email_change_token(user: User) -> str:
    """For the new address: only the latest request's link works."""
    return _address_token(user, user.pending_email, EMAIL_CHANGE_SALT)


@transaction.atomic
def confirm_email_change(*, token: str) -> User:
    """The new address confirmed from its inbox: it is the login address from now on."""
    user_id, fingerprint = _address_claim(token, EMAIL_CHANGE_SALT)
    user = (
        User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user_id
        else None
    )
    if user is None or not _same_address(fingerprint, user.pending_email):
        raise AppError(AccountError.LINK_INVALID)
    if User.objects.filter(email__iexact=user.pending_email).exclude(pk=user.pk).exists():
        raise _email_taken()
    old = user.email
    user.email, user.pending_email = user.pending_email, ""
    user.email_verified_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "pending_email", "email_verified_at"])
    except IntegrityError as exc:  # someone registered the address meanwhile
        raise _email_taken() from exc
    new = user.email
    transaction.on_commit(
        lambda: tasks.email_change_notice.enqueue(user.pk, old, new, True), robust=True
    )
    return user


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def reopen_for_deletion(
    *, request: HttpRequest, email: str, password: str, cancel_deletion: bool
) -> User | None:
    """A login refused because the account is locked for its scheduled deletion: with
    ``cancel_deletion`` the deletion is called off and the user returned; without, the
    refusal says so (privacy.md: "cancel during the grace period by logging in again")."""
    scheduled = privacy_tickets.scheduled_deletion_for_login(email=email, password=password)
    if scheduled is None:
        return None
    if not cancel_deletion:
        if waiting := privacy_tickets.waiting_for(scheduled):
            raise AppError(AccountError.DELETION_WAITING, orders=", ".join(waiting))
        raise AppError(
            AccountError.DELETION_SCHEDULED,
            date=date_format(scheduled.scheduled_for, "DATE_FORMAT"),
        )
    privacy_tickets.cancel_deletion(
        scheduled, ip=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    # Active again: an ordinary login now (the backend noted, django-axes told).
    return authenticate(request, email=(email or "").strip().lower(), password=password)


LOGIN_IP_BUCKET = "login-ip"


def check_login_ip(request: HttpRequest) -> None:
    """One address trying many accounts (django-axes counts per account): after
    LOGIN_IP_FAILURE_LIMIT failed logins in LOGIN_IP_WINDOW_SECONDS it waits (429)."""
    ip = client_ip(request)
    if not ip:
        return
    wait = ratelimit.retry_after(
        LOGIN_IP_BUCKET,
        ip,
        limit=settings.LOGIN_IP_FAILURE_LIMIT,
        window=settings.LOGIN_IP_WINDOW_SECONDS,
    )
    if wait:
        raise AppError(CoreError.RATE_LIMITED, retry_after=wait)


def note_login_failure(request: HttpRequest | None) -> None:
    """Counted for the address (AccountsConfig connects it to ``user_login_failed``)."""
    ip = client_ip(request) if request is not None else None
    if ip:
        ratelimit.hit(LOGIN_IP_BUCKET, ip, window=settings.LOGIN_IP_WINDOW_SECONDS)


def issue_token(
    *,
    request: HttpRequest,
    email: str,
    password: str,
    otp: str | None = None,
    cancel_deletion: bool = False,
) -> tuple[str, ApiToken]:
    """Log in for the API; django-axes counts failures and locks out guessers, and one
    address trying many accounts is slowed down too. With two-factor on, the code is
    needed as well (401 otp_required without it)."""
    check_login_ip(request)
    user = authenticate(request, email=(email or "").strip().lower(), password=password)
    if getattr(request, "axes_locked_out", False):
        raise AppError(AccountError.LOCKED_OUT, retry_after=lockout_seconds())
    if user is None:
        user = reopen_for_deletion(
            request=request, email=email, password=password, cancel_deletion=cancel_deletion
        )
    if user is None:
        warning = lockout_warning(request, email)
        raise AppError(
            AccountError.BAD_CREDENTIALS, errors={"password": [warning]} if warning else None
        )
    if selectors.two_factor_enabled(user):
        try:
            verify_second_factor(user=user, otp=otp, at_login=True)
        except AppError as exc:
            if exc.code == AccountError.OTP_INVALID:
                note_login_failure(request)  # guessing codes counts like guessing passwords
            raise
    # A token is a login: last_login is updated and django-axes resets the failure count
    # (AXES_RESET_ON_SUCCESS), as for the login page.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash_token(raw),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return raw, token


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__company")
        .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.api_token = token
    return token.user


def revoke_token(*, raw: str) -> None:
    ApiToken.objects.filter(key_hash=_hash_token(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _set_password(user: User, password: str, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AppError(AccountError.WEAK_PASSWORD, errors={field: exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def change_password(
    *, user: User, current_password: str, new_password: str, keep_token: str | None = None
) -> int:
    """A new password: every other API token is revoked (the one making the request, if
    any, is kept), and other browser sessions end by themselves — Django checks each
    session against the password hash. Returns how many tokens were revoked."""
    _check_current_password(user, current_password, "current_password")
    _set_password(user, new_password or "", "new_password")
    return _revoke_tokens(user, keep=keep_token)


def _check_current_password(user: User, password: str, field: str) -> None:
    if not user.check_password(password or ""):
        error = AccountError.CURRENT_PASSWORD_WRONG
        raise AppError(error, errors={field: [error]})


def _revoke_tokens(user: User, keep: str | None = None) -> int:
    """Every API token of the user but ``keep`` (the one making the request) ends now."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if keep:
        tokens = tokens.exclude(key_hash=_hash_token(keep))
    return tokens.update(revoked_at=timezone.now())


RESET_SENT = gettext_lazy(
    "If an account has this address, we have sent it a link to choose a new password."
)


def check_reset_requests(request: HttpRequest) -> None:
    """Reset emails from one address: at most PASSWORD_RESET_PER_HOUR an hour."""
    ip = client_ip(request)
    wait = ratelimit.consume(
        "password-reset", ip or "-", limit=settings.PASSWORD_RESET_PER_HOUR, window=3600
    )
    if wait:
        raise AppError(CoreError.RATE_LIMITED, retry_after=wait)


def request_password_reset(*, email: str) -> None:
    """Mail a reset link if the address belongs to an active account; the caller always
    answers the same (202), so nobody learns whether an account exists."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is not None and user.has_usable_password():
        user_id = user.pk
        transaction.on_commit(lambda: tasks.email_password_reset.enqueue(user_id), robust=True)


def password_reset_token(user: User) -> str:
    """``<uid>.<token>``: Django's reset token, void once the password changes (so a link
    works once) or after PASSWORD_RESET_TIMEOUT."""
    return (
        f"{urlsafe_base64_encode(force_bytes(user.pk))}.{default_token_generator.make_token(user)}"
    )


def user_for_reset_token(token: str) -> User | None:
    uid, _dot, secret = (token or "").partition(".")
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, secret):
        return None
    return user


@transaction.atomic
def reset_password(*, token: str, new_password: str) -> User:
    """Set the password from a reset link: the link is spent, every token revoked, every
    session ended (the hash changed)."""
    user = user_for_reset_token(token)
    if user is None:
        raise AppError(
            AccountError.RESET_LINK_INVALID, errors={"token": [AccountError.RESET_LINK_INVALID]}
        )
    _set_password(user, new_password or "", "new_password")
    _revoke_tokens(user)
    return user


PROFILE_FIELDS = (
    "name",
    "country",
    "phone",
    "whatsapp",
    "wechat",
    "telegram",
    "language",
    "currency",
    "time_zone",
)
# Verified company data is locked; changing it goes through a correction request.
COMPANY_FIELDS = ("company_name", "city")


@transaction.atomic
def update_profile(*, user: User, **changes) -> User:
    unknown = set(changes) - set(PROFILE_FIELDS) - set(COMPANY_FIELDS)
    if unknown:
        raise AppError(
            AccountError.NOT_EDITABLE,
            errors={name: [AccountError.NOT_EDITABLE] for name in sorted(unknown)},
        )
    country = _check_country(changes["country"]) if "country" in changes else user.country.code
    if "country" in changes:
        changes["country"] = country
    if "language" in changes:
        _check_choice(changes["language"], Language, "language")
    if "currency" in changes:
        changes["currency"] = _check_currency(changes["currency"])
    if "time_zone" in changes:
        changes["time_zone"] = _check_time_zone(changes["time_zone"])
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    changes = _contact_fields(changes, country)
    company_changes = {k: changes.pop(k) for k in COMPANY_FIELDS if k in changes}
    if company_changes:
        company = user.company
        if company is None:
            raise AppError(AccountError.NO_COMPANY)
        if company.is_verified:
            raise AppError(
                AccountError.COMPANY_LOCKED,
                errors={k: [AccountError.LOCKED_AFTER_VERIFICATION] for k in company_changes},
                email=settings.PRIVACY_CONTACT_EMAIL,
            )
        if "company_name" in company_changes:
            name = (company_changes["company_name"] or "").strip()
            if not name:
                raise AppError(CoreError.VALIDATION, errors={"company_name": [CoreError.REQUIRED]})
            company.name = name
        if "city" in company_changes:
            company.city = (company_changes["city"] or "").strip()
        company.save()
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        user.save(update_fields=list(changes))
    return user


@transaction.atomic
def upload_document(*, user: User, kind: str, file, number: str = "") -> QualificationDocument:
    """A licence or qualification; opens (or joins) the company's pending verification."""
    if user.role not in SELF_SERVICE_ROLES or user.company is None:
        raise AppError(AccountError.DOCUMENTS_NOT_FOR_ROLE)
    _check_choice(kind, DocumentKind, "kind")
    # Decoded, not only sniffed: a PDF that opens, an image re-encoded without its
    # metadata (EXIF GPS) and within the pixel limit (core.uploads).
    checked = checked_document(file, max_bytes=settings.MAX_DOCUMENT_BYTES)
    company = user.company
    request = (
        VerificationRequest.objects.select_for_update()
        .filter(company=company, status=VerificationStatus.PENDING)
        .first()
    )
    if request is None:
        request = VerificationRequest.objects.create(user=user, company=company)
    document = QualificationDocument(
        user=user,
        request=request,
        kind=kind,
        number=(number or "").strip(),
        original_name=(getattr(file, "name", "") or "")[:255],
        content_type=checked.content_type,
        size=len(checked.content),
    )
    document.file.save(
        f"{secrets.token_hex(16)}.{checked.extension}", ContentFile(checked.content), save=False
    )
    document.save()
    if kind == DocumentKind.BUSINESS_LICENCE and number:
        company.credit_code = number.strip()[:18]
    if not company.is_verified:
        company.verification_status = VerificationStatus.PENDING
    company.save()
    return document


@transaction.atomic
def decide_verification(
    *, request_id: int, operator: User, decision: str, reason: str = ""
) -> VerificationRequest:
    """Approve or reject a company; the user is told by email, a rejection says why."""
    if not operator.is_staff:
        raise AppError(CoreError.OPERATORS_ONLY)
    if decision not in {"approve", "reject"}:
        raise _invalid_choice("decision", ["approve", "reject"])
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise AppError(
            AccountError.REASON_REQUIRED, errors={"reason": [AccountError.REASON_REQUIRED]}
        )
    request = (
        VerificationRequest.objects.select_for_update()
        .select_related("company", "user")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise AppError(CoreError.NOT_FOUND)
    if request.status != VerificationStatus.PENDING:
        raise AppError(AccountError.ALREADY_DECIDED)
    now = timezone.now()
    approved = decision == "approve"
    request.status = VerificationStatus.APPROVED if approved else VerificationStatus.REJECTED
    request.reason = reason
    request.decided_at = now
    request.decided_by = operator
    request.save()
    company = request.company
    company.verification_status = request.status
    company.verified_at = now if approved else None
    company.save(update_fields=["verification_status", "verified_at"])
    request_pk = request.pk
    transaction.on_commit(lambda: tasks.email_verification_result.enqueue(request_pk), robust=True)
    return request


def require_publisher(user: User) -> None:
    """Only approved suppliers may publish or manage listings."""
    if not user.is_authenticated or not user.is_supplier:
        raise AppError(AccountError.NOT_SUPPLIER)
    if not user.can_publish:
        raise AppError(AccountError.SUPPLIER_NOT_VERIFIED)


# Two-factor authentication (TOTP with django-otp; recovery codes as a static device).


def start_two_factor(*, user: User, key: str | None = None) -> TOTPDevice:
    """Begin the set-up: a TOTP secret for the authenticator app, unconfirmed until a code
    from it comes back. Asking again while it is pending returns the same secret (the QR
    code on a reloaded page stays valid). ``key``: a fixed hex secret (the demo's)."""
    if selectors.two_factor_enabled(user):
        raise AppError(AccountError.TWO_FACTOR_ALREADY_ON)
    device = selectors.pending_two_factor(user)
    if device is not None and (key is None or device.key == key):
        return device
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=False, **({"key": key} if key else {})
    )


def _new_recovery_codes(user: User) -> list[str]:
    """Fresh one-time recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _otp_error(error: AccountError) -> AppError:
    return AppError(error, errors={"otp": [error]})


def _otp_missing() -> AppError:
    return AppError(CoreError.VALIDATION, errors={"otp": [CoreError.REQUIRED]})


def _clean_otp(otp: str | None) -> str:
    """As typed, with the spaces apps show between the digits removed."""
    return "".join((otp or "").split())


def _wait_seconds(device) -> int | None:
    """Seconds before ``device`` takes another code: django-otp makes each attempt after a
    wrong code wait 1, 2, 4… seconds (OTP_*_THROTTLE_FACTOR). None: it may try now."""
    allowed, data = device.verify_is_allowed()
    if allowed or not (data and data.get("locked_until")):
        return None
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)


def _ready(devices) -> list:
    """The devices that may try a code now; when none may, 429 with the shortest wait (a
    wrong code counts on each device)."""
    waits = {device: _wait_seconds(device) for device in devices}
    ready = [device for device, wait in waits.items() if wait is None]
    if waits and not ready:
        raise AppError(AccountError.OTP_THROTTLED, retry_after=min(waits.values()))
    return ready


def verify_second_factor(*, user: User, otp: str | None, at_login: bool = False):
    """The device that accepts ``otp`` (a TOTP code, or a recovery code, spent on use).
    At login a missing or wrong code is a 401 like a wrong password; elsewhere (set-up,
    turning off) a 422 on the ``otp`` field."""
    otp = _clean_otp(otp)
    if not otp:
        raise AppError(AccountError.OTP_REQUIRED) if at_login else _otp_missing()
    with transaction.atomic():
        for device in _ready(list(devices_for_user(user, confirmed=True, for_verify=True))):
            if device.verify_token(otp):
                return device
    raise _otp_error(AccountError.OTP_INVALID if at_login else AccountError.OTP_WRONG)


def confirm_two_factor(
    *, user: User, otp: str | None, keep_token: str | None = None
) -> tuple[TOTPDevice, list[str]]:
    """The code from the app proves the secret arrived: two-factor is on, recovery codes
    are issued (shown once), and every other API token — issued with a password alone —
    is revoked. Returns the device (for the session to count as verified) and the codes."""
    otp = _clean_otp(otp)
    with transaction.atomic():  # a wrong code is committed too: it counts for throttling
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise AppError(
                AccountError.TWO_FACTOR_ALREADY_ON
                if selectors.two_factor_enabled(user)
                else AccountError.TWO_FACTOR_NOT_STARTED
            )
        if not otp:
            raise _otp_missing()
        _ready([device])  # 429 while it must wait after wrong codes
        accepted = device.verify_token(otp)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            _revoke_tokens(user, keep=keep_token)
    if not accepted:
        raise _otp_error(AccountError.OTP_WRONG)
    return device, codes


def new_recovery_codes(*, user: User, otp: str | None) -> list[str]:
    """A new set of recovery codes, asked with a current code; the old set stops working."""
    if not selectors.two_factor_enabled(user):
        raise AppError(AccountError.TWO_FACTOR_OFF)
    verify_second_factor(user=user, otp=otp)
    with transaction.atomic():
        return _new_recovery_codes(user)


def disable_two_factor(*, user: User, otp: str | None) -> None:
    """Turn two-factor off with a current code — not for roles that must keep it (their
    lost phone is an operator's case: the admin removes the device, they enrol again)."""
    if selectors.two_factor_required(user):
        raise AppError(AccountError.TWO_FACTOR_MANDATORY)
    if not selectors.two_factor_enabled(user):
        raise AppError(AccountError.TWO_FACTOR_OFF)
    verify_second_factor(user=user, otp=otp)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
