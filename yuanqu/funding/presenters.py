"""How 项目资金 figures are shown (CLI, API, pages): exact 万元 strings, 亿元 to two decimals,
支出进度 rounded half-up to one decimal."""

from __future__ import annotations

from typing import Any

from yuanqu.funding.selectors import FundRow, TypeTotals
from yuanqu.projects.presenters import pct, wan, yi


def type_json(t: TypeTotals, *, exact: bool = False) -> dict[str, Any]:
    return {
        "fund_type": t.fund_type,
        "name": t.label,
        "funds": str(t.count),
        "projects": str(t.projects),
        "applied": wan(t.applied),
        "approved": wan(t.approved),
        "received": wan(t.received),
        "spent": wan(t.spent),
        "spending_pct": pct(t.progress_pct, exact),
        "fully_spent_month": str(t.fully_spent_month) if t.fully_spent_month else None,
    }


def fund_json(r: FundRow, *, exact: bool = False) -> dict[str, Any]:
    f = r.fund
    return {
        "code": f.code,
        "name": f.name,
        "fund_type": f.get_fund_type_display(),
        "year": str(f.year),
        "project": f.project.name if f.project_id else "",
        "applied": wan(f.applied),
        "approved": wan(f.approved),
        "received": wan(r.received),
        "spent": wan(r.spent),
        "spending_pct": pct(r.progress_pct, exact),
        "fully_spent_month": str(r.fully_spent_month) if r.fully_spent_month else None,
    }


def applications_json(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "fund_type": a["fund_type"],
            "name": a["label"],
            "projects": str(a["projects"]),
            "amount": wan(a["amount"]),
            "amount_yi": yi(a["amount"]),
            "by_year": {str(y): wan(v) for y, v in a["by_year"].items()},
        }
        for a in apps
    ]
