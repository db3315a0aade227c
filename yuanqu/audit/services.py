"""The audit log: who did what, when, to what, with before and after (issue 9, item 10).

Stored in django-auditlog's append-only `LogEntry` (one table, both databases), so model
changes it records by itself and the events written here sit in one searchable list. An
event that is not a plain model change (a login, an import carrying its change table, an
export, a report download, a review, a lock) is an ACCESS entry whose `additional_data`
holds the event name, the park and the details; the entry keeps the object's text, so it
outlives the object.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

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
    "write": "修改",
}


def audit_event(
    *,
    user: Any,
    event: str,
    target: models.Model | None = None,
    park: Any = None,
    detail: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> LogEntry:
    """Append one entry: `event` (a key of EVENTS), the object it concerns (its text is kept
    even after the object is deleted), the park, free details and, for writes, the changes
    as {field: [before, after]}."""
    actor = user if getattr(user, "pk", None) else None
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
        remote_addr=remote_addr,
        additional_data=data,
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
