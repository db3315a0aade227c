"""The API is mounted from the module registry (`ModuleSpec.api_router`): every app's Router
is there exactly once, under its declared prefix, and the OpenAPI document holds exactly the
routes the modules bring — nothing lost in moving the list out of yuanqu/api/api.py."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest
from ninja import Router

import yuanqu
from yuanqu.api.api import installed_api
from yuanqu.core.modules import modules

pytestmark = pytest.mark.django_db


def _declared() -> dict[str, tuple[str, Router]]:
    return {m.key: (m.api_router.prefix, m.api_router.resolve()) for m in modules() if m.api_router}


def test_every_app_router_is_declared_by_its_module() -> None:
    # An app folder with an api.py Router that its module.py forgets would silently have no API.
    root = Path(yuanqu.__file__).parent
    apps_with_router = {
        p.parent.name for p in root.glob("*/api.py") if "\nrouter = Router(" in p.read_text()
    }
    routers = {id(router) for _, router in _declared().values()}
    found = {
        name
        for name in apps_with_router
        if id(import_module(f"yuanqu.{name}.api").router) in routers
    }
    assert found == apps_with_router and len(routers) == len(apps_with_router) >= 10


def test_api_mounts_each_router_once_in_installed_order() -> None:
    api = installed_api()
    assert installed_api() is api  # built once for a set of modules
    mounted = [(p, id(r)) for p, r in api._routers if r is not api.default_router]
    assert mounted == [(prefix, id(router)) for prefix, router in _declared().values()]
    assert len({rid for _, rid in mounted}) == len(mounted)


def test_openapi_paths_are_exactly_the_modules_routes(admin_client) -> None:
    expected = set()
    for prefix, router in _declared().values():
        for path in router.path_operations:
            full = re.sub(r"/+", "/", f"/api/v1/{prefix}/{path}")
            expected.add(re.sub(r"/$", "", full) if path not in ("", "/") else full)
    served = set(admin_client.get("/api/v1/openapi.json").json()["paths"])
    assert served == expected
    assert {"/api/v1/enterprises", "/api/v1/economy/series", "/api/v1/projects/summary"} <= served
