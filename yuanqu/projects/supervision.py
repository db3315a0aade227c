"""重点项目's supervision rule (declared in module.py, `supervision_rules=`): a project red
against 序时进度 (behind by more than the red margin, or a 节点 overdue) in the latest month
whose 调度 counts raises one 督办 task, closed when the project is no longer red.

The month read is the latest counted (已审核 / 已锁定) 调度 month up to `date` (a month counts
once it has ended), so a month not yet reported does not make every project red.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse

from yuanqu.core.periods import Period
from yuanqu.core.wording import fmt_decimal
from yuanqu.imports.models import DataSlice
from yuanqu.projects import selectors
from yuanqu.registry.models import Park


def _latest_counted(park: Park, date: dt.date) -> Period | None:
    year, month = date.year, date.month
    if date.day != monthrange(year, month)[1]:  # the month has not ended: the one before
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    s = (
        DataSlice.objects.filter(
            Q(year__lt=year) | Q(year=year, month__lte=month),
            kind=selectors.PROGRESS_KIND,
            park=park,
            status__in=selectors.COUNTED,
        )
        .exclude(month=0)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return Period(s[0], s[1]) if s else None


def red_projects(park: Park, date: dt.date) -> Iterator[dict[str, object]]:
    period = _latest_counted(park, date)
    if period is None or (period.year != date.year and date.month > 2):
        # Last year's December is still the latest month early in a year; later, a year
        # without any 调度 has nothing to say.
        return
    for row in selectors.project_rows(park=park, period=period):
        if row.light != "red":
            continue
        p = row.project
        why = (
            f"逾期节点{row.overdue_milestones}个"
            if row.overdue_milestones
            else f"慢于序时进度{fmt_decimal(abs(row.ahead_pp or 0), 1)}个百分点"
        )
        yield {
            "key": f"project-{p.pk}",
            "title": f"重点项目亮红灯：{p.name}",
            "url": reverse("projects:detail", args=[p.pk]),
            "ref": f"重点项目 {p.code}",
            "content": f"{p.name}截至{period.label}{why}，请责任单位说明原因并提出赶超措施。",
            "department": p.department,
            "enterprise": p.enterprise_id,  # the owner enterprise, if any
        }
