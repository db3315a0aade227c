"""Account pages: what a locked-out login attempt gets back (django-axes'
AXES_LOCKOUT_CALLABLE), and the API 令牌 page (accounts.tokens)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from axes.helpers import get_cool_off
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yuanqu.accounts import policy, tokens
from yuanqu.accounts.models import ApiToken, AuthUser, User
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import is_global
from yuanqu.audit.services import client_addr

LOCKED_OUT_STATUS = 429


def lockout_message(request: HttpRequest | None = None) -> str:
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    wait = f"请 {minutes} 分钟后再试，" if minutes else "请"
    return f"登录失败次数过多，该账号在此地址已被暂时锁定。{wait}或联系系统管理员解锁。"


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 for a username+IP pair past the failure limit: JSON for the API and other scripts
    (they read `detail`, as every API error), the site's own page for people (form and admin)."""
    message = lockout_message(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=LOCKED_OUT_STATUS)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": message},
            status=LOCKED_OUT_STATUS,
        )
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# -- API 令牌 (accounts.tokens) ----------------------------------------------------------------
TOKENS_PAGE_SIZE = 50


def _may_manage_others(user: AuthUser) -> bool:
    """Administrators and 园区管理员: they also see and act on the tokens of their users."""
    return user.is_authenticated and (is_global(user) or policy.can_manage_users(user, user.park))


def _token_rows(items: Iterable[ApiToken]) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for token in items:
        status = tokens.token_status(token, now)
        rows.append({"token": token, "status": status, "label": tokens.STATUS_LABELS[status]})
    return rows


def _tokens_page(
    request: HttpRequest,
    *,
    form: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    user = request.user
    assert user.is_authenticated  # route_policy sent anyone else to the login page
    own = tokens.tokens_visible_to(user=user).filter(owner=user)
    context: dict[str, Any] = {
        "own_rows": _token_rows(own),
        "form": form or {},
        "errors": errors or [],
        "manages_others": _may_manage_others(user),
        "docs_url": request.build_absolute_uri("/api/v1/docs"),
    }
    if context["manages_others"]:
        q = request.GET.get("q", "").strip()[:150]
        others = tokens.tokens_visible_to(user=user).exclude(owner=user)
        if q:
            others = others.filter(owner__username__icontains=q)
        page = Paginator(others, TOKENS_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update({"page": page, "q": q, "other_rows": _token_rows(page.object_list)})
    return render(request, "accounts/tokens.html", context)


@route_policy(read="authenticated")
def token_list(request: HttpRequest) -> HttpResponse:
    """API 令牌: the user's own tokens and a form to make one; administrators and 园区管理员
    also the tokens of the users they manage."""
    return _tokens_page(request)


@require_POST
@route_policy(read="authenticated", write="own_account")
def token_create_view(request: HttpRequest) -> HttpResponse:
    """Make a token; its secret is on this response only (not stored, not in a redirect's
    session cookie, not cached)."""
    user = request.user
    assert user.is_authenticated
    form = {
        "name": request.POST.get("name", "")[:200],
        "expires": request.POST.get("expires", "")[:20],
        "owner": request.POST.get("owner", "")[:150].strip(),
    }
    errors: list[str] = []
    owner: User | None = user
    if "\x00" in form["owner"]:
        # A NUL would be a DataError (500) on PostgreSQL; no username has one.
        form["owner"] = form["owner"].replace("\x00", "")
        errors.append("所属用户含有空字符")
        owner = None
    elif form["owner"] and form["owner"] != user.get_username():
        owner = (
            tokens.users_managed_by(user=user).filter(username=form["owner"]).first()
            if _may_manage_others(user)
            else None
        )
        if owner is None:
            errors.append(f"用户“{form['owner']}”不存在或不由您管理")
    expires_at = None
    if form["expires"]:
        try:
            expires_at = tokens.expiry_from_date(date.fromisoformat(form["expires"]))
        except tokens.TokenError as exc:
            errors.append(str(exc))
        except ValueError:
            errors.append("有效期请填写日期，例如 2025-12-31")
    if owner is not None and not errors:
        try:
            token, secret = tokens.token_create(
                actor=user,
                owner=owner,
                name=form["name"],
                expires_at=expires_at,
                remote_addr=client_addr(request),
            )
        except tokens.TokenError as exc:
            errors.append(str(exc))
        else:
            response = render(
                request,
                "accounts/token_created.html",
                {
                    "token": token,
                    "secret": secret,
                    "api_example": request.build_absolute_uri("/api/v1/parks"),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return _tokens_page(request, form=form, errors=errors)


@require_POST
@route_policy(read="authenticated", write="own_account")
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one token (the page asks for confirmation first: data-confirm); back to the list
    with a message. Revoking a revoked token says so and changes nothing."""
    user = request.user
    assert user.is_authenticated
    # 404 for a token the user may not act on: someone else's token is not confirmed to exist.
    token = tokens.token_for(user=user, pk=pk)
    if token is None:
        raise Http404("令牌不存在或无权访问")
    if tokens.token_revoke(actor=user, token=token, remote_addr=client_addr(request)):
        messages.success(
            request, f"已吊销令牌“{token.name}”（{token.display_prefix}），它不能再使用。"
        )
    else:
        messages.info(request, f"令牌“{token.name}”（{token.display_prefix}）此前已吊销。")
    return redirect("api_tokens")
