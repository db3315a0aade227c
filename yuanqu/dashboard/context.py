"""Navigation and the park switcher, for every page."""

from __future__ import annotations

from typing import Any

import rules
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from yuanqu.accounts.models import Role
from yuanqu.accounts.scopes import parks_for
from yuanqu.core.modules import nav_entries, resolve


def current_park_code(request: HttpRequest) -> str:
    return request.GET.get("park") or request.session.get("park", "")


def nav_items(request: HttpRequest, park: Any) -> list[dict[str, Any]]:
    """The installed modules' navigation entries this user may open (ModuleSpec.nav): an
    enterprise user only the entries marked for it, others those whose permission holds for
    the current park; an entry whose page does not resolve (module not installed) is left out."""
    user = request.user
    enterprise = user.role == Role.ENTERPRISE
    items = []
    # One answer per permission: most entries ask the same one (read_park), one query each.
    answers: dict[str, bool] = {}
    for entry in nav_entries():
        if entry.url_name is None or (enterprise and not entry.enterprise):
            continue
        # rules' own check, not user.has_perm: Django answers True to every superuser's
        # has_perm, and an administrator has no 本企业 page.
        if entry.permission:
            if entry.permission not in answers:
                answers[entry.permission] = rules.has_perm(entry.permission, user, park)
            if not answers[entry.permission]:
                continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        # The count beside the entry (unread reminders): its own query, once a request since
        # the navigation is kept on the request.
        badge = resolve(entry.badge)(user=user) if entry.badge else 0
        items.append({"label": entry.label, "url": url, "active": active, "badge": badge})
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Worked out once a request: the cockpit asks for the current park, then the layout's
    # context processor for the whole navigation (each permission check is a query).
    found: dict[str, Any] | None = getattr(request, "_yuanqu_navigation", None)
    if found is not None:
        return found
    parks = list(parks_for(user).only("code", "name").order_by("code")[:200])
    code = current_park_code(request)
    current = next((p for p in parks if p.code == code), parks[0] if parks else None)
    found = {"nav_items": nav_items(request, current), "nav_parks": parks, "current_park": current}
    request._yuanqu_navigation = found  # type: ignore[attr-defined]
    return found
