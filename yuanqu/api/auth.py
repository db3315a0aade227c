"""API authentication: the browser session, or HTTP Basic for scripts and the city platform."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from ninja.security import HttpBasicAuth, SessionAuth

# What a 401 asks for (RFC 7617); charset tells clients to send a UTF-8 username and password.
WWW_AUTHENTICATE = 'Basic realm="yuanqu", charset="UTF-8"'


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        # The request goes to authenticate() so that django-axes counts failures by username+IP
        # and refuses a locked-out pair before the password is even checked.
        user = authenticate(request, username=username, password=password)
        if user is not None and user.is_active:
            request.user = user
            return user
        return None


BASIC = BasicAuth()
AUTH = [SessionAuth(), BASIC]


def docs_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """/api/v1/docs and /api/v1/openapi.json: a logged-in session, or HTTP Basic credentials (so
    a script can still fetch the schema: `curl -u user:pass …/openapi.json`); anyone else is sent
    to the login page. The schema lists every route and parameter, which strangers need not see."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and BASIC(request) is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
