"""经济运行's cards on the park cockpit (declared in module.py, `cockpit_cards=`).

The main indicators (YTD, comparable growth, target completion against 序时进度, a light), the
报送率 of the period, this year's months against last year's, and each cluster's 拉动. Every
figure is a display string rounded half-up by core.wording from the same selectors the
经济运行 page, the CLI and the API read, and every card links to that page with the park and
period in the URL.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from yuanqu.core import versions
from yuanqu.core.modules import CardData, CardProgress
from yuanqu.core.periods import Period
from yuanqu.core.wording import (
    fmt_decimal,
    growth_phrase,
    pct_str,
    round_half_up,
    time_progress_phrase,
)
from yuanqu.economy import formulas, selectors
from yuanqu.economy.models import Indicator
from yuanqu.registry.models import Park

GROUP = "经济运行"
# The indicators a park leader reads first, in the speech's order; those without data are
# left out (a park that keeps no 税收 gets no 税收 card).
MAIN = (
    "industrial_output",
    "industrial_va_growth",
    "revenue",
    "fixed_asset_investment",
    "tax_total",
    "budget_revenue",
)
TREND = "industrial_output"
RED, GREEN, BLUE, GREY = "#b3261e", "#1e7b34", "#1f5fa8", "#b8c0ca"

_local = threading.local()


def _cache(park: Park, period: Period) -> selectors.ReportCache:
    """One ReportCache for all of this module's cards of one park and period (the cockpit asks
    them one after another): this year, last year and the year before, loaded at once."""
    key = (park.pk, str(period), versions.current())
    found = getattr(_local, "cache", None)
    if found is None or found[0] != key:
        cache = selectors.ReportCache()
        cache.prefetch([park], [period.year, period.year - 1, period.year - 2])
        found = (key, cache)
        _local.cache = found
    return found[1]


def margin_pp() -> Decimal:
    return Decimal(str(getattr(settings, "YUANQU_TARGET_RED_MARGIN_PP", 10)))


def _url(park: Park, period: Period, indicator: str | None = None) -> str:
    query = f"?park={park.code}&period={period}"
    if indicator in selectors.COMPUTED:
        query += f"&indicator={indicator}"
    return reverse("economy:index") + query


def _amount(row: selectors.IndicatorRow) -> tuple[str, str]:
    """Value and unit as the speech writes them: 亿元 for amounts kept in 万元."""
    if row.value is None:
        return "—", row.unit
    if row.unit == "万元":
        return fmt_decimal(row.value / 10000, 2), "亿元"
    return fmt_decimal(row.value, row.precision), row.unit


def indicator_card(row: selectors.IndicatorRow, park: Park, period: Period) -> CardData:
    """One main indicator: YTD, comparable growth, completion against 序时进度, the light."""
    value, unit = _amount(row)
    notes: list[str] = []
    if row.kind != Indicator.Kind.RATE and row.yoy_pct is not None:
        notes.append(growth_phrase(row.yoy_pct))
    card: CardData = {
        "label": f"{row.name}（{period.label}）",
        "value": value,
        "unit": unit,
        "url": _url(park, period, row.code),
        "group": GROUP,
    }
    light = formulas.target_light(row.ahead_pp, margin_pp())
    if light:
        card["light"] = light
    if row.completion_pct is not None:
        progress: CardProgress = {
            "value": fmt_decimal(row.completion_pct, 1),
            "label": f"完成年度目标{pct_str(row.completion_pct)}",
        }
        if row.time_progress_pct is not None:
            progress["marker"] = fmt_decimal(row.time_progress_pct, 1)
        card["progress"] = progress
        notes.append(time_progress_phrase(row.ahead_pp))
    elif row.target is not None and row.ahead_pp is not None:
        gap = round_half_up(row.ahead_pp, 1)
        notes.append(
            f"目标{pct_str(row.target)}，"
            + ("已达到" if gap >= 0 else f"差{fmt_decimal(-gap, 1)}个百分点")
        )
    card["note"] = "；".join(notes)
    return card


def kpi_cards(park: Park, period: Period | None) -> list[CardData] | None:
    """The main indicators of the period that have data, one card each."""
    if period is None:
        return None
    rows = selectors.park_indicator_table(
        park=park, period=period, cache=_cache(park, period), codes=MAIN
    )
    by_code = {r.code: r for r in rows if r.has_data}
    return [indicator_card(by_code[c], park, period) for c in MAIN if c in by_code] or None


def reporting_deadline(period: Period) -> dt.date:
    """The day a period's 报送 is due: the 10th of the following month (DECISIONS.md)."""
    nxt = period.next()
    return dt.date(nxt.year, nxt.month, 10)


