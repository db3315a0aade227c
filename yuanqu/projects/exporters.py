"""Exports of 重点项目: the 调度表 in the layout it is imported in (block heading rows with
their subtotals, read back as headings), and the project register (re-importable)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.imports.exporters import _readable_parks
from yuanqu.imports.workbooks import Export, exporter
from yuanqu.projects import selectors
from yuanqu.projects.models import Level, Problem, Project, ProjectProgress

CN = "一二三四五六七八九十"


def _period(park: Any, period: str | None) -> Period:
    if period:
        try:
            return parse_period(period)
        except PeriodError as exc:
            raise ValueError(str(exc)) from exc
    last = ProjectProgress.objects.filter(park=park).order_by("-year", "-month").first()
    return Period(last.year, last.month) if last else selectors.latest_default()


@exporter("project-progress", park_wide=True)
def export_progress(
    *, user: Any = None, park: str | None = None, period: str | None = None, **_: Any
) -> Export:
    """月度调度表 of one park and period (万元): 省重点, 市重点, … blocks with subtotals."""
    the_park = _readable_parks(user).filter(code=park).first() if park else None
    if the_park is None:
        raise ValueError("请指定园区（--park），调度表按园区导出")
    p = _period(the_park, period)
    rows = selectors.project_rows(park=the_park, period=p)
    problems: dict[int, str] = {}
    for pr in Problem.objects.filter(project__park=the_park, status=Problem.Status.OPEN):
        problems.setdefault(pr.project_id, pr.description)
    headers = [
        "序号",
        "项目名称",
        "建设内容及规模",
        "总投资",
        "年度计划投资",
        f"1-{p.month}月完成投资",
        "完成率(%)",
        "形象进度",
        "存在问题",
        "责任单位",
        "包保领导",
    ]

    def lines() -> Iterator[list[Any]]:
        block = 0
        if not rows:
            return
        for value, label in Level.choices:
            mine = [r for r in rows if r.project.level == value]
            if not mine:
                continue
            t = selectors.totals(mine, key=value, label=label, month=p.month)
            yield [
                f"{CN[block]}、{label}项目（{len(mine)}个）",
                "",
                "",
                t.total_investment,
                t.planned,
                t.ytd,
                _pct(t.completion_pct),
                "",
                "",
                "",
                "",
            ]
            block += 1
            for n, r in enumerate(mine, start=1):
                proj = r.project
                yield [
                    n,
                    proj.name,
                    proj.content,
                    proj.total_investment,
                    r.planned if r.planned is not None else "",
                    r.ytd,
                    _pct(r.completion_pct),
                    r.image_progress,
                    problems.get(proj.pk, ""),
                    proj.department.name if proj.department_id else proj.responsible_unit,
                    proj.leader,
                ]
        # The 合计 row parks end the form with (read back as a heading, never as a project).
        t = selectors.totals(rows, key="all", label="合计", month=p.month)
        yield ["合计", "", "", t.total_investment, t.planned, t.ytd, _pct(t.completion_pct)]

    return Export(
        f"{the_park.name}{p.label}重点项目推进情况调度表",
        headers,
        lines(),
        unit_line="单位：万元",
        number_formats={3: "#,##0.00", 4: "#,##0.00", 5: "#,##0.00", 6: "0.0"},
        header_groups=((4, 3, f"{p.year}年投资情况"),),
    )


def _pct(value: Any) -> Any:
    from yuanqu.core.wording import round_half_up

    return "" if value is None else round_half_up(value, 1)


@exporter("projects", park_wide=True)
def export_projects(*, user: Any = None, park: str | None = None, **_: Any) -> Export:
    """项目库 of the readable parks (or one), in the `projects` import layout."""
    qs = Project.objects.filter(park__in=_readable_parks(user)).select_related("park")
    if park:
        qs = qs.filter(park__code=park)
    headers = [
        "园区代码",
        "项目编号",
        "项目名称",
        "项目级别",
        "项目类别",
        "建设阶段",
        "建设内容及规模",
        "总投资",
        "实际开工日期",
        "责任单位",
        "包保领导",
    ]

    def lines() -> Iterator[list[Any]]:
        for proj in qs.order_by("park__code", "code"):
            yield [
                proj.park.code,
                proj.code,
                proj.name,
                proj.get_level_display(),
                proj.get_category_display(),
                proj.get_stage_display(),
                proj.content,
                proj.total_investment,
                proj.actual_start.isoformat() if proj.actual_start else "",
                proj.responsible_unit,
                proj.leader,
            ]

    return Export("重点项目库", headers, lines(), unit_line="单位：万元")
