"""项目资金 page: the funds ledger of a park and year (申报, 下达, 到位, 支出, 支出进度) and the
applications (拟申报) prepared in that year — the figures of `yuanqu funds` and the API."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, parks_for
from yuanqu.funding import presenters, selectors
from yuanqu.funding.models import Fund


@route_policy(read="park_wide", enterprise_to="mine:index")
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = request.GET.get("park", "").strip() or request.session.get("park", "")
    try:
        if code:
            park = policy.park_readable(user, code)
        else:
            park = next(
                p for p in parks_for(user).order_by("code") if policy.can_read_park(user, p)
            )
    except (ScopeDenied, StopIteration):
        return render(request, "dashboard/denied.html", {"code": code}, status=404)
    years = sorted(set(Fund.objects.filter(park=park).values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else dt.date.today().year
    if not 1990 <= year <= 2100:
        year = years[0] if years else dt.date.today().year
    data = selectors.fund_summary(park=park, year=year)
    return render(
        request,
        "funding/index.html",
        {
            "park": park,
            "year": year,
            "years": years,
            "types": [presenters.type_json(t) for t in data["types"] if t.count],
            "funds": [presenters.fund_json(r) for r in data["rows"]],
            "applications": presenters.applications_json(data["applications"]),
            "application_rows": [a for group in data["applications"] for a in group["rows"]],
        },
    )