def reporting_card(park: Park, period: Period | None) -> CardData | None:
    """报送率 of the period: green when complete, yellow while incomplete before the
    deadline, red when still incomplete after it."""
    if period is None:
        return None
    rate = selectors.reporting_summary(park=park, period=period)
    if rate.rate is None:
        return None
    if rate.complete:
        light = "green"
    else:
        light = "red" if dt.date.today() > reporting_deadline(period) else "yellow"
    missing = f"，未报{rate.missing_count}户" if rate.missing_count else "，已全部报送"
    return {
        "label": f"企业报送率（{period.month_label}）",
        "value": rate.rate_text,
        "unit": "%",
        "note": f"应报{rate.expected}户，已报{rate.reported}户{missing}",
        "url": reverse("imports:review") + f"?park={park.code}&period={period}",
        "light": light,
        "group": GROUP,
    }


def _plot(value: Decimal | None, unit: str) -> float | None:
    """A chart's plotted number (亿元 for 万元 amounts), rounded as the labels are."""
    if value is None:
        return None
    if unit == "万元":
        value = value / 10000
    return float(round_half_up(value, 2))


def trend_card(park: Park, period: Period | None) -> CardData | None:
    """规上工业总产值 month by month, this year against last year, with the YTD growth line."""
    if period is None:
        return None
    cache = _cache(park, period)
    row = selectors.indicator_row(park=park, period=period, code=TREND, cache=cache)
    if not row.has_data:
        return None
    this = selectors.indicator_series(
        park=park, year=period.year, code=TREND, cache=cache, last_month=period.month
    )
    last = selectors.indicator_series(park=park, year=period.year - 1, code=TREND, cache=cache)
    months = ["1-2月"] + [f"{m}月" for m in range(3, 13)]
    unit = "亿元" if row.unit == "万元" else row.unit
    option: dict[str, Any] = {
        "color": [RED, GREY, BLUE],
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 8, "top": 32, "bottom": 4, "containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [
            {"type": "value", "name": unit},
            {"type": "value", "name": "%", "splitLine": {"show": False}},
        ],
        "series": [
            {
                "name": f"{period.year}年当月",
                "type": "bar",
                "data": [_plot(p.month_value, row.unit) for p in this],
            },
            {
                "name": f"{period.year - 1}年当月",
                "type": "bar",
                "data": [_plot(p.month_value, row.unit) for p in last],
            },
            {
                "name": "累计增速(可比)",
                "type": "line",
                "yAxisIndex": 1,
                "data": [
                    None if p.yoy_pct is None else float(round_half_up(p.yoy_pct, 1)) for p in this
                ],
            },
        ],
    }
    return {
        "label": f"{row.name}逐月对比（{period.year}年与{period.year - 1}年）",
        "value": "",
        "unit": "",
        "note": f"{period.ytd_label}累计{_amount(row)[0]}{unit}，{growth_phrase(row.yoy_pct)}",
        "url": _url(park, period, TREND),
        "chart": option,
        "wide": True,
        "group": GROUP,
    }


def clusters_card(park: Park, period: Period | None) -> CardData | None:
    """Each cluster's 拉动 of 规上工业总产值 growth (points), largest at the top."""
    if period is None:
        return None
    cache = _cache(park, period)
    row = selectors.indicator_row(park=park, period=period, code=TREND, cache=cache)
    if not row.has_data:
        return None
    parts = selectors.indicator_parts(
        park=park, period=period, code=TREND, by="cluster", cache=cache
    )
    parts = [p for p in parts if p.pull_pp is not None]
    if not parts:
        return None
    parts.sort(key=lambda p: p.pull_pp or 0)  # ascending: the largest is drawn on top
    pulls = [float(round_half_up(p.pull_pp or 0, 1)) for p in parts]
    option: dict[str, Any] = {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 4, "containLabel": True},
        "xAxis": {"type": "value", "name": "个百分点"},
        "yAxis": {"type": "category", "data": [p.name for p in parts]},
        "series": [
            {
                "name": "拉动",
                "type": "bar",
                "label": {"show": True, "position": "right"},
                "data": [
                    {"value": v, "itemStyle": {"color": RED if v >= 0 else GREEN}} for v in pulls
                ],
            }
        ],
    }
    top = parts[-1]
    return {
        "label": f"各集群拉动{row.name}增长（{period.ytd_label}）",
        "value": "",
        "unit": "",
        "note": f"{top.name}拉动{fmt_decimal(round_half_up(top.pull_pp or 0, 1), 1)}个百分点，居首",
        "url": _url(park, period, TREND) + "&by=cluster",
        "chart": option,
        "group": GROUP,
    }
