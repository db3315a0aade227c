"""经济运行 pages: a park's indicator table, charts, 拉动, 亩均, the region ranking, and .xlsx.

Every figure comes from `yuanqu.economy.selectors` and is formatted by `presenters` (table cells)
or `core.wording` (chart payloads), so the page, the API (`/api/v1/economy/...`) and the CLI
(`yuanqu indicators`) agree to the digit. One `ReportCache` serves the whole request.

Enterprise users never see park-wide figures (`accounts.policy.can_read_park`): the page sends
them to 本企业 (their own figures), the panel and the exports answer them 404, as they do a
park outside the user's scope.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache as django_cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, parks_for
from yuanqu.core import versions
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.core.wording import (
    MONEY_UNITS,
    completion_phrase,
    convert_amount,
    fmt_decimal,
    growth_phrase,
    round_half_up,
    time_progress_phrase,
    yi_yuan,
)
from yuanqu.economy import formulas, presenters, selectors
from yuanqu.economy.models import Indicator
from yuanqu.imports.models import DataSlice, DataStatus
from yuanqu.imports.workbooks import append_row
from yuanqu.registry.models import Park

TRUE_VALUES = {"1", "on", "true", "yes"}
DEFAULT_INDICATOR = "industrial_output"
PART_VIEWS = {"enterprise": "按企业", "cluster": "按集群"}
METRICS = {"value": "总量", "yoy": "同比增速(可比)", "completion": "完成年度目标"}
TOP_N = 10
MUJUN_PAGE_SIZE = 20
MUJUN_COLUMNS = [
    ("tax_per_mu", "万元/亩"),
    ("revenue_per_mu", "万元/亩"),
    ("revenue_per_kwh", "万元/万千瓦时"),
    ("revenue_per_capita", "万元/人"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBMITTED_NOTE = "含未审核数据（计入“已提交”尚未审核的数据，数字可能变动，不得对外引用）"


# ---------------------------------------------------------------------------------------------
# Request parameters (shared by the page, the ranking panel and the exports)
# ---------------------------------------------------------------------------------------------


@dataclass
class Params:
    park: Park
    period: Period | None
    period_error: str
    include_submitted: bool
    nominal: bool
    indicator: str  # a computed indicator: the month chart, the clusters and the parts
    by: str  # parts by "enterprise" or "cluster"

    def query(self, **extra: Any) -> dict[str, Any]:
        """The GET parameters that reproduce this view (for export and ranking links)."""
        q: dict[str, Any] = {"park": self.park.code}
        if self.period:
            q["period"] = str(self.period)
        if self.include_submitted:
            q["include_submitted"] = "1"
        if self.nominal:
            q["nominal"] = "1"
        q.update(extra)
        return q


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "").strip().lower() in TRUE_VALUES


def _resolve_park(request: HttpRequest) -> Park:
    """The park asked for (GET `park`), else the session's current park, else the first one.

    Raises ScopeDenied for enterprise users and for a park outside the user's scope.
    """
    user = request.user
    if not policy.reads_park_wide(user):
        raise ScopeDenied("企业用户不能查看园区汇总数据")
    code = request.GET.get("park", "").strip()
    if code:
        park = policy.park_readable(user, code)
        request.session["park"] = park.code
        return park
    code = request.session.get("park", "")
    if code:
        try:
            return policy.park_readable(user, code)
        except ScopeDenied:
            pass  # a stale session value: fall back to the first readable park
    park = next(
        (p for p in parks_for(user).order_by("code") if policy.can_read_park(user, p)), None
    )
    if park is None:
        raise ScopeDenied("没有可访问的园区")
    return park


def _params(request: HttpRequest) -> Params:
    park = _resolve_park(request)
    include_submitted = _flag(request, "include_submitted")
    period: Period | None = None
    error = ""
    text = request.GET.get("period", "").strip()
    if text:
        try:
            period = parse_period(text)
        except PeriodError as exc:
            error = f"报告期“{text}”无法识别（{exc}），已显示最新一期。"
    if period is None:
        period = selectors.latest_period(park=park, include_submitted=include_submitted)
    indicator = request.GET.get("indicator", DEFAULT_INDICATOR)
    if indicator not in selectors.COMPUTED:
        indicator = DEFAULT_INDICATOR
    by = request.GET.get("by", "enterprise")
    if by not in PART_VIEWS:
        by = "enterprise"
    return Params(
        park=park,
        period=period,
        period_error=error,
        include_submitted=include_submitted,
        nominal=_flag(request, "nominal"),
        indicator=indicator,
        by=by,
    )


def park_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required; a park outside the user's scope (or any park, for an enterprise
    user) is answered 404 with the same page as the dashboard's."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.reads_park_wide(request.user) and view.__name__ == "index":
            # The enterprise user's economy is its own enterprise's figures (本企业), not the
            # park's: the page (a link it may follow) leads there instead of a dead end.
            return redirect("mine:index")
        try:
            return view(request, *args, **kwargs)
        except ScopeDenied:
            code = request.GET.get("park", "")
            return render(request, "dashboard/denied.html", {"code": code}, status=404)

    return login_required(wrapper)


# ---------------------------------------------------------------------------------------------
# Display helpers: presenters for table cells, core.wording for chart payloads
# ---------------------------------------------------------------------------------------------


def _growth_class(value: Decimal | None) -> str:
    """Chinese convention: red for a rise, green for a fall (as displayed, 1 decimal)."""
    if value is None:
        return ""
    shown = round_half_up(value, 1)
    return "up" if shown > 0 else "down" if shown < 0 else ""


def _num(value: Decimal | None, places: int) -> str | None:
    return None if value is None else fmt_decimal(value, places)


def _chart_unit(unit: str) -> str:
    """Charts speak 亿元 for 万元 amounts (the axis of a park's output is in the 亿)."""
    return "亿元" if unit == "万元" else unit


def _chart_amount(value: Decimal | None, unit: str) -> str | None:
    if value is None:
        return None
    if unit == "万元":
        return fmt_decimal(convert_amount(value, "万元", "亿元"), 2)
    return fmt_decimal(value, 2)


def _status_key(status: str | None) -> str:
    return status or "none"


def _period_choices(park: Park, current: Period | None) -> list[dict[str, Any]]:
    """Periods with any economy data for the park, newest first; pending ones are marked."""
    statuses: dict[Period, set[str]] = defaultdict(set)
    rows = DataSlice.objects.filter(
        park=park,
        kind__in=[selectors.REPORT_KIND, selectors.PARK_INDICATOR_KIND],
        month__gt=0,
    ).values_list("year", "month", "status")
    for year, month, status in rows:
        statuses[Period(year, month)].add(status)
    if current is not None and current not in statuses:
        statuses[current] = set()
    choices = []
    for period in sorted(statuses, reverse=True):
        found = statuses[period]
        label = period.label
        if not found:
            label += "（无数据）"
        elif not found & {DataStatus.REVIEWED, DataStatus.LOCKED}:
            label += "（未审核）"
        choices.append({"value": str(period), "label": label, "selected": period == current})
    return choices


# ---------------------------------------------------------------------------------------------
# Page sections
# ---------------------------------------------------------------------------------------------


def _table(rows: list[selectors.IndicatorRow]) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "d": presenters.indicator_display(r),
            "yoy_class": _growth_class(r.yoy_pct),
            "nominal_class": _growth_class(r.yoy_nominal_pct),
            "status": _status_key(r.status),
            "growth_target": r.target_kind == "growth",
            "is_rate": r.kind == Indicator.Kind.RATE,
            "source": "；".join(r.sources),
        }
        for r in rows
    ]


