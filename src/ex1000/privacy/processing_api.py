"""GET /api/v1/ops/privacy/processing: the record of processing (privacy.processing)."""

from django.http import HttpRequest
from ninja import Router

from ex1000.core.api import operator_only, user_auth

from . import processing

# Mounted at /ops by the API assembly (ex1000/api.py).
processing_router = Router(tags=["privacy", "operator"], auth=user_auth)


@processing_router.get(
    "/privacy/processing",
    summary="Record of processing",
    description=(
        "Operators only. Per category of personal data: the models and fields in it "
        "(from the personal-data registry), purposes, erasure rule, legal hold, retention, "
        "sensitivity, whether exported, legal basis, storage region and recipients."
    ),
)
def processing_record(request: HttpRequest):
    operator_only(request)
    return processing.record()
