"""Reference data and instant estimates: /places, /incoterms, /quotes/estimate."""

from ninja import Router

router = Router(tags=["quotation"])
