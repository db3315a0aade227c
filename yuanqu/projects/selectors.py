"""Reads of 重点项目: project rows at a period and their totals by level and category.

Everything a page, the API, the CLI, a report or the cockpit shows comes from `project_rows`
and `project_summary`, so they agree to the digit. Only 调度 of slices 已审核 / 已锁定 count,
unless `include_submitted` (DECISIONS.md, Data status). Lights are computed at an explicit
date: the end of the period.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from yuanqu.core.periods import Period
from yuanqu.imports.models import DataSlice, DataStatus
from yuanqu.projects import formulas
from yuanqu.projects.models import Level, Project, ProjectPlan, ProjectProgress
from yuanqu.registry.models import Park

PROGRESS_KIND = "project-progress"
COUNTED = (DataStatus.REVIEWED, DataStatus.LOCKED)


def light_margin() -> Decimal:
    """Points behind 序时进度 beyond which a project is red (setting, default 10)."""
    return Decimal(str(getattr(settings, "YUANQU_PROJECT_RED_MARGIN_PP", 10)))


def period_end(period: Period) -> dt.date:
    return dt.date(period.year, period.month, monthrange(period.year, period.month)[1])


@dataclass
class ProjectRow:
    """One project at a period: plan, YTD (the latest counted month ≤ the period), rates."""

    project: Project
    plan: ProjectPlan | None
    ytd: Decimal
    month_investment: Decimal | None
    ytd_month: int | None  # the month the YTD comes from (None: no 调度 this year)
    image_progress: str
    completion_pct: Decimal | None
    ahead_pp: Decimal | None
    light: str
    overdue_milestones: int
    since_start: Decimal
    started: bool
    completed: bool
    in_production: bool

    @property
    def planned(self) -> Decimal | None:
        return self.plan.planned_investment if self.plan else None


@dataclass
class Totals:
    """Totals of a group of project rows (a level, a category, all of them)."""

    key: str
    label: str
    count: int = 0
    total_investment: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    ytd: Decimal = Decimal(0)
    completion_pct: Decimal | None = None
    time_progress_pct: Decimal = Decimal(0)
    ahead_pp: Decimal | None = None
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(formulas.LIGHTS, 0))
    start_planned: int = 0
    started: int = 0
    start_rate: Decimal | None = None
    completion_planned: int = 0
    completed: int = 0
    completion_rate: Decimal | None = None
    production_planned: int = 0
    in_production: int = 0
    production_rate: Decimal | None = None


GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("provincial", "省重点", (Level.PROVINCIAL,)),
    ("municipal", "市重点", (Level.MUNICIPAL,)),
    ("key", "省市重点", (Level.PROVINCIAL, Level.MUNICIPAL)),
    ("county", "县区重点", (Level.COUNTY,)),
    ("park", "园区", (Level.PARK,)),
    ("all", "全部", tuple(Level.values)),
)


def projects_for(*, park: Park) -> QuerySet[Project]:
    return Project.objects.filter(park=park)


def _counted_months(park: Park, year: int, include_submitted: bool) -> set[int] | None:
    """Months of `year` whose 调度 count (None: every month, when submitted data is shown)."""
    if include_submitted:
        return None
    return set(
        DataSlice.objects.filter(
            kind=PROGRESS_KIND, park=park, year=year, status__in=COUNTED
        ).values_list("month", flat=True)
    )


def project_rows(
    *,
    park: Park,
    period: Period,
    include_submitted: bool = False,
    level: str = "",
    stage: str = "",
    department: str = "",
    only_planned: bool = True,
) -> list[ProjectRow]:
    """The park's projects of the period's year (those with a plan for the year, or with a
    调度 in it; `only_planned=False`: every project) with their figures at the period end."""
    year, month = period.year, period.month
    at = period_end(period)
    margin = light_margin()
    months = _counted_months(park, year, include_submitted)
    plans = {
        p.project_id: p
        for p in ProjectPlan.objects.filter(project__park=park, year=year).prefetch_related(
            "milestones"
        )
    }
    progress: dict[int, list[ProjectProgress]] = {}
    since: dict[int, Decimal] = {}
    rows_q = ProjectProgress.objects.filter(park=park, year__lte=year).order_by("year", "month")
    counted_before = (
        None
        if include_submitted
        else set(
            DataSlice.objects.filter(
                kind=PROGRESS_KIND, park=park, year__lt=year, status__in=COUNTED
            ).values_list("year", "month")
        )
    )
    last_of_year: dict[tuple[int, int], Decimal] = {}
    for r in rows_q:
        if r.year < year:
            if counted_before is None or (r.year, r.month) in counted_before:
                last_of_year[(r.project_id, r.year)] = r.ytd_investment
            continue
        if r.month > month or (months is not None and r.month not in months):
            continue
        progress.setdefault(r.project_id, []).append(r)
    for (pid, _y), ytd in last_of_year.items():
        since[pid] = since.get(pid, Decimal(0)) + ytd
    qs = Project.objects.filter(park=park).select_related("department", "enterprise")
    if level:
        qs = qs.filter(level=level)
    if stage:
        qs = qs.filter(stage=stage)
    if department:
        qs = qs.filter(department__code=department)
    rows = []
    order = {value: n for n, value in enumerate(Level.values)}  # 省重点 first, as 调度表 are
    for project in sorted(qs, key=lambda p: (order.get(p.level, 99), p.code)):
        plan = plans.get(project.pk)
        months_rows = progress.get(project.pk, [])
        if only_planned and plan is None and not months_rows:
            continue
        last = months_rows[-1] if months_rows else None
        ytd = last.ytd_investment if last else Decimal(0)
        prev = months_rows[-2].ytd_investment if len(months_rows) > 1 else None
        month_inv = (
            formulas.month_investment(ytd, prev, last.month)
            if last is not None and last.month == month
            else (Decimal(0) if last is not None else None)
        )
        planned = plan.planned_investment if plan else None
        ahead = formulas.ahead_pp(ytd, planned, month) if planned else None
        overdue = (
            sum(
                1
                for m in plan.milestones.all()
                if formulas.milestone_overdue(m.deadline, m.completed_on, at)
            )
            if plan
            else 0
        )
        rows.append(
            ProjectRow(
                project=project,
                plan=plan,
                ytd=ytd,
                month_investment=month_inv,
                ytd_month=last.month if last else None,
                image_progress=last.image_progress if last else "",
                completion_pct=formulas.annual_completion_pct(ytd, planned) if planned else None,
                ahead_pp=ahead,
                light=formulas.light(ahead, overdue_milestones=overdue, margin_pp=margin),
                overdue_milestones=overdue,
                since_start=formulas.since_start(
                    project.opening_balance, [since.get(project.pk, Decimal(0)), ytd]
                ),
                started=bool(project.actual_start and project.actual_start <= at),
                completed=bool(project.actual_completion and project.actual_completion <= at),
                in_production=bool(project.actual_production and project.actual_production <= at),
            )
        )
    return rows


def totals(rows: list[ProjectRow], *, key: str, label: str, month: int) -> Totals:
    """Sums and rates of a group of rows; rates from the unrounded sums."""
    t = Totals(key=key, label=label, time_progress_pct=formulas.time_progress_pct(month))
    for r in rows:
        t.count += 1
        t.total_investment += r.project.total_investment
        t.planned += r.planned or Decimal(0)
        t.ytd += r.ytd
        t.lights[r.light] += 1
        if r.plan is not None:
            if r.plan.start_planned:
                t.start_planned += 1
                t.started += int(r.started)
            if r.plan.completion_planned:
                t.completion_planned += 1
                t.completed += int(r.completed)
            if r.plan.production_planned:
                t.production_planned += 1
                t.in_production += int(r.in_production)
    if t.planned > 0:
        t.completion_pct = formulas.annual_completion_pct(t.ytd, t.planned)
        t.ahead_pp = formulas.ahead_pp(t.ytd, t.planned, month)
    t.start_rate = formulas.rate_of_planned(t.started, t.start_planned)
    t.completion_rate = formulas.rate_of_planned(t.completed, t.completion_planned)
    t.production_rate = formulas.rate_of_planned(t.in_production, t.production_planned)
    return t


def project_summary(
    *,
    park: Park,
    period: Period,
    include_submitted: bool = False,
    rows: list[ProjectRow] | None = None,
) -> dict[str, Any]:
    """Totals by level (省重点, 市重点, 省市重点 together, …, 全部) and by category."""
    from yuanqu.projects.models import Category

    rows = (
        project_rows(park=park, period=period, include_submitted=include_submitted)
        if rows is None
        else rows
    )
    levels = [
        totals(
            [r for r in rows if r.project.level in members],
            key=key,
            label=label,
            month=period.month,
        )
        for key, label, members in GROUPS
    ]
    categories = [
        totals(
            [r for r in rows if r.project.category == value],
            key=value,
            label=label,
            month=period.month,
        )
        for value, label in Category.choices
    ]
    return {"levels": levels, "categories": categories, "rows": rows}


def level_totals(summary: dict[str, Any], key: str) -> Totals:
    found: Totals = next(t for t in summary["levels"] if t.key == key)
    return found


def latest_period(project: Project) -> Period:
    """The project's latest 调度 month (or December of its latest plan year, or this year)."""
    last = project.progress.order_by("-year", "-month").first()
    if last is not None:
        return Period(last.year, last.month)
    plan = project.plans.order_by("-year").first()
    if plan is not None:
        return Period(plan.year, 12)
    return Period(dt.date.today().year, 12)