def _headline(rows: list[selectors.IndicatorRow]) -> str:
    """One sentence on 规上工业总产值, worded as a report would (DOMAIN.md §11)."""
    row = next((r for r in rows if r.code == DEFAULT_INDICATOR and r.has_data), None)
    if row is None or row.value is None:
        return ""
    amount = (
        yi_yuan(row.value, row.unit)
        if row.unit in MONEY_UNITS
        else f"{presenters.display_amount(row.value, row.precision)}{row.unit}"
    )
    parts = [f"{row.period.label}，{row.name}{amount}"]
    if row.yoy_pct is not None:
        parts.append(f"同比{growth_phrase(row.yoy_pct)}（可比口径）")
    if row.completion_pct is not None:
        parts.append(completion_phrase(row.completion_pct))
        parts.append(time_progress_phrase(row.ahead_pp))
    return "，".join(parts) + "。"


def _month_labels() -> list[str]:
    # January is not reported: the first point is 1-2月 combined (DOMAIN.md §1).
    return ["1-2月"] + [f"{m}月" for m in range(3, 13)]


def _series_chart(
    park: Park, period: Period, row: selectors.IndicatorRow, cache: selectors.ReportCache
) -> dict[str, Any]:
    this = selectors.indicator_series(
        park=park, year=period.year, code=row.code, cache=cache, last_month=period.month
    )
    last = selectors.indicator_series(park=park, year=period.year - 1, code=row.code, cache=cache)
    pad = [None] * (11 - len(this))
    return {
        "kind": "series",
        "title": f"{row.name}：{period.year}年与{period.year - 1}年逐月对比",
        "unit": _chart_unit(row.unit),
        "months": _month_labels(),
        "this_label": f"{period.year}年",
        "last_label": f"{period.year - 1}年",
        "month": {
            "this": [_chart_amount(p.month_value, row.unit) for p in this] + pad,
            "last": [_chart_amount(p.month_value, row.unit) for p in last],
        },
        "ytd": {
            "this": [_chart_amount(p.value, row.unit) for p in this] + pad,
            "last": [_chart_amount(p.value, row.unit) for p in last],
        },
        "growth": [_num(p.yoy_pct, 1) for p in this] + pad,
    }


