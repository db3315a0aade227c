"""督查督办 pages: the board by department with lights, one task with its history, the 督查室's
actions (交办, 调整时限, 销号) and the responsible department's (进展, 办结), and the reminders.

Lights are computed at `clock.today()` (pinned in the demo) unless `at` is given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yuanqu.accounts import policy
from yuanqu.accounts.models import Role
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.registry.models import Department, Enterprise
from yuanqu.service_requests.clock import today
from yuanqu.service_requests.views import _denied, _park, _year
from yuanqu.supervision import formulas, presenters, selectors, services
from yuanqu.supervision.models import Notification, Source, SupervisionTask

AREA = "supervision"


def _date(text: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else default
    except ValueError:
        return default


@route_policy(read="park_wide", enterprise_to="mine:index")
def board(request: HttpRequest) -> HttpResponse:
    """督办看板: the open tasks by light, the year's figures by department."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    at = _date(request.GET.get("at", ""), today())
    year = _year(request, at.year)
    department = request.GET.get("department", "").strip()
    rows = selectors.task_rows(park=park, at=at, department=department)
    columns = [
        {
            "key": k,
            "label": label,
            "rows": [presenters.task_json(r.task, light=r.light) for r in rows if r.light == k],
        }
        for k, label in formulas.LIGHTS.items()
        if k != "done"
    ]
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    metrics = presenters.metrics_json(park=park, start=start, end=end, at=min(at, end))
    can_write = policy.can_write(request.user, AREA, park)
    return render(
        request,
        "supervision/board.html",
        {
            "park": park,
            "at": at,
            "year": year,
            "columns": columns,
            "done": [
                presenters.task_json(r.task, light=r.light) for r in rows if r.light == "done"
            ][:50],
            "metrics": metrics,
            "yellow_days": selectors.yellow_days(),
            "departments": Department.objects.filter(park=park).order_by("code"),
            "department": department,
            "sources": [(v, label) for v, label in Source.choices if v != Source.AUTO],
            "can_write": can_write,
            "enterprises": _enterprise_choices(park) if can_write else [],
        },
    )


def _enterprise_choices(park: Any) -> list[Enterprise]:
    """The park's enterprises the 涉及企业 input offers (a datalist: any code of the park may
    still be typed, the service checks it)."""
    return list(
        Enterprise.objects.filter(park=park).only("credit_code", "name").order_by("name")[:500]
    )


def _task(request: HttpRequest, pk: int) -> SupervisionTask:
    found = selectors.task_for(user=request.user, pk=pk)
    if found is None:
        raise Http404("督办事项不存在或无权访问")
    return found


def _assigned(request: HttpRequest, task: SupervisionTask) -> bool:
    """The user belongs to the task's responsible department (it reports progress)."""
    user = request.user
    return bool(
        task.department_id
        and getattr(user, "role", None) == Role.DEPARTMENT
        and user.park_id == task.park_id
        and user.departments.filter(pk=task.department_id).exists()
    )


