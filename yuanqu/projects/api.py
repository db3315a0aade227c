"""重点项目 API: the summary by level, the project list with lights, one project's months.

Numbers are strings exactly as `yuanqu projects --json` prints them (the same presenters);
park-wide figures only for readers of the whole park (never enterprise users).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, parks_for
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.projects import presenters, selectors
from yuanqu.projects.models import Level, Project, Stage

router = Router(tags=["重点项目"])


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc


def _choice(value: str, choices: list[str], what: str) -> str:
    if value and value not in choices:
        raise HttpError(422, f"{what}“{value}”不是可选值：{'、'.join(choices)}")
    return value


@router.get("/summary")
@route_policy(read="park_wide")
def project_summary(
    request: HttpRequest, park: str, period: str, exact: bool = False
) -> dict[str, Any]:
    """Totals by level (省重点, 市重点, 省市重点, …, 全部): as `yuanqu projects --json`."""
    the_park = policy.park_readable(request.user, park)
    p = _period(period)
    data = selectors.project_summary(park=the_park, period=p)
    levels = [t for t in data["levels"] if t.count or t.key in ("key", "all")]
    return {
        "park": the_park.code,
        "period": str(p),
        "levels": [presenters.totals_json(t, exact=exact) for t in levels],
        "categories": [
            presenters.totals_json(t, exact=exact) for t in data["categories"] if t.count
        ],
    }


@router.get("/list")
@route_policy(read="park_wide")
def project_list(
    request: HttpRequest,
    park: str,
    period: str,
    level: str = "",
    stage: str = "",
    light: str = "",
    department: str = "",
) -> list[dict[str, Any]]:
    """The park's projects of the period's year with their figures and lights."""
    the_park = policy.park_readable(request.user, park)
    p = _period(period)
    _choice(level, list(Level.values), "项目级别")
    _choice(stage, list(Stage.values), "建设阶段")
    _choice(light, ["red", "yellow", "green"], "灯色")
    rows = selectors.project_rows(
        park=the_park, period=p, level=level, stage=stage, department=department
    )
    return [presenters.row_json(r) for r in rows if not light or r.light == light]


@router.get("/item/{project_id}")
@route_policy(read="park_wide")
def project_detail(request: HttpRequest, project_id: int, period: str = "") -> dict[str, Any]:
    """One project: its row at the period (default: its latest 调度 month), plans and months."""
    project = (
        Project.objects.filter(pk=project_id, park__in=parks_for(request.user))
        .select_related("park")
        .first()
    )
    if project is None or not policy.can_read_park(request.user, project.park):
        raise ScopeDenied("项目不存在或无权访问")
    p = _period(period) if period else selectors.latest_period(project)
    row = next(
        (
            r
            for r in selectors.project_rows(park=project.park, period=p, only_planned=False)
            if r.project.pk == project.pk
        ),
        None,
    )
    return {
        "project": presenters.row_json(row)
        if row
        else {"code": project.code, "name": project.name},
        "period": str(p),
        "months": [
            {
                "period": f"{m.year}-{m.month:02d}",
                "ytd": presenters.wan(m.ytd_investment),
                "image_progress": m.image_progress,
            }
            for m in project.progress.order_by("year", "month")
        ],
        "plans": [
            {"year": str(pl.year), "planned": presenters.wan(pl.planned_investment)}
            for pl in project.plans.order_by("year")
        ],
    }
