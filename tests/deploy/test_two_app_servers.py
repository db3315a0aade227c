"""Two app servers, one PostgreSQL (docs/deploy.md, “More than one machine”): a user logged in
through one is logged in on the other (signed-cookie sessions, the same SECRET_KEY: nothing
kept in a process), and a change made through one is seen through the other at once (the data
and the data version live in the database; page caches are keyed by that version). Both share
the page cache through Redis (YUANQU_CACHE_URL): a report preview built by one is served by the
other from there.

Runs in the suite's PostgreSQL pass (it needs the server at 127.0.0.1:5432 and makes its own
database, and Redis at 127.0.0.1:6379); on a laptop without them it skips."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from tests.deploy.test_redis_cache import redis_listening
from tests.helpers import ROOT, require

PG = "postgres://postgres@127.0.0.1:5432"

SEED = """
from decimal import Decimal
from django.core.management import call_command
from yuanqu.accounts.models import Role, User
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports.models import DataSlice
from yuanqu.registry.models import Park, Region
from yuanqu.registry.services import enterprise_create
region = Region.objects.create(code="TWO-CITY", name="双机市", level="city")
park = Park.objects.create(code="TWO", name="双机园区", region=region)
User.objects.create_superuser("ops", password="两台服务器2026!", role=Role.ADMIN)
e = enterprise_create(credit_code="91000000000000001N", name="双机企业", park=park)
EnterpriseReport.objects.create(
    enterprise=e, park=park, year=2022, month=12, unit="万元",
    output_ytd=Decimal("12345.6"), output_ytd_ly=Decimal("10000"),
)
DataSlice.objects.create(kind="enterprise-reports", park=park, year=2022, month=12, status="reviewed")
call_command("summaries", "rebuild", verbosity=0)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory) -> Iterator[tuple[str, str, bool]]:
    if not os.environ.get("YUANQU_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass of the suite (YUANQU_DATABASE_URL=postgres://…)")
    ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False)
    require(ready.returncode == 0, "PostgreSQL is not listening on 127.0.0.1:5432")
    # The page cache shared through Redis, as on several machines (docs/deploy.md); without
    # Redis each server keeps its own, and only the shared-cache test skips.
    redis_up = redis_listening()
    name = f"yuanqu_two_{uuid.uuid4().hex[:8]}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", "postgres", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    var = tmp_path_factory.mktemp("two-var")
    env = {
        **os.environ,
        "YUANQU_DATABASE_URL": f"{PG}/{name}",
        "YUANQU_SECRET_KEY": "two-servers-" + "k" * 50,
        "YUANQU_VAR_DIR": str(var),
        "YUANQU_DEBUG": "0",
        "YUANQU_TASKS_BACKEND": "immediate",
        "YUANQU_SERVER_TIMING_DB": "1",  # each response says how many queries it made
    }
    if redis_up:
        env["YUANQU_CACHE_URL"] = "redis://127.0.0.1:6379/0"
        env["YUANQU_CACHE_PREFIX"] = name  # this run's keys only
    manage = [sys.executable, "manage.py"]
    servers: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True)
        urls = []
        for _ in range(2):
            port = _free_port()
            servers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "config.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait(url)
        yield urls[0], urls[1], redis_up
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)
        if redis_up:
            _forget_keys(name)


def _forget_keys(prefix: str) -> None:
    import redis

    store = redis.Redis(host="127.0.0.1", port=6379, db=0)
    stale = list(store.scan_iter(match=f"{prefix}:*"))
    if stale:
        store.delete(*stale)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not start")


class Browser:
    """A cookie jar and forms with their CSRF token, for any of the servers."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode()

    def login(self, server: str) -> None:
        url = f"{server}/accounts/login/"
        self.post(url, url, {"username": "ops", "password": "两台服务器2026!"})

    def queries(self, url: str) -> int:
        """The page's database queries, from its `Server-Timing` header."""
        with self.opener.open(url, timeout=30) as response:
            response.read()
            timing = response.headers["Server-Timing"]
        found = re.search(r'desc="(\d+) queries"', timing)
        assert found, timing
        return int(found.group(1))

    def post(self, url: str, form_url: str, data: dict[str, str]) -> str:
        page = self.get(form_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no form on {form_url}"
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": form_url})
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()


def test_a_session_and_a_change_made_through_one_server_are_seen_by_the_other(two_servers):
    a, b, _ = two_servers
    browser = Browser()
    browser.login(a)
    # logged in through A, the same cookie is a session on B (nothing kept in A's process)
    assert "ops" in browser.get(f"{b}/accounts/tokens/")
    name = f"双机令牌-{uuid.uuid4().hex[:6]}"
    assert name not in browser.get(f"{b}/accounts/tokens/")
    browser.post(f"{a}/accounts/tokens/new/", f"{a}/accounts/tokens/", {"name": name})
    assert name in browser.get(f"{b}/accounts/tokens/")  # written through A, read through B
    # The report preview is cached (in Redis, shared, or in each process) under the data version: B builds and
    # keeps it, A changes the draft's text (a data write: the version in the database goes up),
    # and B does not serve what it kept.
    preview = f"{b}/reports/?park=TWO&kind=annual&year=2022"
    before = browser.get(preview)
    assert "1.23亿元" in before and "事非经过不知难" in before
    article = re.compile(r'<article class="report-preview">.*?</article>', re.S)
    assert article.search(browser.get(preview)).group(0) == article.search(before).group(0)
    thanks = "感谢两台服务器上的同事。"
    browser.post(
        f"{a}/reports/draft/block/",
        f"{a}/reports/draft/?park=TWO&year=2022",
        {"park": "TWO", "year": "2022", "key": "text:thanks", "text": thanks},
    )
    after = browser.get(preview)
    assert thanks in after and "事非经过不知难" not in after


def test_a_page_built_by_one_server_is_served_by_the_other_from_the_shared_cache(two_servers):
    a, b, redis_up = two_servers
    require(redis_up, "Redis is not listening on 127.0.0.1:6379")
    browser = Browser()
    browser.login(a)
    # a write through A: a new data version, which no server has built the preview for
    browser.post(
        f"{a}/reports/draft/block/",
        f"{a}/reports/draft/?park=TWO&year=2022",
        {"park": "TWO", "year": "2022", "key": "text:thanks", "text": "缓存在 Redis 里。"},
    )
    preview = "/reports/?park=TWO&kind=annual&year=2022"
    built = browser.queries(f"{b}{preview}")  # B builds the report and puts it in Redis
    served = browser.queries(f"{a}{preview}")  # A finds it there: no report queries
    assert served < built, (served, built)
    assert "缓存在 Redis 里。" in browser.get(f"{a}{preview}")
