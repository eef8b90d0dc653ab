"""Operator admin for the catalogue: browse and correct listings; imports are read-only."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .forms import VehicleForm
from .models import ImportJob, ListingStatus, Vehicle, VehiclePhoto


class PhotoInline(admin.TabularInline):
    model = VehiclePhoto
    extra = 0
    fields = ("preview", "position", "width", "height", "created_at")
    readonly_fields = ("preview", "width", "height", "created_at")

    def has_add_permission(self, request, obj=None):
        return False  # photos are re-encoded (no EXIF) by the service on upload

    @admin.display(description=_("photo"))
    def preview(self, obj):
        if not obj.thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" style="height:60px">', obj.thumbnail.url)


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "vin", "company", "price", "status", "city", "published_at")
    list_filter = ("status", "fuel", "body_type", "steering", "transmission", "year")
    search_fields = ("make", "model", "variant", "vin", "city", "company__name")
    list_select_related = ("company",)
    # The same validation as the supplier's pages (VIN check digit, plausible year, …).
    form = VehicleForm
    readonly_fields = (
        "company",
        "created_by",
        "price_currency",
        "published_at",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    inlines = [PhotoInline]

    def has_add_permission(self, request):
        return False  # suppliers list cars; operators only correct or take down

    def save_model(self, request, obj, form, change):
        # Keep what create/update_vehicle maintain: the search words and the publication time.
        obj.search_text = obj.build_search_text()
        if obj.status == ListingStatus.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "company", "user", "original_name", "status", "processed", "total",
                    "created", "created_at")  # fmt: skip
    list_filter = ("status",)
    search_fields = ("company__name", "user__email", "original_name")
    list_select_related = ("company", "user")
    exclude = ("file",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
