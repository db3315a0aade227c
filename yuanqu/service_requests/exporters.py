"""Exports of 企业诉求 and 惠企政策兑现, in their import layouts (each imports back unchanged)
plus computed columns. Not park-wide kinds: an enterprise user exports its own rows only (the
scoped selectors), staff the parks they read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yuanqu.imports.workbooks import Export, exporter
from yuanqu.service_requests import selectors


def _year(year: Any) -> int | None:
    try:
        return int(year) if year else None
    except ValueError as exc:
        raise ValueError("年度应为四位年份") from exc


@exporter("service-requests")
def export_requests(
    *, user: Any = None, park: str | None = None, year: int | str | None = None, **_: Any
) -> Export:
    from yuanqu.service_requests.models import ServiceRequest

    qs = (
        ServiceRequest.objects.all() if user is None else selectors.requests_for(user=user)
    ).select_related("enterprise", "category", "department", "park")
    if park:
        qs = qs.filter(park__code=park)
    the_year = _year(year)
    if the_year:
        qs = qs.filter(received_on__year=the_year)
    headers = [
        "诉求编号",
        "统一社会信用代码",
        "企业名称",
        "诉求类别",
        "诉求标题",
        "诉求内容",
        "受理日期",
        "承办部门",
        "承办人",
        "状态",
        "办结日期",
        "满意度",
        "退回原因",
        "办理时限",
        "园区代码",
    ]

    def rows() -> Iterator[list[Any]]:
        for r in qs.order_by("park__code", "received_on", "code"):
            yield [
                r.code,
                r.enterprise.credit_code,
                r.enterprise.name,
                r.category.name,
                r.title,
                r.content,
                r.received_on,
                r.department.name if r.department else "",
                r.handler,
                r.get_status_display(),
                r.closed_on or "",
                r.satisfaction if r.satisfaction is not None else "",
                r.return_reason,
                r.due_on,
                r.park.code,
            ]

    return Export("企业诉求台账", headers, rows())


@exporter("benefits")
def export_benefits(
    *, user: Any = None, park: str | None = None, year: int | str | None = None, **_: Any
) -> Export:
    from yuanqu.service_requests.models import BenefitPayment

    qs = (
        BenefitPayment.objects.all() if user is None else selectors.benefits_for(user=user)
    ).select_related("policy__department", "enterprise", "park")
    if park:
        qs = qs.filter(park__code=park)
    the_year = _year(year)
    if the_year:
        qs = qs.filter(paid_on__year=the_year)
    headers = [
        "政策编号",
        "政策名称",
        "政策层级",
        "兑现部门",
        "统一社会信用代码",
        "企业名称",
        "兑现日期",
        "兑现方式",
        "兑现金额",
        "备注",
        "园区代码",
    ]

    def rows() -> Iterator[list[Any]]:
        for p in qs.order_by("park__code", "paid_on", "policy__code", "id"):
            yield [
                p.policy.code,
                p.policy.name,
                p.policy.get_level_display(),
                p.policy.department.name if p.policy.department else "",
                p.enterprise.credit_code,
                p.enterprise.name,
                p.paid_on,
                p.get_kind_display(),
                p.amount,
                p.note,
                p.park.code,
            ]

    return Export("惠企政策兑现台账", headers, rows(), unit_line="单位：万元")
