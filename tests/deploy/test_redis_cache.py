"""The shared page cache (YUANQU_CACHE_URL=redis://…, core.cache): what one app server puts
there another reads, and a Redis that does not answer is a cache miss, not an error page."""

from __future__ import annotations

import logging
import socket
import uuid

from config.settings import cache_from_url
from tests.helpers import require
from yuanqu.core import cache as tolerant
from yuanqu.core.cache import TolerantRedisCache


def _cache(url: str, prefix: str) -> TolerantRedisCache:
    params = cache_from_url(url)
    return TolerantRedisCache(params["LOCATION"], {**params, "KEY_PREFIX": prefix})


def redis_listening() -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


def test_two_servers_share_what_they_cache():
    require(redis_listening(), "Redis is not listening on 127.0.0.1:6379")
    prefix = f"yuanqu-test-{uuid.uuid4().hex[:8]}"
    one, other = (
        _cache("redis://127.0.0.1:6379/0", prefix),
        _cache("redis://127.0.0.1:6379/0", prefix),
    )
    try:
        one.set("reports:preview:1:42", {"html": "<p>一季度</p>"}, 60)
        assert other.get("reports:preview:1:42") == {"html": "<p>一季度</p>"}
        assert one.add("token-refused:7", 1, 60) is True
        assert other.add("token-refused:7", 1, 60) is False  # throttled across servers
    finally:
        one.delete("reports:preview:1:42")
        one.delete("token-refused:7")


def test_a_redis_that_does_not_answer_is_a_miss(caplog, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = _cache(f"redis://127.0.0.1:{port}/0", "yuanqu-down")
    monkeypatch.setattr(tolerant, "_last_warning", 0.0)
    with caplog.at_level(logging.WARNING, logger="yuanqu.core.cache"):
        assert down.get("anything", "默认") == "默认"
        down.set("anything", 1, 60)  # no error
        assert down.add("anything", 1, 60) is True
    warnings = [r for r in caplog.records if "Redis cache unavailable" in r.getMessage()]
    assert len(warnings) == 1  # once a minute, not once a call
