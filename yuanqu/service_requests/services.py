"""Every write of 企业诉求 and 惠企政策兑现: pages, the API, importers, the demo and the admin
call these. Each status change and reply is kept as a `RequestEvent` (the history the
enterprise and the 营商办 see). Rows are single saves, so the data version (core.versions)
is raised by its signal.

Transitions: 已提交 → 已受理 (the 营商办 accepts an enterprise's submission) → 办理中 (first
reply, or assigned) → 已办结 → 已评价 (the enterprise rates it); 退回 with a reason from 已提交,
已受理 or 办理中.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from yuanqu.core.history import log_entry_add
from yuanqu.registry.models import Department, Enterprise, Park
from yuanqu.service_requests import formulas
from yuanqu.service_requests.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    BenefitPayment,
    Holiday,
    Policy,
    RequestCategory,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)


class ServiceError(ValueError):
    """A write refused by the rules (Chinese message, shown to the user)."""


def holiday_overrides() -> dict[dt.date, bool]:
    """The editable holiday table: date → is a working day."""
    return dict(Holiday.objects.values_list("date", "is_workday"))


def holiday_set(*, date: dt.date, is_workday: bool, name: str = "") -> Holiday:
    """Mark a day off or a working day the national calendar does not know."""
    row, _ = Holiday.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name}
    )
    return row


def category_upsert(
    *, code: str, name: str, limit_days: int, day_kind: str, sort_order: int = 0
) -> RequestCategory:
    row, _ = RequestCategory.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "limit_days": limit_days,
            "day_kind": day_kind,
            "sort_order": sort_order,
        },
    )
    return row


#: The issue's categories with a default time limit (code, name, days, day kind, order); the
#: migration seeds the same (a flushed database — browser tests — gets them from the demo).
DEFAULT_CATEGORIES = (
    ("land", "用地", 20, "working", 10),
    ("finance", "融资", 15, "working", 20),
    ("labour", "用工", 10, "working", 30),
    ("approval", "审批", 10, "working", 40),
    ("utilities", "水电气", 7, "calendar", 50),
    ("policy", "政策兑现", 15, "working", 60),
    ("other", "其他", 10, "working", 90),
)


def categories_ensure() -> None:
    """Create the default categories that are missing (never changes an edited one)."""
    for code, name, days, kind, order in DEFAULT_CATEGORIES:
        RequestCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "limit_days": days, "day_kind": kind, "sort_order": order},
        )


def request_due_date(*, category: RequestCategory, received_on: dt.date) -> dt.date:
    """The due date from the category's time limit (calendar or working days)."""
    return formulas.due_date(
        received_on, category.limit_days, category.day_kind, holiday_overrides()
    )


