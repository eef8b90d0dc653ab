"""Work done after the answer: a carrier's delivery is applied by a worker, so a slow
database never makes the carrier retry."""

from __future__ import annotations

from django_tasks import task


@task()
def apply_webhook_delivery(delivery_id: int) -> int:
    from .services import apply_webhook_delivery as apply

    return apply(delivery_id)
