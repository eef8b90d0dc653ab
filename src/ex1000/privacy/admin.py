"""Policy versions are published once (through the same service as the API) and never
edited; the acceptance and consent ledgers are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ex1000.core.admin import ReadOnly

from . import services
from .models import (
    AccessRecord,
    BehaviourEvent,
    Consent,
    Disclosure,
    ErasureRecord,
    PolicyAcceptance,
    PolicyVersion,
    PrivacyRequest,
)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "published_at", "material", "summary")
    search_fields = ("version", "summary")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # published text is a contract: never edited in place
            return ("version", "published_at", "material", "summary", "text")
        return ("published_at",)

    def save_model(self, request, obj, form, change):
        obj.translations = obj.translations or {}
        if change:  # only translations can be added to a published version
            super().save_model(request, obj, form, change)
            return
        # The form's unique check has refused a duplicate version already.
        published = services.publish_policy(
            version=obj.version,
            text=obj.text,
            material=obj.material,
            summary=obj.summary,
            translations=obj.translations,
        )
        obj.pk, obj.published_at = published.pk, published.published_at
        obj._state.adding = False
        obj._state.db = published._state.db
        self.message_user(
            request,
            _("Version %(version)s is published; every user is being notified.")
            % {"version": obj.version},
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("user", "policy", "accepted_at", "ip")
    list_filter = ("policy",)
    search_fields = ("user__email",)
    list_select_related = ("user", "policy")
    fields = ("user", "policy", "accepted_at", "ip", "user_agent")
    readonly_fields = fields


@admin.register(Consent)
class ConsentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("user", "purpose", "granted", "at", "source", "policy")
    list_filter = ("purpose", "granted", "source")
    search_fields = ("user__email",)
    list_select_related = ("user", "policy")
    fields = ("user", "purpose", "granted", "at", "source", "policy", "ip", "user_agent")
    readonly_fields = fields


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnly, admin.ModelAdmin):
    """For looking up; answers go through the ops page (/ops/privacy/) or the API, which
    email the requester and record the events."""

    list_display = ("pk", "type", "status", "user", "contact_email", "due_at", "decided_at")
    list_filter = ("status", "type")
    search_fields = ("user__email", "contact_email")
    list_select_related = ("user",)
    exclude = ("confirmation_nonce",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PrivacyRequest._meta.fields if f.name != "confirmation_nonce"]


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnly, admin.ModelAdmin):
    deletable = True  # enforce_retention's rows; an operator may remove them too

    list_display = ("at", "user", "ip", "method", "path", "status", "browser", "device_type")
    list_filter = ("device_type", "method", "status")
    search_fields = ("user__email", "path")
    list_select_related = ("user",)
    date_hierarchy = "at"


@admin.register(BehaviourEvent)
class BehaviourEventAdmin(ReadOnly, admin.ModelAdmin):
    deletable = True  # enforce_retention's rows; an operator may remove them too

    list_display = ("at", "user", "kind")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    list_select_related = ("user",)


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only: partner hand-overs are written by the system, legal disclosures through
    ``POST /api/v1/ops/disclosures`` (which also leaves an event)."""

    list_display = ("at", "user", "recipient_kind", "recipient", "reference", "withheld_from_user")
    list_filter = ("recipient_kind", "withheld_from_user")
    search_fields = ("user__email", "recipient", "reference")
    list_select_related = ("user",)
    fields = (
        "user",
        "recipient_kind",
        "recipient",
        "reference",
        "data",
        "purpose",
        "at",
        "recorded_by",
        "withheld_from_user",
    )
    readonly_fields = fields


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnly, admin.ModelAdmin):
    """The erasure log as the database keeps it (the replayable copy is a file, see
    privacy.erasure): who by number, when, under which registry, what was kept and why."""

    list_display = ("at", "user_id", "request_id", "registry_version", "held_until", "purged_at")
    list_filter = ("replay",)
    search_fields = ("user_id", "request_id")
    fields = (
        "user_id",
        "request_id",
        "at",
        "registry_version",
        "replay",
        "held_until",
        "purged_at",
        "report",
    )
    readonly_fields = fields
