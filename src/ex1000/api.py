"""The public API v1: assembles each app's router (docs/api.md is the contract)."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router

from ex1000.accounts.api import auth_router, me_router, ops_router
from ex1000.catalog.api import jobs_router, reference_router, vehicles_router
from ex1000.core.api import install_error_handlers
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
from ex1000.privacy.processing_api import processing_router
from ex1000.privacy.tickets_api import feedback_router, ops_requests_router, requests_router
from ex1000.quotes.api import router as quotes_router
from ex1000.quotes.inquiries_api import router as inquiries_router
from ex1000.quotes.pdf_api import router as quote_pdf_router

api = NinjaAPI(
    title="EX1000 API",
    version="1",
    description="Used cars from China: catalogue, quotations, orders. See docs/api.md.",
    urls_namespace="api",
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
