"""The public API v1: assembles each app's router (docs/api.md is the contract)."""

from django.http import Http404, HttpRequest
from ninja import Router

from ex1000.accounts.api import auth_router, me_router, ops_router
from ex1000.accounts.middleware import two_factor_exempt
from ex1000.catalog.api import jobs_router, reference_router, vehicles_router
from ex1000.core.api import install_error_handlers
from ex1000.core.openapi import ProblemAPI
from ex1000.logistics.api import router as logistics_router
from ex1000.logistics.api import webhook_router
from ex1000.messaging.api import ops_router as messaging_ops_router
from ex1000.messaging.api import router as messaging_router
from ex1000.notifications.api import me_router as notification_preferences_router
from ex1000.notifications.api import router as notifications_router
from ex1000.orders.api import router as orders_router
from ex1000.orders.documents_api import router as order_documents_router
from ex1000.privacy.api import ops_router as privacy_ops_router
from ex1000.privacy.api import router as privacy_router
from ex1000.privacy.middleware import api_exempt
from ex1000.privacy.processing_api import processing_router
from ex1000.privacy.tickets_api import feedback_router, ops_requests_router, requests_router
from ex1000.quotes.api import router as quotes_router
from ex1000.quotes.inquiries_api import router as inquiries_router
from ex1000.quotes.pdf_api import router as quote_pdf_router

PREFIX = "/api/v1"

# The error statuses business rules add to what an operation's shape gives (core.openapi):
# the catalogues' 409 codes (state), 410 and 429 (rate limits), by "METHOD /path".
BUSINESS_STATUSES: dict[int, set[str]] = {
    409: {
        "POST /auth/register",  # email_taken
        "POST /ops/verifications/{request_id}/decision",  # already_decided
        "PATCH /vehicles/{vehicle_id}",  # listing_locked, quantity_below_committed
        "DELETE /vehicles/{vehicle_id}",  # listing_locked
        "POST /inquiries/{inquiry_id}/quotes",  # inquiry_accepted, inquiry_closed
        "POST /quotes/{quote_id}/accept",  # already_accepted, superseded, expired …
        "POST /orders/{number}/actions/{action}",  # invalid_transition, already_signed …
        "POST /orders/{number}/payments",  # payment_not_expected
        "PUT /orders/{number}/consignee",  # consignee_locked
        "GET /orders/{number}/documents/{kind}.pdf",  # document_not_available
        "POST /orders/{number}/shipments",  # shipment_not_expected
        "GET /quotes/{quote_id}/pdf",  # proforma_needs_order
        "POST /ops/policy-versions",  # policy_version_exists
        "POST /privacy/requests",  # deletion_already_scheduled
        "POST /privacy/requests/{request_id}/confirm",  # not_awaiting_confirmation
        "POST /ops/privacy/requests/{request_id}/decision",  # request_closed …
        "GET /privacy/export/{job_id}/download",  # export_not_ready
        "POST /me/2fa",  # two_factor_enabled
        "POST /me/2fa/confirm",  # two_factor_not_started, two_factor_enabled
        "POST /me/2fa/recovery-codes",  # two_factor_not_enabled
        "DELETE /me/2fa",  # two_factor_not_enabled
        "POST /me/email",  # email_taken
        "POST /auth/email-change/confirm",  # email_taken
    },
    410: {"GET /privacy/export/{job_id}/download"},  # export_expired
    429: {
        "GET /vehicles",  # visitors' search limit
        "POST /quotes/estimate",  # visitors' estimate limit
        "POST /auth/token",  # locked_out, the address' failures
        "POST /auth/password-reset",  # reset emails an hour
        "POST /feedback",  # feedback an hour
        "POST /privacy/export",  # export_locked_out (wrong passwords)
        "POST /me/2fa/confirm",  # otp_throttled (wrong codes)
        "POST /me/2fa/recovery-codes",  # otp_throttled
        "DELETE /me/2fa",  # otp_throttled
    },
    401: {
        "POST /auth/token",  # bad_credentials, otp_required
        "POST /logistics/webhook/{provider}",  # invalid_signature
    },
    # The carriers' webhook reads its raw body itself (no body schema for the shape rule).
    400: {"POST /logistics/webhook/{provider}"},
    413: {"POST /logistics/webhook/{provider}"},
}


def business_statuses(method: str, path: str, operation: dict) -> set[int]:
    """The table above, and the statuses of the gates in front of the API."""
    label = f"{method.upper()} {path.removeprefix(PREFIX)}"
    statuses = {status for status, labels in BUSINESS_STATUSES.items() if label in labels}
    # The gates in front of every call with a token or session, public operations included:
    # re-consent to a new policy (428) and two-factor still to set up or give (403).
    if not api_exempt(method, path):
        statuses.add(428)
    if not two_factor_exempt(path):
        statuses.add(403)
    return statuses


api = ProblemAPI(
    title="EX1000 API",
    version="1",
    description="Used cars from China: catalogue, quotations, orders. See docs/api.md.",
    urls_namespace="api",
    extra_statuses=business_statuses,
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/me", notification_preferences_router)
api.add_router("/ops", ops_router)
api.add_router("/ops", privacy_ops_router)
api.add_router("/vehicles", vehicles_router)
api.add_router("/jobs", jobs_router)
api.add_router("/", reference_router)
api.add_router("/privacy", privacy_router)
api.add_router("/privacy", requests_router)
api.add_router("/ops", ops_requests_router)
api.add_router("/ops", processing_router)
api.add_router("/", feedback_router)
api.add_router("/", quotes_router)
api.add_router("/", inquiries_router)
api.add_router("/", orders_router)
api.add_router("/", order_documents_router)
api.add_router("/", logistics_router)
api.add_router("/", webhook_router)  # signed by the carrier, no user
api.add_router("/", notifications_router)
api.add_router("/", messaging_router)
api.add_router("/ops", messaging_ops_router)
api.add_router("/", quote_pdf_router)


# Last: any other path under /api/v1/ answers 404 in problem JSON, not Django's HTML page.
fallback_router = Router()


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown_path(request: HttpRequest, rest: str):
    raise Http404


api.add_router("/", fallback_router)
