"""Exports of 招商引资 in their import layouts: `leads` (imports back as `leads`) and
`investment-funds` (到位资金 per lead and month)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yuanqu.imports.exporters import _readable_parks
from yuanqu.imports.workbooks import Export, exporter
from yuanqu.investment.models import Lead, LeadFund


@exporter("leads", park_wide=True)
def export_leads(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    parks = _readable_parks(user)
    if park:
        parks = parks.filter(code=park)
    headers = [
        "园区代码",
        "项目编号",
        "项目名称",
        "投资方",
        "投资方来源",
        "产业集群",
        "币种",
        "计划总投资",
        "汇率",
        "阶段",
        "阶段日期",
        "签约日期",
        "协议总投资",
        "终止原因",
        "责任人",
        "责任部门",
        "落地企业统一社会信用代码",
        "重点项目编号",
        "宗地编号",
    ]

    def lines() -> Iterator[list[Any]]:
        leads = (
            Lead.objects.filter(park__in=parks)
            .select_related("park", "cluster", "department", "enterprise", "project", "parcel")
            .prefetch_related("events")
            .order_by("park__code", "code")
        )
        for lead in leads:
            dates = {e.stage: e.date for e in lead.events.all()}
            yield [
                lead.park.code,
                lead.code,
                lead.name,
                lead.investor,
                lead.get_origin_display() if lead.origin else "",
                lead.cluster.name if lead.cluster_id else "",
                lead.get_currency_display(),
                lead.planned_investment,
                lead.usd_rate or "",
                lead.get_stage_display(),
                dates.get(lead.stage, ""),
                lead.signed_on or "",
                lead.agreement_amount if lead.agreement_amount is not None else "",
                lead.terminated_reason,
                lead.responsible_person,
                lead.department.name if lead.department_id else "",
                lead.enterprise.credit_code if lead.enterprise_id else "",
                lead.project.code if lead.project_id else "",
                lead.parcel.code if lead.parcel_id else "",
            ]

    return Export("招商项目", headers, lines(), unit_line="单位：万元（美元项目为万美元）")


@exporter("investment-funds", park_wide=True)
def export_funds(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    parks = _readable_parks(user)
    if park:
        parks = parks.filter(code=park)
    headers = ["园区代码", "项目编号", "项目名称", "月份", "固定资产到位", "流动资金到位"]

    def lines() -> Iterator[list[Any]]:
        rows = (
            LeadFund.objects.filter(lead__park__in=parks)
            .select_related("lead", "lead__park")
            .order_by("lead__park__code", "lead__code", "year", "month")
        )
        for f in rows:
            yield [
                f.lead.park.code,
                f.lead.code,
                f.lead.name,
                f"{f.year}-{f.month:02d}",
                f.fixed_assets,
                f.working_capital,
            ]

    return Export("招商项目到位资金", headers, lines(), unit_line="单位：万元")
