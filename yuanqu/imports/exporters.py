"""Exports of every kind, read through the same scopes as pages and the API.

`user=None` is the command-line operator (everything); a web or API user sees only its scope:
an enterprise user its own enterprise's rows, and no park-wide kind (`park_wide=True`, refused
by `workbooks.run_export` and empty here as a second line).
Headers are the import templates' headers, so each export imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from yuanqu.accounts import policy
from yuanqu.accounts.scopes import enterprise_filter, parks_for
from yuanqu.core.periods import parse_period
from yuanqu.core.wording import convert_amount, round_half_up
from yuanqu.economy.models import EnterpriseReport, ParkIndicatorValue, Target
from yuanqu.imports.workbooks import Export, exporter
from yuanqu.registry.models import Enterprise, EnterpriseScale, Park

AMOUNT = "#,##0.00"
PCT = "0.0"


def _parks(user: Any) -> Any:
    return Park.objects.all() if user is None else parks_for(user)


def _readable_parks(user: Any) -> Any:
    """Parks whose park-wide figures the reader may read (the access policy): none for an
    enterprise user, whose `parks_for` holds its own park only for the park's name."""
    if user is None:
        return Park.objects.all()
    if not policy.reads_park_wide(user):
        return Park.objects.none()
    return parks_for(user)


def _enterprises(user: Any) -> Any:
    qs = Enterprise.objects.all()
    return qs if user is None else qs.filter(enterprise_filter(user))


def _park_filter(qs: Any, park: str | None, field: str = "park__code") -> Any:
    return qs.filter(**{field: park}) if park else qs


