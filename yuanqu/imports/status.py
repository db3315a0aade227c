"""Data status per (kind, park, period): 已提交 → 已审核 → 已锁定 (DECISIONS.md).

Importing into a slice sets it to 已审核 (operator CLI) or 已提交 (web uploads by enterprise
and department users, or `--submit-only`). A locked slice can only be changed with a reason,
which is kept in its history; it stays locked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yuanqu.core.summaries import Change, notify
from yuanqu.imports.engine import kind_label
from yuanqu.imports.models import DataSlice, DataSliceEvent, DataStatus


class StatusError(ValueError):
    """A status change that is not allowed; the message is Chinese."""


def locked_slices(*, kind: str, keys: set[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    """Which of these (park_id, year, month) slices are locked."""
    if not keys:
        return set()
    parks = {k[0] for k in keys}
    years = {k[1] for k in keys}
    rows = DataSlice.objects.filter(
        kind=kind, park_id__in=parks, year__in=years, status=DataStatus.LOCKED
    ).values_list("park_id", "year", "month")
    return {r for r in rows if r in keys}


def locked_change(
    *, user: Any, reason: str, dry_run: bool, what: str, park: Any = None, kind: str = ""
) -> tuple[str, str] | None:
    """May this import change a locked slice (`what`, e.g. "园区X 2022-09 的企业报表")?

    None when it may (the operator's CLI, an administrator or a user who may lock, with a
    reason); otherwise (level, Chinese message): a warning on a preview that only lacks the
    reason, an error when the user may not change locked data or the commit has no reason.
    """
    may = user is None or not getattr(user, "pk", None) or _may_lock(user, park, kind)
    if not may:
        return (
            "error",
            f"{what}已锁定，不能修改：如需更正，请联系经发局（有锁定权限的用户）解锁或代为导入",
        )
    if reason.strip():
        return None
    message = (
        f"{what}已锁定：修改须填写原因（网页“修改原因”栏，命令行 --reason），原因将记入修改历史"
    )
    return ("warning" if dry_run else "error", message)


def _may_lock(user: Any, park: Any = None, kind: str = "") -> bool:
    from yuanqu.accounts import policy
    from yuanqu.accounts.scopes import is_global

    if park is not None and kind:
        return policy.can_lock(user, park, kind)
    return bool(is_global(user) or getattr(user, "can_lock", False))


def slices_touch(
    *,
    kind: str,
    keys: set[tuple[int, int, int]],
    user: Any,
    submit_only: bool,
    reason: str = "",
    import_record: Any = None,
) -> None:
    """Record an import into each slice: status and a history event. Call inside the commit."""
    status = DataStatus.SUBMITTED if submit_only else DataStatus.REVIEWED
    uid = user if getattr(user, "pk", None) else None
    for park_id, year, month in sorted(keys):
        s, created = DataSlice.objects.get_or_create(
            kind=kind, park_id=park_id, year=year, month=month, defaults={"status": status}
        )
        if s.status == DataStatus.LOCKED:
            if not reason:
                raise StatusError(f"{s.period} 的数据已锁定，修改需填写原因（--reason）")
            action = "change_locked"
        else:
            if not created and s.status != status:
                s.status = status
                s.save(update_fields=["status", "updated_at"])
            action = "import"
        DataSliceEvent.objects.create(
            slice=s,
            action=action,
            status_after=s.status,
            reason=reason,
            user=uid,
            import_record=import_record,
        )
    # The summaries summing these slices' rows are refreshed in the same transaction.
    notify(Change(kind=kind, event="import", slices=frozenset(keys)))


def _transition(
    *,
    kind: str,
    park: Any,
    year: int,
    month: int,
    user: Any,
    to: str,
    allowed_from: set[str],
    action: str,
    reason: str = "",
) -> DataSlice:
    with transaction.atomic():
        s = (
            DataSlice.objects.select_for_update()
            .filter(kind=kind, park=park, year=year, month=month)
            .first()
        )
        label = f"{park.name} {year}-{month:02d}（{kind_label(kind)}）"
        if s is None:
            raise StatusError(f"{label} 没有数据，无法{ACTION_LABELS[action]}")
        if s.status == to:
            return s
        if s.status not in allowed_from:
            raise StatusError(
                f"{label} 当前为“{s.get_status_display()}”，不能{ACTION_LABELS[action]}"
            )
        s.status = to
        s.save(update_fields=["status", "updated_at"])
        DataSliceEvent.objects.create(
            slice=s,
            action=action,
            status_after=to,
            reason=reason,
            user=user if getattr(user, "pk", None) else None,
        )
        # Summaries that depend on the status (economy's do not: it is read with them).
        notify(Change(kind=kind, event="status", slices=frozenset({(park.pk, year, month)})))
        return s


ACTION_LABELS = {
    "review": "审核",
    "lock": "锁定",
    "unlock": "解锁",
    "return": "退回",
    "import": "导入",
    "change_locked": "修改已锁定数据",
}


# -- review, return, lock, unlock, remind: the one set of services for web and CLI -----------
# Each asks the access policy (no user: the operator's command line, which may do all), moves
# the slice with a history event and appends an audit entry (DECISIONS.md, Access and Data
# status). 审核 and 退回 are the two outcomes of a review; both stay in the history.


def _period_parts(period: Any) -> tuple[int, int]:
    return period.year, period.month


def _slice_label(kind: str, park: Any, year: int, month: int) -> str:
    from yuanqu.core.modules import data_kinds

    dk = data_kinds().get(kind)
    return f"{park.name} {year}-{month:02d} 的{dk.label if dk else kind}"


def _ask(user: Any, allowed: bool, what: str, who: str) -> None:
    from yuanqu.accounts import policy

    if user is None or not getattr(user, "pk", None) or allowed:
        return
    raise policy.Denied(f"无权{what}：只有{who}可以{what}")


def _audit(user: Any, event: str, s: DataSlice, park: Any, **detail: Any) -> None:
    from yuanqu.audit.services import audit_event

    audit_event(
        user=user,
        event=event,
        target=s,
        park=park,
        detail={"kind": s.kind, "period": s.period, **detail},
    )


def reviewers_text(park: Any, kind: str, flag: str = "审核") -> str:
    from yuanqu.accounts import policy

    return f"{policy.reviewers_label(park, kind)}有{flag}权限的用户（或系统管理员）"


def period_review(
    *, user: Any, kind: str, park: Any, period: Any, confirm_incomplete: bool = False
) -> DataSlice:
    """审核: 已提交 (or 已退回) → 已审核. For enterprise reports an incomplete period (报送率
    below 100%) is reviewed only with `confirm_incomplete` (DECISIONS.md, Data integrity)."""
    from yuanqu.accounts import policy

    _ask(user, policy.can_review(user, park, kind), "审核", reviewers_text(park, kind))
    year, month = _period_parts(period)
    detail: dict[str, Any] = {}
    if kind == "enterprise-reports":
        from yuanqu.economy.selectors import reporting_rate

        rate = reporting_rate(park=park, period=period)
        detail = {"expected": rate.expected, "reported": rate.reported}
        if rate.missing and not confirm_incomplete:
            raise StatusError(
                f"{_slice_label(kind, park, year, month)}尚未报齐（{rate.sentence()}）："
                "审核未报齐的期间须确认（网页勾选“确认审核未报齐的期间”，命令行 --confirm-incomplete）"
            )
    s = _transition(
        kind=kind,
        park=park,
        year=year,
        month=month,
        user=user,
        to=DataStatus.REVIEWED,
        allowed_from={DataStatus.SUBMITTED, DataStatus.RETURNED},
        action="review",
        reason="确认审核未报齐的期间" if detail and confirm_incomplete else "",
    )
    _audit(user, "review", s, park, **detail)
    return s


def period_return(*, user: Any, kind: str, park: Any, period: Any, reason: str) -> DataSlice:
    """退回: 已提交 or 已审核 → 已退回, with a reason that the submitters see (a notice to each
    user who imported into the slice since it was last reviewed)."""
    from yuanqu.accounts import policy

    _ask(user, policy.can_review(user, park, kind), "退回", reviewers_text(park, kind))
    if not reason.strip():
        raise StatusError("退回需填写原因（提交人将看到该原因）")
    year, month = _period_parts(period)
    s = _transition(
        kind=kind,
        park=park,
        year=year,
        month=month,
        user=user,
        to=DataStatus.RETURNED,
        allowed_from={DataStatus.SUBMITTED, DataStatus.REVIEWED},
        action="return",
        reason=reason.strip(),
    )
    submitters = _submitters(s)
    from yuanqu.imports.models import Reminder

    text = f"{_slice_label(kind, park, year, month)}已被退回：{reason.strip()}。请更正后重新提交。"
    Reminder.objects.bulk_create(
        [
            Reminder(
                user_id=uid,
                topic=Reminder.Topic.RETURN,
                park=park,
                kind=kind,
                year=year,
                month=month,
                message=text,
                sent_by=user if getattr(user, "pk", None) else None,
            )
            for uid in submitters
            if uid != getattr(user, "pk", None)
        ]
    )
    _audit(user, "return", s, park, reason=reason.strip(), notified=len(submitters))
    return s


def _submitters(s: DataSlice) -> list[int]:
    """Users who imported into the slice since its last review (or ever, if never reviewed)."""
    events = list(s.events.order_by("-created_at", "-id").values_list("action", "user_id"))
    users: list[int] = []
    for action, uid in events[1:]:  # the first is the return itself
        if action in ("review", "return"):
            break
        if action in ("import", "change_locked") and uid and uid not in users:
            users.append(uid)
    return users


def period_lock(*, user: Any, kind: str, park: Any, period: Any) -> DataSlice:
    """锁定: 已审核 → 已锁定 (changes then need the lock permission and a reason)."""
    from yuanqu.accounts import policy

    _ask(user, policy.can_lock(user, park, kind), "锁定", reviewers_text(park, kind, "锁定"))
    year, month = _period_parts(period)
    s = _transition(
        kind=kind,
        park=park,
        year=year,
        month=month,
        user=user,
        to=DataStatus.LOCKED,
        allowed_from={DataStatus.REVIEWED},
        action="lock",
    )
    _audit(user, "lock", s, park)
    return s


def period_unlock(*, user: Any, kind: str, park: Any, period: Any, reason: str) -> DataSlice:
    """解锁: 已锁定 → 已审核, with a reason kept in the history."""
    from yuanqu.accounts import policy

    _ask(user, policy.can_lock(user, park, kind), "解锁", reviewers_text(park, kind, "锁定"))
    if not reason.strip():
        raise StatusError("解锁需填写原因")
    year, month = _period_parts(period)
    s = _transition(
        kind=kind,
        park=park,
        year=year,
        month=month,
        user=user,
        to=DataStatus.REVIEWED,
        allowed_from={DataStatus.LOCKED},
        action="unlock",
        reason=reason.strip(),
    )
    _audit(user, "unlock", s, park, reason=reason.strip())
    return s


def period_remind(*, user: Any, park: Any, period: Any) -> tuple[int, int]:
    """催报: a notice to the users of each enterprise that has not reported the period (the
    报送率's missing list). Returns (enterprises missing, users notified)."""
    from yuanqu.accounts import policy
    from yuanqu.accounts.models import User
    from yuanqu.economy.selectors import reporting_rate
    from yuanqu.imports.models import Reminder

    kind = "enterprise-reports"
    area = policy.reviewer_area(kind) or "economy"
    if user is not None and getattr(user, "pk", None):
        policy.require_write(user, area, park, action="催报")
    rate = reporting_rate(park=park, period=period)
    ids = [m.pk for m in rate.missing]
    year, month = _period_parts(period)
    text = (
        f"请尽快报送 {year}年{month}月 的企业月度报表（{park.name}）。"
        f"{rate.sentence()}，贵企业尚未报送。"
    )
    sender = user if getattr(user, "pk", None) else None
    notices = [
        Reminder(
            user_id=uid,
            topic=Reminder.Topic.REMIND,
            park=park,
            enterprise_id=eid,
            kind=kind,
            year=year,
            month=month,
            message=text,
            sent_by=sender,
        )
        for uid, eid in User.objects.filter(enterprise_id__in=ids, is_active=True).values_list(
            "pk", "enterprise_id"
        )
    ]
    Reminder.objects.bulk_create(notices)
    from yuanqu.audit.services import audit_event

    audit_event(
        user=user,
        event="remind",
        park=park,
        detail={
            "kind": kind,
            "period": f"{year}-{month:02d}",
            "enterprises": [m.credit_code for m in rate.missing],
            "notified": len(notices),
        },
    )
    return len(ids), len(notices)