def _part_growth(part: selectors.PartRow) -> Decimal | None:
    """A part's own comparable growth: its current figure over its own 上年同期 (DOMAIN.md §3)."""
    if part.base is None:
        return None
    return formulas.comparable_growth_pct([formulas.Part(part.value, part.base)])


def _part_display(part: selectors.PartRow) -> dict[str, Any]:
    growth = _part_growth(part)
    return {
        "key": part.key,
        "name": part.name,
        "cluster": part.cluster,
        "count": part.enterprise_count,
        "value": presenters.display_amount(part.value),
        "base": presenters.display_amount(part.base),
        "new": part.base is not None and part.base == 0,
        "growth": presenters.display_pct(growth),
        "growth_class": _growth_class(growth),
        "pull": presenters.display_pct(part.pull_pp),
        "pull_class": _growth_class(part.pull_pp),
        "contribution": presenters.display_pct(part.contribution_pct),
    }


def _cluster_charts(
    clusters: list[selectors.PartRow], row: selectors.IndicatorRow
) -> tuple[dict[str, Any], dict[str, Any]]:
    total = sum((c.value for c in clusters), Decimal(0))
    by_value = sorted(clusters, key=lambda c: -c.value)
    share = {
        "kind": "share",
        "title": f"{row.name}集群构成（{row.period.label}）",
        "unit": _chart_unit(row.unit),
        "items": [
            {
                "name": c.name,
                "value": _chart_amount(c.value, row.unit),
                "share": _num(formulas.rate_pct(c.value, total), 1),
            }
            for c in by_value
        ],
    }
    # Ascending, so the largest pull is drawn at the top of the horizontal bars.
    by_pull = sorted(clusters, key=lambda c: (c.pull_pp is None, c.pull_pp or 0))
    pull = {
        "kind": "pull",
        "title": f"各集群拉动{row.name}增长（个百分点）",
        "total": _num(row.yoy_pct, 1),
        "items": [{"name": c.name, "pull": _num(c.pull_pp, 1)} for c in by_pull],
    }
    return share, pull


def _parts_section(
    params: Params, cache: selectors.ReportCache, row: selectors.IndicatorRow
) -> dict[str, Any]:
    period = params.period
    assert period is not None
    if params.by == "enterprise":
        # The 10 up and 10 down, read without loading every enterprise (a city park has
        # thousands); the full list is in the export and the API.
        page = selectors.enterprise_parts_page(
            park=params.park, period=period, code=params.indicator, cache=cache, n=TOP_N
        )
        section: dict[str, Any] = {"by": params.by, "count": page.count, "row": row}
        if page.count > 2 * TOP_N:
            section["top"] = [_part_display(p) for p in page.top]
            section["bottom"] = [_part_display(p) for p in page.bottom]
        else:
            section["all"] = [_part_display(p) for p in page.top]
        return section
    parts = selectors.indicator_parts(
        park=params.park, period=period, code=params.indicator, by=params.by, cache=cache
    )
    return {
        "by": params.by,
        "count": len(parts),
        "row": row,
        "all": [_part_display(p) for p in parts],
    }


