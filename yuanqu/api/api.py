"""The one NinjaAPI; each app contributes a Router from its api.py."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.api.auth import (
    AUTH,
    WWW_AUTHENTICATE,
    WWW_AUTHENTICATE_TOKEN,
    TokenRefused,
    docs_login_required,
)
from yuanqu.core.validation import validation_message
from yuanqu.economy.api import router as economy_router
from yuanqu.funding.api import router as funding_router
from yuanqu.imports.api import router as imports_router
from yuanqu.investment.api import router as investment_router
from yuanqu.land.api import router as land_router
from yuanqu.projects.api import router as projects_router
from yuanqu.registry.api import router as registry_router
from yuanqu.reports.api import router as reports_router
from yuanqu.service_requests.api import router as service_router
from yuanqu.supervision.api import router as supervision_router

api = NinjaAPI(
    title="园区经济运行与项目管理平台 API",
    version="1",
    description="所有读取都经过数据范围控制：用户只能看到其园区、地区或企业的数据。",
    auth=AUTH,
    urls_namespace="api",
    # Swagger UI from django-ninja's own static files ("ninja" in INSTALLED_APPS), not a CDN:
    # parks' intranets have no internet. No validator badge: it would call validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=docs_login_required,
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if isinstance(exc, TokenRefused):
        # The client sent a token: say what is wrong with it (invalid, revoked, expired …).
        response = api.create_response(request, {"detail": exc.detail}, status=401)
        response["WWW-Authenticate"] = WWW_AUTHENTICATE_TOKEN
        return response
    response = api.create_response(
        request,
        {
            "detail": "未登录或用户名、密码不正确：请先登录网页，或使用 API 令牌"
            "（Authorization: Bearer yq_…）或 HTTP Basic 认证（用户名和密码）。"
        },
        status=exc.status_code,
    )
    # Tells clients (curl --anyauth, the city platform's HTTP library) which scheme to retry with.
    response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


@api.exception_handler(ScopeDenied)
def scope_denied(request: HttpRequest, exc: ScopeDenied) -> HttpResponse:
    # 404, not 403: do not confirm that an object outside the scope exists.
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # `detail` in Chinese like every other error; ninja's itemised list kept under `errors`.
    message = validation_message(exc.errors)
    body = {"detail": message, "message": message, "errors": exc.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # ninja answers {"detail": "Not Found"}; say it in Chinese, with the reason when there is one.
    text = str(exc)
    detail = text if text and text != "Not Found" else "不存在或无权访问"
    return api.create_response(request, {"detail": detail}, status=404)


api.add_router("/", registry_router)
api.add_router("/economy", economy_router)
api.add_router("/", imports_router)
api.add_router("/reports", reports_router)
api.add_router("/projects", projects_router)
api.add_router("/funding", funding_router)
api.add_router("/service", service_router)
api.add_router("/supervision", supervision_router)
api.add_router("/investment", investment_router)
api.add_router("/land", land_router)
