"""Order PDFs: what it costs to serve the sales contract when it must be rendered
(WeasyPrint) and when the kept rendering is served. Run: `.venv/bin/python
bench/pdf_documents.py` (about half a minute); writes bench/results/pdf_documents.json.

It builds a throw-away SQLite test database with Django's test machinery, an order
through the real inquiry API and acceptance, then times
GET /api/v1/orders/{number}/documents/contract.pdf as the buyer: uncached (the kept
document deleted before each request) and cached. Medians of N requests."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ex1000.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

UNCACHED_RUNS = 7
CACHED_RUNS = 50


def main() -> None:
    import logging

    import django
    from django.conf import settings

    django.setup()
    for noisy in ("weasyprint", "fontTools", "axes"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    media = Path(tempfile.mkdtemp(prefix="ex1000-bench-"))
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media / "private", "base_url": None},
        },
    }
    settings.MEDIA_ROOT = media / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.orders.builders import accepted_order

        from ex1000.orders.models import OrderDocument

        order = accepted_order(quantity=2)
        client = Client()
        client.force_login(order.buyer)
        url = f"/api/v1/orders/{order.number}/documents/contract.pdf?lang=en"

        def get() -> float:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200 and body.startswith(b"%PDF"), response
            return elapsed

        get()  # warm-up: WeasyPrint's import, fonts, templates
        uncached = []
        for _ in range(UNCACHED_RUNS):
            OrderDocument.objects.filter(order=order, generated=True).delete()
            uncached.append(get())
        cached = [get() for _ in range(CACHED_RUNS)]
        size = OrderDocument.objects.get(order=order, kind="contract", language="en").size
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    rows = [
        {
            "case": "contract PDF, uncached (rendered by WeasyPrint and kept)",
            "runs": UNCACHED_RUNS,
            "median_ms": round(statistics.median(uncached) * 1000, 1),
            "min_ms": round(min(uncached) * 1000, 1),
        },
        {
            "case": "contract PDF, cached (the kept file served)",
            "runs": CACHED_RUNS,
            "median_ms": round(statistics.median(cached) * 1000, 2),
            "min_ms": round(min(cached) * 1000, 2),
        },
    ]
    speedup = statistics.median(uncached) / statistics.median(cached)
    print(f"{'case':58} {'median ms':>10} {'min ms':>8}")
    for row in rows:
        print(f"{row['case']:58} {row['median_ms']:>10} {row['min_ms']:>8}")
    print(f"cached is {speedup:.0f}× faster; PDF size {size} bytes")

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "database": "sqlite (in memory, Django test database)",
        "vehicles_on_contract": len(order.items),
        "pdf_bytes": size,
        "speedup": round(speedup, 1),
        "results": rows,
    }
    out = ROOT / "bench" / "results" / "pdf_documents.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
