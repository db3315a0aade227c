"""招商引资 pages: the pipeline board (kanban by stage) with the funnel and the year's figures,
a lead with its history and 到位资金, the linked lifecycle of a lead, and the enterprise page
(一企一档) whose panels the modules declare (`ModuleSpec.enterprise_panels`).

Thin views: the figures are `investment.selectors` / `presenters` (as the CLI and the API);
every read asks `accounts.policy`; an object outside the reader's scope is 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, parks_for
from yuanqu.core.modules import enterprise_panels, resolve
from yuanqu.investment import lifecycle, presenters, selectors
from yuanqu.investment.models import STAGE_ORDER, Lead, LeadStage
from yuanqu.land.selectors import today
from yuanqu.registry.models import Enterprise, Park


def _park(request: HttpRequest) -> Park:
    user = request.user
    code = request.GET.get("park", "").strip() or request.session.get("park", "")
    if code:
        try:
            return policy.park_readable(user, code)
        except ScopeDenied:
            if request.GET.get("park"):
                raise
    park = next(
        (p for p in parks_for(user).order_by("code") if policy.can_read_park(user, p)), None
    )
    if park is None:
        raise ScopeDenied("没有可访问的园区")
    return park


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 1990 <= year <= 2100 else default


def _denied(request: HttpRequest) -> HttpResponse:
    return render(
        request, "dashboard/denied.html", {"code": request.GET.get("park", "")}, status=404
    )


def default_year(dates: list[dt.date]) -> int:
    """The latest year with data (the demo's 2023), else this year."""
    return max(dates).year if dates else today().year


@route_policy(read="park_wide", enterprise_to="mine:index")
def index(request: HttpRequest) -> HttpResponse:
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    signed = list(
        Lead.objects.filter(park=park, signed_on__isnull=False).values_list("signed_on", flat=True)
    )
    year = _year(request, default_year(signed))
    s = selectors.investment_summary(park=park, year=year)
    data = presenters.summary_json(s)
    board = selectors.leads_by_stage(s.rows)
    columns = [
        {
            "key": st,
            "label": LeadStage(st).label,
            "leads": [presenters.lead_json(r) for r in board.get(st, [])],
        }
        for st in (*STAGE_ORDER, LeadStage.TERMINATED.value)
    ]
    funnel = [{"name": line["label"], "value": line["reached"]} for line in data["stages"]] + [
        {"name": LeadStage.PRODUCING.label, "value": str(s.by_stage.get("producing", 0))}
    ]
    years = sorted({d.year for d in signed} | {year}, reverse=True)
    return render(
        request,
        "investment/index.html",
        {
            "park": park,
            "year": year,
            "years": years,
            "s": data,
            "columns": columns,
            "funnel": funnel,
        },
    )


def _lead(request: HttpRequest, lead_id: int) -> Lead:
    lead = Lead.objects.filter(pk=lead_id).select_related("park").first()
    if lead is None or not policy.can_read_park(request.user, lead.park):
        raise ScopeDenied("招商项目不存在或无权访问")
    return selectors.leads_for(park=lead.park).get(pk=lead_id)


@route_policy(read="park_wide", enterprise_to="mine:index")
def lead(request: HttpRequest, lead_id: int) -> HttpResponse:
    try:
        the_lead = _lead(request, lead_id)
    except ScopeDenied:
        return _denied(request)
    row = selectors.lead_row(the_lead, today())
    funds = sorted(the_lead.funds.all(), key=lambda f: (f.year, f.month))
    return render(
        request,
        "investment/lead.html",
        {
            "lead": the_lead,
            "row": presenters.lead_json(row),
            "history": list(the_lead.events.all()),
            "funds": funds,
            "can_write": policy.can_write(request.user, "investment", the_lead.park),
        },
    )


@route_policy(read="park_wide", enterprise_to="mine:index")
def lead_lifecycle(request: HttpRequest, lead_id: int) -> HttpResponse:
    try:
        the_lead = _lead(request, lead_id)
    except ScopeDenied:
        return _denied(request)
    life = lifecycle.lifecycle(lead=the_lead, park_figures=True)
    return render(request, "investment/lifecycle.html", {"lead": the_lead, "life": life})


@route_policy(read="enterprise_own")
def enterprise(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """一企一档: the enterprise's registry data and every module's panel about it."""
    found = Enterprise.objects.filter(pk=enterprise_id).select_related("park", "cluster").first()
    if found is None or not policy.can_read_enterprise(request.user, found):
        return _denied(request)
    panels: list[dict[str, Any]] = []
    for panel in enterprise_panels():
        context = resolve(panel.target)(found, request.user)
        if context is not None:
            panels.append(
                {
                    "key": panel.key,
                    "label": panel.label,
                    "template": panel.template,
                    **{"context": context},
                }
            )
    return render(request, "investment/enterprise.html", {"enterprise": found, "panels": panels})


def lifecycle_panel(enterprise: Enterprise, user: Any) -> dict[str, Any] | None:
    """The enterprise page's 全生命周期 panel (investment's `EnterprisePanel`)."""
    life = lifecycle.lifecycle(enterprise=enterprise, park_figures=policy.reads_park_wide(user))
    if not life.steps:
        return None
    return {"life": life, "staff": policy.reads_park_wide(user)}
