"""Access records written off the request path (privacy.md, "automatically collected
information").

The middleware only appends a small tuple to a per-process buffer; a background thread
wakes every ``ACCESS_LOG_FLUSH_SECONDS`` (or as soon as ``ACCESS_LOG_BATCH`` hits are
waiting), parses the User-Agents and writes them with one ``bulk_create``. The buffer is
bounded (``ACCESS_LOG_MAX_BUFFER``: the oldest hits are dropped when the database is away
for long), flushed once more at normal interpreter exit, and a failing write is retried
once, then dropped with a log line — logging never breaks a request.

With ``ACCESS_LOG_BACKGROUND = False`` (the test suite) nothing is written until
``flush()`` is called, which tests do synchronously.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection, connections, transaction

logger = logging.getLogger(__name__)

PATH_MAX = 300
CHUNK = 25  # rows per INSERT statement
REFERRER_MAX = 300


@dataclass(slots=True)
class Hit:
    """What the request path hands over: raw values only, parsed later by the writer."""

    at: datetime
    user_id: object
    ip: str | None
    user_agent: str
    method: str
    path: str
    status: int
    referrer: str
    attempts: int = 0


def _setting(name: str, default):
    return getattr(settings, name, default)


_buffer: deque[Hit] = deque(maxlen=int(_setting("ACCESS_LOG_MAX_BUFFER", 50_000)))
_wake = threading.Event()
_flush_lock = threading.Lock()
_writer: threading.Thread | None = None
_writer_pid: int | None = None
_start_lock = threading.Lock()


def record(hit: Hit) -> None:
    """Queue one hit (cheap: an append and, at most, a wake-up of the writer)."""
    _buffer.append(hit)
    if not _setting("ACCESS_LOG_BACKGROUND", True):
        return
    _ensure_writer()
    if len(_buffer) >= _setting("ACCESS_LOG_BATCH", 200) and not _wake.is_set():
        _wake.set()


def pending() -> int:
    return len(_buffer)


def discard() -> None:
    """Forget what is buffered (tests start from an empty buffer)."""
    _buffer.clear()


def flush() -> int:
    """Write the hits buffered when called; returns how many access records were written."""
    written = 0
    with _flush_lock:
        # Only what is waiting now: chasing the hits that arrive meanwhile would write
        # them a few at a time, each small batch paying a whole transaction.
        left = len(_buffer)
        while left > 0 and _buffer:
            batch: list[Hit] = []
            while _buffer and len(batch) < min(left, 1000):
                batch.append(_buffer.popleft())
            left -= len(batch)
            try:
                written += _write(batch)
            except Exception:
                retry = [hit for hit in batch if hit.attempts == 0]
                for hit in retry:
                    hit.attempts += 1
                logger.exception(
                    "access log: writing %d records failed (%d kept for one retry)",
                    len(batch),
                    len(retry),
                )
                _buffer.extendleft(reversed(retry))
                break
    return written


COLUMNS = (
    "user_id",
    "at",
    "ip",
    "browser",
    "os",
    "device",
    "device_type",
    "method",
    "path",
    "status",
    "referrer",
)


def _write(batch: list[Hit]) -> int:
    """Multi-row INSERTs (COPY on PostgreSQL), values adapted by the backend's own
    operations, in one transaction.

    Not ``bulk_create``: building a model instance per hit cost the writer ~50 µs a
    record, held under the GIL that the process's requests need (bench/access_log.py)."""
    from .models import AccessRecord  # the app registry is ready by the first flush

    user_model = get_user_model()
    ids = set()
    for hit in batch:
        if hit.user_id is not None:
            try:
                hit.user_id = user_model._meta.pk.to_python(hit.user_id)
            except Exception:  # a session holding garbage: record the hit without a user
                hit.user_id = None
            else:
                ids.add(hit.user_id)
    # A user erased between the request and the flush: keep the hit, without the user.
    known = set(user_model.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else ()
    ops = connection.ops
    table = ops.quote_name(AccessRecord._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in COLUMNS)
    one_row = f"({', '.join(['%s'] * len(COLUMNS))})"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one round trip, rows encoded in C
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for hit in batch:
                    copy.write_row(_row(hit, known, ops))
            return len(batch)
        # Small chunks, each followed by a GIL hand-over: a request thread of this process
        # waits at most one chunk's work (~0.1 ms), not the 5 ms switch interval.
        for start in range(0, len(batch), CHUNK):
            chunk = [_row(hit, known, ops) for hit in batch[start : start + CHUNK]]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(chunk))}",
                [value for row in chunk for value in row],
            )
            time.sleep(0)
    return len(batch)


