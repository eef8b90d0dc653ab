"""Operator admin for quotation data: everything is read-only here.

A rate book is imported as a new version (upload page below, or `manage.py import_rates`),
never edited, since issued quotes point at it. Inquiries and quote versions change only
through their services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError

from .models import Inquiry, InquiryItem, Place, QuoteVersion, RateBook
from .rate_books import import_rate_book, parse_document, rate_book_summary

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RateBookImportForm(forms.Form):
    file = forms.FileField(
        label=_("Rate book file (JSON)"),
        help_text=_("The format of quoting.md. The version must be new."),
    )


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    can_delete = False
    fields = ("code", "name", "country", "kind", "is_origin", "is_destination")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RateBook)
class RateBookAdmin(ReadOnlyAdmin):
    list_display = (
        "version",
        "currency",
        "valid_from",
        "valid_to",
        "validity_days",
        "place_count",
        "row_counts",
        "imported_at",
        "imported_by",
    )
    list_select_related = ("imported_by",)
    search_fields = ("version",)
    date_hierarchy = "imported_at"
    fields = (
        "version",
        "currency",
        "valid_from",
        "valid_to",
        "validity_days",
        "row_counts",
        "imported_at",
        "imported_by",
        "document",
    )
    readonly_fields = fields
    inlines = [PlaceInline]
    change_list_template = "admin/quotes/ratebook/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(place_total=Count("places"))

    @admin.display(description=_("places"), ordering="place_total")
    def place_count(self, obj):
        return obj.place_total

    @admin.display(description=_("rows"))
    def row_counts(self, obj):
        return ", ".join(f"{table} {n}" for table, n in rate_book_summary(obj).counts.items())

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="quotes_ratebook_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a rate book file; on success go to the new version, else list every error."""
        if not self.has_view_permission(request) or not request.user.is_staff:
            raise PermissionDenied
        errors: list[str] = []
        form = RateBookImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise AppError(CoreError.FILE_TOO_LARGE, mb=MAX_UPLOAD_BYTES // 2**20)
                book = import_rate_book(document=parse_document(upload.read()), user=request.user)
            except AppError as exc:
                errors = [m for ms in exc.rendered_errors().values() for m in ms] or [exc.detail]
            else:
                self.message_user(
                    request,
                    gettext("Imported: %(summary)s")
                    % {"summary": rate_book_summary(book).describe()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:quotes_ratebook_change", args=[book.pk]))
        return TemplateResponse(
            request,
            "admin/quotes/ratebook/import.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Import a rate book"),
                "opts": self.model._meta,
                "form": form,
                "import_errors": errors,
            },
            status=422 if errors else 200,
        )


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "country", "kind", "is_origin", "is_destination", "book")
    list_filter = ("kind", "is_origin", "is_destination", "country", "book")
    search_fields = ("code", "name")
    list_select_related = ("book",)


class InquiryItemInline(admin.TabularInline):
    model = InquiryItem
    extra = 0
    can_delete = False
    fields = ("vehicle", "quantity", "snapshot")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "buyer",
        "supplier",
        "incoterm",
        "mode",
        "destination",
        "currency",
        "status",
        "created_at",
    )
    list_filter = ("status", "incoterm", "mode")
    search_fields = ("buyer__email", "supplier__name", "destination")
    list_select_related = ("buyer", "supplier")
    date_hierarchy = "created_at"
    inlines = [InquiryItemInline]


@admin.register(QuoteVersion)
class QuoteVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "incoterm",
        "mode",
        "origin",
        "destination",
        "total",
        "currency",
        "eligible",
        "valid_until",
        "rate_book",
        "created_at",
    )
    list_filter = ("incoterm", "mode", "eligible", "currency")
    search_fields = ("inquiry__buyer__email", "inquiry__supplier__name")
    list_select_related = ("rate_book", "inquiry")
    date_hierarchy = "created_at"
