"""One formatting of the economy figures for the CLI, the API and the page, so they agree to
the digit: amounts exact in the dictionary unit, percentages and points half-up to 1 decimal
(or unrounded with `exact`), and `None` for a missing base or target (DECISIONS.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yuanqu.core.wording import fmt_decimal, round_half_up
from yuanqu.economy.selectors import IndicatorRow, PartRow, RankRow

STATUS_LABELS = {"submitted": "已提交", "reviewed": "已审核", "locked": "已锁定", None: "无数据"}


def exact(value: Decimal | None) -> str | None:
    """A Decimal as plain text without exponent or trailing zeros ("853210.4")."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def pct(value: Decimal | None, *, exact_: bool = False) -> str | None:
    """A percentage or points: half-up to one decimal ("12.2"), or unrounded with `exact_`."""
    if value is None:
        return None
    if exact_:
        return exact(value)
    return format(round_half_up(value, 1), "f")


def indicator_json(
    row: IndicatorRow, *, exact_: bool = False, nominal: bool = False, reporting: Any = None
) -> dict[str, Any]:
    """The JSON object of one indicator, exactly as DECISIONS.md specifies; a computed one
    carries the period's 应报 / 已报 enterprises (`reporting`, a selectors.ReportingRate) as
    `expected` / `reported`, strings of integers."""
    data: dict[str, Any] = {
        "code": row.code,
        "name": row.name,
        "unit": row.unit,
        "period": str(row.period),
        "status": row.status,
        "source": row.source,
        "value": exact(row.value),
        "month_value": exact(row.month_value),
        "yoy_pct": pct(row.yoy_pct, exact_=exact_),
        "target": exact(row.target),
        "target_kind": row.target_kind,
        "completion_pct": pct(row.completion_pct, exact_=exact_),
        "time_progress_pct": pct(row.time_progress_pct, exact_=exact_),
        "ahead_pp": pct(row.ahead_pp, exact_=exact_),
    }
    if nominal:
        data["yoy_nominal_pct"] = pct(row.yoy_nominal_pct, exact_=exact_)
    if reporting is not None and row.source == "computed":
        data["expected"] = str(reporting.expected)
        data["reported"] = str(reporting.reported)
    return data


def part_json(part: PartRow, *, exact_: bool = False) -> dict[str, Any]:
    return {
        "key": part.key,
        "name": part.name,
        "cluster": part.cluster,
        "value": exact(part.value),
        "base": exact(part.base),
        "pull_pp": pct(part.pull_pp, exact_=exact_),
        "contribution_pct": pct(part.contribution_pct, exact_=exact_),
    }


def rank_json(row: RankRow, *, exact_: bool = False, metric: str = "value") -> dict[str, Any]:
    """A ranking line; the metric is an amount (exact) for "value", a rate otherwise."""
    return {
        "park": row.park_code,
        "name": row.park_name,
        "rank": row.rank,
        "value": exact(row.value),
        "yoy_pct": pct(row.yoy_pct, exact_=exact_),
        "metric": exact(row.metric) if metric == "value" else pct(row.metric, exact_=exact_),
        "completion_pct": pct(row.completion_pct, exact_=exact_),
    }


def display_amount(value: Decimal | None, precision: int = 2) -> str:
    """Table display of an amount in its unit: half-up, thousands separators; "—" if missing."""
    if value is None:
        return "—"
    return fmt_decimal(value, precision, thousands=True)


def display_pct(value: Decimal | None) -> str:
    return "—" if value is None else fmt_decimal(value, 1)


def indicator_display(row: IndicatorRow) -> dict[str, str]:
    """The strings a table cell shows (page, CLI table, report table)."""
    is_rate = row.kind == "rate"
    return {
        "name": row.name,
        "unit": row.unit,
        "value": display_pct(row.value) if is_rate else display_amount(row.value, row.precision),
        "month_value": "—" if is_rate else display_amount(row.month_value, row.precision),
        "yoy_pct": display_pct(row.yoy_pct),
        "yoy_nominal_pct": display_pct(row.yoy_nominal_pct),
        "target": (
            display_pct(row.target)
            if row.target_kind == "growth" or is_rate
            else display_amount(row.target, row.precision)
        ),
        "completion_pct": display_pct(row.completion_pct),
        "time_progress_pct": display_pct(row.time_progress_pct),
        "ahead_pp": display_pct(row.ahead_pp),
        "status": STATUS_LABELS.get(row.status, row.status or "无数据"),
    }
