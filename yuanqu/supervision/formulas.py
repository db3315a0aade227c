"""督查督办 formulas: pure, no Django. Lights and the on-time rule, computed at an explicit date.

The on-time rule is 企业诉求's (`service_requests.formulas.on_time_state`): one rule for the
platform (DECISIONS.md: items due in the period; open items past due count as late).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from yuanqu.service_requests.formulas import LATE, ON_TIME, PENDING, on_time_state, rate_pct

__all__ = [
    "DEFAULT_YELLOW_DAYS",
    "LATE",
    "LIGHTS",
    "ON_TIME",
    "PENDING",
    "light",
    "on_time_state",
    "rate_pct",
]

#: Yellow within this many days before the deadline (a setting: YUANQU_SUPERVISION_YELLOW_DAYS).
DEFAULT_YELLOW_DAYS: Final = 3
#: Light keys with their Chinese names, worst first; "done" for a task done by `at`.
LIGHTS: Final = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "done": "已办结"}


def light(
    deadline: dt.date,
    done_on: dt.date | None,
    at: dt.date,
    *,
    yellow_days: int = DEFAULT_YELLOW_DAYS,
) -> str:
    """A task's light at date `at`: "done", "red", "yellow" or "green".

    Done by `at` → "done" (no light). Otherwise red when overdue (`at` after the deadline);
    yellow within `yellow_days` days before it, the deadline day itself included (deadline
    2023-06-30, 3 days: yellow from 06-27 to 06-30, red from 07-01, green up to 06-26).
    """
    if done_on is not None and done_on <= at:
        return "done"
    if at > deadline:
        return "red"
    if (deadline - at).days <= yellow_days:
        return "yellow"
    return "green"
