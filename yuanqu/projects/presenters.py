"""How 重点项目 figures are shown: one place for the CLI, the API, the pages and the cockpit,
so they agree to the digit. Amounts: exact 万元 strings and 亿元 to two decimals; rates and
points rounded half-up to one decimal (`--exact`: unrounded)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yuanqu.core.wording import fmt_decimal, round_half_up
from yuanqu.projects import formulas
from yuanqu.projects.selectors import ProjectRow, Totals


def wan(value: Decimal | None) -> str | None:
    """An exact 万元 amount without exponent or trailing zeros."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def yi(value: Decimal | None) -> str | None:
    """万元 → 亿元, two decimals half-up (the speech's unit for investment)."""
    return None if value is None else fmt_decimal(value / 10000, 2)


def pct(value: Decimal | None, exact: bool = False) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f") if exact else str(round_half_up(value, 1))


def totals_json(t: Totals, *, exact: bool = False) -> dict[str, Any]:
    return {
        "level": t.key,
        "name": t.label,
        "count": str(t.count),
        "total_investment": wan(t.total_investment),
        "total_investment_yi": yi(t.total_investment),
        "planned": wan(t.planned),
        "planned_yi": yi(t.planned),
        "completed": wan(t.ytd),
        "completed_yi": yi(t.ytd),
        "completion_pct": pct(t.completion_pct, exact),
        "time_progress_pct": pct(t.time_progress_pct, exact),
        "ahead_pp": pct(t.ahead_pp, exact),
        "lights": {k: str(v) for k, v in t.lights.items()},
        "start_planned": str(t.start_planned),
        "started": str(t.started),
        "start_rate_pct": pct(t.start_rate, exact),
        "completion_planned": str(t.completion_planned),
        "completed_projects": str(t.completed),
        "completion_rate_pct": pct(t.completion_rate, exact),
        "production_planned": str(t.production_planned),
        "in_production": str(t.in_production),
        "production_rate_pct": pct(t.production_rate, exact),
    }


def row_json(r: ProjectRow, *, exact: bool = False) -> dict[str, Any]:
    p = r.project
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "level": p.get_level_display(),
        "category": p.get_category_display(),
        "stage": p.get_stage_display(),
        "total_investment": wan(p.total_investment),
        "planned": wan(r.planned),
        "completed": wan(r.ytd),
        "month_investment": wan(r.month_investment),
        "since_start": wan(r.since_start),
        "completion_pct": pct(r.completion_pct, exact),
        "ahead_pp": pct(r.ahead_pp, exact),
        "light": r.light,
        "light_label": formulas.LIGHTS[r.light],
        "overdue_milestones": str(r.overdue_milestones),
        "image_progress": r.image_progress,
        "department": p.department.name if p.department_id else p.responsible_unit,
        "leader": p.leader,
    }


def ahead_text(value: Decimal | None) -> str:
    """“超序时3.5个百分点” / “慢序时2.0个百分点” / “—” for the tables."""
    if value is None:
        return "—"
    shown = round_half_up(value, 1)
    if shown == 0:
        return "与序时持平"
    return ("超" if shown > 0 else "慢") + f"序时{abs(shown)}个百分点"
