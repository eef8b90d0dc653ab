"""Account pages: register, log in/out, confirm the email, profile and documents."""

from __future__ import annotations

import segno
from babel.numbers import get_currency_name
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, to_locale
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries
from django_otp import login as otp_login

from ex1000.core.errors import AppError, render_message
from ex1000.core.http import client_ip, safe_next
from ex1000.core.timezones import listed_zones, main_zone, utc_offset
from ex1000.notifications import selectors as notification_selectors
from ex1000.notifications import services as notification_services
from ex1000.privacy import selectors as privacy_selectors
from ex1000.privacy.staff_reads import record_staff_read
from ex1000.web import add_service_errors

from . import selectors, services
from .error_codes import AccountError
from .lockout import lockout_warning
from .models import DocumentKind, Language, Role, VerificationStatus

# Currencies offered in the forms; the services accept any ISO 4217 code.
CURRENCIES = (
    "USD", "EUR", "CNY", "RUB", "KZT", "UZS", "KGS", "AZN", "GEL", "AED", "SAR",
    "TRY", "EGP", "NGN", "KES", "GHS", "TZS", "ZAR", "BRL", "MXN", "CLP", "GBP",
)  # fmt: skip


def currency_choices(current: str = "") -> list[tuple[str, str]]:
    locale = to_locale(get_language() or "en")
    codes = list(CURRENCIES)
    if current and current not in codes:
        codes.append(current)
    choices = []
    for code in codes:
        try:
            name = get_currency_name(code, locale=locale)
        except ValueError:  # babel knows no such locale
            name = get_currency_name(code, locale="en")
        choices.append((code, f"{code} — {name}"))
    return choices


def country_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(code, name) for code, name in countries]


def time_zone_choices(country: str = "", current: str = "") -> list[tuple[str, str]]:
    """Blank ("automatic", naming the country's zone) first, then the zones by their UTC
    offset today, west to east, and by name: "UTC+05:00 · Asia/Almaty"."""
    automatic = main_zone(country) or "UTC"
    zones = listed_zones()
    if current and current not in zones:
        zones.append(current)  # a legacy alias set through the API stays selectable
    offsets = {zone: utc_offset(zone) for zone in zones}

    def order(zone: str) -> tuple[int, str]:
        sign = -1 if offsets[zone][3] == "−" else 1
        hours, minutes = offsets[zone][4:].split(":")
        return sign * (int(hours) * 60 + int(minutes)), zone

    return [("", _("Automatic (from your country): %(zone)s") % {"zone": automatic})] + [
        (zone, f"{offsets[zone]} · {zone}") for zone in sorted(zones, key=order)
    ]


