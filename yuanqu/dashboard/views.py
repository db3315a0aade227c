from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yuanqu.accounts import policy
from yuanqu.accounts.models import Role
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.dashboard.context import navigation
from yuanqu.dashboard.selectors import cockpit_cards_for, cockpit_period
from yuanqu.registry.selectors import enterprise_list_for, park_get_for, park_list_for


@login_required
@route_policy(read="authenticated")
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ENTERPRISE:
        # An enterprise user's home is 本企业: its own figures, submissions and 亩均 class.
        from yuanqu.mine.views import index as mine_index

        return mine_index(request)
    search = request.GET.get("q", "").strip()
    parks = park_list_for(user=user, search=search)
    page = Paginator(parks, 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": search, **_cockpit(request)}
    return render(request, "dashboard/home.html", context)


def _cockpit(request: HttpRequest) -> dict[str, object]:
    """The current park's cockpit cards (each module's `cockpit_cards`), for readers of its
    park-wide figures."""
    park = navigation(request).get("current_park")
    if park is None or not policy.can_read_park(request.user, park):
        return {}
    period = cockpit_period(park=park)
    return {
        "cockpit_park": park,
        "cockpit_period": period,
        "cards": cockpit_cards_for(park=park, period=period),
    }


@login_required
@route_policy(read="authenticated")
def help_page(request: HttpRequest) -> HttpResponse:
    """使用帮助: how figures are counted and who sees what. Static text in the site layout, so
    its cost is the layout's own (sessions, navigation): the page benchmark's baseline
    (benchmarks/pages.py) measures the other pages against it."""
    return render(request, "dashboard/help.html")


@login_required
@route_policy(read="park", write="session")
def switch_park(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("park") or request.GET.get("park", "")
    try:
        park_get_for(user=request.user, code=code)
    except ScopeDenied as exc:
        raise Http404(str(exc)) from exc
    request.session["park"] = code
    return redirect(_without_park(request.POST.get("next") or request.GET.get("next") or "/"))


def _without_park(url: str) -> str:
    """The page to return to, minus a ?park= that would override the park just chosen.

    Only local paths are followed (never another host)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in {"park", "period"}])
    return parts.path + (f"?{query}" if query else "")


@login_required
@route_policy(read="park_wide")
def park_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        park = policy.park_readable(request.user, code)
    except ScopeDenied:
        return render(request, "dashboard/denied.html", {"code": code}, status=404)
    request.session["park"] = park.code
    enterprises = enterprise_list_for(user=request.user, park_code=park.code)
    page = Paginator(enterprises, 50).get_page(request.GET.get("page"))
    return render(request, "dashboard/park.html", {"park": park, "page": page})
