"""督查督办's own supervision rules (declared in module.py): economy data that lags.

- `indicators_behind`: a park indicator with an annual level target behind its 序时进度 by
  more than a margin (setting YUANQU_SUPERVISION_INDICATOR_MARGIN_PP, default 5 points), in the
  latest counted period up to the date. One cause per indicator and year.
- `reporting_incomplete`: a period whose 报送率 is under 100% once its reporting deadline has
  passed (DECISIONS.md: default the 10th of the following month, setting
  YUANQU_REPORTING_DEADLINE_DAY; January is reported with February, as 1-2月). The periods of
  the last twelve months are checked, so a period still incomplete keeps its task after the
  next deadline.

Both are given to the department holding the economy write area (经发局).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from yuanqu.core.periods import Period
from yuanqu.core.wording import fmt_decimal
from yuanqu.registry.models import Department, Park
from yuanqu.supervision.causes import Cause


def indicator_margin() -> Decimal:
    return Decimal(str(getattr(settings, "YUANQU_SUPERVISION_INDICATOR_MARGIN_PP", 5)))


def deadline_day() -> int:
    return int(getattr(settings, "YUANQU_REPORTING_DEADLINE_DAY", 10))


def _department(park: Park, area: str) -> Department | None:
    for dept in Department.objects.filter(park=park).order_by("code"):
        if area in (dept.modules or []):
            return dept
    return None


def _period_end(period: Period) -> dt.date:
    return dt.date(period.year, period.month, monthrange(period.year, period.month)[1])


def indicators_behind(park: Park, date: dt.date) -> Iterator[Cause]:
    from yuanqu.economy import selectors as economy

    period = economy.latest_period(park=park)
    if period is None:
        return
    while _period_end(period) > date:  # data entered ahead of the date asked about
        period = (
            Period(period.year - 1, 12)
            if period.month == 1
            else Period(period.year, period.month - 1)
        )
    if period.year != date.year and date.month > 2:
        return  # last year's figures no longer raise tasks once this year has begun
    margin = indicator_margin()
    department = None
    for row in economy.park_indicator_table(park=park, period=period):
        if row.target_kind != "level" or row.ahead_pp is None or -row.ahead_pp <= margin:
            continue
        department = department or _department(park, "economy")
        behind = fmt_decimal(-row.ahead_pp, 1)
        yield Cause(
            key=f"indicator-{row.code}-{period.year}",
            title=f"{row.name}慢于{period.year}年目标的序时进度",
            url=reverse("economy:index") + f"?park={park.code}&period={period}",
            ref=f"{period.year}年目标 {row.name}",
            content=(
                f"{row.name}{period.label}完成年度目标的"
                f"{fmt_decimal(row.completion_pct or 0, 1)}%，序时进度"
                f"{fmt_decimal(row.time_progress_pct or 0, 1)}%，慢于序时进度{behind}个百分点，"
                "请说明原因并提出赶超措施。"
            ),
            department=department,
        )


def report_deadline(period: Period, day: int | None = None) -> dt.date:
    """The reporting deadline of a period: the `day`-th of the following month."""
    day = deadline_day() if day is None else day
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    return dt.date(year, month, min(day, monthrange(year, month)[1]))


def reporting_incomplete(park: Park, date: dt.date) -> Iterator[Cause]:
    from yuanqu.economy import selectors as economy

    department = None
    year, month = date.year, date.month
    for _ in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        if month == 1:
            continue  # January is reported with February (1-2月)
        period = Period(year, month)
        if report_deadline(period) >= date:
            continue  # the deadline has not passed yet
        rate = economy.reporting_summary(park=park, period=period)
        if rate.rate is None or rate.complete:
            continue
        department = department or _department(park, "economy")
        yield Cause(
            key=f"reporting-{year}-{month:02d}",
            title=f"{period.label}企业报表逾期未报齐",
            url=reverse("imports:index") + f"?park={park.code}&period={period}",
            ref=f"{period.label}企业报表",
            content=f"{rate.sentence()}，报送期限{report_deadline(period):%Y-%m-%d}已过，"
            f"报送率{rate.rate_text}%，请督促未报企业报送。",
            department=department,
        )
