"""Import kinds of 重点项目: `project-progress` (the monthly 调度表 as parks keep it),
`projects` and `project-plans`.

The 调度表: title rows, a two-row merged header (序号, 项目名称, 建设内容及规模, 总投资, 年度计划
投资, 1-X月完成投资, 完成率, 形象进度, 存在问题, 责任单位, 包保领导 …), 万元 or 亿元 from the
header or a units line (none: 万元, with a warning), and 省重点 / 市重点 blocks whose heading
and subtotal rows are read as headings — they set the level of the projects below — never as
projects. A project the park does not have yet is created with the level of its block, listed
as a warning (DECISIONS.md, Import).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yuanqu.core.numbers import NumberError, parse_amount
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.core.wording import MONEY_UNITS, convert_amount
from yuanqu.imports.engine import FieldSpec, Importer, Preview, register
from yuanqu.imports.keyed import KeyedImporter, KeyedRow
from yuanqu.imports.period import PeriodSliceImporter
from yuanqu.projects import services
from yuanqu.projects.models import (
    Category,
    Level,
    Problem,
    Project,
    ProjectPlan,
    ProjectProgress,
    Stage,
)

LEVEL_WORDS = (
    ("省", Level.PROVINCIAL),
    ("市", Level.MUNICIPAL),
    ("县", Level.COUNTY),
    ("区重点", Level.COUNTY),
    ("园区", Level.PARK),
)
# “一、省重点项目（2个）”, “省重点项目小计”, “（二）市级重点建设项目 合计”
HEADING = re.compile(
    r"^[（(]?[一二三四五六七八九十]*[)）、.．]?\s*(?P<level>省|市|县区?|区|园区)级?重点(?:建设)?项目"
    r"\s*(?:[（(]\s*\d*\s*个?\s*[)）])?\s*(?:小计|合计)?$"
)
CN_SEQ = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、.．]?$")
SUBTOTAL = re.compile(r"(?:小计|合计|总计)")


def level_of(text: str) -> str | None:
    for word, level in LEVEL_WORDS:
        if word in text:
            return level
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class _AmountsMixin:
    """Amount columns in 万元: the column's own unit, else the table's, else 万元 (warned)."""

    ctx: Any
    _unit_warned: bool = False

    def wan(self, record: Any, name: str) -> Decimal | None:
        try:
            number = self.amount(record, name, record.values.get(name))  # type: ignore[attr-defined]
        except NumberError as exc:
            self.err(record, name, str(exc))  # type: ignore[attr-defined]
            raise
        if number is None:
            return None
        unit = self.ctx.column_units.get(name) or self.ctx.unit
        if not unit or unit not in MONEY_UNITS:
            if not self._unit_warned:
                self._unit_warned = True
                self.ctx.warning("表中没有注明金额单位（表头或“单位：万元”行），已按万元读取")
            unit = "万元"
        if unit != "万元":
            number = self.fit(record, name, convert_amount(number, unit, "万元"))  # type: ignore[attr-defined]
        return number


@dataclass
class ProgressRow:
    record: Any
    name: str
    code: str
    level: str | None
    content: str
    total: Decimal | None
    planned: Decimal | None
    ytd: Decimal
    image: str
    problem: str
    unit_text: str
    leader: str
    project: Project | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@register
class ProgressImporter(_AmountsMixin, PeriodSliceImporter):
    """项目月度调度表: one row per project, YTD completed investment for the period."""

    kind = "project-progress"
    label = "重点项目月度调度表"
    write_area = "projects"
    model = ProjectProgress
    slice_model = ProjectProgress
    slice_label = "重点项目调度"
    fields = [
        FieldSpec("seq", "序号", ("编号",)),
        FieldSpec("code", "项目编号", ("项目代码",)),
        FieldSpec(
            "name", "项目名称", ("项目", "名称"), required=True, example="示范新材料产业园项目"
        ),
        FieldSpec("content", "建设内容及规模", ("建设内容", "建设规模及内容", "主要建设内容")),
        FieldSpec(
            "total",
            "总投资",
            ("计划总投资", "项目总投资"),
            example="50000",
            model_field="ytd_investment",
        ),
        FieldSpec(
            "planned",
            "年度计划投资",
            ("本年计划投资", "年度计划", "本年度计划投资", "年计划投资"),
            example="12000",
            model_field="ytd_investment",
        ),
        FieldSpec(
            "ytd",
            "1-本月完成投资",
            (
                "本年累计完成投资",
                "累计完成投资",
                "完成投资",
                "1-本月完成投资|金额",
                "本年完成投资",
            ),
            required=True,
            example="9800",
            model_field="ytd_investment",
        ),
        FieldSpec("rate", "完成率", ("完成率(%)", "年度完成率", "投资完成率")),
        FieldSpec(
            "image", "形象进度", ("工程形象进度", "项目进展情况", "进展情况"), example="主体封顶"
        ),
        FieldSpec("problem", "存在问题", ("存在的问题", "问题", "存在问题及建议")),
        FieldSpec("unit", "责任单位", ("责任部门", "牵头单位")),
        FieldSpec("leader", "包保领导", ("包联领导", "挂包领导", "联系领导")),
        FieldSpec("period", "报告期", ("期别", "年月")),
    ]

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.block_level: str | None = None

    def heading(self, record: Any) -> bool:
        """A block heading or subtotal row: sets the block's level; never a project."""
        seq = _text(record.values.get("seq"))
        name = _text(record.values.get("name"))
        joined = "".join((seq + name).split())
        match = HEADING.match(joined) or HEADING.match("".join(name.split()))
        if match:
            self.block_level = level_of(match.group("level") + "重点")
            return True
        if (
            CN_SEQ.match(seq)
            or SUBTOTAL.search(seq)
            or SUBTOTAL.fullmatch(name)
            or (SUBTOTAL.search(name) and not _text(record.values.get("image")))
        ):
            level = level_of(name) if "重点" in name else None
            if level and not SUBTOTAL.search(joined):
                self.block_level = level
            return True
        return False

    def period_of(self, record: Any) -> Period | None:
        raw = record.values.get("period")
        if raw not in (None, ""):
            try:
                return parse_period(raw)
            except PeriodError as exc:
                self.err(record, "period", str(exc))
                return None
        if self.ctx.period is None:
            self.err(record, "period", "缺少报告期：请用 --period 指定（如 2022-10）或在网页上选择")
            return None
        return self.ctx.period

    def clean(self, record: Any) -> ProgressRow | None:
        if self.heading(record):
            return None
        name = _text(record.values.get("name"))
        if not name:
            self.err(record, "name", "项目名称为空")
            return None
        if self.ctx.park is None:
            self.err(record, "name", "未指定园区：请用 --park 指定，或在网页上选择园区")
            return None
        period = self.period_of(record)
        try:
            total = self.wan(record, "total")
            planned = self.wan(record, "planned")
            ytd = self.wan(record, "ytd")
        except NumberError:
            return None
        if ytd is None:
            self.err(record, "ytd", "完成投资为空：没有完成投资请填 0")
            return None
        if ytd < 0:
            self.err(record, "ytd", "完成投资不能为负数")
            return None
        if period is None:
            return None
        row = ProgressRow(
            record=record,
            name=name,
            code=_text(record.values.get("code")),
            level=self.block_level,
            content=_text(record.values.get("content")),
            total=total,
            planned=planned,
            ytd=ytd,
            image=_text(record.values.get("image")),
            problem=_text(record.values.get("problem")),
            unit_text=_text(record.values.get("unit")),
            leader=_text(record.values.get("leader")),
        )
        row.extra["period"] = period
        return row

    def check_all(self, rows: list[ProgressRow]) -> None:
        seen: dict[tuple[str, Period], int] = {}
        for row in rows:
            key = (row.code or row.name, row.extra["period"])
            if key in seen:
                self.err(
                    row.record, "name", f"项目“{row.name}”在文件中重复（第{seen[key]}行已出现）"
                )
            else:
                seen[key] = row.record.row

    def plan(self, rows: list[ProgressRow], preview: Preview) -> Any:
        park = self.ctx.park
        if park is None:
            return None
        projects = list(Project.objects.filter(park=park))
        by_code = {p.code: p for p in projects}
        by_name = {p.name: p for p in projects}
        to_create: dict[str, ProgressRow] = {}
        for row in rows:
            row.project = by_code.get(row.code) if row.code else None
            row.project = row.project or by_name.get(row.name)
            if row.project is None and row.name not in to_create:
                to_create[row.name] = row
                level = row.level or Level.PARK
                self.ctx.warning(
                    f"园区尚无项目“{row.name}”，将新建（级别：{Level(level).label}"
                    + ("" if row.level else "，表中没有省重点/市重点分块，按园区项目")
                    + "）",
                    sheet=row.record.sheet,
                    row=row.record.row,
                )
        keys = {(park.pk, r.extra["period"].year, r.extra["period"].month) for r in rows}
        self.note_slices(keys)
        existing = {
            (p.project_id, p.year, p.month): p
            for p in ProjectProgress.objects.filter(
                park=park, year__in={k[1] for k in keys}
            ).select_related("project")
            if (park.pk, p.year, p.month) in keys
        }
        pending = []
        seen = set()
        for row in rows:
            period = row.extra["period"]
            key = (row.project.pk if row.project else None, period.year, period.month)
            current = existing.get(key) if row.project else None
            seen.add(key)
            where = {"sheet": row.record.sheet, "row": row.record.row}
            label = f"{row.name} {period}"
            if current is None:
                preview.new += 1
                preview.add_sample("new", label, [("1-本月完成投资(万元)", "", row.ytd)], **where)
            elif (current.ytd_investment, current.image_progress) != (row.ytd, row.image):
                preview.changed += 1
                preview.add_sample(
                    "changed",
                    label,
                    [("1-本月完成投资(万元)", current.ytd_investment, row.ytd)],
                    **where,
                )
            else:
                preview.unchanged += 1
                pending.append((row, current, False))
                continue
            self.slice_change(
                (park.pk, period.year, period.month),
                existing=current is not None,
                record=row.record,
                label=row.name,
            )
            pending.append((row, current, True))
        delete = []
        if self.replacing:
            for key, obj in existing.items():
                if key in seen:
                    continue
                delete.append(obj.pk)
                self.slice_change((park.pk, obj.year, obj.month), existing=True)
                self.sample_deleted(
                    preview,
                    f"{obj.project.name} {obj.year}-{obj.month:02d}",
                    [("1-本月完成投资(万元)", obj.ytd_investment, "")],
                )
            preview.deleted = len(delete)
            stored: dict[tuple[int, int, int], int] = {}
            gone: dict[tuple[int, int, int], int] = {}
            for obj in existing.values():
                k = (park.pk, obj.year, obj.month)
                stored[k] = stored.get(k, 0) + 1
                if obj.pk in delete:
                    gone[k] = gone.get(k, 0) + 1
            self.guard_deletions(preview, gone, stored)
        if self.ctx.has_errors:
            return None
        return {"pending": pending, "delete": delete, "create": to_create}

    def apply(self, plan: Any, preview: Preview, record: Any) -> None:
        park = self.ctx.park
        created: dict[str, Project] = {}
        taken = set(Project.objects.filter(park=park).values_list("code", flat=True))
        for name, row in plan["create"].items():
            code = row.code or _next_code(taken)
            taken.add(code)
            created[name] = services.project_upsert(
                park=park,
                code=code,
                name=name,
                level=row.level or Level.PARK,
                content=row.content,
                total_investment=row.total or Decimal(0),
                responsible_unit=row.unit_text,
                leader=row.leader,
            )
        for row, _current, changed in plan["pending"]:
            project = row.project or created[row.name]
            period = row.extra["period"]
            updates: dict[str, Any] = {}
            if row.total is not None and row.total != project.total_investment:
                updates["total_investment"] = row.total
            if row.content and row.content != project.content:
                updates["content"] = row.content
            if row.unit_text and row.unit_text != project.responsible_unit:
                updates["responsible_unit"] = row.unit_text
            if row.leader and row.leader != project.leader:
                updates["leader"] = row.leader
            if updates:
                services.project_upsert(park=park, code=project.code, **updates)
            if row.planned is not None:
                plan_obj = ProjectPlan.objects.filter(project=project, year=period.year).first()
                if plan_obj is None or plan_obj.planned_investment != row.planned:
                    services.plan_upsert(
                        project=project, year=period.year, planned_investment=row.planned
                    )
            if (
                row.problem
                and not Problem.objects.filter(
                    project=project, description=row.problem, status=Problem.Status.OPEN
                ).exists()
            ):
                services.problem_add(
                    project=project,
                    description=row.problem,
                    year=period.year,
                    month=period.month,
                    responsible_unit=row.unit_text,
                )
            if changed:
                services.progress_save(
                    project=project,
                    year=period.year,
                    month=period.month,
                    ytd_investment=row.ytd,
                    image_progress=row.image,
                    import_record=record,
                    record_slice=False,
                )
        ProjectProgress.objects.filter(pk__in=plan["delete"]).delete()
        self.slices_commit(record)


