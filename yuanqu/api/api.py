"""The one NinjaAPI; each app contributes a Router from its api.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.api.auth import AUTH
from yuanqu.core.validation import validation_message
from yuanqu.economy.api import router as economy_router
from yuanqu.imports.api import router as imports_router
from yuanqu.registry.api import router as registry_router
from yuanqu.reports.api import router as reports_router

api = NinjaAPI(
    title="园区经济运行与项目管理平台 API",
    version="1",
    description="所有读取都经过数据范围控制：用户只能看到其园区、地区或企业的数据。",
    auth=AUTH,
    urls_namespace="api",
)


@api.exception_handler(ScopeDenied)
def scope_denied(request: HttpRequest, exc: ScopeDenied) -> HttpResponse:
    # 404, not 403: do not confirm that an object outside the scope exists.
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # ninja's 422 with its detail list kept, plus a Chinese message naming each parameter.
    body = {"message": validation_message(exc.errors), "detail": exc.errors}
    return api.create_response(request, body, status=422)


api.add_router("/", registry_router)
api.add_router("/economy", economy_router)
api.add_router("/", imports_router)
api.add_router("/reports", reports_router)