@route_policy(read="park_wide")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: what, who, deadline and light, and its whole history (progress, deadline
    changes with reasons, 销号)."""
    task = _task(request, pk)
    at = today()
    can_write = policy.can_write(request.user, AREA, task.park)
    return render(
        request,
        "supervision/detail.html",
        {
            "task": task,
            "enterprise_link": policy.can_read_enterprise(request.user, task.enterprise),
            "enterprises": _enterprise_choices(task.park) if can_write else [],
            "row": presenters.task_json(task, light=selectors.task_light(task, at), at=at),
            "updates": task.updates.select_related("user").order_by("on", "id"),
            "can_write": can_write,
            "can_report": task.is_open and (can_write or _assigned(request, task)),
            "departments": Department.objects.filter(park=task.park).order_by("code"),
            "today": at,
        },
    )


@route_policy(read="park_wide", write=AREA)
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Actions on a task. 进展 and 办结 are also open to the responsible department; 修改,
    调整时限 and 销号 are the 督查室's (DECISIONS.md, object-level writes)."""
    task = _task(request, pk)
    action = request.POST.get("action", "")
    if not (action in ("progress", "done") and _assigned(request, task)):
        try:
            policy.require_write(request.user, AREA, task.park, "调整督办事项")
        except policy.Denied as exc:
            raise PermissionDenied(str(exc)) from exc
    on = _date(request.POST.get("on", ""), today())
    text = request.POST.get("text", "").strip()
    try:
        if action == "progress":
            services.task_progress(task=task, text=text, on=on, user=request.user)
        elif action == "done":
            services.task_done(task=task, on=on, text=text, user=request.user)
        elif action == "deadline":
            services.task_change_deadline(
                task=task,
                deadline=_date(request.POST.get("deadline", ""), task.deadline),
                reason=text,
                on=on,
                user=request.user,
            )
        elif action == "close":
            services.task_close(task=task, reason=text, on=on, user=request.user)
        elif action == "edit":
            services.task_update(
                task=task,
                title=request.POST.get("title", ""),
                content=request.POST.get("content", ""),
                department=Department.objects.filter(
                    park=task.park, code=request.POST.get("department", "")
                ).first(),
                person=request.POST.get("person", ""),
                leader=request.POST.get("leader", ""),
                enterprise=services.task_enterprise(
                    park=task.park, credit_code=request.POST.get("enterprise_credit_code", "")
                ),
                on=on,
                user=request.user,
            )
        else:
            raise services.SupervisionError("未知的操作")
    except services.SupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已保存")
    return redirect("supervision:detail", pk=task.pk)


@route_policy(read="park_wide", write=AREA)
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    """交办 a task (会议 / 领导批示 / 上级交办)."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    try:
        policy.require_write(request.user, AREA, park, "交办督办事项")
    except policy.Denied as exc:
        raise PermissionDenied(str(exc)) from exc
    at = today()
    source = request.POST.get("source", "")
    if source == Source.AUTO:
        source = ""  # automatic tasks come from `yuanqu supervise` only
    try:
        task = services.task_create(
            park=park,
            source=source,
            title=request.POST.get("title", ""),
            content=request.POST.get("content", ""),
            assigned_on=_date(request.POST.get("assigned_on", ""), at),
            deadline=_date(request.POST.get("deadline", ""), at + dt.timedelta(days=10)),
            department=Department.objects.filter(
                park=park, code=request.POST.get("department", "")
            ).first(),
            person=request.POST.get("person", "").strip()[:64],
            leader=request.POST.get("leader", "").strip()[:64],
            enterprise=services.task_enterprise(
                park=park, credit_code=request.POST.get("enterprise_credit_code", "")
            ),
            user=request.user,
        )
    except services.SupervisionError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("supervision:board") + f"?park={park.code}")
    messages.success(request, f"已交办 {task.code}")
    return redirect("supervision:detail", pk=task.pk)


@route_policy(read="authenticated")
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's reminders (督办) beside its 催报 / 退回 notices (imports.Reminder); POST marks
    them all read."""
    from yuanqu.imports.models import Reminder

    user = request.user
    mine = Notification.objects.filter(user=user)
    notices = Reminder.objects.filter(user=user)
    if request.method == "POST":
        now = timezone.now()
        mine.filter(read_at__isnull=True).update(read_at=now)
        notices.filter(read_at__isnull=True).update(read_at=now)
        messages.success(request, "已全部标为已读")
        return redirect("supervision:notifications")
    ctx: dict[str, Any] = {
        "items": list(mine[:200]),
        "notices": list(notices.select_related("park")[:200]),
        "unread": selectors.unread_count(user=user),
    }
    return render(request, "supervision/notifications.html", ctx)


def enterprise_panel(enterprise: Enterprise, user: Any) -> dict[str, Any] | None:
    """The enterprise page's (一企一档) 督查督办 panel: the tasks about the enterprise (a
    诉求 overdue, its project red …) with their light; None when there are none. Its park's
    staff get links to the tasks; its own users see the rows only (the 督办 desk is staff's)."""
    rows = selectors.enterprise_task_rows(enterprise=enterprise, at=today())
    if not rows:
        return None
    return {
        "rows": [
            {
                "task": r.task,
                "light": r.light,
                "light_name": "" if r.light == "done" else formulas.LIGHTS[r.light],
            }
            for r in rows
        ],
        "staff": policy.reads_park_wide(user),
    }