def remember_language(response, language: str):
    """Switch the interface to the language the user chose for themselves."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


class ContactFields(forms.Form):
    """What the registration and the profile share; the services do the real checks."""

    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    company_name = forms.CharField(label=gettext_lazy("Company name"), max_length=200)
    country = forms.ChoiceField(label=gettext_lazy("Country or region"))
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("With the country code, e.g. +7 701 123 4567."),
    )
    whatsapp = forms.CharField(label=gettext_lazy("WhatsApp"), max_length=40, required=False)
    wechat = forms.CharField(label=gettext_lazy("WeChat ID"), max_length=64, required=False)
    telegram = forms.CharField(label=gettext_lazy("Telegram"), max_length=64, required=False)
    language = forms.ChoiceField(label=gettext_lazy("Preferred language"), choices=Language.choices)
    currency = forms.ChoiceField(label=gettext_lazy("Preferred currency"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        current = self.initial.get("currency", "")
        self.fields["currency"].choices = currency_choices(current)


class RegisterForm(ContactFields):
    role = forms.ChoiceField(
        label=gettext_lazy("I am"),
        choices=[
            (Role.BUYER.value, gettext_lazy("A buyer — I import cars")),
            (Role.SUPPLIER.value, gettext_lazy("A supplier — I sell cars from China")),
            (
                Role.LOGISTICS.value,
                gettext_lazy("A logistics partner — I move cars (forwarder, carrier)"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=Role.BUYER.value,
    )
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accepted_policy_version = forms.CharField(widget=forms.HiddenInput, required=False)
    accept_policy = forms.BooleanField(
        label=gettext_lazy("I accept the privacy policy"),
        error_messages={"required": gettext_lazy("Accept the privacy policy to register.")},
    )

    field_order = [
        "role",
        "email",
        "password",
        "name",
        "company_name",
        "country",
        "phone",
        "whatsapp",
        "wechat",
        "telegram",
        "language",
        "currency",
    ]


class EmailLoginForm(forms.Form):
    """LoginView's form with an ``email`` field, authenticated like the API (and axes)."""

    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    # Shown once a login was refused because the account is locked for its deletion.
    cancel_deletion = forms.BooleanField(
        label=gettext_lazy("Cancel the deletion of my account and log in"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        self.deletion_cancelled = False
        self.deletion_scheduled = False
        self.retry_after = None  # set when the address made too many failed logins
        super().__init__(*args, **kwargs)

    def clean(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        password = self.cleaned_data.get("password")
        if email and password:
            try:
                services.check_login_ip(self.request)
            except AppError as exc:  # one address trying many accounts
                self.retry_after = exc.params.get("retry_after")
                raise forms.ValidationError(exc.detail, code=exc.code.value) from exc
            self.user_cache = authenticate(self.request, email=email, password=password)
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(
                    AccountError.LOCKED_OUT.render(), code=AccountError.LOCKED_OUT.value
                )
            if self.user_cache is None:  # locked for a scheduled deletion?
                try:
                    self.user_cache = services.reopen_for_deletion(
                        request=self.request,
                        email=email,
                        password=password,
                        cancel_deletion=self.cleaned_data.get("cancel_deletion", False),
                    )
                except AppError as exc:  # say so, and offer to cancel it
                    self.deletion_scheduled = True
                    self.fields["cancel_deletion"].widget = forms.CheckboxInput()
                    raise forms.ValidationError(exc.detail, code=exc.code.value) from exc
                self.deletion_cancelled = self.user_cache is not None
            if self.user_cache is None or not self.user_cache.is_active:
                refusal = [
                    forms.ValidationError(
                        AccountError.BAD_CREDENTIALS.render(),
                        code=AccountError.BAD_CREDENTIALS.value,
                    )
                ]
                if warning := lockout_warning(self.request, email):
                    refusal.append(forms.ValidationError(render_message(warning), code="warning"))
                raise forms.ValidationError(refusal)
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


def home_for(user) -> str:
    """Partners work from their shipments; everyone else starts at the catalogue."""
    if user.is_authenticated and user.role == Role.LOGISTICS:
        return resolve_url("logistics:dashboard")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_for(self.request.user)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "retry_after", None):
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.deletion_cancelled:
            messages.success(
                self.request,
                _(
                    "Welcome back: the deletion of your account is cancelled. Your API tokens "
                    "were revoked when it was locked; create new ones if you need them."
                ),
            )
        return remember_language(response, form.get_user().language)


class ProfileForm(ContactFields):
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy("Times on every page and in emails are shown in this zone."),
    )

    field_order = ["name", "company_name", "city", "country"]

    def __init__(self, *args, has_company: bool = True, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(
            self.initial.get("country", ""), self.initial.get("time_zone", "")
        )
        if not has_company:
            del self.fields["company_name"], self.fields["city"]
        elif locked:
            for name in ("company_name", "city"):
                self.fields[name].widget.attrs["readonly"] = True
                self.fields[name].help_text = gettext_lazy(
                    "Locked after verification; ask the operator for a correction."
                )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"))
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("For a business licence: the unified social credit code."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, role: str = Role.BUYER, **kwargs):
        super().__init__(*args, **kwargs)
        if role == Role.SUPPLIER:
            kinds = (
                DocumentKind.BUSINESS_LICENCE,
                DocumentKind.EXPORT_QUALIFICATION,
                DocumentKind.OTHER,
            )
        elif role == Role.LOGISTICS:  # e.g. a forwarder's or carrier's licence as "other"
            kinds = (DocumentKind.BUSINESS_LICENCE, DocumentKind.OTHER)
            self.fields["number"].help_text = gettext_lazy(
                "For a business licence: the company's registration number."
            )
        else:
            kinds = (DocumentKind.IMPORT_LICENCE, DocumentKind.OTHER)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    policy = privacy_selectors.current_policy()
    initial = {
        "language": get_language() if get_language() in Language.values else Language.EN,
        "currency": "USD",
        "accepted_policy_version": policy.version if policy else "",
    }
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "accept_policy"}
        try:
            user = services.register_user(
                **data,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except AppError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Welcome to EX1000! We sent a confirmation link to %(email)s; "
                    "open it to confirm your email address."
                )
                % {"email": user.email},
            )
            if selectors.two_factor_required(user):  # the role's first step: two-factor
                target = f"{reverse('accounts:two_factor')}?next={reverse('accounts:profile')}"
            else:
                target = reverse("accounts:profile")
            return remember_language(redirect(target), user.language)
    return render(
        request,
        "accounts/register.html",
        {"form": form, "policy": policy},
        status=400 if form.errors else 200,
    )


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)


class NewPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("12 to 128 characters; not a common password."),
    )


def forgot_password(request):
    """The same answer whether or not the address has an account."""
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_reset_requests(request)
        except AppError as exc:
            form.add_error(None, exc.detail)
        else:
            services.request_password_reset(email=form.cleaned_data["email"])
            messages.success(request, services.RESET_SENT)
            return redirect("accounts:login")
    return render(
        request,
        "accounts/password_forgot.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def password_reset(request, token: str):
    """The emailed link: choose a new password; the link then stops working."""
    valid = services.user_for_reset_token(token) is not None
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and valid and form.is_valid():
        try:
            services.reset_password(token=token, new_password=form.cleaned_data["new_password"])
        except AppError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your new password is set. Log in with it."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form, "valid": valid},
        status=200 if valid and not form.errors else 400,
    )


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=gettext_lazy("New email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def confirm_email_change(request, token: str):
    """The link mailed to the new address. Opening it asks for a click (POST): a mail
    scanner fetching the link changes nothing."""
    if request.method == "POST":
        try:
            user = services.confirm_email_change(token=token)
        except AppError as exc:
            return render(request, "accounts/email_change.html", {"error": exc.detail}, status=400)
        return render(request, "accounts/email_change.html", {"changed_user": user})
    return render(request, "accounts/email_change.html", {"token": token})


def verify_email(request, token: str):
    try:
        user = services.verify_email(token=token)
    except AppError as exc:
        return render(request, "accounts/verify_email.html", {"error": exc.detail}, status=400)
    return render(request, "accounts/verify_email.html", {"verified_user": user})


@login_required
@require_POST
def resend_verification(request):
    if request.user.email_verified_at:
        messages.info(request, _("Your email address is already confirmed."))
    else:
        services.send_verification_email(request.user)
        messages.success(
            request,
            _("We sent a new confirmation link to %(email)s.") % {"email": request.user.email},
        )
    return redirect("accounts:profile")


def _profile_initial(user) -> dict:
    company = user.company
    return {
        "name": user.name,
        "company_name": company.name if company else "",
        "city": company.city if company else "",
        "country": user.country.code or "",
        "phone": user.phone,
        "whatsapp": user.whatsapp,
        "wechat": user.wechat,
        "telegram": user.telegram,
        "language": user.language,
        "currency": user.currency,
        "time_zone": user.time_zone,
    }


@login_required
def profile(request):
    user = request.user
    company = user.company
    locked = bool(company and company.is_verified)
    options = {"initial": _profile_initial(user), "has_company": company is not None}
    profile_form = ProfileForm(locked=locked, **options)
    document_form = DocumentForm(role=user.role)
    email_form = EmailChangeForm()
    if request.method == "POST" and request.POST.get("form") == "email":
        email_form = EmailChangeForm(request.POST)
        if email_form.is_valid():
            try:
                email = services.request_email_change(user=user, **email_form.cleaned_data)
            except AppError as exc:
                add_service_errors(email_form, exc)
            else:
                messages.success(request, services.EMAIL_CHANGE_SENT % {"email": email})
                return redirect(reverse("accounts:profile") + "#security")
    elif request.method == "POST" and request.POST.get("form") == "profile":
        profile_form = ProfileForm(request.POST, locked=locked, **options)
        if profile_form.is_valid():
            changes = {name: profile_form.cleaned_data[name] for name in profile_form.changed_data}
            try:
                services.update_profile(user=user, **changes)
            except AppError as exc:
                add_service_errors(profile_form, exc)
            else:
                messages.success(request, _("Your profile has been saved."))
                response = redirect("accounts:profile")
                if "language" in changes:
                    remember_language(response, changes["language"])
                return response
    elif request.method == "POST" and request.POST.get("form") == "document":
        document_form = DocumentForm(request.POST, request.FILES, role=user.role)
        if document_form.is_valid():
            try:
                services.upload_document(user=user, **document_form.cleaned_data)
            except AppError as exc:
                add_service_errors(document_form, exc)
            else:
                messages.success(
                    request,
                    _("Document received. An operator will review it and you will be told."),
                )
                return redirect(reverse("accounts:profile") + "#documents")
    elif request.method == "POST" and request.POST.get("form") == "notifications":
        # An unticked box is absent from the form: every event type is saved each time.
        changes = [
            {
                "event": row["event"],
                "in_app": f"{row['event']}-in_app" in request.POST,
                "email": f"{row['event']}-email" in request.POST,
            }
            for row in notification_selectors.preferences_of(user)
        ]
        notification_services.set_preferences(user=user, changes=changes)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect(reverse("accounts:profile") + "#notifications")
    status, reason = selectors.verification_status(user)
    context = {
        "profile_form": profile_form,
        "document_form": document_form,
        "verification_status": status,
        "verification_label": VerificationStatus(status).label,
        "verification_reason": reason,
        "documents": selectors.documents_visible_to(user).filter(user=user),
        "can_submit_documents": user.role in services.SELF_SERVICE_ROLES and company is not None,
        "locked": locked,
        "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
        "notification_preferences": notification_selectors.preferences_of(user),
        "two_factor_enabled": selectors.two_factor_enabled(user),
        "email_form": email_form,
    }
    status_code = 200 if request.method == "GET" else 400
    return render(request, "accounts/profile.html", context, status=status_code)


@login_required
def document(request, document_id: int):
    """Identity documents stream only to their owner or an operator; no public URL exists."""
    doc = selectors.documents_visible_to(request.user).filter(pk=document_id).first()
    if doc is None:
        raise Http404
    if request.user.is_staff:
        record_staff_read(request.user, doc, request=request, view="document file")
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type)
    response["Content-Disposition"] = f'inline; filename="document-{doc.pk}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class OtpForm(forms.Form):
    otp = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=64,
        help_text=gettext_lazy("6 digits from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


def _otp_failed(form: OtpForm, exc: AppError) -> int:
    """The refusal on the form; the page's status (429 with Retry-After when throttled)."""
    add_service_errors(form, exc)
    form.retry_after = exc.params.get("retry_after")
    return exc.code.status


def _otp_page(request, template: str, context: dict, status: int):
    """A page with the code form; throttled, it says when to try again (Retry-After)."""
    response = render(request, template, context, status=status)
    if retry_after := getattr(context["form"], "retry_after", None):
        response["Retry-After"] = str(retry_after)
    return response


def _qr_svg(url: str) -> str:
    """The otpauth URI as an inline SVG QR code (no image request, nothing external)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, border=4, dark="#111"))


@login_required
def two_factor(request):
    """Set up two-factor (scan, type a code, keep the recovery codes), or, once it is on,
    renew the recovery codes or turn it off (where the role allows)."""
    user = request.user
    next_url = safe_next(request, default=home_for(user))
    action = request.POST.get("action") if request.method == "POST" else None
    form = OtpForm(request.POST if action else None)
    status = 200
    if action and form.is_valid():
        otp = form.cleaned_data["otp"]
        try:
            if action == "confirm":
                device, codes = services.confirm_two_factor(user=user, otp=otp)
                otp_login(request, device)  # this session has given its code
                return _recovery_codes_page(request, codes, next_url, first=True)
            if action == "recovery_codes":
                codes = services.new_recovery_codes(user=user, otp=otp)
                return _recovery_codes_page(request, codes, next_url, first=False)
            if action == "disable":
                services.disable_two_factor(user=user, otp=otp)
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:two_factor")
        except AppError as exc:
            status = _otp_failed(form, exc)
    elif action:
        status = 400
    enabled = selectors.two_factor_enabled(user)
    context = {
        "form": form,
        "enabled": enabled,
        "required": selectors.two_factor_required(user),
        "next": next_url,
    }
    if enabled:
        context["since"] = selectors.two_factor_since(user)
        context["codes_left"] = selectors.recovery_codes_left(user)
    else:
        device = services.start_two_factor(user=user)
        secret = selectors.b32_secret(device)
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return _otp_page(request, "accounts/two_factor.html", context, status)


def _recovery_codes_page(request, codes: list[str], next_url: str, *, first: bool):
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next": next_url, "first": first},
    )


@login_required
def two_factor_verify(request):
    """The second step of a login with two-factor on: the code, then where they were going."""
    user = request.user
    next_url = safe_next(request, default=home_for(user))
    if not selectors.two_factor_enabled(user) or user.is_verified():
        return redirect(next_url)
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(user=user, otp=form.cleaned_data["otp"])
        except AppError as exc:
            status = _otp_failed(form, exc)
        else:
            otp_login(request, device)
            return redirect(next_url)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": next_url}
    return _otp_page(request, "accounts/two_factor_verify.html", context, status)
