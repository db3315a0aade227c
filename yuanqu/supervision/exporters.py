"""Export of 督查督办: the task ledger in the import layout plus the light at the export date.
A park-wide kind: enterprise users never get it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yuanqu.imports.workbooks import Export, exporter
from yuanqu.service_requests.clock import today
from yuanqu.supervision import formulas, selectors


@exporter("supervision-tasks", park_wide=True)
def export_tasks(
    *, user: Any = None, park: str | None = None, year: int | str | None = None, **_: Any
) -> Export:
    from yuanqu.supervision.models import SupervisionTask

    qs = SupervisionTask.objects.all() if user is None else selectors.tasks_for(user=user)
    qs = qs.select_related("department", "park", "enterprise")
    if park:
        qs = qs.filter(park__code=park)
    if year:
        try:
            qs = qs.filter(assigned_on__year=int(year))
        except ValueError as exc:
            raise ValueError("年度应为四位年份") from exc
    at = today()
    headers = [
        "督办编号",
        "来源",
        "督办事项",
        "具体内容",
        "责任部门",
        "责任人",
        "分管领导",
        "交办日期",
        "办结时限",
        "状态",
        "办结日期",
        "统一社会信用代码",
        f"灯色（{at:%Y-%m-%d}）",
        "触发原因",
        "园区代码",
    ]

    def rows() -> Iterator[list[Any]]:
        for t in qs.order_by("park__code", "assigned_on", "code"):
            yield [
                t.code,
                t.get_source_display(),
                t.title,
                t.content,
                t.department.name if t.department else "",
                t.person,
                t.leader,
                t.assigned_on,
                t.deadline,
                t.get_status_display(),
                t.done_on or "",
                t.enterprise.credit_code if t.enterprise else "",
                formulas.LIGHTS[selectors.task_light(t, at)],
                t.cause_ref,
                t.park.code,
            ]

    return Export("督查督办台账", headers, rows())