def _row(hit: Hit, known, ops) -> tuple:
    browser, os_name, device, device_type = parse_user_agent(hit.user_agent)
    return (
        hit.user_id if hit.user_id in known else None,
        ops.adapt_datetimefield_value(hit.at),
        ops.adapt_ipaddressfield_value(hit.ip),
        browser,
        os_name,
        device,
        str(device_type),
        hit.method[:10],
        hit.path[:PATH_MAX],
        hit.status,
        strip_query(hit.referrer)[:REFERRER_MAX],
    )


def _ensure_writer() -> None:
    global _writer, _writer_pid
    pid = os.getpid()
    if _writer is not None and _writer_pid == pid and _writer.is_alive():
        return
    with _start_lock:
        if _writer is not None and _writer_pid == pid and _writer.is_alive():
            return
        if _writer_pid not in (None, pid):  # a forked worker: the parent's hits are not ours
            _buffer.clear()
        _writer = threading.Thread(target=_run_writer, name="access-log-writer", daemon=True)
        _writer_pid = pid
        _writer.start()


def stop_writer(timeout: float = 5.0) -> None:
    """Stop the background writer (it flushes what is waiting first)."""
    global _writer
    writer, _writer = _writer, None
    if writer is not None and writer.is_alive():
        writer.stopping = True  # type: ignore[attr-defined]
        _wake.set()
        writer.join(timeout)


def _run_writer() -> None:
    try:
        _writer_loop(threading.current_thread())
    finally:  # this thread's own database connections, which nothing else would close
        connections.close_all()


def _writer_loop(me: threading.Thread) -> None:
    while True:
        _wake.wait(_setting("ACCESS_LOG_FLUSH_SECONDS", 2.0))
        _wake.clear()
        stopping = getattr(me, "stopping", False)
        if not stopping and not _setting("ACCESS_LOG_BACKGROUND", True):
            return  # switched off (tests): what is buffered waits for flush()
        if _buffer:
            try:
                close_old_connections()
                flush()
            except Exception:  # the thread must survive anything
                logger.exception("access log writer")
            finally:
                close_old_connections()
        if stopping:
            return


@atexit.register
def _flush_at_exit() -> None:
    if _buffer and _writer is not None and _writer_pid == os.getpid():
        try:
            flush()
        except Exception:
            logger.exception("access log: final flush failed")


def strip_query(url: str) -> str:
    """A referrer without its query and fragment (they may carry another site's data)."""
    if "?" not in url and "#" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


_DESKTOP_OS = {"Windows", "Mac OS X", "Linux", "Ubuntu", "Chrome OS", "Fedora", "FreeBSD"}


@lru_cache(maxsize=2048)
def parse_user_agent(user_agent: str) -> tuple[str, str, str, str]:
    """(browser, operating system, device, device type) of a User-Agent, via ua-parser."""
    from .models import DeviceType

    if not user_agent:
        return "", "", "", DeviceType.OTHER
    import ua_parser

    result = ua_parser.parse(user_agent)
    browser = _name(result.user_agent.family, result.user_agent.major) if result.user_agent else ""
    os_name = _name(result.os.family, result.os.major) if result.os else ""
    family = result.device.family if result.device else ""
    os_family = result.os.family if result.os else ""
    if family == "Spider":
        kind = DeviceType.BOT
    elif (
        "iPad" in family
        or "Tablet" in user_agent
        or (os_family == "Android" and "Mobile" not in user_agent)
    ):
        kind = DeviceType.TABLET
    elif "Mobi" in user_agent or os_family in {"iOS", "Android"}:
        kind = DeviceType.MOBILE
    elif os_family in _DESKTOP_OS:
        kind = DeviceType.DESKTOP
    else:
        kind = DeviceType.OTHER
    device = "" if family in {"Other", "Spider"} else family
    return browser[:100], os_name[:100], device[:100], kind


def _name(family: str | None, major: str | None) -> str:
    if not family or family == "Other":
        return ""
    return f"{family} {major}" if major else family
