"""bench/search_scale.py build (issue 10): the set-based fill gives listings exactly as the
app would keep them — search words equal to search_text_of's, plausible values — so search
right after a build is correct. PostgreSQL only (the script is)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command

from ex1000.catalog.forms import PLAUSIBLE
from ex1000.catalog.models import Vehicle, search_text_of

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "search_scale.py"


def _script():
    spec = importlib.util.spec_from_file_location("search_scale", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_fills_listings_the_app_would_keep(postgres_only, api, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", verbosity=0)
    published = Vehicle.objects.filter(status="published").count()
    script = _script()

    added = script.build(published + 3000, out=lambda line: None)

    assert added == 3000
    built = Vehicle.objects.filter(vin__startswith=script.VIN_PREFIX)
    assert built.count() == 3000
    assert script.build(published + 3000, out=lambda line: None) == 0  # already there
    for vehicle in built.order_by("?")[:200]:
        assert set(vehicle.search_text.split()) == set(search_text_of(vehicle).split()), vehicle
        for field, (low, high) in PLAUSIBLE.items():
            value = getattr(vehicle, field)
            if value is not None:
                assert value >= low and (high is None or value <= high), (field, value)
    assert built.values("make").distinct().count() >= 20
    assert built.filter(steering="RHD").exists()
    # Search reads them at once: a Chinese name, a VIN's last six, the eligibility filter.
    byd = api.get("vehicles", {"q": "比亚迪", "page_size": 5}).json()
    assert byd["count"] == Vehicle.objects.filter(status="published", make="BYD").count()
    car = built.first()
    assert [i["id"] for i in api.get("vehicles", {"q": car.vin[-6:]}).json()["items"]] == [car.pk]


def test_the_readme_table_marks_what_is_over_the_line_and_states_the_machine_speed():
    """`table` reads the recorded JSON: a p95 over 50 ms is marked, each pass's throughput
    and memory stated, and the machine's speed when it was recorded (older runs lack it)."""
    script = _script()
    row = {"query": "make=Toyota", "count": 97000, "count_exact": False, "page_alone_ms": 3.2}
    throughput = {
        "search_mix_per_s": 40.0, "cheapest_per_s": 400.0, "cheapest_endpoint": "/api/v1/x",
        "ratio": 0.1, "clients": 4, "seconds": 15,
    }  # fmt: skip
    recorded = {
        "cold": {"queries": [{**row, "p50_ms": 40.0, "p95_ms": 61.5}], "throughput": throughput,
                 "web_process_rss_mb": [130.0]},
        "warm": {"queries": [{**row, "p50_ms": 4.0, "p95_ms": 5.5}],
                 "throughput": {**throughput, "search_mix_per_s": 300.0, "ratio": 0.75},
                 "web_process_rss_mb": [120.0]},
    }  # fmt: skip

    older = script.table(recorded)
    assert "| `make=Toyota` | ≈ 97,000 | 40.0 | 61.5 ✗ | 4.0 | 5.5 | 3.2 |" in older
    assert "Warm: search mix 300.0/s against 400.0/s" in older and "(ratio 0.75," in older
    assert "Machine speed" not in older

    speed = {"python_loop_ms": 45.0, "sql_ms": 120.0}
    recorded["machine_speed"] = {"before": speed, "after": {**speed, "python_loop_ms": 60.0}}
    assert "a Python loop 45.0 ms before the run, 60.0 ms after" in script.table(recorded)
