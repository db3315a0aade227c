"""The audit log: who did what, when, to what, with before and after (issue 9, item 10).

Stored in django-auditlog's append-only `LogEntry` (one table, both databases), so model
changes it records by itself and the events written here sit in one searchable list. An
event that is not a plain model change (a login, an import carrying its change table, an
export, a report download, a review, a lock) is an ACCESS entry whose `additional_data`
holds the event name, the park and the details; the entry keeps the object's text, so it
outlives the object.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from yuanqu.accounts.models import AuthUser
    from yuanqu.imports.engine import Preview
    from yuanqu.registry.models import Park

log = logging.getLogger(__name__)
_SPOOL_LOCK = threading.Lock()

# Event names (additional_data["event"]) and their Chinese labels for the audit page.
EVENTS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "import": "导入",
    "export": "导出",
    "report_download": "下载报告",
    "review": "审核",
    "return": "退回",
    "lock": "锁定",
    "unlock": "解锁",
    "remind": "催报",
    "template_upload": "上传报告模板",
    "template_delete": "删除报告模板",
    "report_text": "修改报告文字",
    "report_version": "保存报告版本",
    "report_final": "报告定稿",
    "write": "修改",
    "token_create": "创建API令牌",
    "token_revoke": "吊销API令牌",
    "token_refused": "API令牌被拒绝",
}

# Field changes auditlog records by itself (registered models), by LogEntry.action.
MODEL_EVENTS = {"create": "新增", "update": "修改", "delete": "删除"}


def audit_event(
    *,
    user: AuthUser | None,
    event: str,
    target: models.Model | None = None,
    park: Park | None = None,
    detail: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> LogEntry:
    """Append one entry: `event` (a key of EVENTS), the object it concerns (its text is kept
    even after the object is deleted), the park, free details and, for writes, the changes
    as {field: [before, after]}. `user=None` (or an anonymous user): no actor — the operator,
    or a failed login."""
    actor = user if user is not None and user.is_authenticated and user.pk else None
    obj = target if target is not None else park
    if obj is None:
        obj = actor
    data = {"event": event, "park": getattr(park, "code", None) or None, **(detail or {})}
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj.__class__)
        object_pk, object_id, object_repr = str(obj.pk), _int_or_none(obj.pk), str(obj)[:500]
    else:
        content_type = ContentType.objects.get_for_model(LogEntry)
        object_pk, object_id, object_repr = "", None, data.get("username", "")
    return LogEntry.objects.create(
        content_type=content_type,
        object_pk=object_pk,
        object_id=object_id,
        object_repr=object_repr,
        action=LogEntry.Action.ACCESS,
        changes=changes or None,
        actor=actor,
        actor_email=(getattr(actor, "email", "") or None) if actor else None,
        remote_addr=remote_addr,
        changes_text=_summary(event, data),
        additional_data=data,
    )


def _spool_path() -> Path:
    return Path(settings.VAR_DIR) / "audit-spool.jsonl"


def audit_event_or_spool(
    *, user: AuthUser | None, event: str, park: Park | None = None, **kw: Any
) -> None:
    """`audit_event`, except that a database whose write lock is held (SQLite during a long
    import) does not fail the caller (a login): the entry is appended to a spool file after a
    one-second wait and written by the next `audit_spool_flush`, with its original time."""
    from yuanqu.core.middleware import LOGIN_WAIT_MS, is_database_busy, short_busy_timeout

    try:
        with short_busy_timeout(LOGIN_WAIT_MS):
            audit_spool_flush()
            audit_event(user=user, event=event, park=park, **kw)
    except OperationalError as exc:
        if not is_database_busy(exc):
            raise
        entry = {
            "user_id": getattr(user, "pk", None),
            "event": event,
            "park_id": getattr(park, "pk", None),
            "at": timezone.now().isoformat(),
            **{k: v for k, v in kw.items() if k in ("detail", "changes", "remote_addr")},
        }
        with _SPOOL_LOCK, _spool_path().open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        log.warning("database busy: audit entry %s spooled", event)


def audit_spool_flush() -> int:
    """Write the spooled entries (see `audit_event_or_spool`) into the log; returns how many.
    The file is renamed first, so entries spooled meanwhile go to a new file."""
    path = _spool_path()
    if not path.exists():
        return 0
    from yuanqu.accounts.models import User
    from yuanqu.registry.models import Park

    taken = path.with_suffix(f".{os.getpid()}.taking")
    with _SPOOL_LOCK:
        try:
            path.rename(taken)
        except FileNotFoundError:
            return 0
    lines = taken.read_text(encoding="utf-8").splitlines()
    with transaction.atomic():
        for line in lines:
            e = json.loads(line)
            entry = audit_event(
                user=User.objects.filter(pk=e.get("user_id")).first(),
                event=e["event"],
                park=Park.objects.filter(pk=e.get("park_id")).first(),
                detail={**(e.get("detail") or {}), "spooled": True},
                changes=e.get("changes"),
                remote_addr=e.get("remote_addr"),
            )
            LogEntry.objects.filter(pk=entry.pk).update(timestamp=e["at"])
    taken.unlink()
    return len(lines)


def _summary(event: str, data: dict[str, Any]) -> str:
    """A line of plain text for the page's search box (JSON keeps Chinese escaped on SQLite,
    so the searchable words are written here as well)."""
    parts = [EVENTS.get(event, event)]
    for key in (
        "username",
        "owner",
        "token",
        "file",
        "kind",
        "kind_label",
        "period",
        "title",
        "format",
        "status",
    ):
        value = data.get(key)
        if value:
            parts.append(str(value))
    return " ".join(parts)[:1000]


def client_addr(request: HttpRequest | None) -> str | None:
    """The client's address as the web server saw it (None outside a request)."""
    meta = getattr(request, "META", None) or {}
    addr: str | None = meta.get("REMOTE_ADDR") or None
    return addr


