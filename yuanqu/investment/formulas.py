"""招商引资 formulas, one documented function each: pure ``Decimal``, no Django, unrounded.

Amounts in 万元 (a USD amount is converted with its stated rate first, `to_cny_wan`).
Percentages are percentages. ``None`` where a figure is undefined (no target, no signing).
Source: DOMAIN.md §7, DECISIONS.md ("Signings: one amount, 协议总投资 …").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from statistics import median
from typing import Final

from yuanqu.economy import formulas as economy

__all__ = [
    "DEFAULT_HUGE_WAN",
    "DEFAULT_LARGE_WAN",
    "DEFAULT_REQUIRED_WAN",
    "ahead_of_year",
    "count_at_least",
    "exceeded",
    "funds_arrival_rate_pct",
    "median_days",
    "rate_of_cohort",
    "stage_conversion_pct",
    "target_reached_on",
    "to_cny_wan",
]

#: 亿元以上 (≥ 1亿元 = 10,000万元) and 十亿元以上 (≥ 10亿元) projects: settings
#: YUANQU_INVESTMENT_LARGE_WAN / YUANQU_INVESTMENT_HUGE_WAN.
DEFAULT_LARGE_WAN: Final = Decimal(10000)
DEFAULT_HUGE_WAN: Final = Decimal(100000)
#: The city's required size for 招大引强 when the year has none set
#: (YUANQU_INVESTMENT_REQUIRED_WAN = {year: 万元}).
DEFAULT_REQUIRED_WAN: Final = Decimal(100000)


def to_cny_wan(amount: Decimal | None, currency: str, usd_rate: Decimal | None) -> Decimal | None:
    """An amount in 万元: a CNY amount as is; a USD amount (万美元) × its stated rate (元 per
    美元, the signing date's). Unit: 万元. ``None`` for a USD amount without a rate — it is
    never added to CNY unconverted (DOMAIN.md §4).
    Example: 1,500万美元 at 6.7 → 10,050万元.
    """
    if amount is None:
        return None
    if currency == "USD":
        if usd_rate is None or usd_rate <= 0:
            return None
        return amount * usd_rate
    return amount


def target_reached_on(
    signings: Iterable[tuple[dt.date, Decimal]], target: Decimal | None
) -> dt.date | None:
    """The date a cumulative figure first reached its annual target: signings are (date,
    value) — value 1 for the count target, the 协议总投资 in 万元 for the amount target —
    summed in date order. ``None`` when not reached, or no target (≤ 0).
    Example: target 3, signings on 3-01, 5-10, 8-20, 11-02 → reached 8-20.
    """
    if target is None or target <= 0:
        return None
    total = Decimal(0)
    for date, value in sorted(signings, key=lambda s: s[0]):
        total += value
        if total >= target:
            return date
    return None


def ahead_of_year(reached_on: dt.date | None, year: int) -> bool:
    """提前完成: the target was reached before the year's last day (DECISIONS.md: only when
    true, the date kept). Reached on 31 December is on time, not early."""
    return reached_on is not None and reached_on < dt.date(year, 12, 31)


def exceeded(value: Decimal, target: Decimal | None) -> bool:
    """超额完成: strictly more than the target (equal is 完成, not 超额)."""
    return target is not None and target > 0 and value > target


def count_at_least(amounts: Iterable[Decimal | None], threshold: Decimal) -> int:
    """How many amounts reach `threshold` (≥): 亿元以上 with 10,000万元, 十亿元以上 with
    100,000万元 (DOMAIN.md §7; thresholds are settings). Unconvertible amounts (None) do
    not count."""
    return sum(1 for a in amounts if a is not None and a >= threshold)


def rate_of_cohort(reached: int, signed: int) -> Decimal | None:
    """履约率 / 开工率 / 投产率 of a signing cohort: of the leads signed in the cohort (the
    year), those that reached 履约 (到位资金 or 开工), 开工, 投产 by the date, in %.
    Terminated leads stay in the denominator (a signing that failed is part of the rate).
    ``None`` without signings. Source: DOMAIN.md §7.
    """
    return economy.rate_pct(reached, signed)


def funds_arrival_rate_pct(arrived: Decimal, agreed: Decimal) -> Decimal | None:
    """资金到位率 = 到位资金 / 协议总投资 × 100 (both 万元; DECISIONS.md: the signings'
    amount is the denominator). ``None`` when nothing was agreed."""
    if agreed <= 0:
        return None
    return arrived / agreed * 100


def stage_conversion_pct(reached_next: int, reached: int) -> Decimal | None:
    """Conversion between two stages: of the leads that reached a stage, the share that went on
    to the next one, in %. ``None`` when none reached the stage."""
    return economy.rate_pct(reached_next, reached)


def median_days(durations: Sequence[int]) -> Decimal | None:
    """Median days spent in a stage (from reaching it to reaching the next), over the leads
    that left it. An even count gives the mean of the two middle values (e.g. 10, 20 → 15).
    ``None`` without any."""
    if not durations:
        return None
    return Decimal(str(median(durations)))
