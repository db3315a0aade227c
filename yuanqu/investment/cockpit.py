"""招商引资's card on the park cockpit: signings of the year to the period end."""

from __future__ import annotations

import calendar
import datetime as dt

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.core.wording import yi_yuan
from yuanqu.investment import selectors
from yuanqu.registry.models import Park


def signings_card(park: Park, period: Period | None) -> CardData | None:
    if period is None:
        return None
    at = dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
    s = selectors.investment_summary(park=park, year=period.year, at=at)
    if not s.signed_count and not s.reserve:
        return None
    target = f"，年度目标{s.target_count.normalize():f}个" if s.target_count else ""
    return {
        "label": f"签约招商项目（{period.label}）",
        "value": str(s.signed_count),
        "unit": "个",
        "note": f"协议总投资{yi_yuan(s.signed_amount)}{target}；储备项目{len(s.reserve)}个",
        "url": reverse("investment:index") + f"?park={park.code}&year={period.year}",
    }
