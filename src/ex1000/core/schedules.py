"""Scheduled jobs: each app registers its periodic work here (from its AppConfig.ready);
``manage.py run_schedules`` runs them all, once (cron, a systemd timer) or every N
seconds (a long-running worker), or enqueues them as a django-tasks task. Every job must
be idempotent: running it twice, or from two hosts, changes nothing the second time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django_tasks import task

logger = logging.getLogger(__name__)

JOBS: dict[str, Callable[[], Any]] = {}


def register(name: str, job: Callable[[], Any]) -> None:
    JOBS[name] = job


def run_all(names: list[str] | None = None) -> dict[str, Any]:
    """Run the jobs (all, or those named); one failing job does not stop the others."""
    results: dict[str, Any] = {}
    for name, job in JOBS.items():
        if names and name not in names:
            continue
        try:
            results[name] = job()
        except Exception:  # reported, and the next job still runs
            logger.exception("scheduled job %s failed", name)
            results[name] = "failed"
    return results


@task()
def run_schedules_task(names: list[str] | None = None) -> dict[str, Any]:
    return {name: repr(result) for name, result in run_all(names).items()}
