"""Redis as a cache that may go away: with Redis down the site keeps serving (a miss on
read, nothing on write), the outage is logged, and it heals by itself when Redis is back.
Sessions live in the database (cached_db), so nobody is logged out by it either."""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrading(default):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError:
                logger.warning("cache unavailable (%s): served without it", method.__name__)
                return default(*args, **kwargs) if callable(default) else default

        return call

    return wrap


def _default_arg(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    get = _degrading(_default_arg)(RedisCache.get)
    get_many = _degrading({})(RedisCache.get_many)
    has_key = _degrading(False)(RedisCache.has_key)
    set = _degrading(None)(RedisCache.set)
    set_many = _degrading([])(RedisCache.set_many)
    add = _degrading(False)(RedisCache.add)
    touch = _degrading(False)(RedisCache.touch)
    delete = _degrading(False)(RedisCache.delete)
    delete_many = _degrading(None)(RedisCache.delete_many)
    incr = _degrading(0)(RedisCache.incr)
    clear = _degrading(None)(RedisCache.clear)
