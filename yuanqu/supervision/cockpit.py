"""督查督办's card on the park cockpit (declared in module.py, `cockpit_cards=`)."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.registry.models import Park
from yuanqu.supervision import selectors


def lights_card(park: Park, period: Period | None) -> CardData | None:
    """Open tasks at the period end with their lights; None when nothing is open."""
    if period is None:
        return None
    at = dt.date(period.year, period.month, monthrange(period.year, period.month)[1])
    rows = selectors.task_rows(park=park, at=at, open_only=True)
    if not rows:
        return None
    red = sum(1 for r in rows if r.light == "red")
    yellow = sum(1 for r in rows if r.light == "yellow")
    return {
        "label": f"在办督办事项（截至{period.year}年{period.month}月末）",
        "value": str(len(rows)),
        "unit": "项",
        "note": f"红灯{red}项、黄灯{yellow}项",
        "url": reverse("supervision:board") + f"?park={park.code}&at={at.isoformat()}",
    }
