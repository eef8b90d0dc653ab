"""Policy versions are published once and never edited; the acceptance ledger is read-only."""

from django.contrib import admin

from .models import AccessRecord, BehaviourEvent, PolicyAcceptance, PolicyVersion


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


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "ip", "method", "path", "status", "browser", "device_type")
    list_filter = ("device_type", "method", "status")
    search_fields = ("user__email", "path")
    list_select_related = ("user",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BehaviourEvent)
class BehaviourEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "kind")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
