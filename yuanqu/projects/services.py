"""Every write of 重点项目: importers, the month form, the demo and the admin call these.

Monthly progress is stored as 本年累计 (YTD). A write by the 项目办 counts at once (the slice
is 已审核); an enterprise's own 调度 lands 已提交 for the 项目办 to review (DECISIONS.md,
Access). Each write that changes monthly figures records its slice (`imports.status`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from yuanqu.imports.status import slices_touch
from yuanqu.projects.models import (
    Milestone,
    Problem,
    Project,
    ProjectPhoto,
    ProjectPlan,
    ProjectProgress,
)
from yuanqu.registry.models import Park

PROGRESS_KIND = "project-progress"


def project_upsert(*, park: Park, code: str, **values: Any) -> Project:
    """Create the park's project `code`, or update the given fields of it."""
    project, created = Project.objects.get_or_create(park=park, code=code, defaults=values)
    if not created and values:
        changed = [k for k, v in values.items() if getattr(project, k) != v]
        for k in changed:
            setattr(project, k, values[k])
        if changed:
            project.save(update_fields=[*changed, "updated_at"])
    return project


def plan_upsert(*, project: Project, year: int, **values: Any) -> ProjectPlan:
    """A project's plan for `year` (年度计划投资, planned start / completion / production)."""
    plan, created = ProjectPlan.objects.get_or_create(project=project, year=year, defaults=values)
    if not created and values:
        for k, v in values.items():
            setattr(plan, k, v)
        plan.save()
    return plan


def milestone_add(
    *, plan: ProjectPlan, name: str, deadline: dt.date, completed_on: dt.date | None = None
) -> Milestone:
    return Milestone.objects.create(
        plan=plan, name=name, deadline=deadline, completed_on=completed_on
    )


def milestone_complete(*, milestone: Milestone, completed_on: dt.date) -> Milestone:
    milestone.completed_on = completed_on
    milestone.save(update_fields=["completed_on"])
    return milestone


@transaction.atomic
def progress_save(
    *,
    project: Project,
    year: int,
    month: int,
    ytd_investment: Decimal,
    image_progress: str = "",
    user: Any = None,
    submit_only: bool = False,
    import_record: Any = None,
    record_slice: bool = True,
) -> ProjectProgress:
    """Store a project's 调度 for one month as YTD and record the (park, period) slice."""
    row, _ = ProjectProgress.objects.update_or_create(
        project=project,
        year=year,
        month=month,
        defaults={
            "park": project.park,
            "ytd_investment": ytd_investment,
            "image_progress": image_progress,
            "import_record": import_record,
        },
    )
    if record_slice:
        slices_touch(
            kind=PROGRESS_KIND,
            keys={(project.park_id, year, month)},
            user=user,
            submit_only=submit_only,
            import_record=import_record,
        )
    return row


def progress_save_month(
    *,
    project: Project,
    year: int,
    month: int,
    month_investment: Decimal,
    image_progress: str = "",
    user: Any = None,
    submit_only: bool = False,
) -> ProjectProgress:
    """The month form: the user types the month's amount; the YTD stored is the previous
    month's YTD (the latest earlier month of the year) plus it."""
    previous = (
        ProjectProgress.objects.filter(project=project, year=year, month__lt=month)
        .order_by("-month")
        .values_list("ytd_investment", flat=True)
        .first()
    )
    ytd = (previous or Decimal(0)) + month_investment
    return progress_save(
        project=project,
        year=year,
        month=month,
        ytd_investment=ytd,
        image_progress=image_progress,
        user=user,
        submit_only=submit_only,
    )


def problem_add(
    *,
    project: Project,
    description: str,
    year: int,
    month: int,
    responsible_unit: str = "",
    deadline: dt.date | None = None,
) -> Problem:
    return Problem.objects.create(
        project=project,
        description=description,
        responsible_unit=responsible_unit,
        deadline=deadline,
        raised_year=year,
        raised_month=month,
    )


def problem_resolve(*, problem: Problem) -> Problem:
    problem.status = Problem.Status.RESOLVED
    problem.save(update_fields=["status"])
    return problem


def photo_add(
    *, project: Project, year: int, month: int, upload: Any, caption: str = "", user: Any = None
) -> ProjectPhoto:
    """Keep an uploaded 形象进度 photo in the media folder (served through the access policy)."""
    return ProjectPhoto.objects.create(
        project=project,
        year=year,
        month=month,
        image=upload,
        caption=caption,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