def _next_code(taken: set[str]) -> str:
    n = 1
    while f"XM{n:04d}" in taken:
        n += 1
    return f"XM{n:04d}"


LEVEL_CHOICES = {label: value for value, label in Level.choices}
CATEGORY_CHOICES = {label: value for value, label in Category.choices}
STAGE_CHOICES = {label: value for value, label in Stage.choices}


@register
class ProjectImporter(_AmountsMixin, KeyedImporter):
    """项目库: one row per project, keyed by the park's 项目编号."""

    kind = "projects"
    label = "重点项目库"
    write_area = "projects"
    model = Project
    key_label = "项目编号"
    fields = [
        FieldSpec("code", "项目编号", ("项目代码",), required=True, example="XM0001"),
        FieldSpec("name", "项目名称", (), required=True, example="示范新材料产业园项目"),
        FieldSpec("level", "项目级别", ("级别",), example="省重点", choices=tuple(LEVEL_CHOICES)),
        FieldSpec(
            "category", "项目类别", ("类别",), example="产业", choices=tuple(CATEGORY_CHOICES)
        ),
        FieldSpec("stage", "建设阶段", ("阶段",), example="续建", choices=tuple(STAGE_CHOICES)),
        FieldSpec("content", "建设内容及规模", ("建设内容",)),
        FieldSpec(
            "total", "总投资", ("计划总投资",), example="50000", model_field="total_investment"
        ),
        FieldSpec("opening", "开工至上年末累计完成", (), model_field="opening_balance"),
        FieldSpec("planned_start", "计划开工日期", ()),
        FieldSpec("actual_start", "实际开工日期", ()),
        FieldSpec("planned_completion", "计划竣工日期", ()),
        FieldSpec("actual_completion", "实际竣工日期", ()),
        FieldSpec("planned_production", "计划投产日期", ()),
        FieldSpec("actual_production", "实际投产日期", ()),
        FieldSpec("unit", "责任单位", ("责任部门",)),
        FieldSpec("leader", "包保领导", ("包联领导",)),
    ]
    DATES = (
        "planned_start",
        "actual_start",
        "planned_completion",
        "actual_completion",
        "planned_production",
        "actual_production",
    )

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        if self.ctx.park is None:
            self.err(record, "code", "未指定园区：请用 --park 指定，或在网页上选择园区")
            return None
        code, name = _text(v.get("code")), _text(v.get("name"))
        if not code or not name:
            self.err(record, "code" if not code else "name", "项目编号和项目名称不能为空")
            return None
        values: dict[str, Any] = {"name": name}
        for key, choices, default in (
            ("level", LEVEL_CHOICES, Level.PARK),
            ("category", CATEGORY_CHOICES, Category.INDUSTRY),
            ("stage", STAGE_CHOICES, Stage.PREPARATION),
        ):
            text = _text(v.get(key))
            if text and text not in choices:
                self.err(record, key, f"“{text}”不是可选值：{'、'.join(choices)}")
                return None
            values[key] = choices.get(text, default)
        try:
            values["total_investment"] = self.wan(record, "total") or Decimal(0)
            values["opening_balance"] = self.wan(record, "opening") or Decimal(0)
        except NumberError:
            return None
        import datetime as dt

        for key in self.DATES:
            raw = v.get(key)
            if raw in (None, ""):
                values[key] = None
            elif isinstance(raw, dt.datetime):
                values[key] = raw.date()
            elif isinstance(raw, dt.date):
                values[key] = raw
            else:
                try:
                    values[key] = dt.date.fromisoformat(
                        _text(raw).replace("/", "-").replace(".", "-")
                    )
                except ValueError:
                    self.err(record, key, f"日期“{raw}”无法识别：请写作 2022-03-15")
                    return None
        values["content"] = _text(v.get("content"))
        values["responsible_unit"] = _text(v.get("unit"))
        values["leader"] = _text(v.get("leader"))
        return KeyedRow(key=code, values=values, record=record)

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {p.code: p for p in Project.objects.filter(park=self.ctx.park, code__in=keys)}

    def build(self, row: KeyedRow) -> Project:
        return Project(park=self.ctx.park, code=row.key, **row.values)


