"""API authentication: the browser session, or HTTP Basic for scripts and the city platform."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja.security import HttpBasicAuth, SessionAuth


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request: HttpRequest, username: str, password: str):
        user = authenticate(request, username=username, password=password)
        if user is not None and user.is_active:
            request.user = user
            return user
        return None


AUTH = [SessionAuth(), BasicAuth()]
