"""企业诉求 API: the year's summary (park-wide readers), the request list and one request
(staff of the park: all; an enterprise user: its own), the benefits (likewise scoped).
Numbers are strings, as `yuanqu service --json` prints them (the same presenters)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, park_for
from yuanqu.service_requests import presenters, selectors
from yuanqu.service_requests.clock import today
from yuanqu.service_requests.models import RequestStatus

router = Router(tags=["企业诉求"])


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise HttpError(422, "年度应为四位年份，如 2022")
    return year


@router.get("/summary")
@route_policy(read="park_wide")
def service_summary(
    request: HttpRequest, park: str, year: int, exact: bool = False
) -> dict[str, Any]:
    """The year's requests, benefits and supervision by department: as `yuanqu service --json`."""
    the_park = policy.park_readable(request.user, park)
    return presenters.service_summary(park=the_park, year=_year(year), exact=exact)


@router.get("/requests")
@route_policy(read="park")
def request_list(
    request: HttpRequest, park: str, year: int, status: str = "", overdue: bool = False
) -> list[dict[str, Any]]:
    """Requests received in the year (an enterprise user: its own only)."""
    the_park = park_for(request.user, park)
    if status and status not in RequestStatus.values:
        raise HttpError(422, f"状态“{status}”不是可选值：{'、'.join(RequestStatus.values)}")
    qs = selectors.requests_for(user=request.user).filter(
        park=the_park, received_on__year=_year(year)
    )
    if status:
        qs = qs.filter(status=status)
    at = today()
    rows = [presenters.request_json(r, at=at) for r in qs.order_by("received_on", "code")]
    return [r for r in rows if r["overdue"]] if overdue else rows


@router.get("/requests/{request_id}")
@route_policy(read="park_wide_or_own")
def request_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """One request with its history (replies and status changes)."""
    r = selectors.request_for(user=request.user, pk=request_id)
    if r is None:
        raise ScopeDenied("诉求不存在或无权访问")
    return {
        **presenters.request_json(r, at=today()),
        "content": r.content,
        "history": [
            {"on": e.on.isoformat(), "kind": e.get_kind_display(), "text": e.text}
            for e in r.events.order_by("on", "id")
        ],
    }


@router.get("/benefits")
@route_policy(read="park")
def benefit_list(request: HttpRequest, park: str, year: int) -> dict[str, Any]:
    """The year's payments (an enterprise user: its own only) and their total (万元)."""
    the_park = park_for(request.user, park)
    qs = selectors.benefits_for(user=request.user).filter(park=the_park, paid_on__year=_year(year))
    rows = list(qs.order_by("paid_on", "id"))
    total = sum((p.amount for p in rows), Decimal(0))
    return {
        "park": the_park.code,
        "year": str(year),
        "amount_wan": presenters.wan(total),
        "enterprises": str(len({p.enterprise_id for p in rows})),
        "payments": [
            {
                "policy": p.policy.name,
                "enterprise": p.enterprise.name,
                "credit_code": p.enterprise.credit_code,
                "paid_on": p.paid_on.isoformat(),
                "kind": p.get_kind_display(),
                "amount_wan": presenters.wan(p.amount),
            }
            for p in rows
        ],
    }
