"""Demo data of 督查督办 (2022 and 2023).

DEMO gets 20 tasks a year from meetings, leaders' instructions and higher authorities, each
with a progress report; most are done before their deadline, three a year are done late, one
has its deadline moved (with the reason kept) and the last is still open at the year end.
Then `supervise_run` walks the two years twice a month over DEMO, as cron would: the demo's red
projects, indicators behind their targets' 序时, late requests and incomplete 报送率 raise
automatic tasks, closed when their cause clears. Deterministic; runs after 重点项目, 经济运行 and
企业诉求 (demo order).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from yuanqu.registry.models import Department, Park
from yuanqu.service_requests.clock import DEMO_TODAY
from yuanqu.supervision import services
from yuanqu.supervision.models import Source

YEARS = (2022, 2023)
DEPARTMENTS = ("JFJ", "ZSJ", "XMB", "GHJSJ", "CZJ", "YSB")
SOURCES = (Source.MEETING, Source.INSTRUCTION, Source.ASSIGNED)
TITLES = (
    "推进标准厂房二期项目开工",
    "落实规上企业月度报表审核",
    "协调重点项目用地报批",
    "开展招商引资项目履约核查",
    "专项债资金支出进度调度",
    "企业用工需求对接活动",
    "园区道路雨污分流改造",
    "安全生产隐患排查整改",
    "编制产业链招商图谱",
    "推进闲置低效用地处置",
)
LEADERS = ("王主任", "李副主任", "张副主任")
LATE = {3, 11, 16}


def _tasks(park: Park, year: int) -> None:
    departments = {d.code: d for d in Department.objects.filter(park=park)}
    for k in range(20):
        assigned = dt.date(year, 1 + (k * 3) % 12, 5 + (k % 4) * 5)
        deadline = assigned + dt.timedelta(days=30 + (k % 3) * 15)
        task = services.task_create(
            park=park,
            source=SOURCES[k % len(SOURCES)],
            title=TITLES[k % len(TITLES)],
            content=f"{TITLES[k % len(TITLES)]}，请责任部门按时限办结并报送进展。",
            assigned_on=assigned,
            deadline=deadline,
            department=departments.get(DEPARTMENTS[k % len(DEPARTMENTS)]),
            leader=LEADERS[k % len(LEADERS)],
            code=f"DB{year}{k + 1:04d}",
        )
        services.task_progress(
            task=task, text="已制定工作方案，正在推进。", on=assigned + dt.timedelta(days=7)
        )
        if k == 7:
            deadline = deadline + dt.timedelta(days=20)
            services.task_change_deadline(
                task=task,
                deadline=deadline,
                reason="涉及上级审批，经分管领导同意延期",
                on=assigned + dt.timedelta(days=20),
            )
        if k == 19 and year == YEARS[-1]:
            continue  # still open at the demo's end
        done = (
            deadline + dt.timedelta(days=6)
            if k in LATE
            else deadline - dt.timedelta(days=2 + k % 5)
        )
        services.task_done(task=task, on=done, text="已按要求办结。")


def _run_dates() -> list[dt.date]:
    """The 15th and the last day of every month of the demo years, as cron would pass them."""
    dates = []
    for year in YEARS:
        for month in range(1, 13):
            dates.append(dt.date(year, month, 15))
            dates.append(dt.date(year, month, monthrange(year, month)[1]))
    return [d for d in dates if d <= DEMO_TODAY]


def load_supervision() -> None:
    demo = Park.objects.filter(code="DEMO").first()
    if demo is None:
        return
    for year in YEARS:
        _tasks(demo, year)
    for at in _run_dates():
        services.supervise_run(at=at, parks=[demo])
    # The other demo parks as the worker's first run at the pinned "today" would find them.
    others = list(Park.objects.filter(code__startswith="DEMO").exclude(pk=demo.pk))
    services.supervise_run(at=DEMO_TODAY, parks=others)
