"""项目资金 formulas: pure ``Decimal``, unrounded, one documented function each (DOMAIN.md §9)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from yuanqu.economy import formulas as economy

__all__ = ["fully_spent_month", "spending_progress_pct"]


def spending_progress_pct(spent: Decimal | None, received: Decimal | None) -> Decimal | None:
    """支出进度: 已支出 / 已到位 × 100, in %. ``None`` when nothing was received.
    Source: DOMAIN.md §9."""
    return economy.rate_pct(spent, received)


def fully_spent_month(flows: Iterable[tuple[int, Decimal, Decimal]]) -> int | None:
    """The month by whose end everything received so far had been spent: the speech's
    “X月底前已全部支出完毕”.

    `flows` are (month, received in the month, spent in the month) of one year, any order.
    Returns the first month m after which cumulative 支出 ≥ cumulative 到位 of the **whole
    year** (a later receipt reopens the account), or ``None`` if the money received is not
    all spent, or nothing was received.
    """
    rows = sorted(flows)
    total_received = sum((r for _, r, _ in rows), Decimal(0))
    if total_received <= 0:
        return None
    received = spent = Decimal(0)
    for month, r, s in rows:
        received += r
        spent += s
        if received == total_received and spent >= total_received:
            return month
    return None
