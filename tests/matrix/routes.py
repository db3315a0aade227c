"""Every route of the site, discovered: Django's URL resolver (the admin and the API's URLs
included) and the NinjaAPI's path operations, each with the policy declared beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from yuanqu.accounts.policy import RoutePolicy, declared_policy

# Routes whose view is not ours and carries no declaration, with the policy they are held to.
# The admin is checked on its own (tests/matrix/test_permission_matrix.py::test_admin_*).
ALLOWED_UNDECLARED: dict[str, RoutePolicy] = {
    "login": RoutePolicy(read="public"),
    "logout": RoutePolicy(read="public"),
    # The API's own pages (root, schema, docs): ninja's views; issue 9 item 14 decides whether
    # they need a login, so the matrix holds them only to "never 5xx" and "admin gets them".
    "api:api-root": RoutePolicy(read="public"),
    "api:openapi-json": RoutePolicy(read="public"),
    "api:openapi-view": RoutePolicy(read="public"),
}
ALLOW_LISTED_PREFIXES = ("static/", "media/", "__debug__/")


@dataclass(frozen=True)
class Route:
    """One method of one URL: `path` is the resolver's route with <converters>."""

    id: str  # "GET /economy/" — a stable test id
    name: str  # "economy:index", "api:get_park", "admin:…"
    path: str  # "/imports/<int:pk>/errors.xlsx"
    methods: tuple[str, ...]  # () for a Django view: GET, and POST if GET answers 405
    kind: str  # "view" | "api" | "admin" | "allowed"
    policy: RoutePolicy | None
    view: Any

    @property
    def kwargs(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.path)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            # An unnamed pattern keeps its namespace ("admin:"), so it is still the admin's.
            name = f"{namespace}:{p.name or ''}" if namespace else (p.name or "")
            yield "/" + prefix + str(p.pattern).lstrip("^").rstrip("$"), name, p.callback


def _ninja_path_view(callback: Any) -> Any:
    for cell in getattr(callback, "__closure__", None) or ():
        if type(cell.cell_contents).__name__ == "PathView":
            return cell.cell_contents
    return None


def discover() -> list[Route]:
    routes: list[Route] = []
    # ninja adds one URL pattern per operation, each serving the path's every method: a path
    # with GET and POST is met twice, and is listed once.
    seen_views: set[int] = set()
    for path, name, callback in _walk(get_resolver().url_patterns):
        if path.lstrip("/").startswith(ALLOW_LISTED_PREFIXES):
            continue
        if path.startswith("/admin/"):
            routes.append(Route(f"ADMIN {path}", name, path, ("GET",), "admin", None, callback))
            continue
        path_view = _ninja_path_view(callback)
        if path_view is not None:
            if id(path_view) in seen_views:
                continue
            seen_views.add(id(path_view))
            for op in path_view.operations:
                for method in op.methods:
                    routes.append(
                        Route(
                            f"{method} {path}",
                            name,
                            path,
                            (method,),
                            "api",
                            declared_policy(op.view_func),
                            op.view_func,
                        )
                    )
            continue
        if name in ALLOWED_UNDECLARED and declared_policy(callback) is None:
            routes.append(
                Route(f"ANY {path}", name, path, (), "allowed", ALLOWED_UNDECLARED[name], callback)
            )
            continue
        routes.append(
            Route(f"ANY {path}", name, path, (), "view", declared_policy(callback), callback)
        )
    return routes


def api_operation_count() -> int:
    """Path operations in the NinjaAPI's own route list (to prove the walk saw them all)."""
    from yuanqu.api.api import installed_api

    api = installed_api()

    count = 0
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                count += len(op.methods)
    return count
