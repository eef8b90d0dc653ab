"""Operator admin for accounts: verification decisions go through the service, never an edit."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ex1000.core.errors import AppError
from ex1000.privacy.staff_reads import StaffReadLoggedAdmin

from . import services
from .models import ApiToken, Company, QualificationDocument, User, VerificationRequest


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role")


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(StaffReadLoggedAdmin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "name", "role", "company", "country", "email_verified", "is_staff")
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "language")
    search_fields = ("email", "name", "company__name")
    list_select_related = ("company",)
    autocomplete_fields = ("company",)
    readonly_fields = ("last_login", "date_joined", "email_verified_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Account"), {"fields": ("name", "role", "company", "country", "language", "currency")}),
        (_("Contact channels"), {"fields": ("phone", "whatsapp", "wechat", "telegram")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "email_verified_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "password1", "password2"),
            },
        ),
    )

    @admin.display(boolean=True, description=_("email verified"))
    def email_verified(self, obj):
        return obj.email_verified_at is not None


@admin.register(Company)
class CompanyAdmin(StaffReadLoggedAdmin, admin.ModelAdmin):
    list_display = ("name", "country", "city", "verification_status", "verified_at", "created_at")
    list_filter = ("verification_status", "country")
    search_fields = ("name", "city")  # credit_code is encrypted: not searchable
    # Verification changes only through decide_verification (it records who and tells the user).
    readonly_fields = ("verification_status", "verified_at", "created_at")


class DocumentInline(admin.TabularInline):
    model = QualificationDocument
    extra = 0
    can_delete = False
    fields = ("kind", "number", "open_link", "content_type", "size", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def open_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("accounts:document", args=[obj.pk]),
            gettext("Open"),
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection (sent to the user)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
    )


@admin.register(VerificationRequest)
class VerificationRequestAdmin(StaffReadLoggedAdmin, admin.ModelAdmin):
    list_display = ("company", "user", "role", "status", "submitted_at", "decided_at")
    list_filter = ("status", "user__role")
    search_fields = ("company__name", "user__email")
    list_select_related = ("company", "user")
    readonly_fields = (
        "user",
        "company",
        "status",
        "reason",
        "submitted_at",
        "decided_at",
        "decided_by",
    )
    inlines = [DocumentInline]
    actions = ["approve_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("role"))
    def role(self, obj):
        return obj.user.get_role_display()

    def _decide(self, request, queryset, decision: str, reason: str = "") -> None:
        done = 0
        for verification in queryset:
            try:
                services.decide_verification(
                    request_id=verification.pk,
                    operator=request.user,
                    decision=decision,
                    reason=reason,
                )
                done += 1
            except AppError as exc:
                self.message_user(request, f"{verification.company}: {exc.detail}", messages.ERROR)
        if done:
            text = (
                ngettext(
                    "%(count)d request approved; the user has been told.",
                    "%(count)d requests approved; the users have been told.",
                    done,
                )
                if decision == "approve"
                else ngettext(
                    "%(count)d request rejected; the user has been told why.",
                    "%(count)d requests rejected; the users have been told why.",
                    done,
                )
            )
            self.message_user(request, text % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve selected requests"))
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, "approve")

    @admin.action(description=_("Reject selected requests (asks for a reason)"))
    def reject_selected(self, request, queryset):
        """An intermediate page asks for the reason; the service needs one and mails it."""
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._decide(request, queryset, "reject", form.cleaned_data["reason"])
            return None
        return TemplateResponse(
            request,
            "admin/accounts/verificationrequest/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Reject verification requests"),
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(QualificationDocument)
class QualificationDocumentAdmin(StaffReadLoggedAdmin, admin.ModelAdmin):
    list_display = ("__str__", "kind", "user", "request", "content_type", "size", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("user__email", "user__company__name")
    list_select_related = ("user", "request")
    fields = ("user", "request", "kind", "number", "open_link", "content_type", "size")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def open_link(self, obj):
        return DocumentInline.open_link(self, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Two-factor devices: an operator sees who has one and removes it (a lost phone: the user
# enrols again), but never the TOTP key or the recovery codes — with those, anyone could
# make a user's codes. django-otp's own admin shows both; it is replaced.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(TOTPDevice, StaticDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
