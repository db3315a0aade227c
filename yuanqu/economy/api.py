"""Economy API: the computed table, parts, ranking, series, 亩均, reports, indicators, targets.

Numbers are strings, exactly as the CLI's JSON (DECISIONS.md); park-wide figures are for users
who may read the whole park (not enterprise users), through the same scoped selectors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, enterprise_filter, parks_for
from yuanqu.core.pagination import BoundedLimitOffsetPagination
from yuanqu.core.periods import (
    MAX_YEAR,
    MIN_YEAR,
    Period,
    PeriodError,
    check_window,
    parse_period,
    period_window,
)
from yuanqu.economy import presenters, selectors
from yuanqu.economy.models import EnterpriseReport, Indicator, ParkIndicatorValue, Target
from yuanqu.registry.models import Park, Region

router = Router(tags=["经济运行"])


def _park(request: HttpRequest, code: str) -> Park:
    """A park whose park-wide figures the reader may read (the policy), else 404."""
    return policy.park_readable(request.user, code)


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc


# A year as a query parameter: the schema bounds it to what a `Period` can hold (so a huge
# number is a 422 from validation), `_year` then to the reporting window.
YEAR = {"ge": MIN_YEAR, "le": MAX_YEAR, "description": "年度（四位数字）"}


def _year(year: int, month: int = 12) -> Period:
    """The reporting period (year, month) when inside the window, else 422 in Chinese."""
    try:
        return check_window(Period(year, month))
    except PeriodError:
        low, high = period_window()
        if not low.year <= year <= high.year:
            raise HttpError(
                422, f"年度 {year} 不在允许的范围内（{low.year} 至 {high.year}）"
            ) from None
        raise HttpError(
            422, f"报告期 {year}-{month:02d} 不在允许的范围内（{low} 至 {high}）"
        ) from None


def _indicator(code: str) -> str:
    """A code of the indicator dictionary, else 422 naming it."""
    economy = Indicator.objects.exclude(source=Indicator.Source.MODULE)
    if not economy.filter(code=code).exists():
        known = "、".join(economy.values_list("code", flat=True))
        raise HttpError(422, f"未知指标“{code}”：可用 {known}")
    return code


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    period: str
    status: str | None
    source: str
    value: str | None
    month_value: str | None
    yoy_pct: str | None
    target: str | None
    target_kind: str | None
    completion_pct: str | None
    time_progress_pct: str | None
    ahead_pp: str | None
    yoy_nominal_pct: str | None = None
    expected: str | None = None
    reported: str | None = None


@router.get(
    "/indicators",
    exclude_unset=True,
    response=list[IndicatorOut],
    summary="园区指标表（与 yuanqu indicators --json 相同）",
)
@route_policy(read="park_wide")
def indicators(
    request: HttpRequest,
    park: str,
    period: str,
    exact: bool = False,
    nominal: bool = False,
    include_submitted: bool = False,
) -> list[dict[str, Any]]:
    p = _park(request, park)
    at = _period(period)
    cache = selectors.ReportCache(include_submitted=include_submitted)
    cache.prefetch([p], [at.year, at.year - 1])
    rows = selectors.park_indicator_table(
        park=p, period=at, include_submitted=include_submitted, cache=cache
    )
    rate = selectors.reporting_summary(park=p, period=_period(period))
    return [
        presenters.indicator_json(r, exact_=exact, nominal=nominal, reporting=rate) for r in rows
    ]


class PartOut(Schema):
    key: str
    name: str
    cluster: str
    value: str | None
    base: str | None
    pull_pp: str | None
    contribution_pct: str | None


@router.get("/parts", response=list[PartOut], summary="按企业或集群的拉动与贡献率")
@route_policy(read="park_wide")
def parts(
    request: HttpRequest,
    park: str,
    period: str,
    indicator: str = "industrial_output",
    by: str = "cluster",
    exact: bool = False,
    include_submitted: bool = False,
) -> list[dict[str, Any]]:
    p = _park(request, park)
    try:
        rows = selectors.indicator_parts(
            park=p,
            period=_period(period),
            code=indicator,
            by=by,
            include_submitted=include_submitted,
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return [presenters.part_json(r, exact_=exact) for r in rows]


class RankOut(Schema):
    park: str
    name: str
    rank: int | None
    value: str | None
    yoy_pct: str | None
    metric: str | None
    completion_pct: str | None


@router.get(
    "/ranking",
    response=list[RankOut],
    summary="本地区园区排名（按地区发布：名次、园区、总量、增速、完成率）",
)
@route_policy(read="park_wide")
def ranking(
    request: HttpRequest,
    period: str,
    park: str = "",
    region: str = "",
    indicator: str = "industrial_output",
    metric: str = "value",
    exact: bool = False,
) -> list[dict[str, Any]]:
    """The same table as the ranking page and the monthly report (`selectors.region_ranking`):
    every park of the region of `park` (or of `region`, for a reader of one of its parks)."""
    if not park and not region:
        # Neither given: the reader's own park (the first it may read), as the page does.
        own = next(
            (
                x
                for x in parks_for(request.user).order_by("code")
                if policy.can_read_park(request.user, x)
            ),
            None,
        )
        if own is None:
            raise ScopeDenied("没有可查看排名的园区：请用 park=园区代码 或 region=地区代码 指定")
        park = own.code
    if park:
        p = _park(request, park)
    else:
        reg = Region.objects.filter(code=region).first() if region else None
        readable = [
            x
            for x in parks_for(request.user).filter(region=reg).order_by("code")
            if reg is not None and policy.can_read_park(request.user, x)
        ]
        if not readable:
            raise ScopeDenied(f"地区“{region}”不存在或无权访问")
        p = readable[0]
    if metric not in selectors.RANK_METRICS:
        raise HttpError(422, "排名口径只能是 value（总量）、yoy（增速）或 completion（完成率）")
    if indicator not in {i.code for i in Indicator.objects.exclude(source=Indicator.Source.MODULE)}:
        raise HttpError(422, f"未知指标“{indicator}”")
    try:
        rows = selectors.region_ranking(
            user=request.user, park=p, period=_period(period), indicator=indicator, metric=metric
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return [presenters.rank_json(r, exact_=exact, metric=metric) for r in rows]


class SeriesOut(Schema):
    period: str
    value: str | None
    month_value: str | None
    yoy_pct: str | None
    mom_pct: str | None  # 环比, raw (not seasonally adjusted)


@router.get("/series", response=list[SeriesOut], summary="某指标逐月累计、当月与增速")
@route_policy(read="park_wide")
def series(
    request: HttpRequest,
    park: str,
    year: int = Query(..., **YEAR),
    indicator: str = "industrial_output",
) -> list[dict[str, Any]]:
    p = _park(request, park)
    _year(year, 2)
    points = selectors.indicator_series(park=p, year=year, code=_indicator(indicator))
    return [
        {
            "period": str(pt.period),
            "value": presenters.exact(pt.value),
            "month_value": presenters.exact(pt.month_value),
            "yoy_pct": presenters.pct(pt.yoy_pct),
            "mom_pct": presenters.pct(pt.mom_pct),
        }
        for pt in points
    ]


class MuJunOut(Schema):
    credit_code: str
    name: str
    land_mu: str | None
    tax_per_mu: str | None
    revenue_per_mu: str | None
    revenue_per_kwh: str | None
    revenue_per_capita: str | None
    score: str | None
    grade: str | None


@router.get("/mujun", response=list[MuJunOut], summary="亩均评价（默认方案）")
@route_policy(read="park_wide")
def mujun(
    request: HttpRequest,
    park: str,
    year: int = Query(..., **YEAR),
    month: int = Query(12, ge=1, le=12, description="月份（1-12）"),
) -> list[dict[str, Any]]:
    p = _park(request, park)
    _year(year, month)
    rows, _ = selectors.mu_jun_evaluation(park=p, year=year, month=month)
    return [
        {
            "credit_code": r.credit_code,
            "name": r.name,
            "land_mu": presenters.exact(r.land_mu),
            **{k: presenters.exact(v) for k, v in r.values.items()},
            "score": presenters.pct(r.score),
            "grade": r.grade,
        }
        for r in rows
    ]


class DictionaryOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    source: str
    kind: str
    department: str
    precision: int


@router.get("/dictionary", response=list[DictionaryOut], summary="指标字典")
@route_policy(read="authenticated")
def dictionary(request: HttpRequest) -> list[Indicator]:
    return list(Indicator.objects.all())


class ReportOut(Schema):
    credit_code: str
    name: str
    period: str
    unit: str
    output_month: Decimal | None
    output_ytd: Decimal | None
    output_month_ly: Decimal | None
    output_ytd_ly: Decimal | None
    sales_ytd: Decimal | None
    export_ytd: Decimal | None
    revenue_ytd: Decimal | None
    revenue_ytd_ly: Decimal | None
    profit_ytd: Decimal | None
    profit_ytd_ly: Decimal | None
    employees: Decimal | None

    @staticmethod
    def resolve_credit_code(obj: EnterpriseReport) -> str:
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_name(obj: EnterpriseReport) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_period(obj: EnterpriseReport) -> str:
        return f"{obj.year}-{obj.month:02d}"


@router.get(
    "/reports", response=list[ReportOut], summary="企业月度报表（按数据范围；企业用户只见本企业）"
)
@route_policy(read="park")
@paginate(BoundedLimitOffsetPagination)
def reports(request: HttpRequest, park: str = "", period: str = "", credit_code: str = ""):
    qs = EnterpriseReport.objects.filter(
        enterprise_filter(request.user, "enterprise__")
    ).select_related("enterprise")
    if park:
        if not parks_for(request.user).filter(code=park).exists():
            raise ScopeDenied(f"园区“{park}”不存在或无权访问")
        qs = qs.filter(park__code=park)
    if period:
        p = _period(period)
        qs = qs.filter(year=p.year, month=p.month)
    if credit_code:
        qs = qs.filter(enterprise__credit_code=credit_code)
    return qs.order_by("year", "month", "enterprise__credit_code")


class ParkValueOut(Schema):
    indicator: str
    period: str
    basis: str
    value: Decimal | None
    month_value: Decimal | None
    yoy_pct: Decimal | None
    note: str

    @staticmethod
    def resolve_indicator(obj: ParkIndicatorValue) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_period(obj: ParkIndicatorValue) -> str:
        return f"{obj.year}-{obj.month:02d}"


@router.get("/park-indicators", response=list[ParkValueOut], summary="部门发布的园区指标")
@route_policy(read="park_wide")
@paginate(BoundedLimitOffsetPagination)
def park_indicators(request: HttpRequest, park: str, year: int | None = Query(None, **YEAR)):
    p = _park(request, park)
    qs = ParkIndicatorValue.objects.filter(park=p).select_related("indicator")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("indicator__sort_order", "year", "month", "basis")


class TargetOut(Schema):
    indicator: str
    year: int
    kind: str
    value: Decimal
    note: str

    @staticmethod
    def resolve_indicator(obj: Target) -> str:
        return obj.indicator.code


@router.get("/targets", response=list[TargetOut], summary="年度目标")
@route_policy(read="park_wide")
def targets(
    request: HttpRequest, park: str, year: int | None = Query(None, **YEAR)
) -> list[Target]:
    # A target's year is a plan year, not a reporting period: no window, only the bounds.
    p = _park(request, park)
    qs = Target.objects.filter(park=p).select_related("indicator")
    if year:
        qs = qs.filter(year=year)
    return list(qs.order_by("year", "indicator__sort_order"))