@register
class PlanImporter(_AmountsMixin, KeyedImporter):
    """年度计划: per project and year, 年度计划投资 and what is planned this year."""

    kind = "project-plans"
    label = "重点项目年度计划"
    write_area = "projects"
    model = ProjectPlan
    key_label = "项目编号+年度"
    fields = [
        FieldSpec("code", "项目编号", ("项目代码",), required=True, example="XM0001"),
        FieldSpec("year", "年度", ("计划年度",), required=True, example="2022"),
        FieldSpec(
            "planned",
            "年度计划投资",
            ("本年计划投资",),
            required=True,
            example="12000",
            model_field="planned_investment",
        ),
        FieldSpec("start", "计划本年新开工", ("计划新开工",), example="是", choices=("是", "否")),
        FieldSpec("completion", "计划本年竣工", ("计划竣工",), example="否", choices=("是", "否")),
        FieldSpec("production", "计划本年投产", ("计划投产",), example="否", choices=("是", "否")),
    ]

    def clean(self, record: Any) -> KeyedRow | None:
        v = record.values
        if self.ctx.park is None:
            self.err(record, "code", "未指定园区：请用 --park 指定，或在网页上选择园区")
            return None
        code = _text(v.get("code"))
        project = Project.objects.filter(park=self.ctx.park, code=code).first()
        if project is None:
            self.err(record, "code", f"项目编号“{code}”不存在：请先导入重点项目库")
            return None
        try:
            year = int(parse_amount(v.get("year")) or 0)
            planned = self.wan(record, "planned")
        except (NumberError, ValueError):
            self.err(record, "year", "年度应为四位年份，如 2022")
            return None
        if not 1990 <= year <= 2100 or planned is None:
            self.err(record, "year", "年度应为四位年份，年度计划投资不能为空")
            return None
        flags = {}
        for key, name in (
            ("start", "start_planned"),
            ("completion", "completion_planned"),
            ("production", "production_planned"),
        ):
            flags[name] = _text(v.get(key)) in ("是", "Y", "y", "1", "√")
        return KeyedRow(
            key=f"{project.pk}:{year}",
            values={"planned_investment": planned, **flags},
            record=record,
            extra={"project": project, "year": year},
        )

    def existing(self, keys: list[str]) -> dict[str, Any]:
        ids = {int(k.split(":")[0]) for k in keys}
        return {
            f"{p.project_id}:{p.year}": p for p in ProjectPlan.objects.filter(project_id__in=ids)
        }

    def build(self, row: KeyedRow) -> ProjectPlan:
        return ProjectPlan(**row.extra, **row.values)


__all__ = ["Importer", "PlanImporter", "ProgressImporter", "ProjectImporter"]