def audit_request(
    request: HttpRequest,
    *,
    event: str,
    park: Park | None = None,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> LogEntry:
    """`audit_event` for a request: its user and address. One line at an export or a report
    download."""
    if park is None:
        park = _park_from_request(request)
    return audit_event(
        user=getattr(request, "user", None),
        event=event,
        target=target,
        park=park,
        detail={"path": getattr(request, "path", ""), **(detail or {})},
        remote_addr=client_addr(request),
    )


def _park_from_request(request: HttpRequest) -> Park | None:
    from yuanqu.registry.models import Park

    get = getattr(request, "GET", {})
    code = get.get("park") if hasattr(get, "get") else None
    if code:
        return Park.objects.filter(code=code).first()
    user = getattr(request, "user", None)
    return getattr(user, "park", None) if getattr(user, "is_authenticated", False) else None


def audit_import(
    *, user: AuthUser | None, preview: Preview, park: Park | None = None, source: str = "web"
) -> LogEntry | None:
    """ONE entry per import that tried to write (a preview writes nothing and is not logged
    here; the import log keeps it): the file, kind, park, period, result, the counts of new /
    changed / unchanged / deleted rows and the change table — the first rows of each action
    with before → after, as the preview showed them."""
    if getattr(preview, "dry_run", False):
        return None
    from yuanqu.imports.models import ImportRecord

    record = (
        ImportRecord.objects.filter(pk=preview.record_id).select_related("park").first()
        if preview.record_id is not None
        else None
    )
    if park is None and record is not None:
        park = record.park
    status = (
        "committed" if preview.committed else ("failed" if preview.total_errors else "unchanged")
    )
    return audit_event(
        user=user,
        event="import",
        target=record,
        park=park,
        detail={
            "source": source,
            "file": preview.file_name,
            "sha256": preview.sha256,
            "kind": preview.kind,
            "period": record.period if record is not None else "",
            "mode": record.mode if record is not None else "",
            "status": status,
            "counts": {
                "rows": preview.rows_read,
                "new": preview.new,
                "changed": preview.changed,
                "unchanged": preview.unchanged,
                "deleted": preview.deleted,
                "errors": preview.total_errors,
                "warnings": preview.total_warnings,
            },
            "slices": list(preview.slices)[:200],
            "sample": preview.sample,
        },
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
