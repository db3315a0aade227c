"""Reads of 督查督办: the scoped task list, lights at a date, the metrics by department.

Supervision tasks are the park's internal work: park-wide readers only (never enterprise
users). Pages, the API, `yuanqu service` and the report sections read through here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from yuanqu.accounts import policy
from yuanqu.accounts.models import AuthUser, User
from yuanqu.accounts.scopes import parks_for
from yuanqu.registry.models import Enterprise, Park
from yuanqu.supervision import formulas
from yuanqu.supervision.models import Notification, SupervisionTask, TaskStatus


def yellow_days() -> int:
    """Days before the deadline a task turns yellow (setting, default 3)."""
    return int(getattr(settings, "YUANQU_SUPERVISION_YELLOW_DAYS", formulas.DEFAULT_YELLOW_DAYS))


def tasks_for(*, user: AuthUser) -> QuerySet[SupervisionTask]:
    """Tasks of the parks whose park-wide figures the user reads (none for enterprise users)."""
    if not policy.reads_park_wide(user):
        return SupervisionTask.objects.none()
    return SupervisionTask.objects.filter(park__in=parks_for(user)).select_related(
        "park", "department", "enterprise"
    )


def task_for(*, user: AuthUser, pk: int) -> SupervisionTask | None:
    return tasks_for(user=user).filter(pk=pk).first()


def enterprise_task_rows(*, enterprise: Enterprise, at: dt.date, limit: int = 10) -> list[TaskRow]:
    """The latest tasks about an enterprise (`SupervisionTask.enterprise`), with their light at
    `at`, for its page (一企一档). Not scoped by user: the page asks it only for a reader of the
    enterprise (its park's staff, or its own users, who may see what concerns them)."""
    qs = SupervisionTask.objects.filter(park_id=enterprise.park_id, enterprise=enterprise)
    days = yellow_days()
    tasks = qs.select_related("department").order_by("-assigned_on", "-id")[:limit]
    return [TaskRow(t, task_light(t, at, days), (t.deadline - at).days) for t in tasks]


def unread_count(*, user: AuthUser) -> int:
    """The user's unread reminders, both kinds the 提醒 page lists (督办 `Notification`s and
    the import's 催报 / 退回 `Reminder`s): the page's 未读 figure and the navigation badge
    (NavEntry.badge), in one query (UNION ALL of the two, counted)."""
    from yuanqu.imports.models import Reminder

    if not isinstance(user, User):  # anonymous: nothing addressed to it
        return 0
    own = Notification.objects.filter(user=user, read_at__isnull=True).order_by().values("id")
    notices = Reminder.objects.filter(user=user, read_at__isnull=True).order_by().values("id")
    return own.union(notices, all=True).count()


def task_light(task: SupervisionTask, at: dt.date, days: int | None = None) -> str:
    done = task.done_on if task.status in (TaskStatus.DONE, TaskStatus.CLOSED) else None
    return formulas.light(
        task.deadline, done, at, yellow_days=yellow_days() if days is None else days
    )


@dataclass
class TaskRow:
    task: SupervisionTask
    light: str
    days_left: int  # deadline − at (negative: days overdue)


def task_rows(
    *, park: Park, at: dt.date, open_only: bool = False, department: str = "", light: str = ""
) -> list[TaskRow]:
    """The park's tasks with their light at `at` (red first, then by deadline)."""
    qs = SupervisionTask.objects.filter(park=park, assigned_on__lte=at).select_related(
        "department", "enterprise"
    )
    if department:
        qs = qs.filter(department__code=department)
    days = yellow_days()
    rows = [TaskRow(t, task_light(t, at, days), (t.deadline - at).days) for t in qs]
    if open_only:  # open at `at`: a task done later was still open then
        rows = [r for r in rows if r.light != "done"]
    if light:
        rows = [r for r in rows if r.light == light]
    order = {k: n for n, k in enumerate(formulas.LIGHTS)}
    rows.sort(key=lambda r: (order[r.light], r.task.deadline, r.task.code))
    return rows


@dataclass
class DepartmentStats:
    """A department's tasks due in the period, seen at `at`."""

    key: str
    label: str
    due: int = 0  # due in the period and decided (on time + late)
    on_time: int = 0
    late: int = 0  # done late, or open and past due
    done_late: int = 0
    open: int = 0  # not done at `at` (any deadline)
    overdue: int = 0  # open and past due at `at`
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(formulas.LIGHTS, 0))
    on_time_rate: Decimal | None = None


@dataclass
class TaskMetrics:
    park: Park
    start: dt.date
    end: dt.date
    at: dt.date
    total: DepartmentStats
    by_department: list[DepartmentStats]


def task_metrics(
    *, park: Park, start: dt.date, end: dt.date, at: dt.date | None = None
) -> TaskMetrics:
    """By department: done on time, done late, open and overdue (DECISIONS.md on-time rule:
    tasks due in [start, end]; open ones past due at `at` count as late). `open` and `overdue`
    count every task open at `at`, whatever its deadline; lights are those at `at`."""
    at = at or end
    days = yellow_days()
    total = DepartmentStats("all", "合计")
    groups: dict[str, DepartmentStats] = {}
    qs = (
        SupervisionTask.objects.filter(park=park, assigned_on__lte=at)
        .select_related("department")
        .order_by("department__code", "code")
    )
    for t in qs:
        key, label = (t.department.code, t.department.name) if t.department else ("", "未指定部门")
        g = groups.setdefault(key, DepartmentStats(key, label))
        done = t.done_on if t.status in (TaskStatus.DONE, TaskStatus.CLOSED) else None
        light = formulas.light(t.deadline, done, at, yellow_days=days)
        for s in (total, g):
            s.lights[light] += 1
            if light != "done":
                s.open += 1
                if light == "red":
                    s.overdue += 1
            if start <= t.deadline <= end:
                state = formulas.on_time_state(t.deadline, done, at)
                if state == formulas.ON_TIME:
                    s.on_time += 1
                elif state == formulas.LATE:
                    s.late += 1
                    if done is not None and done <= at:
                        s.done_late += 1
    for s in (total, *groups.values()):
        s.due = s.on_time + s.late
        s.on_time_rate = formulas.rate_pct(s.on_time, s.due)
    return TaskMetrics(
        park, start, end, at, total, sorted(groups.values(), key=lambda s: (s.key == "", s.key))
    )
