"""重点项目's card on the park cockpit (declared in module.py, `cockpit_cards=`)."""

from __future__ import annotations

from django.urls import reverse

from yuanqu.core.modules import CardData
from yuanqu.core.periods import Period
from yuanqu.core.wording import fmt_decimal
from yuanqu.projects import presenters, selectors
from yuanqu.registry.models import Park


def lights_card(park: Park, period: Period | None) -> CardData | None:
    """省市重点项目完成率 at the period, with the lights; None without a plan this year."""
    if period is None:
        return None
    summary = selectors.project_summary(park=park, period=period)
    key = selectors.level_totals(summary, "key")
    if not key.count or key.completion_pct is None:
        return None
    d = presenters.totals_json(key)
    lights = d["lights"]
    card: CardData = {
        "label": f"省市重点项目完成率（{period.label}）",
        "value": d["completion_pct"] or "",
        "unit": "%",
        "note": f"{presenters.ahead_text(key.ahead_pp)}；红灯{lights['red']}个、黄灯{lights['yellow']}个、绿灯{lights['green']}个",
        "url": reverse("projects:board") + f"?park={park.code}&period={period}",
        # The totals' counts (key.lights), not their JSON strings: "0" would read as true.
        "light": "red" if key.lights["red"] else "yellow" if key.lights["yellow"] else "green",
        "progress": {
            "value": d["completion_pct"] or "0",
            "marker": fmt_decimal(key.time_progress_pct, 1),
            "label": f"完成年度计划{d['completion_pct']}%",
        },
        "group": "项目建设",
    }
    red = [r for r in summary["rows"] if r.light == "red"]
    if red:
        card["items"] = [
            {
                "text": f"{r.project.name}（完成{presenters.pct(r.completion_pct) or '—'}%）",
                "url": reverse("projects:detail", args=[r.project.pk]) + f"?period={period}",
                "light": "red",
            }
            for r in red[:6]
        ]
    return card
