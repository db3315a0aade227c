"""Reads of 项目资金: each fund's 到位 and 支出 to a month, totals by type, the month a year's
money was fully spent, and the applications (拟申报) made in a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yuanqu.funding import formulas
from yuanqu.funding.models import Fund, FundApplication, FundFlow, FundType
from yuanqu.registry.models import Park


@dataclass
class FundRow:
    fund: Fund
    received: Decimal
    spent: Decimal
    progress_pct: Decimal | None
    fully_spent_month: int | None
    flows: list[FundFlow] = field(default_factory=list)


@dataclass
class TypeTotals:
    fund_type: str
    label: str
    count: int = 0
    projects: int = 0
    applied: Decimal = Decimal(0)
    approved: Decimal = Decimal(0)
    received: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    progress_pct: Decimal | None = None
    fully_spent_month: int | None = None


def fund_rows(*, park: Park, year: int, month: int = 12) -> list[FundRow]:
    """The park's funds of `year` with 到位 and 支出 from January to `month`."""
    funds = list(
        Fund.objects.filter(park=park, year=year)
        .select_related("project")
        .order_by("fund_type", "code")
    )
    flows: dict[int, list[FundFlow]] = {}
    for f in FundFlow.objects.filter(fund__in=funds, year=year, month__lte=month).order_by("month"):
        flows.setdefault(f.fund_id, []).append(f)
    rows = []
    for fund in funds:
        mine = flows.get(fund.pk, [])
        received = sum((f.received for f in mine), Decimal(0))
        spent = sum((f.spent for f in mine), Decimal(0))
        rows.append(
            FundRow(
                fund=fund,
                received=received,
                spent=spent,
                progress_pct=formulas.spending_progress_pct(spent, received),
                fully_spent_month=formulas.fully_spent_month(
                    (f.month, f.received, f.spent) for f in mine
                ),
                flows=mine,
            )
        )
    return rows


def fund_summary(*, park: Park, year: int, month: int = 12) -> dict[str, Any]:
    """Totals by fund type for `year` (to `month`), and the year's applications (拟申报)."""
    rows = fund_rows(park=park, year=year, month=month)
    by_type = []
    for value, label in FundType.choices:
        mine = [r for r in rows if r.fund.fund_type == value]
        t = TypeTotals(fund_type=value, label=label, count=len(mine))
        t.projects = len({r.fund.project_id or -r.fund.pk for r in mine})
        for r in mine:
            t.applied += r.fund.applied
            t.approved += r.fund.approved
            t.received += r.received
            t.spent += r.spent
        t.progress_pct = formulas.spending_progress_pct(t.spent, t.received)
        t.fully_spent_month = formulas.fully_spent_month(
            _by_month([f for r in mine for f in r.flows])
        )
        by_type.append(t)
    apps = list(
        FundApplication.objects.filter(park=park, declared_year=year).order_by(
            "fund_type", "target_year", "project_name"
        )
    )
    applications = []
    for value, label in FundType.choices:
        mine_apps = [a for a in apps if a.fund_type == value]
        if not mine_apps:
            continue
        years: dict[int, Decimal] = {}
        for a in mine_apps:
            years[a.target_year] = years.get(a.target_year, Decimal(0)) + a.amount
        applications.append(
            {
                "fund_type": value,
                "label": label,
                "projects": len({a.project_name for a in mine_apps}),
                "amount": sum((a.amount for a in mine_apps), Decimal(0)),
                "by_year": dict(sorted(years.items())),
                "rows": mine_apps,
            }
        )
    return {"rows": rows, "types": by_type, "applications": applications}


def _by_month(flows: list[FundFlow]) -> list[tuple[int, Decimal, Decimal]]:
    months: dict[int, list[Decimal]] = {}
    for f in flows:
        m = months.setdefault(f.month, [Decimal(0), Decimal(0)])
        m[0] += f.received
        m[1] += f.spent
    return [(k, v[0], v[1]) for k, v in months.items()]


def type_totals(summary: dict[str, Any], fund_type: str) -> TypeTotals:
    found: TypeTotals = next(t for t in summary["types"] if t.fund_type == fund_type)
    return found


def applications_of(summary: dict[str, Any], fund_type: str) -> dict[str, Any] | None:
    return next((a for a in summary["applications"] if a["fund_type"] == fund_type), None)
