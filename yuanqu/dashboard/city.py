"""The city view (市级用户's home page) and the big screens: what they show, built from the
economy selectors and the modules' cockpit cards. Views stay thin (views.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from yuanqu.accounts.scopes import parks_for
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.core.wording import fmt_decimal, round_half_up
from yuanqu.economy import selectors as economy
from yuanqu.economy.models import Indicator
from yuanqu.imports.models import DataStatus
from yuanqu.registry.models import Park, Region

DEFAULT_INDICATOR = "industrial_output"
MAX_SMALL_CHARTS = 36


def regions_for(user: Any) -> list[Region]:
    """Regions with parks the user may read, by code."""
    ids = parks_for(user).exclude(region=None).values_list("region_id", flat=True).distinct()
    return list(Region.objects.filter(pk__in=list(ids)).order_by("code"))


def _text(value: Any, places: int) -> str:
    return "—" if value is None else fmt_decimal(value, places)


def _amount(value: Any, unit: str, precision: int) -> tuple[str, str]:
    if value is None:
        return "—", ("亿元" if unit == "万元" else unit)
    if unit == "万元":
        return fmt_decimal(value / 10000, 2), "亿元"
    return fmt_decimal(value, precision), unit


def city_context(user: Any, query: Any) -> dict[str, Any]:
    """Everything the city page shows for the GET parameters `region`, `indicator`, `period`."""
    regions = regions_for(user)
    ctx: dict[str, Any] = {"regions": regions, "indicators": [], "rows": []}
    if not regions:
        return ctx
    wanted = (query.get("region") or "").strip()
    region = next((r for r in regions if r.code == wanted), None)
    if region is None:
        own = getattr(user, "region_id", None)
        region = next((r for r in regions if r.pk == own), regions[0])
    parks: QuerySet[Park] = parks_for(user).filter(region=region).order_by("code")
    indicators = list(Indicator.objects.all())
    code = query.get("indicator") or DEFAULT_INDICATOR
    indicator = next((i for i in indicators if i.code == code), None)
    if indicator is None:
        indicator = next(i for i in indicators if i.code == DEFAULT_INDICATOR)
    latest = economy.city_latest_period(parks=parks)
    period, error = latest, ""
    text = (query.get("period") or "").strip()
    if text:
        try:
            period = parse_period(text)
        except PeriodError:
            error = f"报告期“{text[:20]}”无法识别，已显示最新一期"
    ctx.update(
        region=region,
        indicators=[(i.code, i.name) for i in indicators],
        indicator=indicator,
        period=period,
        period_error=error,
        periods=_recent(latest),
    )
    if period is None:
        return ctx
    overview = economy.city_overview(parks=parks, period=period, code=indicator.code)
    ctx["overview"] = overview
    total, unit = _amount(overview.total, indicator.unit, indicator.precision)
    ctx.update(total=total, unit=unit, total_yoy=_text(overview.total_yoy_pct, 1))
    ctx["rows"] = [_row(r, indicator, period) for r in overview.rows]
    ctx["ranking_chart"] = _ranking_chart(overview, indicator)
    ctx["small_charts"] = [
        _small_chart(r, indicator) for r in overview.rows[:MAX_SMALL_CHARTS] if r.series
    ]
    return ctx


def _recent(latest: Period | None, count: int = 24) -> list[Period]:
    if latest is None:
        return []
    out, p = [], latest
    while len(out) < count:
        if p.month != 1:  # January is reported with February (1-2月), never alone
            out.append(p)
        p = Period(p.year - 1, 12) if p.month == 1 else Period(p.year, p.month - 1)
    return out


STATUS_TEXT = {
    None: "未报送",
    DataStatus.SUBMITTED: "已提交未审核",
    DataStatus.REVIEWED: "已审核",
    DataStatus.LOCKED: "已锁定",
}


def _row(r: economy.CityRow, indicator: Indicator, period: Period) -> dict[str, Any]:
    value, _unit = _amount(r.row.value, indicator.unit, indicator.precision)
    ahead = r.row.ahead_pp
    return {
        "rank": r.rank,
        "code": r.park.code,
        "name": r.park.name,
        "value": value,
        "yoy": _text(r.row.yoy_pct, 1),
        "yoy_class": "" if r.row.yoy_pct is None else ("up" if r.row.yoy_pct > 0 else "down"),
        "completion": _text(r.row.completion_pct, 1),
        "ahead": "—" if ahead is None else fmt_decimal(round_half_up(ahead, 1), 1),
        "ahead_class": "" if ahead is None else ("light-green" if ahead >= 0 else "light-red"),
        "status": STATUS_TEXT.get(r.status, r.status or ""),
        "status_key": r.status or "missing",
        "url": reverse("home") + f"?park={r.park.code}&period={period}",
    }


def _ranking_chart(overview: economy.CityOverview, indicator: Indicator) -> dict[str, Any]:
    ranked = [r for r in overview.rows if r.row.value is not None][::-1]
    values = []
    for r in ranked:
        v = r.row.value / 10000 if indicator.unit == "万元" else r.row.value
        values.append(float(round_half_up(v, 2)))
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 40, "top": 8, "bottom": 4, "containLabel": True},
        "xAxis": {"type": "value", "name": "亿元" if indicator.unit == "万元" else indicator.unit},
        "yAxis": {"type": "category", "data": [r.park.name for r in ranked]},
        "series": [
            {
                "type": "bar",
                "name": indicator.name,
                "data": values,
                "itemStyle": {"color": "#1f5fa8"},
                "label": {"show": True, "position": "right"},
            }
        ],
    }


def _small_chart(r: economy.CityRow, indicator: Indicator) -> dict[str, Any]:
    """One park's YTD comparable growth by month this year (a small multiple)."""
    months = ["1-2月" if p.period.month == 2 else f"{p.period.month}月" for p in r.series]
    growth = [None if p.yoy_pct is None else float(round_half_up(p.yoy_pct, 1)) for p in r.series]
    return {
        "code": r.park.code,
        "name": r.park.name,
        "option": {
            "animation": False,
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 4, "right": 8, "top": 8, "bottom": 4, "containLabel": True},
            "xAxis": {"type": "category", "data": months, "axisLabel": {"fontSize": 10}},
            "yAxis": {"type": "value", "name": "%", "axisLabel": {"fontSize": 10}},
            "series": [
                {
                    "type": "line",
                    "name": f"{indicator.name}累计增速",
                    "data": growth,
                    "itemStyle": {"color": "#b3261e"},
                }
            ],
        },
    }
