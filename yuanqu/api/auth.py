"""API authentication: the browser session; an API token (`Authorization: Bearer yq_…`) for
scripts and the city platform; or HTTP Basic, which stays for people (it pays password hashing,
~0.4 s, on every call, and django-axes counts its failures)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError
from ninja.security import HttpBasicAuth, HttpBearer, SessionAuth

from yuanqu.accounts.tokens import token_check

# What a 401 asks for (RFC 7617); charset tells clients to send a UTF-8 username and password.
WWW_AUTHENTICATE = 'Basic realm="yuanqu", charset="UTF-8"'
# What a 401 for a refused token says (RFC 6750, section 3).
WWW_AUTHENTICATE_TOKEN = 'Bearer realm="yuanqu", error="invalid_token"'


class TokenRefused(AuthenticationError):
    """A Bearer token that is malformed, unknown, revoked or expired, or whose owner is
    inactive: a 401 whose `detail` says which (api.py's handler)."""

    def __init__(self, detail: str) -> None:
        super().__init__(401, detail)
        self.detail = detail


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        # The request goes to authenticate() so that django-axes counts failures by username+IP
        # and refuses a locked-out pair before the password is even checked.
        user = authenticate(request, username=username, password=password)
        if user is not None and user.is_active:
            request.user = user
            return user
        return None


class BearerAuth(HttpBearer):
    """`Authorization: Bearer yq_<prefix>_<secret>`: the token's owner, exactly as if it had
    logged in — the same access policy and data scope (accounts.tokens). A refused token is a
    401 at once, naming why, rather than falling through to the next scheme: the client meant
    this token. Tokens authenticate the API only; web pages never read this header."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        check = token_check(token, remote_addr=request.META.get("REMOTE_ADDR"))
        if check.user is None:
            raise TokenRefused(check.refusal)
        request.user = check.user
        return check.user


BASIC = BasicAuth()
BEARER = BearerAuth()
# A token first: a request that presents one is answered as that token (refused when it is
# bad, even if the same client also carries a session cookie); then the browser session; then
# Basic (which hashes). Each scheme passes when its credentials are absent.
AUTH = [BEARER, SessionAuth(), BASIC]


def _script_user(request: HttpRequest) -> Any:
    """A token's or Basic credentials' user for the docs and schema, or None."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        try:
            return BEARER(request)
        except TokenRefused:
            return None
    return BASIC(request)


def docs_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """/api/v1/docs and /api/v1/openapi.json: a logged-in session, an API token or HTTP Basic
    credentials (so a script can still fetch the schema:
    `curl -H "Authorization: Bearer yq_…" …/openapi.json`); anyone else is sent to the login
    page. The schema lists every route and parameter, which strangers need not see."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and _script_user(request) is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
