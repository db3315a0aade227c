from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yuanqu.accounts import policy
from yuanqu.accounts.models import Role
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.core.replica import reads_from_replica
from yuanqu.dashboard.city import city_context
from yuanqu.dashboard.context import navigation
from yuanqu.dashboard.selectors import cockpit_cards_for, cockpit_periods, grouped
from yuanqu.registry.selectors import enterprise_list_for, park_get_for, park_list_for


@login_required
@reads_from_replica
@route_policy(read="authenticated")
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ENTERPRISE:
        # An enterprise user's home is 本企业: its own figures, submissions and 亩均 class.
        from yuanqu.mine.views import index as mine_index

        return mine_index(request)
    if user.role == Role.CITY:
        # 市级用户's home is the city view: its parks side by side.
        return city(request)
    search = request.GET.get("q", "").strip()
    parks = park_list_for(user=user, search=search)
    page = Paginator(parks, 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": search, **_cockpit(request)}
    return render(request, "dashboard/home.html", context)


def _cockpit(request: HttpRequest) -> dict[str, object]:
    """The park cockpit (领导驾驶舱): the chosen park's cards (each module's `cockpit_cards`)
    for the period in the URL, else the latest counted one — so a copied link shows the same
    thing — for readers of the park's park-wide figures."""
    park = navigation(request).get("current_park")
    if park is None or not policy.can_read_park(request.user, park):
        return {}
    if request.GET.get("park") == park.code:
        request.session["park"] = park.code
    periods = cockpit_periods(park=park)
    period, period_error = periods[0] if periods else None, ""
    text = request.GET.get("period", "").strip()
    if text:
        try:
            period = parse_period(text)
        except PeriodError:
            period_error = f"报告期“{text[:20]}”无法识别，已显示最新一期"
    cards = [_shown(c) for c in cockpit_cards_for(park=park, period=period)]
    return {
        "cockpit_park": park,
        "cockpit_period": period,
        "cockpit_periods": periods,
        "cockpit_period_error": period_error,
        "cards": cards,
        "card_groups": grouped(cards),
    }


def _shown(card: dict[str, Any]) -> dict[str, Any]:
    """Where a progress bar ends and its 序时 marker sits, clamped to the bar (0–100%)."""
    # A card without items gets an empty list: in a template `c.items` on a dict without the
    # key is the dict's items() method, which listed every field as an empty <li>.
    card = {"items": [], **card}
    progress = card.get("progress")
    if not progress:
        return card

    def pos(text: str | None) -> str:
        try:
            value = Decimal(text or "0")
        except InvalidOperation:
            value = Decimal(0)
        return str(min(max(value, Decimal(0)), Decimal(100)))

    return {**card, "bar": pos(progress.get("value")), "marker_at": pos(progress.get("marker"))}


@login_required
@reads_from_replica
@route_policy(read="authenticated")
def city(request: HttpRequest) -> HttpResponse:
    """全市概览: the region's parks ranked on an indicator and period with growth, completion
    and 序时, the city total, small-multiple trends, and the parks not reported or not
    reviewed for the period — named. Only parks the reader may read; never enterprise rows."""
    if not policy.reads_park_wide(request.user):
        raise Http404("企业用户不能查看园区汇总数据")
    return render(request, "dashboard/city.html", city_context(request.user, request.GET))


SCREEN_REFRESH_SECONDS = 300


@login_required
@reads_from_replica
@route_policy(read="authenticated")
def screen(request: HttpRequest) -> HttpResponse:
    """大屏 of one park: the cockpit's cards, 1920×1080, dark, no navigation, refreshed every
    five minutes."""
    if not policy.reads_park_wide(request.user):
        raise Http404("企业用户不能查看园区汇总数据")
    context = _cockpit(request)
    if not context:
        raise Http404("没有可查看的园区")
    context["refresh"] = SCREEN_REFRESH_SECONDS
    return render(request, "dashboard/screen.html", context)


@login_required
@reads_from_replica
@route_policy(read="authenticated")
def screen_city(request: HttpRequest) -> HttpResponse:
    """大屏 of the city view."""
    if not policy.reads_park_wide(request.user):
        raise Http404("企业用户不能查看园区汇总数据")
    context = city_context(request.user, request.GET)
    context["refresh"] = SCREEN_REFRESH_SECONDS
    return render(request, "dashboard/screen_city.html", context)


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
