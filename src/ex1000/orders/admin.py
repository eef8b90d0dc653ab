"""Orders in the admin: read-only, with their operation records. An order changes only
through ``services.perform`` (the order page, the API), never by editing a row here."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ex1000.core.admin import ReadOnly

from . import selectors
from .models import Consignee, Order, Payment, Payout


class PaymentInline(ReadOnly, admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("kind", "amount", "currency", "reference", "status", "submitted_at", "decided_at")
    readonly_fields = fields
    show_change_link = True


class ConsigneeInline(ReadOnly, admin.StackedInline):
    model = Consignee
    extra = 0
    fields = ("name", "company", "address", "city", "country", "phone", "email", "notify_party")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("number", "status", "buyer", "supplier", "total", "currency", "created_at")
    list_filter = ("status", "currency")
    search_fields = ("number", "buyer__email", "supplier__name")
    date_hierarchy = "created_at"
    list_select_related = ("buyer", "supplier")
    inlines = (PaymentInline, ConsigneeInline)
    fields = (
        "number",
        "status",
        "page_link",
        "quote",
        "buyer",
        "supplier",
        "currency",
        "total",
        "deposit_percent",
        "deposit",
        "balance",
        "platform_fee",
        "escrow_released",
        "escrow_refunded",
        "buyer_signed_at",
        "supplier_signed_at",
        "arrived_at",
        "closed_at",
        "created_at",
        "accepted_ip",
        "accepted_user_agent",
        "items",
        "operation_records",
    )
    readonly_fields = fields

    @admin.display(description=_("order page"))
    def page_link(self, order: Order):
        url = reverse("orders:detail", args=[order.number])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("operation records"))
    def operation_records(self, order: Order):
        """Every transition of the order, oldest first (append-only; nothing to edit)."""
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{} {}</td><td>{}</td>"
            "<td>{}</td><td><code>{}</code></td></tr>",
            (
                (
                    e.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    e.type,
                    e.from_state or "—",
                    e.to_state or "—",
                    e.actor_role,
                    e.actor_label,
                    e.ip or "",
                    e.note,
                    e.parameters,
                )
                for e in selectors.operation_records(order)
            ),
        )
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("at"),
            _("action"),
            _("states"),
            _("actor"),
            _("IP"),
            _("note"),
            _("parameters"),
        )
        return format_html("<table>{}{}</table>", head, rows)


@admin.register(Payment)
class PaymentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "order", "kind", "amount", "currency", "status", "submitted_at")
    list_filter = ("status", "kind")
    search_fields = ("order__number", "reference")
    list_select_related = ("order",)
    fields = (
        "order",
        "kind",
        "amount",
        "currency",
        "reference",
        "proof_link",
        "status",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "rejection_reason",
    )
    readonly_fields = fields

    @admin.display(description=_("proof of transfer"))
    def proof_link(self, payment: Payment):
        if not payment.proof:
            return "—"
        url = reverse("orders:payment_proof", args=[payment.pk])
        return format_html('<a href="{}?inline=1" target="_blank">{}</a>', url, _("open"))


@admin.register(Payout)
class PayoutAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("order", "supplier", "gross", "fee", "amount", "currency", "created_at")
    list_select_related = ("order", "supplier")
    readonly_fields = ("order", "supplier", "gross", "fee", "amount", "currency", "created_at")
