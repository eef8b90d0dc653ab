"""Fixed-window counters in the cache (Redis when REDIS_URL is set, else per process): how
often one key (an IP, a user) may do one thing. If the cache is down the limit is not
applied — a rate limit must never turn an answer into a 500."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(bucket: str, key: str, window: int) -> tuple[str, int]:
    now = int(time.time())
    return f"ratelimit:{bucket}:{key}:{now // window}", window - now % window


def count(bucket: str, key: str, window: int) -> int:
    """Hits of ``key`` in the current window of ``bucket``."""
    cache_key, _left = _key(bucket, key, window)
    try:
        return int(cache.get(cache_key) or 0)
    except Exception:  # the cache is down: no limit rather than an error
        logger.warning("rate limit %s: cache unavailable", bucket, exc_info=True)
        return 0


def retry_after(bucket: str, key: str, *, limit: int, window: int) -> int | None:
    """Seconds until ``key`` may go on, if it already used its ``limit``; else None."""
    if count(bucket, key, window) < limit:
        return None
    return _key(bucket, key, window)[1]


def hit(bucket: str, key: str, *, window: int) -> int:
    """Count one more; the new count of the window."""
    cache_key, left = _key(bucket, key, window)
    try:
        cache.add(cache_key, 0, timeout=left + 1)
        try:
            return int(cache.incr(cache_key))
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=left + 1)
            return 1
    except Exception:
        logger.warning("rate limit %s: cache unavailable", bucket, exc_info=True)
        return 0


def consume(bucket: str, key: str, *, limit: int, window: int) -> int | None:
    """Count this request; the seconds to wait when it is over ``limit``, else None."""
    if hit(bucket, key, window=window) > limit:
        return _key(bucket, key, window)[1]
    return None
