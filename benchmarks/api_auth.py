"""API authentication cost: one API route called N times in-process with HTTP Basic, with an API
token (Bearer) and with a browser session, for the same user.

    uv run python benchmarks/api_auth.py [--calls 20] [--fast-calls 200] [--route /api/v1/parks]
                                         [--default-db]

By default a fresh SQLite database in a temporary folder (`--default-db`: the configured one),
holding one region, four parks and a 市级用户 whose password is hashed with the production
hasher (Django's PBKDF2) — the cost Basic pays on every call. Each way is warmed up once, then
timed over N calls (Basic) or M calls (token, session) with Django's test client (no network, no
server: the figure is the request's own work). Prints ms per call (median, mean, min, max), the
queries of one call, and the ratio Basic ÷ Bearer of the medians and of the minimums (the
minimum is the least disturbed by other work on a shared machine). Run by hand; not part of
the test suite, no assertions.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USERNAME = "bench_city"
PASSWORD = "Bench-2024-secure"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20, help="calls with Basic (default 20)")
    parser.add_argument(
        "--fast-calls", type=int, default=200, help="calls with a token and a session (default 200)"
    )
    parser.add_argument("--route", default="/api/v1/parks", help="a GET route of the API")
    parser.add_argument("--default-db", action="store_true", help="use the configured database")
    args = parser.parse_args()
    tmp = None
    if not args.default_db:
        tmp = tempfile.mkdtemp(prefix="yuanqu_api_auth_")
        os.environ["YUANQU_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["YUANQU_VAR_DIR"] = tmp
    try:
        run(args.calls, args.fast_calls, args.route)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _timed(call: Callable[[], int], n: int) -> list[float]:
    status = call()  # warm-up: the first call of each way loads code and caches
    if status != 200:
        raise SystemExit(f"warm-up answered {status}")
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        status = call()
        times.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise SystemExit(f"a call answered {status}")
    return times


def run(calls: int, fast_calls: int, route: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from yuanqu.accounts.models import ApiToken, Role, User
    from yuanqu.accounts.tokens import token_create
    from yuanqu.registry.models import Park, Region

    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(
        code="BENCH-CITY", defaults={"name": "测试市", "level": "city"}
    )
    for i in range(1, 5):
        Park.objects.get_or_create(
            code=f"BENCH{i}", defaults={"name": f"测试园区{i}", "region": region}
        )
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(USERNAME, password=PASSWORD, role=Role.CITY, region=region)
    ApiToken.objects.filter(owner=user, name="基准测试").delete()
    _token, secret = token_create(actor=None, owner=user, name="基准测试")

    basic_header = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    client = Client()

    def with_basic() -> int:
        return client.get(route, HTTP_AUTHORIZATION=basic_header).status_code

    def with_token() -> int:
        return client.get(route, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code

    session = Client()
    session.force_login(user)

    def with_session() -> int:
        return session.get(route).status_code

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    print(f"route {route}, database {settings.DATABASES['default']['ENGINE']}")
    print(f"password hasher: {hasher}")
    medians, minimums = {}, {}
    for label, call, n in (
        ("HTTP Basic", with_basic, calls),
        ("Bearer token", with_token, fast_calls),
        ("session", with_session, fast_calls),
    ):
        times = _timed(call, n)
        with CaptureQueriesContext(connection) as queries:
            call()
        medians[label], minimums[label] = statistics.median(times), min(times)
        print(
            f"{label:<13} {n:4d} calls  median {statistics.median(times):8.2f} ms/call"
            f"  mean {statistics.fmean(times):8.2f}  min {min(times):8.2f}"
            f"  max {max(times):8.2f}  queries {len(queries)}"
        )
    print(
        f"Basic ÷ Bearer: {medians['HTTP Basic'] / medians['Bearer token']:.0f}× (medians), "
        f"{minimums['HTTP Basic'] / minimums['Bearer token']:.0f}× (minimums); "
        f"Bearer − session: {medians['Bearer token'] - medians['session']:+.2f} ms (medians)"
    )


if __name__ == "__main__":
    main()
