"""项目资金's card on the park cockpit (declared in module.py, `cockpit_cards=`)."""

from __future__ import annotations

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.core.wording import fmt_decimal
from yuanqu.funding import selectors
from yuanqu.registry.models import Park


def funds_card(park: Park, period: Period | None) -> CardData | None:
    """Funds received (到位) in the year to the period's month, all types, and how much of it
    is spent (支出进度); None when nothing was received."""
    if period is None:
        return None
    summary = selectors.fund_summary(park=park, year=period.year, month=period.month)
    received = sum((t.received for t in summary["types"]), start=0)
    spent = sum((t.spent for t in summary["types"]), start=0)
    if not received:
        return None
    from yuanqu.funding import formulas

    progress = formulas.spending_progress_pct(spent, received)
    parts = [
        f"{t.label}{fmt_decimal(t.received, 0)}万元"
        + (f"（{t.fully_spent_month}月底前已全部支出）" if t.fully_spent_month else "")
        for t in summary["types"]
        if t.received
    ]
    card: CardData = {
        "label": f"项目资金到位（{period.year}年1-{period.month}月）",
        "value": fmt_decimal(received, 0),
        "unit": "万元",
        "note": "；".join(parts),
        "url": reverse("funding:index") + f"?park={park.code}&year={period.year}",
        "group": "项目建设",
    }
    if progress is not None:
        card["progress"] = {
            "value": fmt_decimal(progress, 1),
            "label": f"支出进度{fmt_decimal(progress, 1)}%",
        }
    return card
