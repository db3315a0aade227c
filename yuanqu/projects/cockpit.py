"""重点项目's card on the park cockpit (declared in module.py, `cockpit_cards=`)."""

from __future__ import annotations

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.projects import presenters, selectors
from yuanqu.registry.models import Park


def lights_card(park: Park, period: Period | None) -> CardData | None:
    """省市重点项目完成率 at the period, with the lights; None without a plan this year."""
    if period is None:
        return None
    key = selectors.level_totals(selectors.project_summary(park=park, period=period), "key")
    if not key.count or key.completion_pct is None:
        return None
    d = presenters.totals_json(key)
    return {
        "label": f"省市重点项目完成率（{period.label}）",
        "value": d["completion_pct"] or "",
        "unit": "%",
        "note": f"{presenters.ahead_text(key.ahead_pp)}；红灯{d['lights']['red']}个、黄灯{d['lights']['yellow']}个",
        "url": reverse("projects:board") + f"?park={park.code}&period={period}",
    }
