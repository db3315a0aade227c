"""django-axes, fitted to this app: a backend that lets code (not a login form) authenticate
without a request, and a handler whose bookkeeping on a successful login waits at most a
second for SQLite's write lock (a long import holds it) instead of failing the login."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.db import OperationalError
from django.http import HttpRequest

if TYPE_CHECKING:
    from yuanqu.accounts.models import User

log = logging.getLogger(__name__)


class AxesBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no types
    """Every way in for people — the login form, the admin, HTTP Basic — passes the request,
    so axes counts its failures. `authenticate()` called by code without a request (the test
    client's `login`, a script) has no client to count: it is left to the next backend."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class BusyTolerantHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no types
    """Axes' database handler; after a successful login its clean-up (expired and reset
    attempts) is skipped when the database stays locked for a second, so the login goes on.
    Failed logins are still recorded (they wait like any write; a 503 then, never a pass)."""

    def user_logged_in(
        self, sender: type[User], request: HttpRequest, user: User, **kwargs: Any
    ) -> None:
        from yuanqu.core.middleware import LOGIN_WAIT_MS, is_database_busy, short_busy_timeout

        try:
            with short_busy_timeout(LOGIN_WAIT_MS):
                super().user_logged_in(sender, request, user, **kwargs)
        except OperationalError as exc:
            if not is_database_busy(exc):
                raise
            log.warning("database busy: axes bookkeeping for %s skipped", user.get_username())
