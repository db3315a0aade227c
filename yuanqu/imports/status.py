"""Data status per (kind, park, period): 已提交 → 已审核 → 已锁定 (DECISIONS.md).

Importing into a slice sets it to 已审核 (operator CLI) or 已提交 (web uploads by enterprise
and department users, or `--submit-only`). A locked slice can only be changed with a reason,
which is kept in its history; it stays locked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

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


def locked_change(*, user: Any, reason: str, dry_run: bool, what: str) -> tuple[str, str] | None:
    """May this import change a locked slice (`what`, e.g. "园区X 2022-09 的企业报表")?

    None when it may (the operator's CLI, an administrator or a user who may lock, with a
    reason); otherwise (level, Chinese message): a warning on a preview that only lacks the
    reason, an error when the user may not change locked data or the commit has no reason.
    """
    may = user is None or not getattr(user, "pk", None) or _may_lock(user)
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


def _may_lock(user: Any) -> bool:
    from yuanqu.accounts.scopes import is_global

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
        label = f"{park.name} {year}-{month:02d}（{kind}）"
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
        return s


ACTION_LABELS = {"review": "审核", "lock": "锁定", "unlock": "解锁", "reject": "退回"}


def slice_review(*, kind: str, park: Any, year: int, month: int, user: Any = None) -> DataSlice:
    return _transition(
        kind=kind,
        park=park,
        year=year,
        month=month,
        user=user,
        to=DataStatus.REVIEWED,
        allowed_from={DataStatus.SUBMITTED},
        action="review",
    )


def slice_lock(*, kind: str, park: Any, year: int, month: int, user: Any = None) -> DataSlice:
    return _transition(
        kind=kind,
        park=park,
        year=year,
        month=month,
        user=user,
        to=DataStatus.LOCKED,
        allowed_from={DataStatus.REVIEWED},
        action="lock",
    )


def slice_unlock(
    *, kind: str, park: Any, year: int, month: int, reason: str, user: Any = None
) -> DataSlice:
    if not reason.strip():
        raise StatusError("解锁需填写原因")
    return _transition(
        kind=kind,
        park=park,
        year=year,
        month=month,
        user=user,
        to=DataStatus.REVIEWED,
        allowed_from={DataStatus.LOCKED},
        action="unlock",
        reason=reason,
    )
