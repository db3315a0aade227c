"""Idle session timeout without a database write on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

TOUCHED = "_yuanqu_touched"
# How stale the stored expiry may get: the idle timeout is met to within this many seconds.
TOUCH_EVERY_SECONDS = 60


class SessionIdleMiddleware:
    """Renews the session's expiry (SESSION_COOKIE_AGE, the idle timeout) while it is in use.

    SESSION_SAVE_EVERY_REQUEST would do it with an UPDATE on every request — every htmx poll
    included — and on SQLite each one waits for the write lock while an import commits. Saving
    at most once a minute keeps the timeout (to the minute) and reads stay reads. Placed after
    SessionMiddleware, so its response phase runs first and the save happens there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request already loaded: never a query just to renew it.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(TOUCHED, 0)) >= TOUCH_EVERY_SECONDS:
                session[TOUCHED] = now
        return response


@receiver(user_logged_in)
def _touch_on_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    # A fresh login is saved anyway; marking it avoids a second save on the next request.
    session = getattr(request, "session", None)
    if session is not None:
        session[TOUCHED] = int(time.time())
