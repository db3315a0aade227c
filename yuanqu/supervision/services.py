"""Every write of 督查督办: tasks, progress, deadline changes, 销号, and the automatic tasks the
data raises (`supervise_run`, behind `yuanqu supervise`).

Automatic tasks (DECISIONS.md): one task per open cause of each module's supervision rule;
never raised again while it is open; closed (销号) by the run that finds its cause cleared; a
task a person closed while its cause was still there is not raised again until the cause has
cleared once. Safe to run from cron every few minutes: a second run changes nothing, and the
partial unique constraint keeps two runs at once from raising one cause twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from yuanqu.core.history import log_entry_add
from yuanqu.core.modules import SupervisionRule, resolve, supervision_rules
from yuanqu.registry.models import Department, Enterprise, Park
from yuanqu.supervision.causes import Cause, as_cause
from yuanqu.supervision.models import (
    OPEN_STATUSES,
    Source,
    SupervisionTask,
    TaskStatus,
    TaskUpdate,
)

log = logging.getLogger(__name__)


class SupervisionError(ValueError):
    """A write refused by the rules (Chinese message)."""


def auto_deadline_days() -> int:
    """Days an automatic task is given (setting YUANQU_SUPERVISION_AUTO_DAYS, default 10)."""
    return int(getattr(settings, "YUANQU_SUPERVISION_AUTO_DAYS", 10))


def _next_code(park: Park, year: int) -> str:
    prefix = f"DB{year}"
    n = SupervisionTask.objects.filter(park=park, code__startswith=prefix).count() + 1
    while SupervisionTask.objects.filter(park=park, code=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _update(
    task: SupervisionTask, kind: str, on: dt.date, *, text: str = "", user: Any = None, **extra: Any
) -> TaskUpdate:
    return log_entry_add(TaskUpdate, task, kind, on, text=text, user=user, **extra)


@transaction.atomic
def task_create(
    *,
    park: Park,
    source: str,
    title: str,
    assigned_on: dt.date,
    deadline: dt.date,
    content: str = "",
    department: Department | None = None,
    person: str = "",
    leader: str = "",
    user: Any = None,
    code: str = "",
    rule_key: str = "",
    cause: Cause | None = None,
    enterprise: Enterprise | None = None,
) -> SupervisionTask:
    """交办 a task (status 已交办); `enterprise` (or the cause's) is the one it concerns."""
    if source not in Source.values:
        raise SupervisionError(f"来源“{source}”不是可选值：{'、'.join(Source.labels)}")
    if not title.strip():
        raise SupervisionError("督办事项不能为空")
    if deadline < assigned_on:
        raise SupervisionError("办结时限不能早于交办日期")
    if department is not None and department.park_id != park.pk:
        raise SupervisionError("责任部门不属于该园区")
    _check_enterprise(park, enterprise)
    task = SupervisionTask.objects.create(
        park=park,
        code=code or _next_code(park, assigned_on.year),
        source=source,
        title=title.strip()[:200],
        content=content,
        department=department,
        person=person,
        leader=leader,
        assigned_on=assigned_on,
        deadline=deadline,
        rule_key=rule_key,
        cause_key=cause.key if cause else "",
        cause_url=cause.url if cause else "",
        cause_ref=cause.ref if cause else "",
        enterprise_id=enterprise.pk if enterprise else _enterprise_id(park, cause),
        created_by=_user(user),
    )
    _update(task, TaskUpdate.Kind.CREATED, assigned_on, text=content or title, user=user)
    return task


ENTERPRISE_LABEL = "涉及企业"


def _check_enterprise(park: Park, enterprise: Enterprise | None) -> None:
    if enterprise is not None and enterprise.park_id != park.pk:
        raise SupervisionError(
            f"{ENTERPRISE_LABEL}“{enterprise.name}”不属于{park.name}：只能选择本园区的企业"
        )


def task_enterprise(*, park: Park, credit_code: str) -> Enterprise | None:
    """The enterprise a task names by its 统一社会信用代码, for the form and the API ('' → none).

    One refusal for a code unknown and a code of another park's enterprise: a park's staff are
    not told which enterprises other parks hold."""
    code = (credit_code or "").strip().upper()
    if not code:
        return None
    found = Enterprise.objects.filter(park=park, credit_code=code).first()
    if found is None:
        raise SupervisionError(
            f"{ENTERPRISE_LABEL}的统一社会信用代码“{code}”不是{park.name}的企业"
            "：请填本园区企业名录中的代码，不涉及企业则留空"
        )
    return found


@transaction.atomic
def task_update(
    *,
    task: SupervisionTask,
    title: str,
    content: str,
    department: Department | None,
    person: str = "",
    leader: str = "",
    enterprise: Enterprise | None = None,
    on: dt.date,
    user: Any = None,
) -> SupervisionTask:
    """Edit what a task is about (事项, 内容, 责任部门, 责任人, 分管领导, 涉及企业); the deadline
    and the status have their own actions (a reason kept, the on-time rule). Each change is
    noted in the history."""
    if task.status == TaskStatus.CLOSED:
        raise SupervisionError("已销号的督办事项不能修改")
    if not title.strip():
        raise SupervisionError("督办事项不能为空")
    if department is not None and department.park_id != task.park_id:
        raise SupervisionError("责任部门不属于该园区")
    _check_enterprise(task.park, enterprise)
    new = {
        "title": title.strip()[:200],
        "content": content,
        "department_id": department.pk if department else None,
        "person": person.strip()[:64],
        "leader": leader.strip()[:64],
        "enterprise_id": enterprise.pk if enterprise else None,
    }
    labels = {
        "title": "督办事项",
        "content": "具体内容",
        "department_id": "责任部门",
        "person": "责任人",
        "leader": "分管领导",
        "enterprise_id": ENTERPRISE_LABEL,
    }
    changed = [k for k, v in new.items() if getattr(task, k) != v]
    if not changed:
        return task
    for k in changed:
        setattr(task, k, new[k])
    if "department_id" in changed:
        task.department = department
    if "enterprise_id" in changed:
        task.enterprise = enterprise
    task.save(update_fields=[k.removesuffix("_id") for k in changed] + ["updated_at"])
    text = "修改" + "、".join(labels[k] for k in changed)
    _update(task, TaskUpdate.Kind.EDIT, on, text=text, user=user)
    return task


@transaction.atomic
def task_progress(
    *, task: SupervisionTask, text: str, on: dt.date, user: Any = None
) -> SupervisionTask:
    """A progress report by the responsible department; a task 已交办 becomes 办理中."""
    if task.status not in OPEN_STATUSES:
        raise SupervisionError(f"督办事项已{task.get_status_display()}，不能再报送进展")
    if not text.strip():
        raise SupervisionError("进展内容不能为空")
    if task.status == TaskStatus.ASSIGNED:
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status", "updated_at"])
    _update(task, TaskUpdate.Kind.PROGRESS, on, text=text.strip(), user=user)
    return task


@transaction.atomic
def task_done(
    *, task: SupervisionTask, on: dt.date, text: str = "", user: Any = None
) -> SupervisionTask:
    """已办结: the department reports the task done on `on` (the date the on-time rule reads)."""
    if task.status not in OPEN_STATUSES:
        raise SupervisionError(f"督办事项已{task.get_status_display()}")
    if on < task.assigned_on:
        raise SupervisionError("办结日期不能早于交办日期")
    task.status = TaskStatus.DONE
    task.done_on = on
    task.save(update_fields=["status", "done_on", "updated_at"])
    _update(task, TaskUpdate.Kind.STATUS, on, text=text or "办结", user=user)
    return task


@transaction.atomic
def task_change_deadline(
    *, task: SupervisionTask, deadline: dt.date, reason: str, on: dt.date, user: Any = None
) -> SupervisionTask:
    """Move the deadline, keeping the old one and the reason in the history (only the
    督查室 does this: the view asks the policy)."""
    if task.status == TaskStatus.CLOSED:
        raise SupervisionError("已销号的督办事项不能调整时限")
    if not reason.strip():
        raise SupervisionError("调整时限须说明原因")
    if deadline < task.assigned_on:
        raise SupervisionError("办结时限不能早于交办日期")
    old = task.deadline
    task.deadline = deadline
    task.save(update_fields=["deadline", "updated_at"])
    _update(
        task,
        TaskUpdate.Kind.DEADLINE,
        on,
        text=reason.strip(),
        user=user,
        old_deadline=old,
        new_deadline=deadline,
    )
    return task


@transaction.atomic
def task_close(
    *, task: SupervisionTask, reason: str, on: dt.date, user: Any = None
) -> SupervisionTask:
    """销号 by a person, with a reason. An automatic task closed so is not raised again until
    its cause has cleared once (`supervise_run` notes the day it clears)."""
    if task.status == TaskStatus.CLOSED:
        raise SupervisionError("督办事项已销号")
    if not reason.strip():
        raise SupervisionError("销号须说明理由")
    task.status = TaskStatus.CLOSED
    task.closed_on = on
    task.done_on = task.done_on or on
    task.close_reason = reason.strip()
    task.closed_by_hand = bool(task.rule_key)
    task.save()
    _update(task, TaskUpdate.Kind.CLOSE, on, text=reason.strip(), user=user)
    return task


# -- automatic tasks -------------------------------------------------------------------------
@dataclass
class SuperviseResult:
    at: dt.date
    raised: list[SupervisionTask] = field(default_factory=list)
    closed: list[SupervisionTask] = field(default_factory=list)
    cleared: int = 0  # hand-closed tasks whose cause was seen cleared (may be raised again)
    kept: int = 0  # open causes whose task is open (nothing to do)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.raised or self.closed or self.cleared)


def _department(park: Park, value: Any) -> Department | None:
    if isinstance(value, Department):
        return value if value.park_id == park.pk else None
    if isinstance(value, str) and value:
        return Department.objects.filter(park=park, code=value).first()
    return None


def _enterprise_id(park: Park, cause: Cause | None) -> int | None:
    """The id of the enterprise a cause concerns, when it is one of the park's."""
    value = cause.enterprise if cause else None
    if isinstance(value, Enterprise):
        return value.pk if value.park_id == park.pk else None
    if isinstance(value, int):
        return Enterprise.objects.filter(park=park, pk=value).values_list("pk", flat=True).first()
    return None


def _supervision_department(park: Park) -> Department | None:
    """The park's 督查室 (a department holding the supervision write area), to own automatic
    tasks whose cause names no department."""
    for dept in Department.objects.filter(park=park).order_by("code"):
        if "supervision" in (dept.modules or []):
            return dept
    return None


def _rule_causes(rule: SupervisionRule, park: Park, at: dt.date) -> dict[str, Cause]:
    found: dict[str, Cause] = {}
    for obj in resolve(rule.target)(park, at) or ():
        cause = as_cause(obj)
        found.setdefault(cause.key, cause)
    return found


def supervise_park_rule(
    *, park: Park, rule: SupervisionRule, at: dt.date, result: SuperviseResult
) -> None:
    """Raise and clear one rule's automatic tasks in one park (one transaction)."""
    try:
        causes = _rule_causes(rule, park, at)
    except Exception as exc:  # one broken rule must not stop the others, nor clear its tasks
        log.exception("supervision rule %s failed for %s", rule.key, park.code)
        result.errors.append(f"{park.code} {rule.label}（{rule.key}）：{exc}")
        return
    with transaction.atomic():
        tasks = list(SupervisionTask.objects.filter(park=park, rule_key=rule.key))
        open_by_key = {t.cause_key: t for t in tasks if t.status != TaskStatus.CLOSED}
        blocked = {
            t.cause_key: t
            for t in tasks
            if t.status == TaskStatus.CLOSED and t.closed_by_hand and t.cause_cleared_on is None
        }
        for key, t in blocked.items():
            if key not in causes:
                # The cause cleared once: a person's 销号 no longer holds it back.
                t.cause_cleared_on = at
                t.save(update_fields=["cause_cleared_on", "updated_at"])
                result.cleared += 1
        fallback = None
        for key, cause in causes.items():
            if key in open_by_key:
                result.kept += 1
                kept = open_by_key[key]
                if kept.enterprise_id is None and cause.enterprise is not None:
                    # Raised before its rule named the enterprise: link it now.
                    kept.enterprise_id = _enterprise_id(park, cause)
                    if kept.enterprise_id is not None:
                        kept.save(update_fields=["enterprise", "updated_at"])
                continue
            if key in blocked:
                continue
            if fallback is None:
                fallback = _supervision_department(park)
            try:
                with transaction.atomic():
                    task = task_create(
                        park=park,
                        source=Source.AUTO,
                        title=cause.title,
                        content=cause.content or f"{rule.label}：{cause.title}",
                        assigned_on=at,
                        deadline=at + dt.timedelta(days=auto_deadline_days()),
                        department=_department(park, cause.department) or fallback,
                        rule_key=rule.key,
                        cause=cause,
                    )
            except IntegrityError:
                continue  # another run raised it a moment ago
            result.raised.append(task)
        for key, task in open_by_key.items():
            if key in causes:
                continue
            task.status = TaskStatus.CLOSED
            task.closed_on = at
            task.done_on = task.done_on or at
            task.close_reason = "触发原因已消除，系统自动销号"
            task.save()
            _update(task, TaskUpdate.Kind.CLOSE, at, text=task.close_reason)
            result.closed.append(task)


def supervise_run(
    *, at: dt.date, parks: list[Park] | None = None, rules: list[SupervisionRule] | None = None
) -> SuperviseResult:
    """Every rule of every installed module over every park (or those given), at date `at`."""
    result = SuperviseResult(at=at)
    the_rules = supervision_rules() if rules is None else rules
    for park in parks if parks is not None else list(Park.objects.order_by("code")):
        for rule in the_rules:
            supervise_park_rule(park=park, rule=rule, at=at, result=result)
    return result
