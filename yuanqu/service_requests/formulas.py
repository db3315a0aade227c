"""企业诉求 formulas, one documented function each: pure (no Django), ``Decimal``, unrounded.

Due dates count calendar or working days (DECISIONS.md, "Due dates"); the on-time rule is the
platform's one (DECISIONS.md: items due in the period; open items past due count as late), used
again by 督查督办 (`yuanqu.supervision.formulas`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final, Literal

import chinese_calendar

__all__ = [
    "LATE",
    "ON_TIME",
    "PENDING",
    "due_date",
    "is_workday",
    "mean",
    "median",
    "on_time_state",
    "rate_pct",
    "satisfied_pct",
]

ON_TIME: Final = "on_time"
LATE: Final = "late"
PENDING: Final = "pending"
State = Literal["on_time", "late", "pending"]
#: A rating of 4 or 5 (of 5) counts as 满意.
SATISFIED_FROM: Final = 4


def is_workday(day: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    """Whether `day` is a working day in China.

    The editable table (`overrides`: date → is a working day) decides first; then
    `chinese-calendar`, which knows the State Council's holidays and 调休 working weekends
    (2022-10-08, a Saturday, is a working day); for a year it has no data for, Monday to Friday.
    """
    if overrides and day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def due_date(
    received: dt.date,
    limit_days: int,
    day_kind: str,
    overrides: Mapping[dt.date, bool] | None = None,
) -> dt.date:
    """The due date (办理时限) of a request received on `received`.

    Calendar days ("calendar"): received + N days. Working days ("working"): the N-th working
    day after the day received (the day received does not count, as a 受理 day's afternoon is
    not a day of work). Example: received Friday 2022-09-30 with 5 working days — 10-01 to
    10-07 are the National Day holiday, 10-08 and 10-09 (Sat, Sun) are 调休 working days — gives
    10-08, 10-09, 10-10, 10-11, 10-12: due 2022-10-12. N = 0 is due the day received.
    """
    if day_kind == "calendar" or limit_days <= 0:
        return received + dt.timedelta(days=max(limit_days, 0))
    day, counted = received, 0
    while counted < limit_days:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            counted += 1
    return day


def on_time_state(due: dt.date, done_on: dt.date | None, at: dt.date) -> State:
    """Whether an item due on `due` was handled on time, as seen at date `at`.

    Done by the due date (done_on ≤ due, and done_on ≤ at) → on time; done after it → late;
    not done at `at` and `at` past the due date → late (DECISIONS.md: open items past due count
    as late); not done and not yet due → pending (not in the on-time rate yet).
    """
    if done_on is not None and done_on <= at:
        return ON_TIME if done_on <= due else LATE
    return LATE if at > due else PENDING


def rate_pct(part: int, whole: int) -> Decimal | None:
    """part / whole × 100, unrounded; None when whole is 0 (nothing due: no rate)."""
    if whole <= 0:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def median(values: Iterable[int | Decimal]) -> Decimal | None:
    """The median (中位数) of the values: the middle one, or the mean of the two middle ones.
    Used for 办结用时 (days from 受理 to 办结). None when there is none."""
    ordered = sorted(Decimal(v) for v in values)
    n = len(ordered)
    if n == 0:
        return None
    mid = n // 2
    if n % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def mean(values: Iterable[int | Decimal]) -> Decimal | None:
    """The arithmetic mean (平均满意度, out of 5), unrounded; None when there is none."""
    items = [Decimal(v) for v in values]
    if not items:
        return None
    return sum(items, Decimal(0)) / len(items)


def satisfied_pct(ratings: Iterable[int]) -> Decimal | None:
    """满意率: the share of ratings of 4 or 5 (满意, 非常满意) among all ratings, in %."""
    items = list(ratings)
    return rate_pct(sum(1 for r in items if r >= SATISFIED_FROM), len(items))