def _mujun_section(request: HttpRequest, params: Params) -> dict[str, Any]:
    period = params.period
    assert period is not None
    rows, benchmarks = selectors.mu_jun_evaluation(
        park=params.park,
        year=period.year,
        month=period.month,
        include_submitted=params.include_submitted,
    )
    counts = Counter(r.grade for r in rows)
    display = [
        {
            "rank": i,
            "credit_code": r.credit_code,
            "name": r.name,
            "land_mu": presenters.display_amount(r.land_mu),
            "values": [presenters.display_amount(r.values.get(code)) for code, _ in MUJUN_COLUMNS],
            "score": presenters.display_pct(r.score),
            "grade": r.grade or "—",
            "grade_name": formulas.MU_JUN_CLASS_NAMES.get(r.grade or "", ""),
        }
        for i, r in enumerate(rows, start=1)
    ]
    return {
        "count": len(rows),
        "classes": [
            {"grade": g, "name": formulas.MU_JUN_CLASS_NAMES[g], "count": counts.get(g, 0)}
            for g in formulas.MU_JUN_CLASS_LABELS
        ],
        "unscored": counts.get(None, 0),
        "columns": [(formulas.MU_JUN_INDICATORS[c], unit) for c, unit in MUJUN_COLUMNS],
        "benchmarks": [presenters.display_amount(benchmarks.get(c)) for c, _ in MUJUN_COLUMNS],
        "page": Paginator(display, MUJUN_PAGE_SIZE).get_page(request.GET.get("mpage")),
    }


FIGURES_SECONDS = 3600


def _figures_cached(params: Params) -> dict[str, Any]:
    """The page's figures, cached under the data version (core.versions): read back while
    nothing changes, computed again (from the summary tables) after any write to the data.
    The version is read before the data (see core.versions for why that is safe)."""
    key = ":".join(
        [
            "economy:index",
            str(versions.current()),
            str(timezone.localdate()),
            str(params.park.pk),
            urlencode(params.query(indicator=params.indicator, by=params.by)),
        ]
    )
    found = django_cache.get(key)
    if found is None:
        found = _figures(params)
        django_cache.set(key, found, FIGURES_SECONDS)
    return found


def _figures(params: Params) -> dict[str, Any]:
    """Everything the page shows of the park's data for the chosen period and views."""
    ctx: dict[str, Any] = {
        "periods": _period_choices(params.park, params.period),
        "has_data": False,
    }
    if params.period is None:
        return ctx
    cache = selectors.ReportCache(include_submitted=params.include_submitted)
    # This year and last for the table and the month chart, the year before for last
    # year's growth on the chart: a handful of queries for all of them.
    year = params.period.year
    cache.prefetch([params.park], [year, year - 1, year - 2])
    rows = selectors.park_indicator_table(
        park=params.park,
        period=params.period,
        include_submitted=params.include_submitted,
        cache=cache,
    )
    ctx["table"] = _table(rows)
    # 报送率 beside the figures: a total is read with how complete the month is.
    ctx["reporting"] = selectors.reporting_summary(park=params.park, period=params.period)
    ctx["indicators"] = [(r.code, r.name) for r in rows if r.code in selectors.COMPUTED]
    ctx["has_data"] = any(r.has_data for r in rows)
    ctx["pending"] = any(r.status == DataStatus.SUBMITTED and not r.has_data for r in rows)
    ctx["time_progress"] = presenters.display_pct(formulas.time_progress_pct(params.period.month))
    main = next(r for r in rows if r.code == params.indicator)
    if ctx["has_data"]:
        ctx["headline"] = _headline(rows)
    if main.has_data:
        clusters = selectors.indicator_parts(
            park=params.park, period=params.period, code=main.code, by="cluster", cache=cache
        )
        share, pull = _cluster_charts(clusters, main)
        ctx["charts"] = {
            "series": _series_chart(params.park, params.period, main, cache),
            "share": share,
            "pull": pull,
        }
        ctx["parts"] = _parts_section(params, cache, main)
    ctx["main"] = main
    return ctx


@park_view
@route_policy(read="park_wide")
def index(request: HttpRequest) -> HttpResponse:
    """The 经济运行 page of one park and period (default: the latest counted period)."""
    params = _params(request)
    ctx: dict[str, Any] = {
        "p": params,
        "part_views": PART_VIEWS,
        "q": urlencode(params.query()),
        **_figures_cached(params),
    }
    if params.period is not None:
        # 亩均 reads every enterprise's report: its own request (htmx), like the ranking.
        mpage = request.GET.get("mpage")
        ctx["mujun_q"] = urlencode(params.query(**({"mpage": mpage} if mpage else {})))
    return render(request, "economy/index.html", ctx)


