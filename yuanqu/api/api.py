"""The one NinjaAPI; each module contributes a Router from its api.py, declared in its
`module.py` (`ModuleSpec.api_router`) — no list here names the modules."""

from __future__ import annotations

from functools import cache, partial

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
from yuanqu.core.modules import ApiRouter, modules
from yuanqu.core.validation import validation_message


def installed_api() -> NinjaAPI:
    """The API of the installed modules: every `ModuleSpec.api_router`, in `INSTALLED_APPS`
    order, mounted on one NinjaAPI (served under /api/v1/ by config/urls.py)."""
    # Keyed by the mounts, like the module registry by the installed apps: a test that installs
    # a plugin module (and reloads the root URLconf) gets an API with its router.
    return _api_of(tuple(m.api_router for m in modules() if m.api_router))


@cache
def _api_of(mounts: tuple[ApiRouter, ...]) -> NinjaAPI:
    api = NinjaAPI(
        title="园区经济运行与项目管理平台 API",
        version="1",
        description="所有读取都经过数据范围控制：用户只能看到其园区、地区或企业的数据。",
        auth=AUTH,
        urls_namespace="api",
        # Swagger UI from django-ninja's own static files ("ninja" in INSTALLED_APPS), not a
        # CDN: parks' intranets have no internet. No validator badge: it would call
        # validator.swagger.io.
        docs=Swagger(settings={"validatorUrl": None}),
        docs_decorator=docs_login_required,
    )
    api.add_exception_handler(AuthenticationError, partial(unauthenticated, api))
    api.add_exception_handler(ScopeDenied, partial(scope_denied, api))
    api.add_exception_handler(ValidationError, partial(validation_error, api))
    api.add_exception_handler(Http404, partial(not_found, api))
    for mount in mounts:
        api.add_router(mount.prefix, mount.resolve())
    return api


def unauthenticated(api: NinjaAPI, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
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


def scope_denied(api: NinjaAPI, request: HttpRequest, exc: ScopeDenied) -> HttpResponse:
    # 404, not 403: do not confirm that an object outside the scope exists.
    return api.create_response(request, {"detail": str(exc)}, status=404)


def validation_error(api: NinjaAPI, request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # `detail` in Chinese like every other error; ninja's itemised list kept under `errors`.
    message = validation_message(exc.errors)
    body = {"detail": message, "message": message, "errors": exc.errors}
    return api.create_response(request, body, status=422)


def not_found(api: NinjaAPI, request: HttpRequest, exc: Http404) -> HttpResponse:
    # ninja answers {"detail": "Not Found"}; say it in Chinese, with the reason when there is one.
    text = str(exc)
    detail = text if text and text != "Not Found" else "不存在或无权访问"
    return api.create_response(request, {"detail": detail}, status=404)
