"""Exports of 项目资金, each in its import layout (万元) so that a file exported, corrected and
imported again changes only what was corrected: `funds` (申报 and 下达, with 到位, 支出 and
支出进度 beside them for reading — the importer ignores those columns), `fund-flows` (到位 and
支出 by month) and `fund-applications` (拟申报)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from yuanqu.funding import selectors
from yuanqu.funding.models import Fund, FundApplication, FundFlow
from yuanqu.imports.exporters import _readable_parks
from yuanqu.imports.workbooks import Export, exporter
from yuanqu.registry.models import Park


def _parks(user: Any, park: str | None) -> QuerySet[Park]:
    parks = _readable_parks(user)
    return parks.filter(code=park) if park else parks


def _year(year: int | str | None) -> int | None:
    try:
        return int(year) if year else None
    except ValueError as exc:
        raise ValueError("年度应为四位年份，例如 --year 2022") from exc


@exporter("funds", park_wide=True)
def export_funds(
    *, user: Any = None, park: str | None = None, year: int | str | None = None, **_: Any
) -> Export:
    """项目资金台账: the `funds` import columns, then 到位, 支出 and 支出进度 to the period's end."""
    parks, the_year = _parks(user, park), _year(year)
    headers = ["资金编号", "资金名称", "资金类型", "年度", "项目编号", "申报金额", "下达金额"]
    headers += ["到位累计", "支出累计", "支出进度(%)"]

    def lines() -> Iterator[list[Any]]:
        from yuanqu.core.wording import round_half_up

        for p in parks.order_by("code"):
            years = (
                [the_year]
                if the_year
                else sorted(set(Fund.objects.filter(park=p).values_list("year", flat=True)))
            )
            for y in years:
                for r in selectors.fund_rows(park=p, year=y):
                    f = r.fund
                    yield [
                        f.code,
                        f.name,
                        f.get_fund_type_display(),
                        f.year,
                        f.project.code if f.project_id else "",
                        f.applied,
                        f.approved,
                        r.received,
                        r.spent,
                        "" if r.progress_pct is None else round_half_up(r.progress_pct, 1),
                    ]

    return Export("项目资金台账", headers, lines(), unit_line="单位：万元")


@exporter("fund-flows", park_wide=True)
def export_fund_flows(
    *, user: Any = None, park: str | None = None, year: int | str | None = None, **_: Any
) -> Export:
    """资金到位与支出: one row per fund and month, in the `fund-flows` import layout."""
    qs = FundFlow.objects.filter(fund__park__in=_parks(user, park)).select_related("fund")
    the_year = _year(year)
    if the_year:
        qs = qs.filter(year=the_year)
    headers = ["资金编号", "月份", "本月到位", "本月支出"]

    def lines() -> Iterator[list[Any]]:
        for flow in qs.order_by("fund__park__code", "fund__code", "year", "month"):
            yield [flow.fund.code, f"{flow.year}-{flow.month:02d}", flow.received, flow.spent]

    return Export("资金到位与支出", headers, lines(), unit_line="单位：万元")


@exporter("fund-applications", park_wide=True)
def export_fund_applications(
    *, user: Any = None, park: str | None = None, year: int | str | None = None, **_: Any
) -> Export:
    """拟申报资金项目 (by the year they were prepared in), in the `fund-applications` layout."""
    qs = FundApplication.objects.filter(park__in=_parks(user, park)).select_related("project")
    the_year = _year(year)
    if the_year:
        qs = qs.filter(declared_year=the_year)
    headers = ["项目名称", "资金类型", "申报年度", "拟申报年度", "拟申请资金", "项目编号"]

    def lines() -> Iterator[list[Any]]:
        for a in qs.order_by("park__code", "declared_year", "target_year", "project_name"):
            yield [
                a.project_name,
                a.get_fund_type_display(),
                a.declared_year,
                a.target_year,
                a.amount,
                a.project.code if a.project_id else "",
            ]

    return Export("拟申报资金项目", headers, lines(), unit_line="单位：万元")