# ---------------------------------------------------------------------------------------------
# The region ranking (its own request: it reads every park of the region)
# ---------------------------------------------------------------------------------------------


def _ranking_context(request: HttpRequest, params: Params) -> dict[str, Any]:
    indicators = list(Indicator.objects.exclude(source=Indicator.Source.MODULE))
    by_code = {i.code: i for i in indicators}
    code = request.GET.get("rank", DEFAULT_INDICATOR)
    if code not in by_code:
        code = DEFAULT_INDICATOR
    metric = request.GET.get("metric", "value")
    if metric not in METRICS:
        metric = "value"
    indicator = by_code.get(code)
    ctx: dict[str, Any] = {
        "p": params,
        "indicators": [(i.code, i.name) for i in indicators],
        "metrics": METRICS,
        "rank_code": code,
        "metric": metric,
        "metric_label": METRICS[metric],
        "q": urlencode(params.query()),
        "indicator": indicator,
        "rows": [],
    }
    region = params.park.region
    if params.period is None or region is None or indicator is None:
        return ctx
    # The region's published table (DECISIONS.md, "Rankings are published"): the same
    # selector as the API and the monthly report.
    ranked = selectors.region_ranking(
        user=request.user, park=params.park, period=params.period, indicator=code, metric=metric
    )
    is_rate = indicator.kind == Indicator.Kind.RATE
    precision = indicator.precision

    def amount(value: Decimal | None) -> str:
        if is_rate:
            return presenters.display_pct(value)
        return presenters.display_amount(value, precision)

    def metric_text(value: Decimal | None) -> str:
        return amount(value) if metric == "value" else presenters.display_pct(value)

    def metric_chart(value: Decimal | None) -> str | None:
        if metric == "value" and not is_rate:
            return _chart_amount(value, indicator.unit)
        return _num(value, 1 if metric != "value" else precision)

    ctx.update(
        region=region,
        rows=[
            {
                "rank": r.rank,
                "code": r.park_code,
                "name": r.park_name,
                "value": amount(r.value),
                "yoy": presenters.display_pct(r.yoy_pct),
                "yoy_class": _growth_class(r.yoy_pct),
                "metric": metric_text(r.metric),
                "completion": presenters.display_pct(r.completion_pct),
                "current": r.park_code == params.park.code,
            }
            for r in ranked
        ],
        ranked=ranked,
        metric_unit=(
            ("%" if is_rate else _chart_unit(indicator.unit)) if metric == "value" else "%"
        ),
    )
    ctx["chart"] = {
        "kind": "ranking",
        "title": f"{region.name}各园区{indicator.name}{METRICS[metric]}（{params.period.label}）",
        "unit": ctx["metric_unit"],
        "current": params.park.code,
        "items": [
            {"code": r.park_code, "name": r.park_name, "metric": metric_chart(r.metric)}
            for r in ranked
            if r.metric is not None
        ],
    }
    return ctx


@park_view
@route_policy(read="park_wide")
def mujun(request: HttpRequest) -> HttpResponse:
    """The 亩均 panel (loaded by htmx into the page), or a page of its own without htmx."""
    params = _params(request)
    ctx: dict[str, Any] = {"p": params, "q": urlencode(params.query())}
    if params.period is not None:
        ctx["mujun"] = _mujun_section(request, params)
    else:
        ctx["mujun"] = {"count": 0}
    template = "economy/_mujun.html" if request.htmx else "economy/mujun.html"
    return render(request, template, ctx)


@park_view
@route_policy(read="park_wide")
def ranking(request: HttpRequest) -> HttpResponse:
    """The ranking panel (loaded by htmx into the page), or a page of its own without htmx."""
    params = _params(request)
    ctx = _ranking_context(request, params)
    template = "economy/_ranking.html" if request.htmx else "economy/ranking.html"
    return render(request, template, ctx)


# ---------------------------------------------------------------------------------------------
# Excel exports
# ---------------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
PCT = "0.0"


def _amount_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _rounded(value: Decimal | None, places: int) -> Decimal | None:
    """The number exactly as the page shows it (half up), so sheet and page agree."""
    return None if value is None else round_half_up(value, places)


