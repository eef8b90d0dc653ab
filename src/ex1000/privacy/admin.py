"""Policy versions are published once and never edited; the acceptance ledger is read-only."""

from django.contrib import admin

from .models import PolicyAcceptance, PolicyVersion, PrivacyRequest


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "published_at", "material", "summary")
    search_fields = ("version", "summary")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # published text is a contract: never edited in place
            return ("version", "published_at", "material", "summary", "text")
        return ("published_at",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(admin.ModelAdmin):
    list_display = ("user", "policy", "accepted_at", "ip")
    list_filter = ("policy",)
    search_fields = ("user__email",)
    list_select_related = ("user", "policy")
    fields = ("user", "policy", "accepted_at", "ip", "user_agent")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    """For looking up; answers go through the ops page (/ops/privacy/) or the API, which
    email the requester and record the events."""

    list_display = ("pk", "type", "status", "user", "contact_email", "due_at", "decided_at")
    list_filter = ("status", "type")
    search_fields = ("user__email", "contact_email")
    list_select_related = ("user",)
    exclude = ("confirmation_nonce",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PrivacyRequest._meta.fields if f.name != "confirmation_nonce"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
