"""The figures of 企业诉求 and 惠企政策兑现 as strings, one shape for `yuanqu service --json`, the
API, the pages and the report: amounts in 万元 exactly (4 decimals stripped of trailing zeros),
rates half-up to one decimal (`exact=True`: unrounded)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from yuanqu.core.wording import fmt_decimal
from yuanqu.registry.models import Park
from yuanqu.service_requests import selectors
from yuanqu.service_requests.models import ServiceRequest


def pct(value: Decimal | None, exact: bool = False, places: int = 1) -> str | None:
    if value is None:
        return None
    return str(value) if exact else fmt_decimal(value, places)


def wan(value: Decimal) -> str:
    """万元 exactly as stored, without trailing zeros ("1200", "35.5")."""
    text = format(value.normalize(), "f")
    return text


def stats_json(s: selectors.RequestStats, *, exact: bool = False) -> dict[str, Any]:
    return {
        "key": s.key,
        "name": s.label,
        "received": str(s.received),
        "closed": str(s.closed),
        "returned": str(s.returned),
        "due": str(s.due),
        "on_time": str(s.on_time),
        "late": str(s.late),
        "open_overdue": str(s.open_overdue),
        "pending": str(s.pending),
        "on_time_rate_pct": pct(s.on_time_rate, exact),
        "median_days": pct(s.median_days, exact),
        "rated": str(s.rated),
        "satisfaction_avg": pct(s.satisfaction_avg, exact, 2),
        "satisfied_pct": pct(s.satisfied_pct, exact),
    }


def request_json(r: ServiceRequest, *, at: dt.date | None = None) -> dict[str, Any]:
    overdue = bool(at and selectors.open_at(r, at) and r.due_on < at)
    return {
        "id": r.pk,
        "code": r.code,
        "enterprise": r.enterprise.name,
        "credit_code": r.enterprise.credit_code,
        "category": r.category.name,
        "title": r.title,
        "received_on": r.received_on.isoformat(),
        "due_on": r.due_on.isoformat(),
        "department": r.department.name if r.department else "",
        "handler": r.handler,
        "status": r.get_status_display(),
        "closed_on": r.closed_on.isoformat() if r.closed_on else None,
        "satisfaction": str(r.satisfaction) if r.satisfaction is not None else None,
        "return_reason": r.return_reason,
        "overdue": overdue,
    }


def benefit_group_json(g: selectors.BenefitGroup) -> dict[str, Any]:
    return {
        "key": g.key,
        "name": g.label,
        "amount_wan": wan(g.amount),
        "payments": str(g.payments),
        "enterprises": str(g.enterprises),
    }


def service_summary(
    *, park: Park, year: int, month: int = 12, exact: bool = False
) -> dict[str, Any]:
    """The year's (or 1-`month`'s) section summary: requests, benefits and — when the 督查督办
    module is installed — supervision tasks by department, all seen at the period end."""
    start, end = selectors.year_bounds(year, month)
    m = selectors.request_metrics(park=park, start=start, end=end)
    b = selectors.benefit_metrics(park=park, start=start, end=end)
    data: dict[str, Any] = {
        "park": park.code,
        "year": str(year),
        "period": f"{year}-{month:02d}",
        "at": end.isoformat(),
        "requests": {
            **stats_json(m.total, exact=exact),
            "open": str(m.open_count),
            "overdue_now": str(len(m.overdue)),
            "by_category": [stats_json(s, exact=exact) for s in m.by_category],
            "by_department": [stats_json(s, exact=exact) for s in m.by_department],
            "overdue": [request_json(r, at=end) for r in m.overdue],
        },
        "benefits": {
            **benefit_group_json(b.total),
            "by_policy": [benefit_group_json(g) for g in b.by_policy],
            "by_kind": [benefit_group_json(g) for g in b.by_kind],
        },
    }
    from django.apps import apps

    if apps.is_installed("yuanqu.supervision"):
        from yuanqu.supervision import presenters as sup

        data["supervision"] = sup.metrics_json(park=park, start=start, end=end, exact=exact)
    return data
