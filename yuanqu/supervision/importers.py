"""Import kind of 督查督办: `supervision-tasks` (one task per row, keyed by 督办编号 in the park;
needs `--park`). Automatic tasks (系统自动) come from `yuanqu supervise`, never from a file.
A deadline that changes on a second import is kept in the history, with the file as reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yuanqu.imports.engine import FieldSpec, Preview, register
from yuanqu.imports.keyed import KeyedImporter, KeyedPlan, KeyedRow
from yuanqu.projects.importers import _text
from yuanqu.registry.importers import parse_date
from yuanqu.registry.models import Department, Enterprise
from yuanqu.supervision.models import Source, SupervisionTask, TaskStatus, TaskUpdate

SOURCES = {label: value for value, label in Source.choices if value != Source.AUTO}
STATUSES = {label: value for value, label in TaskStatus.choices}


@register
class TaskImporter(KeyedImporter):
    kind = "supervision-tasks"
    label = "督查督办事项"
    write_area = "supervision"
    needs_park = True
    model = SupervisionTask
    key_label = "督办编号"
    fields = [
        FieldSpec("code", "督办编号", ("编号",), required=True, example="DB20230001"),
        FieldSpec("source", "来源", (), required=True, example="会议", choices=tuple(SOURCES)),
        FieldSpec("title", "督办事项", ("事项",), required=True, example="推进标准厂房二期开工"),
        FieldSpec("content", "具体内容", ("内容",)),
        FieldSpec("department", "责任部门", (), required=True, example="项目办"),
        FieldSpec("person", "责任人", ()),
        FieldSpec("leader", "分管领导", ()),
        FieldSpec("assigned_on", "交办日期", (), required=True, example="2023-03-01"),
        FieldSpec("deadline", "办结时限", ("时限",), required=True, example="2023-04-30"),
        FieldSpec("status", "状态", (), example="办理中", choices=tuple(STATUSES)),
        FieldSpec("done_on", "办结日期", ()),
        # The enterprise the task concerns (optional), by its code as every other kind names
        # an enterprise; the export writes it, so an export imports back unchanged.
        FieldSpec(
            "enterprise",
            "统一社会信用代码",
            ("涉及企业统一社会信用代码", "涉及企业", "信用代码"),
            example="91350100M000100Y43",
        ),
    ]

    def _date(self, record: Any, name: str, required: bool = False) -> dt.date | None:
        try:
            found = parse_date(record.values.get(name))
        except (ValueError, TypeError):
            self.err(
                record,
                name,
                f"日期“{record.values.get(name)}”无法识别或不存在：请写成 2023-03-06 或 2023年3月6日",
            )
            return None
        if found is None and required:
            self.err(record, name, "日期不能为空：请写成 2023-04-30")
        return found

    def _enterprise(self, record: Any) -> tuple[Enterprise | None, bool]:
        """The park's enterprise the row names by its code (none when the cell is empty);
        False when the code is not one of the park's (the row is refused)."""
        code = _text(record.values.get("enterprise")).upper()
        if not code:
            return None, True
        found = Enterprise.objects.filter(park=self.ctx.park, credit_code=code).first()
        if found is None:
            self.err(
                record,
                "enterprise",
                f"统一社会信用代码“{code}”不是本园区的企业：请先导入企业名录，或检查代码，"
                "不涉及企业的事项留空",
            )
            return None, False
        return found, True

    def clean(self, record: Any) -> KeyedRow | None:
        if self.ctx.park is None:
            self.err(record, "code", "未指定园区：请用 --park 指定，或在网页上选择园区")
            return None
        code, title = _text(record.values.get("code")), _text(record.values.get("title"))
        if not code or not title:
            self.err(record, "code" if not code else "title", "督办编号和督办事项不能为空")
            return None
        source_text = _text(record.values.get("source"))
        source = SOURCES.get(source_text)
        if source is None:
            self.err(
                record,
                "source",
                f"来源“{source_text}”不是可选值：{'、'.join(SOURCES)}（系统自动的事项由督办检查生成）",
            )
        dept_text = _text(record.values.get("department"))
        dept = (
            Department.objects.filter(park=self.ctx.park, name=dept_text).first()
            or Department.objects.filter(park=self.ctx.park, code=dept_text).first()
        )
        if dept is None:
            self.err(
                record, "department", f"责任部门“{dept_text}”不存在：请填本园区部门的名称或代码"
            )
        enterprise, enterprise_ok = self._enterprise(record)
        assigned = self._date(record, "assigned_on", True)
        deadline = self._date(record, "deadline", True)
        done = self._date(record, "done_on")
        status_text = _text(record.values.get("status")) or (
            TaskStatus.DONE.label if done else TaskStatus.ASSIGNED.label
        )
        status = STATUSES.get(status_text)
        if status is None:
            self.err(record, "status", f"状态“{status_text}”不是可选值：{'、'.join(STATUSES)}")
        if assigned and deadline and deadline < assigned:
            self.err(record, "deadline", "办结时限不能早于交办日期")
            return None
        if status in (TaskStatus.DONE, TaskStatus.CLOSED) and done is None:
            self.err(record, "done_on", "已办结或已销号的事项须填写办结日期")
            return None
        if None in (source, dept, assigned, deadline, status) or not enterprise_ok:
            return None
        values: dict[str, Any] = {
            "source": source,
            "title": title[:200],
            "content": _text(record.values.get("content")),
            "department": dept,
            "person": _text(record.values.get("person"))[:64],
            "leader": _text(record.values.get("leader"))[:64],
            "assigned_on": assigned,
            "deadline": deadline,
            "status": status,
            "done_on": done if status in (TaskStatus.DONE, TaskStatus.CLOSED) else None,
        }
        if "enterprise" in record.cells:
            # A file without the column (an older template) leaves the tasks' links alone.
            values["enterprise"] = enterprise
        return KeyedRow(key=code, values=values, record=record)

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {
            t.code: t
            for t in SupervisionTask.objects.filter(
                park=self.ctx.park, code__in=keys
            ).select_related("department", "enterprise")
        }

    def build(self, row: KeyedRow) -> SupervisionTask:
        return SupervisionTask(park=self.ctx.park, code=row.key, **row.values)

    def apply(self, plan: KeyedPlan, preview: Preview, record: Any) -> None:
        moved = [
            (obj, obj.deadline, row.values["deadline"])
            for obj, row in plan.update
            if obj.deadline != row.values["deadline"]
        ]
        super().apply(plan, preview, record)
        created = SupervisionTask.objects.filter(
            park=self.ctx.park, code__in=[r.key for r in plan.create]
        )
        TaskUpdate.objects.bulk_create(
            [
                TaskUpdate(
                    task=t,
                    kind=TaskUpdate.Kind.CREATED,
                    on=t.assigned_on,
                    status=t.status,
                    text="导入",
                )
                for t in created
            ]
            + [
                TaskUpdate(
                    task=obj,
                    kind=TaskUpdate.Kind.DEADLINE,
                    on=dt.date.today(),
                    old_deadline=old,
                    new_deadline=new,
                    status=obj.status,
                    text=f"导入文件“{self.ctx.file_name}”调整时限",
                )
                for obj, old, new in moved
            ]
        )
