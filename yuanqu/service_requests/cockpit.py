"""企业诉求's card on the park cockpit (declared in module.py, `cockpit_cards=`)."""

from __future__ import annotations

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.registry.models import Park
from yuanqu.service_requests import presenters, selectors


def requests_card(park: Park, period: Period | None) -> CardData | None:
    """按期办结率 of the year to the period end, with the overdue count; None without requests."""
    if period is None:
        return None
    start, end = selectors.year_bounds(period.year, period.month)
    m = selectors.request_metrics(park=park, start=start, end=end)
    if not m.total.received and not m.total.due:
        return None
    d = presenters.stats_json(m.total)
    return {
        "label": f"企业诉求按期办结率（{period.label}）",
        "value": d["on_time_rate_pct"] or "—",
        "unit": "%",
        "note": f"受理{d['received']}件、办结{d['closed']}件；逾期未办结{len(m.overdue)}件",
        "url": reverse("service_requests:desk") + f"?park={park.code}&year={period.year}",
    }
