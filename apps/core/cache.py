"""The shared cache (Redis), failing open.

Everything siaks keeps in the cache is disposable: rate-limit counters (DRF throttles and
apps.core.ratelimit), the relay's heartbeat, memoised reference data. When Redis is down, a cache
call behaves like a miss instead of raising, so no request turns into a 500 — the API's
throttles then let requests through rather than lock everyone out. After a failure the client
stops trying for a few seconds (a circuit breaker), so an unreachable Redis does not add a
connect timeout to every cache call of every request; the first call after the pause tries
again, and the cache is back without a restart.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5.0


class _Breaker:
    def __init__(self) -> None:
        self.open_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, exc: Exception) -> None:
        with self.lock:
            if not self.is_open():
                logger.warning("cache Redis unavailable (%s: %s); failing open for %ss", type(exc).__name__, exc,
                               PAUSE_SECONDS)  # fmt: skip
            self.open_until = time.monotonic() + PAUSE_SECONDS


def _fail_open(fallback):
    """Run the client method; on a Redis or socket error return ``fallback(*args)``."""

    def decorator(method):
        def wrapper(self, *args, **kwargs):
            import redis

            if self._breaker.is_open():
                return fallback(*args)
            try:
                return method(self, *args, **kwargs)
            except (redis.RedisError, OSError) as exc:
                self._breaker.trip(exc)
                return fallback(*args)

        wrapper.__name__ = method.__name__
        return wrapper

    return decorator


class FailOpenRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._breaker = _Breaker()

    # What a miss looks like for each call.
    add = _fail_open(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _fail_open(lambda key, default: default)(RedisCacheClient.get)
    set = _fail_open(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _fail_open(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _fail_open(lambda key: False)(RedisCacheClient.delete)
    get_many = _fail_open(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _fail_open(lambda key: False)(RedisCacheClient.has_key)
    incr = _fail_open(lambda key, delta: delta)(RedisCacheClient.incr)
    set_many = _fail_open(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = _fail_open(lambda keys: None)(RedisCacheClient.delete_many)
    clear = _fail_open(lambda: False)(RedisCacheClient.clear)


class FailOpenRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache whose calls degrade to misses when Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient
