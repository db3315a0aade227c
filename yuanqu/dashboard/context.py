"""Navigation and the park switcher, for every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from yuanqu.accounts.scopes import parks_for

# (label, url name or None while the module is not built yet)
MODULES: list[tuple[str, str | None]] = [
    ("首页", "home"),
    ("经济运行", "economy:index"),
    ("重点项目", None),
    ("招商引资", None),
    ("土地", None),
    ("资金", None),
    ("企业诉求", None),
    ("督办", None),
    ("报告", "reports:index"),
    ("数据导入", "imports:index"),
]


def current_park_code(request: HttpRequest) -> str:
    return request.GET.get("park") or request.session.get("park", "")


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, name in MODULES:
        url = None
        if name:
            try:
                url = reverse(name)
            except NoReverseMatch:
                url = None
        items.append(
            {
                "label": label,
                "url": url,
                "active": bool(url)
                and (request.path == url or (url != "/" and request.path.startswith(url))),
            }
        )
    parks = list(parks_for(user).only("code", "name").order_by("code")[:200])
    code = current_park_code(request)
    current = next((p for p in parks if p.code == code), parks[0] if parks else None)
    return {"nav_items": items, "nav_parks": parks, "current_park": current}
