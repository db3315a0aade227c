"""碳排放's API Router: mounted on the one NinjaAPI under /api/v1/carbon by its module.py
(`ModuleSpec.api_router`), like every module's."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tests.plugin_module.importers import IMPORTED
from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy

router = Router(tags=["碳排放"])


@router.get("/watched", summary="碳排放重点监测企业")
@route_policy(read="park_wide")
def watched(request: HttpRequest, park: str) -> dict[str, Any]:
    the_park = policy.park_readable(request.user, park)
    return {"park": the_park.code, "watched": 3, "imported": len(IMPORTED)}
