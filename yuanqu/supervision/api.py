"""督查督办 API (park-wide readers only): the tasks with their lights at a date, one task with
its history, the metrics by department; the 督查室 交办s a task (POST) and edits it (PATCH),
naming the enterprise it concerns by `enterprise_credit_code`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pydantic
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.core.validation import validation_message
from yuanqu.registry.models import Department, Park
from yuanqu.service_requests.clock import today
from yuanqu.supervision import formulas, presenters, selectors, services
from yuanqu.supervision.models import Source, SupervisionTask

router = Router(tags=["督查督办"])
AREA = "supervision"
SOURCES = {label: value for value, label in Source.choices if value != Source.AUTO}


class TaskIn(Schema):
    """交办 a task. `source` is a label (会议 / 领导批示 / 上级交办) or its value; `department` a
    department's code or name; `enterprise_credit_code` the 统一社会信用代码 of one of the park's
    enterprises (optional)."""

    source: str
    title: str
    assigned_on: dt.date
    deadline: dt.date
    content: str = ""
    department: str = ""
    person: str = ""
    leader: str = ""
    enterprise_credit_code: str = ""


class TaskPatch(Schema):
    """Edit a task: only the fields given change; `enterprise_credit_code` "" clears it. The
    deadline and the status have their own actions (a reason kept) on the task's page."""

    title: str | None = None
    content: str | None = None
    department: str | None = None
    person: str | None = None
    leader: str | None = None
    enterprise_credit_code: str | None = None


def _body(request: HttpRequest, schema: type[Schema]) -> Any:
    """The JSON body, read after the access checks: a reader who may not write gets its 403 /
    404, never a remark on its body."""
    try:
        data = json.loads(request.body or b"null")
    except ValueError as exc:
        raise HttpError(400, "请求体应为 JSON 对象") from exc
    if not isinstance(data, dict):
        raise HttpError(400, "请求体应为 JSON 对象")
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        raise HttpError(422, validation_message(errors)) from exc


