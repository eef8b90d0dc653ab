"""What the in-process benchmarks share: a throw-away settings environment (SQLite in a
temporary folder unless DATABASE_URL names another database), a test database around the
run, and the result recorded per database vendor in bench/results/<name>.json.

Import it before Django: it sets the environment the settings read."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ex1000.settings")
TMP = tempfile.mkdtemp(prefix="ex1000-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ["VAR_DIR"] = TMP
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ["ACCESS_LOG_ENABLED"] = "0"  # measured on its own in bench/access_log.py


def run_recorded(name: str, run: Callable[[], dict]) -> dict:
    """``run()`` in a fresh test database; its result (with a ``database`` key) merged
    into bench/results/<name>.json under that database, and printed."""
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment(debug=False)
    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):
        default.setdefault("TEST", {})["NAME"] = f"{TMP}/test_bench.sqlite3"
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        result = run()
    finally:
        runner.teardown_databases(old)
    out = ROOT / f"bench/results/{name}.json"
    recorded = json.loads(out.read_text()) if out.exists() else {}
    recorded[result["database"]] = result
    out.write_text(json.dumps(recorded, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return result
