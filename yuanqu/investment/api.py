"""招商引资 API: the year's summary (as `yuanqu investment --json`), the leads of a park at a
date, and one lead with its history and 到位资金. Park-wide figures only for readers of the
whole park (never enterprise users); a lead outside the reader's parks is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.investment import presenters, selectors
from yuanqu.investment.models import Lead, LeadStage
from yuanqu.land.selectors import today

router = Router(tags=["招商引资"])


def _year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise HttpError(422, "年度应为四位年份")
    return year


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise HttpError(422, "截至日期应写成 YYYY-MM-DD") from exc


@router.get("/summary")
@route_policy(read="park_wide")
def investment_summary(
    request: HttpRequest, park: str, year: int, as_of: str = ""
) -> dict[str, Any]:
    """签约、目标、规模、集群、储备、履约/开工/投产率、到位资金、阶段转化：as the CLI prints."""
    the_park = policy.park_readable(request.user, park)
    s = selectors.investment_summary(park=the_park, year=_year(year), at=_date(as_of))
    return presenters.summary_json(s)


@router.get("/leads")
@route_policy(read="park_wide")
def lead_list(
    request: HttpRequest, park: str, stage: str = "", as_of: str = ""
) -> list[dict[str, Any]]:
    the_park = policy.park_readable(request.user, park)
    if stage and stage not in LeadStage.values:
        raise HttpError(422, f"阶段“{stage}”不是可选值：{'、'.join(LeadStage.values)}")
    at = _date(as_of) or today()
    rows = [selectors.lead_row(lead, at) for lead in selectors.leads_for(park=the_park)]
    return [presenters.lead_json(r) for r in rows if not stage or r.stage == stage]


@router.get("/leads/{lead_id}")
@route_policy(read="park_wide")
def lead_detail(request: HttpRequest, lead_id: int) -> dict[str, Any]:
    lead = Lead.objects.filter(pk=lead_id).select_related("park").first()
    if lead is None or not policy.can_read_park(request.user, lead.park):
        raise ScopeDenied("招商项目不存在或无权访问")
    lead = selectors.leads_for(park=lead.park).get(pk=lead_id)
    row = selectors.lead_row(lead, today())
    return {
        **presenters.lead_json(row),
        "history": [
            {"stage": e.stage, "label": e.get_stage_display(), "date": str(e.date), "note": e.note}
            for e in lead.events.all()
        ],
        "funds": [
            {
                "period": f"{f.year}-{f.month:02d}",
                "fixed_assets": presenters.num(f.fixed_assets),
                "working_capital": presenters.num(f.working_capital),
            }
            for f in sorted(lead.funds.all(), key=lambda f: (f.year, f.month))
        ],
    }
