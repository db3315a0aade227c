"""本企业: the enterprise user's own page (its figures over the years, a chart, its growth, its
submissions and their status, its 亩均 class). Other users have the park's pages instead."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yuanqu.accounts.policy import route_policy
from yuanqu.core.wording import fmt_decimal
from yuanqu.economy import presenters
from yuanqu.mine import selectors

MONTHS = ["1-2月"] + [f"{m}月" for m in range(3, 13)]  # January is reported with February


def _chart_value(value: Decimal | None, places: int = 2) -> str | None:
    return None if value is None else fmt_decimal(value, places)


def _series_chart(rows: list[selectors.OwnRow], year: int, name: str) -> dict[str, Any]:
    """The economy page's month chart (`static/js/economy.js`, kind "series") for the
    enterprise's own 工业总产值: `year` against the year before, with its own growth."""

    def by_month(y: int) -> dict[int, selectors.OwnRow]:
        return {r.period.month: r for r in rows if r.period.year == y}

    this, last = by_month(year), by_month(year - 1)
    months = [2, *range(3, 13)]

    def pick(source: dict[int, selectors.OwnRow], field: str) -> list[str | None]:
        return [_chart_value(getattr(source[m], field)) if m in source else None for m in months]

    return {
        "kind": "series",
        "title": f"{name}工业总产值：{year}年与{year - 1}年逐月对比",
        "unit": "万元",
        "months": MONTHS,
        "this_label": f"{year}年",
        "last_label": f"{year - 1}年",
        "month": {"this": pick(this, "output_month"), "last": pick(last, "output_month")},
        "ytd": {"this": pick(this, "output_ytd"), "last": pick(last, "output_ytd")},
        "growth": [_chart_value(this[m].output_growth, 1) if m in this else None for m in months],
    }


def _row(r: selectors.OwnRow) -> dict[str, Any]:
    def amount(v: Decimal | None) -> str:
        return presenters.display_amount(v, 2)

    return {
        "period": str(r.period),
        "label": r.period.label,
        "status": r.status or "—",
        "counted": r.counted,
        "output_month": amount(r.output_month),
        "output_ytd": amount(r.output_ytd),
        "output_growth": presenters.display_pct(r.output_growth),
        "revenue_ytd": amount(r.revenue_ytd),
        "revenue_growth": presenters.display_pct(r.revenue_growth),
        "profit_ytd": amount(r.profit_ytd),
        "profit_ytd_ly": amount(r.profit_ytd_ly),
        "employees": presenters.display_amount(r.employees, 0),
    }


@login_required
@route_policy(read="authenticated")
def index(request: HttpRequest) -> HttpResponse:
    enterprise = selectors.own_enterprise(user=request.user)
    if enterprise is None:
        if getattr(request.user, "role", "") == "enterprise":
            return render(request, "mine/unbound.html", status=404)
        # Staff reach park figures through 经济运行; the home page leads there.
        messages.info(request, "“本企业”页面只供企业用户使用；园区的数据请看“经济运行”")
        return redirect("home")
    rows = selectors.own_reports(enterprise=enterprise)
    years = sorted({r.period.year for r in rows}, reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        year = years[0] if years else 0
    if year not in years:
        year = years[0] if years else 0
    context = {
        "enterprise": enterprise,
        "years": years,
        "year": year,
        "rows": [_row(r) for r in reversed(rows)],  # newest first
        "chart": _series_chart(rows, year, enterprise.name) if rows else None,
        "submissions": selectors.own_submissions(user=request.user)[:20],
        "mujun": selectors.own_mu_jun_class(enterprise=enterprise),
    }
    return render(request, "mine/index.html", context)
