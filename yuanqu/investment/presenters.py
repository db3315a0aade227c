"""One JSON shape of the investment figures for `yuanqu investment --json`, the API and the
pages: numbers are strings, amounts exact in 万元, percentages rounded half-up to one decimal
(as the pages show them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yuanqu.core.wording import round_half_up
from yuanqu.investment.selectors import ClusterLine, InvestmentSummary, LeadRow


def num(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, int):
        return str(value)
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def pct(value: Decimal | None) -> str | None:
    return None if value is None else f"{round_half_up(value, 1):.1f}"


def clusters_json(lines: list[ClusterLine]) -> list[dict[str, Any]]:
    return [{"name": c.name, "count": str(c.count), "amount": num(c.amount)} for c in lines]


def lead_json(r: LeadRow) -> dict[str, Any]:
    lead = r.lead
    return {
        "id": lead.pk,
        "code": lead.code,
        "name": lead.name,
        "investor": lead.investor,
        "origin": lead.get_origin_display() if lead.origin else "",
        "cluster": lead.cluster.name if lead.cluster_id else "",
        "stage": r.stage,
        "stage_label": r.stage_label,
        "currency": lead.currency,
        "usd_rate": num(lead.usd_rate),
        "signed_on": str(r.dates["signed"]) if "signed" in r.dates else None,
        "amount": num(r.amount),
        "funds": num(r.funds),
        "enterprise": lead.enterprise.name if lead.enterprise_id else None,
        "project": lead.project.code if lead.project_id else None,
        "parcel": lead.parcel.code if lead.parcel_id else None,
    }


def summary_json(s: InvestmentSummary) -> dict[str, Any]:
    return {
        "park": s.park.code,
        "year": str(s.year),
        "as_of": str(s.at),
        "signed": {"count": str(s.signed_count), "amount": num(s.signed_amount)},
        "targets": {
            "count": num(s.target_count),
            "amount": num(s.target_amount),
            "count_reached_on": str(s.count_reached_on) if s.count_reached_on else None,
            "amount_reached_on": str(s.amount_reached_on) if s.amount_reached_on else None,
            "count_ahead": s.count_ahead,
            "amount_ahead": s.amount_ahead,
            "count_exceeded": s.count_exceeded,
            "amount_exceeded": s.amount_exceeded,
        },
        "sizes": {
            "large_threshold": num(s.large_threshold),
            "large_count": str(s.large_count),
            "huge_threshold": num(s.huge_threshold),
            "huge_count": str(s.huge_count),
            "required_size": num(s.required_size),
            "required_reached": s.required_reached,
            "largest": lead_json(s.largest) if s.largest else None,
        },
        "by_cluster": clusters_json(s.by_cluster),
        "reserve": {
            "count": str(len(s.reserve)),
            "amount": num(s.reserve_amount),
            "by_cluster": clusters_json(s.reserve_by_cluster),
        },
        "cohort": {
            "signed": str(s.signed_count),
            "fulfilled": str(s.fulfilled),
            "started": str(s.started),
            "producing": str(s.producing),
            "fulfilment_pct": pct(s.fulfilment_pct),
            "start_pct": pct(s.start_pct),
            "production_pct": pct(s.production_pct),
        },
        "funds": {
            "fixed_assets": num(s.funds_fixed),
            "working_capital": num(s.funds_working),
            "total": num(s.funds_fixed + s.funds_working),
            "cohort": num(s.cohort_funds),
            "arrival_pct": pct(s.funds_rate_pct),
        },
        "stages": [
            {
                "stage": line.stage,
                "label": line.label,
                "reached": str(line.reached),
                "went_on": str(line.went_on),
                "conversion_pct": pct(line.conversion_pct),
                "median_days": num(line.median_days),
            }
            for line in s.stages
        ],
        "by_stage": {k: str(v) for k, v in s.by_stage.items()},
        "signings": [lead_json(r) for r in s.signings],
        "unconverted": [r.lead.code for r in s.unconverted],
    }
