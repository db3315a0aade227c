"""项目资金 API: totals by fund type, the funds ledger and the applications of a year, as
`yuanqu funds --json` prints them (the same presenters)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.funding import presenters, selectors

router = Router(tags=["项目资金"])


@router.get("/summary")
@route_policy(read="park_wide")
def fund_summary(request: HttpRequest, park: str, year: int, month: int = 12) -> dict[str, Any]:
    the_park = policy.park_readable(request.user, park)
    if not 1990 <= year <= 2100 or not 1 <= month <= 12:
        raise HttpError(422, "年度应为四位年份，月份为1-12")
    data = selectors.fund_summary(park=the_park, year=year, month=month)
    return {
        "park": the_park.code,
        "year": str(year),
        "types": [presenters.type_json(t) for t in data["types"] if t.count],
        "funds": [presenters.fund_json(r) for r in data["rows"]],
        "applications": presenters.applications_json(data["applications"]),
    }
