"""Export of 项目资金: the funds ledger (万元), in the `funds` import layout plus 到位/支出."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yuanqu.funding import selectors
from yuanqu.imports.exporters import _readable_parks
from yuanqu.imports.workbooks import Export, exporter


@exporter("funds", park_wide=True)
def export_funds(
    *, user: Any = None, park: str | None = None, year: int | str | None = None, **_: Any
) -> Export:
    parks = _readable_parks(user)
    if park:
        parks = parks.filter(code=park)
    try:
        the_year = int(year) if year else None
    except ValueError as exc:
        raise ValueError("年度应为四位年份") from exc
    headers = [
        "资金编号",
        "资金名称",
        "资金类型",
        "年度",
        "项目编号",
        "申报金额",
        "下达金额",
        "到位",
        "支出",
        "支出进度(%)",
    ]

    def lines() -> Iterator[list[Any]]:
        from yuanqu.core.wording import round_half_up
        from yuanqu.funding.models import Fund

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