def _next_code(park: Park, year: int) -> str:
    prefix = f"SQ{year}"
    n = ServiceRequest.objects.filter(park=park, code__startswith=prefix).count() + 1
    while ServiceRequest.objects.filter(park=park, code=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


def _event(
    request: ServiceRequest,
    kind: str,
    on: dt.date,
    *,
    text: str = "",
    user: Any = None,
) -> RequestEvent:
    return log_entry_add(RequestEvent, request, kind, on, text=text, user=user)


@transaction.atomic
def request_create(
    *,
    park: Park,
    enterprise: Enterprise,
    category: RequestCategory,
    title: str,
    received_on: dt.date,
    content: str = "",
    department: Department | None = None,
    handler: str = "",
    user: Any = None,
    submitted: bool = False,
    code: str = "",
    attachment: Any = None,
) -> ServiceRequest:
    """Record a request. An enterprise's own submission (`submitted`) lands 已提交 for the
    营商办 (DECISIONS.md, Access); one recorded by staff is 已受理 at once. The due date counts
    from the day received."""
    if enterprise.park_id != park.pk:
        raise ServiceError("企业不属于该园区")
    if not title.strip():
        raise ServiceError("诉求标题不能为空")
    request = ServiceRequest(
        park=park,
        code=code or _next_code(park, received_on.year),
        enterprise=enterprise,
        category=category,
        title=title.strip(),
        content=content,
        received_on=received_on,
        due_on=request_due_date(category=category, received_on=received_on),
        department=department,
        handler=handler,
        status=RequestStatus.SUBMITTED if submitted else RequestStatus.RECEIVED,
        submitted_by=user if getattr(user, "pk", None) else None,
    )
    if attachment is not None:
        request.attachment = attachment
    request.save()
    _event(
        request,
        RequestEvent.Kind.STATUS,
        received_on,
        text="企业提交" if submitted else "受理",
        user=user,
    )
    return request


@transaction.atomic
def request_accept(
    *,
    request: ServiceRequest,
    on: dt.date,
    department: Department | None = None,
    handler: str = "",
    user: Any = None,
) -> ServiceRequest:
    """已提交 → 已受理 (the 营商办 accepts an enterprise's submission), optionally assigned."""
    if request.status != RequestStatus.SUBMITTED:
        raise ServiceError(f"只有“已提交”的诉求可以受理（当前：{request.get_status_display()}）")
    request.status = RequestStatus.RECEIVED
    if department is not None:
        request.department = department
    if handler:
        request.handler = handler
    request.save()
    _event(request, RequestEvent.Kind.STATUS, on, text="受理", user=user)
    return request


@transaction.atomic
def request_assign(
    *,
    request: ServiceRequest,
    department: Department | None,
    on: dt.date,
    handler: str = "",
    user: Any = None,
) -> ServiceRequest:
    """Assign (or reassign) the request to a department and person (交办)."""
    if request.status not in OPEN_STATUSES:
        raise ServiceError("已办结或已退回的诉求不能再交办")
    request.department = department
    request.handler = handler
    request.save(update_fields=["department", "handler", "updated_at"])
    name = department.name if department else "（未指定部门）"
    _event(
        request,
        RequestEvent.Kind.ASSIGN,
        on,
        text=f"交办{name}{' ' + handler if handler else ''}",
        user=user,
    )
    return request


@transaction.atomic
def request_reply(
    *,
    request: ServiceRequest,
    text: str,
    on: dt.date,
    close: bool = False,
    user: Any = None,
) -> ServiceRequest:
    """A reply to the enterprise; `close` marks the request 已办结 on `on`. A first reply to a
    request 已受理 makes it 办理中."""
    if request.status not in OPEN_STATUSES:
        raise ServiceError(f"诉求已{request.get_status_display()}，不能再答复")
    if not text.strip():
        raise ServiceError("答复内容不能为空")
    if on < request.received_on:
        raise ServiceError("答复日期不能早于受理日期")
    if close:
        request.status = RequestStatus.CLOSED
        request.closed_on = on
    elif request.status in (RequestStatus.SUBMITTED, RequestStatus.RECEIVED):
        request.status = RequestStatus.IN_PROGRESS
    request.save()
    _event(request, RequestEvent.Kind.REPLY, on, text=text.strip(), user=user)
    return request


@transaction.atomic
def request_return(
    *, request: ServiceRequest, reason: str, on: dt.date, user: Any = None
) -> ServiceRequest:
    """退回 with a reason (not a matter for the park, incomplete …): kept in the history."""
    if request.status not in OPEN_STATUSES:
        raise ServiceError(f"诉求已{request.get_status_display()}，不能退回")
    if not reason.strip():
        raise ServiceError("退回须填写原因")
    request.status = RequestStatus.RETURNED
    request.return_reason = reason.strip()
    request.save()
    _event(request, RequestEvent.Kind.RETURN, on, text=reason.strip(), user=user)
    return request


@transaction.atomic
def request_rate(
    *,
    request: ServiceRequest,
    satisfaction: int,
    on: dt.date,
    comment: str = "",
    user: Any = None,
) -> ServiceRequest:
    """The enterprise's rating (1 很不满意 … 5 非常满意) of a request 已办结."""
    if request.status not in DONE_STATUSES:
        raise ServiceError("只有已办结的诉求可以评价")
    if not 1 <= int(satisfaction) <= 5:
        raise ServiceError("满意度应为 1 到 5 的整数")
    request.status = RequestStatus.RATED
    request.satisfaction = int(satisfaction)
    request.rating_comment = comment
    request.save()
    _event(
        request,
        RequestEvent.Kind.RATE,
        on,
        text=f"满意度{satisfaction}分 {comment}".strip(),
        user=user,
    )
    return request


def policy_upsert(*, park: Park, code: str, **values: Any) -> Policy:
    """Create the park's policy `code`, or update the given fields of it."""
    row, created = Policy.objects.get_or_create(park=park, code=code, defaults=values)
    if not created and values:
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for k in changed:
            setattr(row, k, values[k])
        if changed:
            row.save(update_fields=changed)
    return row


def benefit_record(
    *,
    policy: Policy,
    enterprise: Enterprise,
    amount: Decimal,
    paid_on: dt.date,
    kind: str,
    note: str = "",
) -> BenefitPayment:
    """A payment under a policy to an enterprise (万元); the same (policy, enterprise, date,
    kind) again updates the amount, so importing twice changes nothing."""
    if enterprise.park_id != policy.park_id:
        raise ServiceError("企业不属于该政策所在园区")
    if amount < 0:
        raise ServiceError("兑现金额不能为负数")
    row, _ = BenefitPayment.objects.update_or_create(
        policy=policy,
        enterprise=enterprise,
        paid_on=paid_on,
        kind=kind,
        defaults={"amount": amount, "park_id": policy.park_id, "note": note},
    )
    return row
