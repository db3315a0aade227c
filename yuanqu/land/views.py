"""土地 pages: the land ledger (with status filters and the year's figures), a parcel with its
timeline, and the idle-land list. Thin views over `land.selectors` / `presenters` (the figures
of `yuanqu land` and the API); every read asks `accounts.policy`; 404 outside the scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.investment.views import _denied, _park, _year, default_year
from yuanqu.land import presenters, selectors
from yuanqu.land.models import Parcel, ParcelEvent, ParcelStatus
from yuanqu.land.selectors import today
from yuanqu.registry.models import Enterprise


def _years(park: Any) -> list[int]:
    return sorted(
        {
            d.year
            for d in ParcelEvent.objects.filter(parcel__park=park).values_list("date", flat=True)
        },
        reverse=True,
    )


@route_policy(read="park_wide", enterprise_to="mine:index")
def index(request: HttpRequest) -> HttpResponse:
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    years = _years(park)
    year = _year(request, years[0] if years else today().year)
    status = request.GET.get("status", "")
    if status not in ("", "idle", *ParcelStatus.values):
        status = ""
    s = selectors.land_summary(park=park, year=year)
    rows = selectors.parcel_rows(park=park, at=s.at, status=status)
    return render(
        request,
        "land/index.html",
        {
            "park": park,
            "year": year,
            "years": years or [year],
            "status": status,
            "statuses": ParcelStatus.choices,
            "s": presenters.summary_json(s),
            "parcels": [presenters.parcel_json(r) for r in rows],
        },
    )


@route_policy(read="park_wide", enterprise_to="mine:index")
def idle(request: HttpRequest) -> HttpResponse:
    """闲置土地 at a date (default: the end of the latest year with land events)."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    years = _years(park)
    try:
        at = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        at = dt.date(default_year([dt.date(y, 1, 1) for y in years]), 12, 31)
    rows = selectors.parcel_rows(park=park, at=at, status="idle")
    return render(
        request,
        "land/idle.html",
        {"park": park, "at": at, "parcels": [presenters.parcel_json(r) for r in rows]},
    )


@route_policy(read="park_wide", enterprise_to="mine:index")
def parcel(request: HttpRequest, parcel_id: int) -> HttpResponse:
    found = Parcel.objects.filter(pk=parcel_id).select_related("park").first()
    if found is None or not policy.can_read_park(request.user, found.park):
        return _denied(request)
    the_parcel = selectors.parcels_for(park=found.park).get(pk=parcel_id)
    row = selectors.parcel_row(the_parcel, today())
    return render(
        request,
        "land/parcel.html",
        {
            "parcel": the_parcel,
            "row": presenters.parcel_json(row),
            "timeline": list(the_parcel.events.all()),
            "leads": list(the_parcel.leads.all()),
        },
    )


def parcels_panel(enterprise: Enterprise, user: Any) -> dict[str, Any] | None:
    """The enterprise page's 用地 panel: its parcels and the area 亩均 uses."""
    rows = [
        selectors.parcel_row(p, today())
        for p in selectors.parcels_for(park=enterprise.park).filter(enterprise=enterprise)
    ]
    if not rows:
        return None
    area = selectors.land_area_by_enterprise([enterprise.pk]).get(enterprise.pk)
    return {
        "parcels": [presenters.parcel_json(r) for r in rows],
        "area": area,
        "staff": policy.reads_park_wide(user),
    }
