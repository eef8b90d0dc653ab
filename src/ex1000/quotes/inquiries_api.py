"""Inquiries, quote versions and acceptance: /inquiries…, /quotes/{id}/accept, /quotes/{id}/pdf."""

from ninja import Router

router = Router(tags=["quotation"])
