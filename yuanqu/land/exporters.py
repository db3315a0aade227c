"""Exports of 土地 in their import layouts: `parcels` (imports back as `parcels`) and
`parcel-events` (the lifecycle steps)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yuanqu.imports.exporters import _readable_parks
from yuanqu.imports.workbooks import Export, exporter
from yuanqu.land.models import Parcel, ParcelEvent


@exporter("parcels", park_wide=True)
def export_parcels(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    parks = _readable_parks(user)
    if park:
        parks = parks.filter(code=park)
    headers = [
        "园区代码",
        "宗地编号",
        "项目名称",
        "项目位置",
        "面积",
        "面积单位",
        "面积(亩)折算",
        "土地来源",
        "土地用途",
        "状态",
        "供地方式",
        "土地使用年限",
        "成交价格(万元)",
        "土地使用权人",
        "受让企业统一社会信用代码",
        "约定容积率(上限)",
        "约定容积率(下限)",
        "约定交地时间",
        "约定开工时间",
        "约定竣工时间",
        "批准单位",
        "合同签订日期",
        "重点项目编号",
    ]

    def lines() -> Iterator[list[Any]]:
        rows = (
            Parcel.objects.filter(park__in=parks)
            .select_related("park", "enterprise", "project")
            .order_by("park__code", "code")
        )
        for p in rows:
            yield [
                p.park.code,
                p.code,
                p.name,
                p.location,
                p.area,
                p.get_area_unit_display(),
                p.area_mu,
                p.land_source,
                p.get_use_display(),
                p.get_status_display(),
                p.get_supply_method_display() if p.supply_method else "",
                p.term_years or "",
                p.price if p.price is not None else "",
                p.buyer_name,
                p.enterprise.credit_code if p.enterprise_id else "",
                p.plot_ratio_max if p.plot_ratio_max is not None else "",
                p.plot_ratio_min if p.plot_ratio_min is not None else "",
                p.handover_contracted or "",
                p.start_contracted or "",
                p.completion_contracted or "",
                p.approved_by,
                p.contract_signed_on or "",
                p.project.code if p.project_id else "",
            ]

    return Export("宗地台账", headers, lines(), unit_line="面积单位见“面积单位”列；金额：万元")


@exporter("parcel-events", park_wide=True)
def export_events(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    parks = _readable_parks(user)
    if park:
        parks = parks.filter(code=park)
    headers = ["园区代码", "宗地编号", "环节", "日期", "说明"]

    def lines() -> Iterator[list[Any]]:
        rows = (
            ParcelEvent.objects.filter(parcel__park__in=parks)
            .select_related("parcel", "parcel__park")
            .order_by("parcel__park__code", "parcel__code", "date", "id")
        )
        for e in rows:
            yield [e.parcel.park.code, e.parcel.code, e.get_status_display(), e.date, e.note]

    return Export("宗地环节", headers, lines())
