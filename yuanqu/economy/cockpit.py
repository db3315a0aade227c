"""经济运行's cards on the park cockpit (declared in module.py, `cockpit_cards=`)."""

from __future__ import annotations

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.core.wording import fmt_decimal, growth_phrase
from yuanqu.economy.selectors import indicator_row
from yuanqu.registry.models import Park


def output_card(park: Park, period: Period | None) -> CardData | None:
    """规上工业总产值, 1-本月 of the period (亿元), with its comparable growth; None without data."""
    if period is None:
        return None
    row = indicator_row(park=park, period=period, code="industrial_output")
    if row.value is None:
        return None
    # The indicator is kept in 万元; the cockpit shows 亿元 as the speech does.
    value = fmt_decimal(row.value / 10000, 2)
    return {
        "label": f"规上工业总产值（{period.label}）",
        "value": value,
        "unit": "亿元",
        "note": growth_phrase(row.yoy_pct) if row.yoy_pct is not None else "",
        "url": reverse("economy:index") + f"?park={park.code}&period={period}",
    }