@dataclass
class Sheet:
    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    formats: dict[int, str]  # column index → number format
    note: str = ""


def _workbook(sheet: Sheet, notes: list[str]) -> bytes:
    """Chinese headers in row 1 (so filters and pivots work), the rows, then the notes.

    Numbers are written as numbers, rounded exactly as the page shows them. Text that a
    spreadsheet would run as a formula (= + - @ …) gets a leading apostrophe.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.name
    ws.append(sheet.headers)
    for col in range(1, len(sheet.headers) + 1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in sheet.rows:
        append_row(ws, row)
        r = ws.max_row
        for col, fmt in sheet.formats.items():
            ws.cell(row=r, column=col + 1).number_format = fmt
    ws.append([])
    for line in [sheet.title, *notes, sheet.note]:
        if line:
            append_row(ws, [line])
    for i, header in enumerate(sheet.headers, start=1):
        width = max(10, min(40, len(header) * 2 + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.column_dimensions["A"].width = 30 if sheet.name == "拉动" else 22
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _indicators_sheet(params: Params, cache: selectors.ReportCache) -> Sheet:
    assert params.period is not None
    rows = selectors.park_indicator_table(
        park=params.park,
        period=params.period,
        include_submitted=params.include_submitted,
        cache=cache,
    )
    headers = ["指标", "单位", "1-本月", "本月", "同比(可比)%"]
    if params.nominal:
        headers.append("名义增速%")
    headers += ["目标", "完成%", "序时%", "超(慢)序时(百分点)", "数据状态", "来源"]
    formats: dict[int, str] = {4: PCT}
    out = []
    for r in rows:
        is_rate = r.kind == Indicator.Kind.RATE
        places = 1 if is_rate else r.precision
        line: list[Any] = [
            r.name,
            r.unit,
            _rounded(r.value, places),
            None if is_rate else _rounded(r.month_value, r.precision),
            _rounded(r.yoy_pct, 1),
        ]
        if params.nominal:
            line.append(_rounded(r.yoy_nominal_pct, 1))
        growth_target = r.target_kind == "growth" or is_rate
        line += [
            _rounded(r.target, 1 if growth_target else r.precision),
            _rounded(r.completion_pct, 1),
            _rounded(r.time_progress_pct, 1),
            _rounded(r.ahead_pp, 1),
            presenters.STATUS_LABELS.get(r.status, r.status or "无数据"),
            "；".join(r.sources),
        ]
        out.append(line)
    n = 1 if params.nominal else 0
    formats.update({5: PCT} if params.nominal else {})
    formats.update({2: _amount_format(2), 3: _amount_format(2), 5 + n: _amount_format(2)})
    formats.update({6 + n: PCT, 7 + n: PCT, 8 + n: PCT})
    return Sheet(
        name="主要指标",
        title=f"{params.park.name}主要经济指标（{params.period.label}）",
        headers=headers,
        rows=out,
        formats=formats,
        note=(
            "注：同比为可比口径（当期规上企业各自上年同期为基数）；序时进度 = 月份 ÷ 12；"
            "超(慢)序时 = 完成% − 序时%（个百分点）；增速目标一行为与目标增速之差。"
        ),
    )


def _parts_sheet(params: Params, cache: selectors.ReportCache) -> Sheet:
    assert params.period is not None
    parts = selectors.indicator_parts(
        park=params.park, period=params.period, code=params.indicator, by=params.by, cache=cache
    )
    name = Indicator.objects.get(code=params.indicator).name
    by_enterprise = params.by == "enterprise"
    headers = (
        ["企业名称", "统一社会信用代码", "产业集群"] if by_enterprise else ["产业集群", "企业数"]
    )
    headers += ["拉动(百分点)", "贡献率%", "1-本月(万元)", "上年同期(万元)", "同比(可比)%"]
    k = len(headers) - 5
    out = []
    for p in parts:
        head: list[Any] = (
            [p.name, p.key, p.cluster] if by_enterprise else [p.name, p.enterprise_count]
        )
        out.append(
            [
                *head,
                _rounded(p.pull_pp, 1),
                _rounded(p.contribution_pct, 1),
                _rounded(p.value, 2),
                _rounded(p.base, 2),
                _rounded(_part_growth(p), 1),
            ]
        )
    return Sheet(
        name="拉动",
        title=f"{params.park.name}{name}{PART_VIEWS[params.by]}拉动（{params.period.label}）",
        headers=headers,
        rows=out,
        formats={
            k: PCT,
            k + 1: PCT,
            k + 2: _amount_format(2),
            k + 3: _amount_format(2),
            k + 4: PCT,
        },
        note="注：拉动 = 该部分增量 ÷ 园区可比基数 × 100（个百分点）；贡献率 = 该部分增量 ÷ 园区增量 × 100%。",
    )


def _mujun_sheet(params: Params, cache: selectors.ReportCache) -> Sheet:
    assert params.period is not None
    rows, _ = selectors.mu_jun_evaluation(
        park=params.park,
        year=params.period.year,
        month=params.period.month,
        include_submitted=params.include_submitted,
    )
    headers = ["排名", "企业名称", "统一社会信用代码", "用地面积(亩)"]
    headers += [f"{formulas.MU_JUN_INDICATORS[c]}({u})" for c, u in MUJUN_COLUMNS]
    headers += ["综合得分", "评价类别", "类别名称"]
    out = []
    for i, r in enumerate(rows, start=1):
        out.append(
            [i, r.name, r.credit_code, _rounded(r.land_mu, 2)]
            + [_rounded(r.values.get(c), 2) for c, _ in MUJUN_COLUMNS]
            + [
                _rounded(r.score, 1),
                r.grade,
                formulas.MU_JUN_CLASS_NAMES.get(r.grade or "", ""),
            ]
        )
    formats = {3: _amount_format(2)}
    formats.update({4 + j: _amount_format(2) for j in range(len(MUJUN_COLUMNS))})
    formats[4 + len(MUJUN_COLUMNS)] = PCT
    return Sheet(
        name="亩均评价",
        title=f"{params.park.name}亩均效益评价（{params.period.label}）",
        headers=headers,
        rows=out,
        formats=formats,
        note=(
            "注：默认方案，亩均税收40、亩均营业收入30、单位电耗营业收入15、人均营业收入15分，"
            "基准为园区中位数，按缺项重新归一权重；类别按排名 A 10% / B 35% / C 45% / D 10%。"
        ),
    )


def _ranking_sheet(request: HttpRequest, params: Params) -> Sheet:
    ctx = _ranking_context(request, params)
    indicator = ctx["indicator"]
    title = f"{ctx.get('region', '')}各园区{indicator.name if indicator else ''}排名"
    return Sheet(
        name="园区排名",
        title=f"{title}（{params.period.label if params.period else ''}）",
        headers=[
            "名次",
            "园区代码",
            "园区名称",
            "1-本月",
            "同比(可比)%",
            "完成年度目标%",
            "排名口径",
        ],
        rows=[
            [
                r.rank,
                r.park_code,
                r.park_name,
                _rounded(r.value, indicator.precision if indicator else 2),
                _rounded(r.yoy_pct, 1),
                _rounded(r.completion_pct, 1),
                METRICS[ctx["metric"]],
            ]
            for r in ctx.get("ranked", [])
        ],
        formats={3: _amount_format(2), 4: PCT, 5: PCT},
    )


EXPORTS = {"indicators", "parts", "mujun", "ranking"}


@park_view
@route_policy(read="park_wide")
def export(request: HttpRequest) -> HttpResponse:
    """One table of the page as .xlsx: `?table=indicators|parts|mujun|ranking`."""
    table = request.GET.get("table", "indicators")
    params = _params(request)
    if table not in EXPORTS:
        return HttpResponse(
            f"未知的表“{table}”，可选：{'、'.join(sorted(EXPORTS))}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if params.period is None:
        return HttpResponse(
            "该园区还没有可导出的数据", status=404, content_type="text/plain; charset=utf-8"
        )
    cache = selectors.ReportCache(include_submitted=params.include_submitted)
    if table == "indicators":
        sheet = _indicators_sheet(params, cache)
    elif table == "parts":
        sheet = _parts_sheet(params, cache)
    elif table == "mujun":
        sheet = _mujun_sheet(params, cache)
    else:
        sheet = _ranking_sheet(request, params)
    notes = [f"园区：{params.park.name}（{params.park.code}）；报告期：{params.period.label}"]
    if params.include_submitted:
        notes.append("【" + SUBMITTED_NOTE + "】")
        sheet.name += "（含未审核）"
    data = _workbook(sheet, notes)
    filename = f"{params.park.code}-{sheet.name}-{params.period}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
