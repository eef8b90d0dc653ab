"""The benchmarks that measure over HTTP serve the app the same way: gunicorn from the
project's venv, waited for until it answers. (Apart from _harness.py, which sets up an
in-process test database and must not be imported by these.)"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def start(port: int, env: dict[str, str], *, workers: int, threads: int = 1, timeout: int = 60):
    """gunicorn on 127.0.0.1:``port``, once it answers `/api/v1/incoterms`."""
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "ex1000.wsgi", "--chdir", "src",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--timeout", str(timeout)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(150):
        try:
            answer = requests.get(f"http://127.0.0.1:{port}/api/v1/incoterms", timeout=2)
            if answer.status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")