def latest_default() -> Period:
    """A period to show when a park has no 调度 yet: the last month of the demo's or this year."""
    today = dt.date.today()
    return Period(today.year, today.month)


def next_period(project: Project) -> Period:
    """The month the entry form offers: the one after the project's latest 调度."""
    last = project.progress.order_by("-year", "-month").first()
    if last is None:
        today = dt.date.today()
        return Period(today.year, today.month)
    if last.month == 12:
        return Period(last.year + 1, 1)
    return Period(last.year, last.month + 1)


def month_closed(park: Park, period: Period) -> bool:
    """The park's 调度 of the month is reviewed or locked: closed to enterprise submissions."""
    return DataSlice.objects.filter(
        kind=PROGRESS_KIND, park=park, year=period.year, month=period.month, status__in=COUNTED
    ).exists()


@dataclass
class OwnProject:
    """One of an enterprise's own key projects, as its 本企业项目 page lists it."""

    project: Project
    latest: ProjectProgress | None  # the newest 调度 month, whatever its status
    latest_status: str  # that month's data status label ("" when none yet)
    next_period: Period  # the month the submission form offers


def own_projects(*, enterprise_id: int) -> list[OwnProject]:
    """The key projects an enterprise owns, each with its newest 调度 and the month to report
    next (two queries: projects with their progress, and the months' statuses)."""
    projects = list(
        Project.objects.filter(enterprise_id=enterprise_id)
        .select_related("park")
        .prefetch_related("progress")
        .order_by("code")
    )
    out: list[OwnProject] = []
    wanted: set[tuple[int, int, int]] = set()
    for project in projects:
        months = sorted(project.progress.all(), key=lambda p: (p.year, p.month))
        latest = months[-1] if months else None
        if latest is not None:
            wanted.add((project.park_id, latest.year, latest.month))
        nxt = Period(latest.year, latest.month).next() if latest is not None else latest_default()
        out.append(OwnProject(project, latest, "", nxt))
    if wanted:
        statuses = {
            (s.park_id, s.year, s.month): s.get_status_display()
            for s in DataSlice.objects.filter(
                kind=PROGRESS_KIND, park_id__in={w[0] for w in wanted}
            )
            if (s.park_id, s.year, s.month) in wanted
        }
        for row in out:
            if row.latest is not None:
                key = (row.project.park_id, row.latest.year, row.latest.month)
                row.latest_status = statuses.get(key, "")
    return out


@dataclass
class YearPlan:
    """The key projects (省市重点) planned for a year: how many, how much, how many to start."""

    year: int
    count: int
    planned: Decimal
    new_starts: int


def key_plan(*, park: Park, year: int) -> YearPlan:
    """省市重点 projects with a plan for `year` (one query): 下一年工作安排's sentence."""
    from yuanqu.projects.models import ProjectPlan

    plans = ProjectPlan.objects.filter(
        project__park=park, year=year, project__level__in=(Level.PROVINCIAL, Level.MUNICIPAL)
    ).only("planned_investment", "start_planned")
    count, planned, starts = 0, Decimal(0), 0
    for p in plans:
        count += 1
        planned += p.planned_investment
        starts += int(p.start_planned)
    return YearPlan(year, count, planned, starts)
