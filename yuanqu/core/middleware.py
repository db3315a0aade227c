"""A write lock held elsewhere is a 503 with a Chinese message, never a 500.

On SQLite one writer holds the database at a time; a long import (one transaction, by the
import contract) holds it for minutes. Reads go on (WAL) and other writers wait for the busy
timeout (settings: 20 s); one still waiting after that gets ``OperationalError: database is
locked``. That is not a bug of the request: the user should try again in a moment. This
middleware answers it with 503 and ``Retry-After`` — a short page, or JSON under /api/.

Logging in must not fail at all while an import runs: sessions live in a signed cookie (no
session row to write, config/settings.py) and `update_last_login_tolerant` below skips the
``last_login`` update when the lock is held, instead of failing the login.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import update_last_login
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

if TYPE_CHECKING:
    from yuanqu.accounts.models import User

__all__ = [
    "BUSY_MESSAGE",
    "DatabaseBusyMiddleware",
    "NulCharacterMiddleware",
    "ServerTimingMiddleware",
    "is_database_busy",
    "update_last_login_tolerant",
]

logger = logging.getLogger(__name__)

BUSY_MESSAGE = "系统正在写入数据，请稍后重试"
RETRY_AFTER_SECONDS = 10
# How long a login waits for the write lock before giving up on recording last_login.
LOGIN_WAIT_MS = 1000

_PAGE = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>请稍后重试</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.6">
<h1>{message}</h1>
<p>另一项操作（例如导入大文件）正在写入数据库，本次请求未能完成，也没有写入任何数据。</p>
<p>请稍等片刻后<a href="">刷新页面</a>重试。</p>
</body></html>
"""


def is_database_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is the database saying another connection holds the write lock."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with a Chinese message: JSON for the API, a short page otherwise."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": BUSY_MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(_PAGE.format(message=BUSY_MESSAGE), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """Turns ``OperationalError: database is locked`` raised by a view into `busy_response`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        logger.warning("database busy: %s %s answered 503", request.method, request.path)
        return busy_response(request)


NUL_MESSAGE = "请求参数中含有空字符（%00），无法处理：请检查链接"


class NulCharacterMiddleware:
    """A NUL character in the path or a query parameter is a 400 with a Chinese message.

    PostgreSQL text cannot hold NUL, so any query filtering on such a value (``?park=%00``)
    raised ``DataError`` — a 500 on PostgreSQL only. No valid parameter contains one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": NUL_MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponse(
                f"<!doctype html><meta charset=utf-8><h1>{NUL_MESSAGE}</h1>", status=400
            )
        return self.get_response(request)


@contextmanager
def short_busy_timeout(milliseconds: int) -> Iterator[None]:
    """On SQLite, wait at most ``milliseconds`` for the write lock inside the block."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


def update_last_login_tolerant(sender: type[User], user: User, **kwargs: Any) -> None:
    """Django's `update_last_login`, except that a held write lock does not fail the login.

    ``last_login`` is bookkeeping; the login itself needs no write (signed-cookie sessions).
    So on a busy database it waits one second, then logs a warning and lets the user in.
    Connected in place of Django's receiver by `CoreConfig.ready`.
    """
    try:
        with short_busy_timeout(LOGIN_WAIT_MS):
            update_last_login(sender, user, **kwargs)
    except OperationalError as exc:
        if not is_database_busy(exc):
            raise
        logger.warning("database busy: last_login of %s not recorded", user.get_username())


class _QueryTimer:
    """A database execute wrapper: counts the queries of a request and adds up their time."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class ServerTimingMiddleware:
    """``Server-Timing: app;dur=<ms>`` on every response: the server's own time for the request.

    First in MIDDLEWARE, so the figure covers every other middleware (sessions, authentication,
    CSP) and the view, but not the network or the WSGI server's queueing: the page benchmark
    (benchmarks/pages.py) prints it beside the wall time its clients measure. Browsers show it
    in the developer tools' network panel.

    With ``YUANQU_SERVER_TIMING_DB`` (on by default under YUANQU_DEBUG) it also reports the
    default database's time and query count, ``db;dur=<ms>;desc="<n> queries"``, through an
    execute wrapper (one function call per query). Off in production by default: the figures
    tell an observer how much work a URL costs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.with_db = bool(getattr(settings, "YUANQU_SERVER_TIMING_DB", settings.DEBUG))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        if self.with_db:
            timer = _QueryTimer()
            with connection.execute_wrapper(timer):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        metrics = [f"app;dur={(time.perf_counter() - start) * 1000:.2f}"]
        if self.with_db:
            metrics.append(f'db;dur={timer.seconds * 1000:.2f};desc="{timer.count} queries"')
        existing = response.get("Server-Timing")
        response["Server-Timing"] = ", ".join([*metrics, *([existing] if existing else [])])
        return response
