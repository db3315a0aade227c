"""Every write of 招商引资: importers, the demo, the pages and the admin call these.

A lead's stage moves only through `lead_stage_set`, which keeps the dated history
(`LeadEvent`); reaching 签约 sets the signing date. Records written by the 招商局 count at
once (DECISIONS.md, Access).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from yuanqu.core.history import furthest_step, step_entry_set
from yuanqu.investment.models import STAGE_ORDER, Lead, LeadEvent, LeadFund, LeadStage
from yuanqu.registry.models import Park


def lead_upsert(*, park: Park, code: str, **values: Any) -> Lead:
    """Create the park's lead `code`, or update the given fields (not the stage: use
    `lead_stage_set`, which keeps the history)."""
    values.pop("stage", None)
    lead, created = Lead.objects.get_or_create(park=park, code=code, defaults=values)
    if not created and values:
        changed = [k for k, v in values.items() if getattr(lead, k) != v]
        for k in changed:
            setattr(lead, k, values[k])
        if changed:
            lead.save(update_fields=[*changed, "updated_at"])
    return lead


@transaction.atomic
def lead_stage_set(*, lead: Lead, stage: str, date: dt.date, note: str = "") -> LeadEvent:
    """The lead reached `stage` on `date` (a second call for the same stage corrects its date).

    The lead's stage becomes its furthest stage reached, or 终止 when terminated (the note is
    the reason); reaching 签约 sets `signed_on` when not set.
    """
    if stage not in LeadStage.values:
        raise ValueError(f"未知阶段“{stage}”")
    event = step_entry_set(LeadEvent, lead, stage, date, note)
    fields = ["stage", "updated_at"]
    if stage == LeadStage.TERMINATED:
        lead.terminated_reason = note
        fields.append("terminated_reason")
    if stage == LeadStage.SIGNED and lead.signed_on != date:
        lead.signed_on = date
        fields.append("signed_on")
    lead_stage_refresh(lead=lead, save_fields=fields)
    return event


def lead_stage_refresh(*, lead: Lead, save_fields: list[str] | None = None) -> Lead:
    """The lead's stage = 终止 if terminated, else its furthest stage reached (线索 without)."""
    stages = set(LeadEvent.objects.filter(lead=lead).values_list("stage", flat=True))
    if LeadStage.TERMINATED in stages:
        stage = LeadStage.TERMINATED.value
    else:
        stage = furthest_step(stages, STAGE_ORDER)
    lead.stage = stage
    lead.save(update_fields=save_fields or ["stage", "updated_at"])
    return lead


def lead_fund_set(
    *,
    lead: Lead,
    year: int,
    month: int,
    fixed_assets: Decimal = Decimal(0),
    working_capital: Decimal = Decimal(0),
) -> LeadFund:
    """到位资金 of a lead in a month (the month's amounts, 万元)."""
    row, _ = LeadFund.objects.update_or_create(
        lead=lead,
        year=year,
        month=month,
        defaults={"fixed_assets": fixed_assets, "working_capital": working_capital},
    )
    return row
