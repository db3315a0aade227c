"""重点项目 formulas, one documented function each: pure ``Decimal``, no Django, no rounding.

Results are unrounded (rounding is for display, ``core.wording``); ``None`` when undefined (no
plan, nothing planned). Percentages are percentages, points are points. Source: DOMAIN.md §5–§6.
The general ratios are those of ``economy.formulas`` (one definition of 序时进度 for the
platform); the project-specific rules (lights, started-as-planned) live here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from yuanqu.economy import formulas as economy

__all__ = [
    "DEFAULT_LIGHT_MARGIN_PP",
    "LIGHTS",
    "ahead_pp",
    "annual_completion_pct",
    "light",
    "milestone_overdue",
    "month_investment",
    "rate_of_planned",
    "since_start",
    "time_progress_pct",
]

#: Behind 序时进度 by more than this many points is red (a setting: YUANQU_PROJECT_RED_MARGIN_PP).
DEFAULT_LIGHT_MARGIN_PP: Final = Decimal(10)
#: Light keys with their Chinese names, worst first.
LIGHTS: Final = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


def annual_completion_pct(ytd: Decimal | None, planned: Decimal | None) -> Decimal | None:
    """年度完成率 of a project (or of a group of projects): 本年累计完成 / 年度计划投资 × 100.

    Unit: %. Source: DOMAIN.md §6. ``None`` without a plan (no plan this year, or 0).
    A project finished early keeps its YTD: the rate may exceed 100%.
    Example: 629.0 of 647.4 亿元 → 97.157…% (published 97.2%).
    """
    return economy.completion_pct(ytd, planned)


def time_progress_pct(month: int) -> Decimal:
    """序时进度 after month m: m / 12 × 100 (after October: 83.333…%). Source: DOMAIN.md §5."""
    return economy.time_progress_pct(month)


def ahead_pp(ytd: Decimal | None, planned: Decimal | None, month: int) -> Decimal | None:
    """Ahead of (> 0) or behind (< 0) 序时进度, in points, from **unrounded** values.

    Formula: 本年累计完成 / 年度计划 × 100 − m / 12 × 100. Unit: 个百分点.
    Example: 629.0 of 647.4 after October: 97.157… − 83.333… = 13.82… → “13.8” (rounding the
    two rates first would give 97.2 − 83.3 = 13.9, the wrong figure). ``None`` without a plan.
    """
    return economy.ahead_pp(annual_completion_pct(ytd, planned), month)


def rate_of_planned(done: int, planned: int) -> Decimal | None:
    """开工率 / 竣工率 / 投产率: of the projects planned to start (complete, go into production)
    this year, the share that did, in %. Source: DOMAIN.md §6.

    Only planned projects count on both sides: a project that started without being planned
    to this year is not in the numerator. ``None`` when nothing was planned.
    """
    return economy.rate_pct(done, planned)


def light(
    ahead: Decimal | None,
    *,
    overdue_milestones: int = 0,
    margin_pp: Decimal = DEFAULT_LIGHT_MARGIN_PP,
) -> str:
    """A project's light at a date: "red", "yellow" or "green".

    Red when behind 序时进度 by more than `margin_pp` points (unrounded) or a milestone is
    overdue; yellow when behind at all; green otherwise (and for a project with no plan this
    year and nothing overdue: nothing to be behind). Source: issue 11, item 4.
    """
    if overdue_milestones > 0:
        return "red"
    if ahead is None or ahead >= 0:
        return "green"
    if -ahead > margin_pp:
        return "red"
    return "yellow"


def month_investment(ytd_now: Decimal, ytd_prev: Decimal | None, month: int) -> Decimal | None:
    """本月完成投资 from YTD figures: YTD(m) − YTD(m−1); January is YTD(1).

    A month with no previous figure (a project's first 调度 of the year after January) gives
    its whole YTD, as the month form shows it: the project had nothing before. Unit: 万元.
    """
    if month == 1 or ytd_prev is None:
        return ytd_now
    return ytd_now - ytd_prev


def since_start(opening_balance: Decimal, year_ytds: Iterable[Decimal]) -> Decimal:
    """开工至今累计完成: the opening balance entered with the project plus each tracked year's
    YTD (December's for closed years, the latest month's for the current one). Unit: 万元.
    Source: DECISIONS.md ("since start = an opening balance entered with the project + YTD").
    """
    return opening_balance + sum(year_ytds, Decimal(0))


def milestone_overdue(deadline: dt.date, completed_on: dt.date | None, at: dt.date) -> bool:
    """A 节点 is overdue at date `at` when its deadline has passed and it was not done by then
    (done after the deadline but before `at` no longer counts as overdue)."""
    if completed_on is not None and completed_on <= at:
        return False
    return deadline < at
