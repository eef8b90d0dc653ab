"""Settings that depend on the environment, read as a fresh process would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _setting(name: str, **env: str) -> str:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", f"import ex1000.settings as s; print(repr(s.{name}))"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize(
    ("count", "header"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")]
)
def test_x_forwarded_proto_is_believed_only_behind_a_proxy_of_ours(count, header):
    assert _setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT=count) == header


def test_make_run_points_site_url_at_its_host_and_port():
    shown = subprocess.run(
        [
            "make",
            "-s",
            "--eval",
            "show-site-url: ; @echo $(SITE_URL)",
            "show-site-url",
            "HOST=0.0.0.0",
            "PORT=8123",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
        check=True,
    ).stdout.strip()
    assert shown == "http://0.0.0.0:8123"
