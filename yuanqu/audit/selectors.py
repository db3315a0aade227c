"""Reads of the audit log, scoped by `policy.can_view_audit`: administrators see every entry,
park leaders and park administrators the entries stamped with their park."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import timezone

from yuanqu.accounts.models import AuthUser
from yuanqu.accounts.scopes import is_global
from yuanqu.audit.services import EVENTS, MODEL_EVENTS
from yuanqu.core.templatetags.yuanqu import amount

_ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}


class FilterError(ValueError):
    """A filter value the page cannot use; the message is Chinese."""


@dataclass
class AuditFilters:
    user: str = ""
    event: str = ""
    park: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, get: Mapping[str, str]) -> AuditFilters:
        """Read the page's filters; a bad value becomes a message, never an exception."""
        f = cls(
            user=(get.get("user") or "").strip()[:150],
            event=(get.get("event") or "").strip(),
            park=(get.get("park") or "").strip()[:32],
            text=(get.get("q") or "").strip()[:200],
        )
        if f.event and f.event not in EVENTS and f.event not in MODEL_EVENTS:
            f.errors.append(f"未知的事件类型“{f.event}”，已忽略")
            f.event = ""
        for name, label in (("date_from", "开始日期"), ("date_to", "结束日期")):
            raw = (get.get(name) or "").strip()
            if not raw:
                continue
            try:
                setattr(f, name, dt.date.fromisoformat(raw))
            except ValueError:
                f.errors.append(f"{label}“{raw[:20]}”不是日期（格式如 2023-12-31），已忽略")
        return f

    def query(self) -> dict[str, str]:
        data = {
            "user": self.user,
            "event": self.event,
            "park": self.park,
            "q": self.text,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in data.items() if v}


def audit_park_codes_for(*, user: AuthUser) -> list[str] | None:
    """Park codes whose entries the user may read; None means every entry (administrators)."""
    if is_global(user):
        return None
    if not user.is_authenticated or user.park is None:
        return []
    return [user.park.code]