@exporter("parks")
def export_parks(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    qs = _park_filter(_parks(user), park, "code").order_by("code")
    headers = [
        "代码",
        "开发区名称",
        "省份",
        "城市/区县",
        "批准级别",
        "开发区类型",
        "批准时间",
        "核准面积_公顷",
        "主导产业",
    ]

    def rows() -> Iterator[list[Any]]:
        for p in qs:
            raw = p.raw or {}
            yield [
                p.code,
                p.name,
                p.province,
                p.city_county,
                raw.get("批准级别") or p.get_level_display(),
                raw.get("开发区类型") or p.get_park_type_display(),
                p.approval_date,
                p.approved_area_ha,
                p.leading_industries,
            ]

    return Export("园区名录", headers, rows(), number_formats={7: "0.00"})


@exporter("enterprises")
def export_enterprises(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    qs = (
        _park_filter(_enterprises(user), park)
        .select_related("park", "cluster")
        .order_by("park__code", "name")
    )
    headers = [
        "统一社会信用代码",
        "企业名称",
        "园区代码",
        "产业集群",
        "行业代码",
        "用地面积(亩)",
        "成立日期",
    ]

    def rows() -> Iterator[list[Any]]:
        for e in qs:
            yield [
                e.credit_code,
                e.name,
                e.park.code,
                e.cluster.name if e.cluster_id else "",
                e.industry_code,
                e.land_area_mu,
                e.established_on.isoformat() if e.established_on else "",
            ]

    return Export("企业名录", headers, rows(), number_formats={5: "0.00"})


@exporter("enterprise-scale")
def export_scale(
    *, user: Any = None, park: str | None = None, year: int | None = None, **_: Any
) -> Export:
    qs = EnterpriseScale.objects.filter(enterprise__in=_enterprises(user)).select_related(
        "enterprise"
    )
    qs = _park_filter(qs, park, "enterprise__park__code")
    if year:
        qs = qs.filter(year=year)
    headers = [
        "统一社会信用代码",
        "企业名称",
        "年度",
        "是否规上",
        "入库方式",
        "入库月份",
        "退库原因",
    ]

    def rows() -> Iterator[list[Any]]:
        for s in qs.order_by("enterprise__credit_code", "year"):
            yield [
                s.enterprise.credit_code,
                s.enterprise.name,
                s.year,
                "是" if s.is_above_scale else "否",
                s.get_entry_display() if s.entry else "",
                s.entry_month,
                s.exit_reason,
            ]

    return Export("规上企业名单", headers, rows())


def _report_columns() -> list[tuple[str, str]]:
    from yuanqu.economy.importers import EnterpriseReportImporter

    skip = {"credit_code", "name", "period", "correction"}
    return [
        (f.name, f.label)
        for f in EnterpriseReportImporter.fields
        if f.name not in skip and not f.name.startswith("x")
    ]


@exporter("enterprise-reports")
def export_reports(
    *,
    user: Any = None,
    park: str | None = None,
    period: str | None = None,
    year: int | None = None,
    **_: Any,
) -> Export:
    qs = (
        EnterpriseReport.objects.filter(enterprise_filter(user, "enterprise__"))
        if user
        else EnterpriseReport.objects.all()
    )
    qs = _park_filter(qs, park).select_related("enterprise")
    if period:
        p = parse_period(period)
        qs = qs.filter(year=p.year, month=p.month)
    elif year:
        qs = qs.filter(year=year)
    # Only the columns that hold figures: a blank cell under a present column reads back as 0
    # (the forms write 0 as blank), so an absent figure must stay an absent column.
    from django.db.models import Count

    present = qs.aggregate(**{name: Count(name) for name, _ in _report_columns()})
    columns = [(name, label) for name, label in _report_columns() if present[name]]
    headers = ["统一社会信用代码", "企业名称", "报告期", *(label for _, label in columns)]
    money = {name for name, _ in columns if not name.startswith(("electricity", "employees"))}

    def rows() -> Iterator[list[Any]]:
        for r in qs.order_by("year", "month", "enterprise__credit_code").iterator(chunk_size=2000):
            values = []
            for name, _ in columns:
                v = getattr(r, name)
                # One unit per file: amounts in 千元 (the forms' unit), converted exactly.
                if v is not None and name in money and r.unit != "千元":
                    v = convert_amount(v, r.unit, "千元")
                values.append(v.normalize() if isinstance(v, Decimal) else v)
            yield [r.enterprise.credit_code, r.enterprise.name, f"{r.year}-{r.month:02d}", *values]

    formats = {i: AMOUNT for i in range(3, len(headers))}
    return Export("企业月度报表", headers, rows(), unit_line="单位：千元", number_formats=formats)


@exporter("park-indicators", park_wide=True)
def export_park_indicators(
    *, user: Any = None, park: str | None = None, year: int | None = None, **_: Any
) -> Export:
    qs = ParkIndicatorValue.objects.filter(park__in=_readable_parks(user)).select_related(
        "park", "indicator"
    )
    qs = _park_filter(qs, park)
    if year:
        qs = qs.filter(year=year)
    headers = [
        "园区代码",
        "指标",
        "报告期",
        "1-本月累计",
        "本月",
        "增速(%)",
        "单位",
        "口径",
        "备注",
    ]

    def rows() -> Iterator[list[Any]]:
        for v in qs.order_by("park__code", "indicator__sort_order", "year", "month"):
            yield [
                v.park.code,
                v.indicator.name,
                f"{v.year}-{v.month:02d}",
                v.value,
                v.month_value,
                v.yoy_pct,
                v.indicator.unit,
                v.get_basis_display(),
                v.note,
            ]

    return Export("园区指标", headers, rows(), number_formats={3: AMOUNT, 4: AMOUNT, 5: PCT})


@exporter("targets", park_wide=True)
def export_targets(
    *, user: Any = None, park: str | None = None, year: int | None = None, **_: Any
) -> Export:
    qs = Target.objects.filter(park__in=_readable_parks(user)).select_related("park", "indicator")
    qs = _park_filter(qs, park)
    if year:
        qs = qs.filter(year=year)
    headers = ["园区代码", "指标", "年度", "目标类型", "目标值", "单位", "备注"]

    def rows() -> Iterator[list[Any]]:
        for t in qs.order_by("park__code", "year", "indicator__sort_order"):
            yield [
                t.park.code,
                t.indicator.name,
                t.year,
                "总量" if t.kind == "level" else "增速",
                t.value,
                t.indicator.unit if t.kind == "level" else "%",
                t.note,
            ]

    return Export("年度目标", headers, rows(), number_formats={4: AMOUNT})


@exporter("enterprise-summary", park_wide=True)
def export_summary(
    *, user: Any = None, park: str | None = None, period: str | None = None, **_: Any
) -> Export:
    """规上工业企业主要指标 by enterprise for one park and period, for printing (万元)."""
    from yuanqu.economy import selectors

    if not park or not period:
        raise ValueError("规上工业企业主要指标汇总表需要 --park 和 --period")
    park_obj = _readable_parks(user).filter(code=park).first()
    if park_obj is None:
        raise ValueError(f"园区“{park}”不存在或无权访问")
    p = parse_period(period)
    cache = selectors.ReportCache()
    output = {
        f.credit_code: f
        for f in selectors.enterprise_figures(
            cache.report_set(park_obj, p), "industrial_output", cache
        )
    }
    revenue = {
        f.credit_code: f
        for f in selectors.enterprise_figures(cache.report_set(park_obj, p), "revenue", cache)
    }
    profit = {
        f.credit_code: f
        for f in selectors.enterprise_figures(cache.report_set(park_obj, p), "total_profit", cache)
    }
    from yuanqu.economy import formulas

    headers = [
        "序号",
        "企业名称",
        "产业集群",
        f"工业总产值{p.ytd_label}",
        "上年同期",
        "增速(%)",
        "营业收入",
        "营业收入增速(%)",
        "利润总额",
        "利润总额上年同期",
    ]

    def rows() -> Iterator[list[Any]]:
        ordered = sorted(output.values(), key=lambda f: -f.current)
        for i, f in enumerate(ordered, start=1):
            rev = revenue.get(f.credit_code)
            prof = profit.get(f.credit_code)
            growth = formulas.comparable_growth_pct([f])
            rev_growth = formulas.comparable_growth_pct([rev]) if rev else None
            yield [
                i,
                f.name,
                f.cluster,
                f.current,
                f.base,
                round_half_up(growth, 1) if growth is not None else None,
                rev.current if rev else None,
                round_half_up(rev_growth, 1) if rev_growth is not None else None,
                prof.current if prof else None,
                prof.base if prof else None,
            ]

    return Export(
        f"{park_obj.name}规模以上工业企业主要指标（{p.label}）",
        headers,
        rows(),
        unit_line="单位：万元",
        number_formats={3: AMOUNT, 4: AMOUNT, 5: PCT, 6: AMOUNT, 7: PCT, 8: AMOUNT, 9: AMOUNT},
    )


@exporter("import-log")
def export_import_log(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    """The import log as the 数据导入 page lists it (the user's scope), newest first."""
    from django.utils import timezone

    from yuanqu.imports.engine import kind_label
    from yuanqu.imports.models import ImportRecord
    from yuanqu.imports.selectors import import_list_for

    qs = (
        ImportRecord.objects.select_related("user", "park")
        if user is None
        else import_list_for(user=user)
    )
    qs = _park_filter(qs, park)
    counts = ("rows", "new", "changed", "unchanged", "deleted", "errors", "warnings")
    headers = [
        "时间",
        "导入人",
        "数据类型",
        "园区代码",
        "报告期",
        "文件名",
        "SHA-256",
        "结果",
        *("读取", "新增", "变更", "不变", "删除", "错误", "警告"),
    ]

    def rows() -> Iterator[list[Any]]:
        for r in qs.order_by("-created_at", "-id"):
            c = r.counts or {}
            yield [
                timezone.localtime(r.created_at).replace(tzinfo=None, microsecond=0),
                r.user.username if r.user else "命令行",
                kind_label(r.kind),
                r.park.code if r.park else "",
                r.period,
                r.file_name,
                r.sha256,
                r.get_status_display(),
                *(c.get(k, 0) for k in counts),
            ]

    return Export("导入记录", headers, rows())
