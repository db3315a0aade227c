"""督查督办 API (park-wide readers only): the tasks with their lights at a date, one task with
its history, the metrics by department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.service_requests.clock import today
from yuanqu.supervision import formulas, presenters, selectors

router = Router(tags=["督查督办"])


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