def audit_entries_for(*, user: AuthUser, filters: AuditFilters) -> QuerySet[LogEntry]:
    """The entries the user may read that match the filters, newest first."""
    qs: QuerySet[LogEntry] = LogEntry.objects.select_related("actor", "content_type").order_by(
        "-timestamp", "-id"
    )
    codes = audit_park_codes_for(user=user)
    if codes is not None:
        qs = qs.filter(additional_data__park__in=codes)
    if filters.park:
        qs = qs.filter(additional_data__park=filters.park)
    if filters.user:
        qs = qs.filter(
            Q(actor__username=filters.user)
            | Q(actor__display_name=filters.user)
            | Q(additional_data__username=filters.user)
        )
    if filters.event in _ACTIONS:
        qs = qs.filter(action=_ACTIONS[filters.event])
    elif filters.event:
        qs = qs.filter(action=LogEntry.Action.ACCESS, additional_data__event=filters.event)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        qs = qs.filter(timestamp__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(timestamp__lt=end)
    if filters.text:
        t = filters.text
        qs = qs.filter(
            Q(object_repr__icontains=t)
            | Q(changes_text__icontains=t)
            | Q(actor__username__icontains=t)
            | Q(actor__display_name__icontains=t)
            | Q(remote_addr__icontains=t)
        )
    return qs


def event_key(entry: LogEntry) -> str:
    if entry.action == LogEntry.Action.ACCESS:
        return str((entry.additional_data or {}).get("event") or "access")
    return {v: k for k, v in _ACTIONS.items()}.get(entry.action, "update")


def event_label(entry: LogEntry) -> str:
    key = event_key(entry)
    return EVENTS.get(key) or MODEL_EVENTS.get(key) or "访问"


def entry_user(entry: LogEntry) -> str:
    if entry.actor_id:
        actor = entry.actor
        name = getattr(actor, "display_name", "") or ""
        return f"{actor.username}（{name}）" if name and name != actor.username else actor.username
    typed = (entry.additional_data or {}).get("username")
    if typed:
        return f"{typed}（未登录）"
    return entry.actor_email or "命令行/系统"


def entry_object(entry: LogEntry) -> str:
    if entry.content_type_id and entry.content_type.model_class() is LogEntry:
        return ""
    model = entry.content_type.model_class() if entry.content_type_id else None
    label = str(model._meta.verbose_name) if model is not None else ""
    return f"{label}：{entry.object_repr}" if label else entry.object_repr


def entry_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows: a model change's fields, or an event's changes."""
    rows: list[tuple[str, str, str]] = []
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    model = entry.content_type.model_class() if entry.content_type_id else None
    for name, value in changes.items():
        label, field = name, None
        if model is not None:
            try:
                field = model._meta.get_field(name)
                label = str(getattr(field, "verbose_name", name))
            except Exception:
                field = None
        if isinstance(value, (list, tuple)) and len(value) == 2:
            before, after = _shown(field, value[0]), _shown(field, value[1])
            if before == after == "—":
                continue  # an empty field of a new object says nothing
            rows.append((label, before, after))
        elif isinstance(value, dict):  # m2m: {"type": "add", "objects": [...]}
            objs = "、".join(str(o) for o in value.get("objects", []))
            verb = {"add": "添加", "delete": "移除"}.get(str(value.get("type")), "变更")
            rows.append((label, "", f"{verb} {objs}"))
        else:
            rows.append((label, "", _text(value)))
    return rows


_DECIMAL = re.compile(r"^-?\d+\.\d*0$")


def _shown(field: Any, value: Any) -> str:
    """A logged value as the page shows it: a choice by its Chinese label, a flag as 是/否,
    empty text as —."""
    if value in ("", "[]"):
        return "—"
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and str(value) in {str(k) for k in choices}:
        return str({str(k): v for k, v in choices.items()}[str(value)])
    if value in ("True", "False", True, False) and getattr(field, "get_internal_type", None):
        if field.get_internal_type() == "BooleanField":
            return "是" if value in ("True", True) else "否"
    return _text(value)


def _text(value: Any) -> str:
    if value is None or value == "None":
        return "—"
    text = str(value)
    if _DECIMAL.match(text):  # a DecimalField's "150.6000" as people write it: 150.6
        return amount(text)
    return text


_DETAIL_LABELS = {
    "file": "文件",
    "kind": "数据类型",
    "period": "报告期",
    "mode": "方式",
    "status": "结果",
    "title": "标题",
    "format": "格式",
    "template": "模板",
    "source": "来源",
    "path": "地址",
    "username": "输入的用户名",
    "reason": "原因",
    # API tokens (accounts.tokens): whose token, which one, until when
    "owner": "所属用户",
    "token": "令牌",
    "expires_at": "有效期至",
}
_STATUS = {"committed": "已导入", "failed": "有错误，未导入", "unchanged": "无变化"}
_SOURCES = {"web": "网页", "cli": "命令行"}
_ACTIONS_ZH = {"new": "新增", "changed": "变更", "deleted": "删除"}


def entry_details(entry: LogEntry) -> list[tuple[str, str]]:
    """The event's details as (label, text), in Chinese."""
    data = dict(entry.additional_data or {})
    out: list[tuple[str, str]] = []
    for key, label in _DETAIL_LABELS.items():
        value = data.get(key)
        if value in (None, ""):
            continue
        if key == "status":
            value = _STATUS.get(str(value), value)
        if key == "source":
            value = _SOURCES.get(str(value), value)
        if key == "mode":
            value = {"replace": "替换", "merge": "合并"}.get(str(value), value)
        out.append((label, str(value)))
    counts = data.get("counts")
    if isinstance(counts, dict):
        out.append(
            (
                "变更",
                f"读取{counts.get('rows', 0)}行：新增{counts.get('new', 0)}、"
                f"变更{counts.get('changed', 0)}、不变{counts.get('unchanged', 0)}、"
                f"删除{counts.get('deleted', 0)}；错误{counts.get('errors', 0)}、"
                f"警告{counts.get('warnings', 0)}",
            )
        )
    return out


def entry_sample(entry: LogEntry) -> list[dict[str, Any]]:
    """An import's change table (the first rows of each action, before → after)."""
    sample = (entry.additional_data or {}).get("sample") or []
    rows = []
    for s in sample if isinstance(sample, list) else []:
        if not isinstance(s, dict):
            continue
        rows.append(
            {
                "action": _ACTIONS_ZH.get(str(s.get("action")), str(s.get("action"))),
                "row": s.get("row"),
                "label": s.get("label", ""),
                "changes": [
                    (c[0], _text(c[1]) if c[1] != "" else "—", _text(c[2]) if c[2] != "" else "—")
                    for c in s.get("changes", [])
                    if isinstance(c, (list, tuple)) and len(c) == 3
                ],
            }
        )
    return rows
