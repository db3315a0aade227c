"""土地 API: the year's summary (as `yuanqu land --json`), the parcel ledger at a date (with a
status filter, or "idle"), and one parcel with its timeline. Park-wide readers only; a parcel
outside the reader's parks is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.land import presenters, selectors
from yuanqu.land.models import Parcel, ParcelStatus
from yuanqu.land.selectors import today

router = Router(tags=["土地"])


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise HttpError(422, "日期应写成 YYYY-MM-DD") from exc


@router.get("/summary")
@route_policy(read="park_wide")
def land_summary(request: HttpRequest, park: str, year: int, as_of: str = "") -> dict[str, Any]:
    """新增收储、征收中、成熟可供用地、组卷与已出让、闲置土地：as the CLI prints."""
    the_park = policy.park_readable(request.user, park)
    if not 1990 <= year <= 2100:
        raise HttpError(422, "年度应为四位年份")
    return presenters.summary_json(
        selectors.land_summary(park=the_park, year=year, at=_date(as_of))
    )


@router.get("/parcels")
@route_policy(read="park_wide")
def parcel_list(
    request: HttpRequest, park: str, status: str = "", as_of: str = ""
) -> list[dict[str, Any]]:
    the_park = policy.park_readable(request.user, park)
    if status and status != "idle" and status not in ParcelStatus.values:
        raise HttpError(422, f"状态“{status}”不是可选值：idle、{'、'.join(ParcelStatus.values)}")
    at = _date(as_of) or today()
    return [
        presenters.parcel_json(r)
        for r in selectors.parcel_rows(park=the_park, at=at, status=status)
    ]


@router.get("/parcels/{parcel_id}")
@route_policy(read="park_wide")
def parcel_detail(request: HttpRequest, parcel_id: int) -> dict[str, Any]:
    parcel = Parcel.objects.filter(pk=parcel_id).select_related("park").first()
    if parcel is None or not policy.can_read_park(request.user, parcel.park):
        raise ScopeDenied("宗地不存在或无权访问")
    parcel = selectors.parcels_for(park=parcel.park).get(pk=parcel_id)
    row = selectors.parcel_row(parcel, today())
    return {
        **presenters.parcel_json(row),
        "timeline": [
            {
                "status": e.status,
                "label": e.get_status_display(),
                "date": str(e.date),
                "note": e.note,
            }
            for e in parcel.events.all()
        ],
    }