def _doc(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def _writable(request: HttpRequest, park: Park, action: str) -> None:
    try:
        policy.require_write(request.user, AREA, park, action)
    except policy.Denied as exc:
        raise HttpError(403, str(exc)) from exc


def _department(park: Park, text: str) -> Department | None:
    text = text.strip()
    if not text:
        return None
    found = (
        Department.objects.filter(park=park, code=text).first()
        or Department.objects.filter(park=park, name=text).first()
    )
    if found is None:
        raise HttpError(422, f"department：责任部门“{text}”不存在：请填本园区部门的代码或名称")
    return found


def _enterprise(park: Park, code: str) -> Any:
    try:
        return services.task_enterprise(park=park, credit_code=code)
    except services.SupervisionError as exc:
        raise HttpError(422, f"enterprise_credit_code：{exc}") from exc


def _task_out(task: SupervisionTask) -> dict[str, Any]:
    day = today()
    return {
        **presenters.task_json(task, light=selectors.task_light(task, day), at=day),
        "content": task.content,
    }


def _at(text: str) -> dt.date:
    if not text:
        return today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise HttpError(422, f"日期“{text}”应为 YYYY-MM-DD") from exc


@router.get("/tasks")
@route_policy(read="park_wide")
def task_list(
    request: HttpRequest, park: str, at: str = "", light: str = "", department: str = ""
) -> list[dict[str, Any]]:
    """The park's tasks with their light at `at` (default today), red first."""
    the_park = policy.park_readable(request.user, park)
    if light and light not in formulas.LIGHTS:
        raise HttpError(422, f"灯色“{light}”不是可选值：{'、'.join(formulas.LIGHTS)}")
    day = _at(at)
    rows = selectors.task_rows(park=the_park, at=day, light=light, department=department)
    return [presenters.task_json(r.task, light=r.light, at=day) for r in rows]


@router.get("/tasks/{task_id}")
@route_policy(read="park_wide")
def task_detail(request: HttpRequest, task_id: int) -> dict[str, Any]:
    task = selectors.task_for(user=request.user, pk=task_id)
    if task is None:
        raise ScopeDenied("督办事项不存在或无权访问")
    day = today()
    return {
        **presenters.task_json(task, light=selectors.task_light(task, day), at=day),
        "content": task.content,
        "close_reason": task.close_reason,
        "history": [
            {
                "on": u.on.isoformat(),
                "kind": u.get_kind_display(),
                "text": u.text,
                "old_deadline": u.old_deadline.isoformat() if u.old_deadline else None,
                "new_deadline": u.new_deadline.isoformat() if u.new_deadline else None,
            }
            for u in task.updates.order_by("on", "id")
        ],
    }


@router.post("/tasks", openapi_extra=_doc(TaskIn))
@route_policy(read="park_wide", write=AREA)
def task_create(request: HttpRequest, park: str) -> dict[str, Any]:
    """交办 a task in the park (the 督查室); answers the task as `GET /tasks/{id}` does."""
    the_park = policy.park_readable(request.user, park)
    _writable(request, the_park, "交办督办事项")
    data = _body(request, TaskIn)
    source = SOURCES.get(data.source.strip(), data.source.strip())
    if source not in SOURCES.values():
        raise HttpError(422, f"source：来源“{data.source}”不是可选值：{'、'.join(SOURCES)}")
    try:
        task = services.task_create(
            park=the_park,
            source=source,
            title=data.title,
            content=data.content,
            assigned_on=data.assigned_on,
            deadline=data.deadline,
            department=_department(the_park, data.department),
            person=data.person.strip()[:64],
            leader=data.leader.strip()[:64],
            enterprise=_enterprise(the_park, data.enterprise_credit_code),
            user=request.user,
        )
    except services.SupervisionError as exc:
        raise HttpError(422, str(exc)) from exc
    return _task_out(selectors.task_for(user=request.user, pk=task.pk) or task)


@router.patch("/tasks/{task_id}", openapi_extra=_doc(TaskPatch))
@route_policy(read="park_wide", write=AREA)
def task_update(request: HttpRequest, task_id: int) -> dict[str, Any]:
    """Edit a task (the 督查室): the fields given change, each change kept in its history."""
    task = selectors.task_for(user=request.user, pk=task_id)
    if task is None:
        raise ScopeDenied("督办事项不存在或无权访问")
    _writable(request, task.park, "修改督办事项")
    data = _body(request, TaskPatch)
    park = task.park
    try:
        services.task_update(
            task=task,
            title=task.title if data.title is None else data.title,
            content=task.content if data.content is None else data.content,
            department=task.department
            if data.department is None
            else _department(park, data.department),
            person=task.person if data.person is None else data.person,
            leader=task.leader if data.leader is None else data.leader,
            enterprise=task.enterprise
            if data.enterprise_credit_code is None
            else _enterprise(park, data.enterprise_credit_code),
            on=today(),
            user=request.user,
        )
    except services.SupervisionError as exc:
        raise HttpError(422, str(exc)) from exc
    return _task_out(task)


@router.get("/metrics")
@route_policy(read="park_wide")
def task_metrics(request: HttpRequest, park: str, year: int, exact: bool = False) -> dict[str, Any]:
    """By department for the year (tasks due in it), seen at the year end."""
    the_park = policy.park_readable(request.user, park)
    if not 2000 <= year <= 2100:
        raise HttpError(422, "年度应为四位年份，如 2022")
    return presenters.metrics_json(
        park=the_park, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), exact=exact
    )


@router.get("/notifications")
@route_policy(read="authenticated")
def notification_list(request: HttpRequest) -> dict[str, Any]:
    """The user's reminders and the unread count (督办 reminders and 催报 / 退回 notices)."""
    from yuanqu.supervision.models import Notification

    return {
        "unread": str(selectors.unread_count(user=request.user)),
        "items": [
            {
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in Notification.objects.filter(user=request.user)[:200]
        ],
    }
