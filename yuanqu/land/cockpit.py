"""土地's card on the park cockpit: 成熟可供用地 at the period end, with 闲置土地."""

from __future__ import annotations

import calendar
import datetime as dt

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.core.wording import round_half_up
from yuanqu.land import selectors
from yuanqu.registry.models import Park


def land_card(park: Park, period: Period | None) -> CardData | None:
    if period is None:
        return None
    at = dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
    s = selectors.land_summary(park=park, year=period.year, at=at)
    if not any(g.count for g in s.by_status.values()):
        return None
    return {
        "label": f"成熟可供用地（{period.year}年{period.month}月末）",
        "value": str(round_half_up(s.available.area_mu, 0)),
        "unit": "亩",
        "note": f"本年新增收储{s.reserved.area_mu.normalize():f}亩；闲置土地{s.idle.count}宗",
        "url": reverse("land:index") + f"?park={park.code}&year={period.year}",
    }
