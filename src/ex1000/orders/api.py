"""Orders: GET /orders/{number} for its parties (the lifecycle comes with the orders issue)."""

from django.http import HttpRequest
from ninja import Router

from ex1000.core.api import user_auth

from . import selectors
from .schemas import OrderOut

router = Router(tags=["orders"], auth=user_auth)


@router.get("/orders/{number}", response=OrderOut)
def order_detail(request: HttpRequest, number: str):
    return selectors.order_for(request.user, number)
