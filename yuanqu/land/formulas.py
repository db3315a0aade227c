"""土地 formulas, one documented function each: pure ``Decimal``/dates, no Django, unrounded.

Areas in 亩 (1 公顷 = 15 亩 exactly; DOMAIN.md §8), money in 万元.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

__all__ = ["MU_PER_HECTARE", "area_mu", "idle_from", "is_idle", "unit_price_wan_per_mu"]

#: 1 公顷 = 15 亩 (1 亩 = 10000/15 m²).
MU_PER_HECTARE: Final = Decimal(15)


def area_mu(area: Decimal, unit: str) -> Decimal:
    """An area in 亩, exactly: 亩 as entered; 公顷 × 15.
    Example: 2.3456 公顷 → 35.1840 亩 (no rounding: ×15 adds no decimals)."""
    if unit == "ha":
        return area * MU_PER_HECTARE
    return area


def unit_price_wan_per_mu(price: Decimal | None, area_mu_: Decimal | None) -> Decimal | None:
    """Unit price 万元/亩 = 成交价格 / 面积(亩). ``None`` without a price or an area."""
    if price is None or area_mu_ is None or area_mu_ <= 0:
        return None
    return price / area_mu_


def idle_from(start_contracted: dt.date) -> dt.date:
    """The first day a sold parcel not yet started counts as 闲置: one year after the
    contracted start date (the anniversary; 29 February → 1 March). Source: DOMAIN.md §8
    (闲置土地: sold but not started one year after the contracted start)."""
    try:
        return start_contracted.replace(year=start_contracted.year + 1)
    except ValueError:
        return dt.date(start_contracted.year + 1, 3, 1)


def is_idle(
    *,
    sold_on: dt.date | None,
    start_contracted: dt.date | None,
    started_on: dt.date | None,
    at: dt.date,
) -> bool:
    """Whether a parcel is 闲置 at date `at`: sold by then, not started by then, and `at` is on
    or after `idle_from(start_contracted)`. Contracted start 2022-03-15: idle on 2023-03-15,
    not on 2023-03-14; started on 2023-03-14 → never idle."""
    if sold_on is None or sold_on > at or start_contracted is None:
        return False
    if started_on is not None and started_on <= at:
        return False
    return at >= idle_from(start_contracted)
