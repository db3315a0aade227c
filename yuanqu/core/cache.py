"""The shared page cache on Redis (YUANQU_CACHE_URL=redis://…, docs/deploy.md).

Everything the platform caches is computed from the database and keyed by the data version
(`core.versions`), so the cache is an optimisation only: a Redis that does not answer must cost
a re-computation, not an error page on every app server. Django's RedisCache raises instead;
this one treats a failed read as a miss and a failed write as done, and logs it (at most once a
minute per process).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60.0
_last_warning = 0.0


def _warn(exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        log.warning("Redis cache unavailable, computing without it: %s", exc)


class TolerantRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _warn(exc)
            return default

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            _warn(exc)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except RedisError as exc:
            _warn(exc)
            return True  # as if this process were the first: the caller does its work
