"""What a supervision rule returns: causes (DECISIONS.md, "Automatic supervision tasks").

A rule is "module.path:function(park, date) -> iterable of causes" (`core.modules.
SupervisionRule`). A cause is a `Cause`, or any object or dict with at least `key` (stable for
as long as the cause lasts: "project-12", not a date or a count) and `title`; `url`, `ref`
(the object it is about, as text), `content`, `department` (a `registry.Department` or its
code in the park) and `enterprise` (the `registry.Enterprise` it concerns, or its id: the task
is then shown on that enterprise's page) are optional. One open task per (park, rule, key).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cause:
    key: str
    title: str
    url: str = ""
    ref: str = ""
    content: str = ""
    department: Any = None  # a registry.Department, its code, or None
    enterprise: Any = None  # a registry.Enterprise, its id, or None


def as_cause(obj: Any) -> Cause:
    """A `Cause` from what a rule yielded (a Cause, a dict, or an object with the attributes)."""
    if isinstance(obj, Cause):
        return obj

    def get(name: str, default: Any = "") -> Any:
        if isinstance(obj, dict):
            return obj.get(name, default)
        return getattr(obj, name, default)

    key, title = str(get("key") or "").strip(), str(get("title") or "").strip()
    if not key or not title:
        raise ValueError(f"督办规则返回的原因缺少 key 或 title：{obj!r}")
    ref = get("ref", "") or get("object", "") or ""
    return Cause(
        key=key[:128],
        title=title[:200],
        url=str(get("url", "") or "")[:300],
        ref=str(ref)[:200],
        content=str(get("content", "") or ""),
        department=get("department", None),
        enterprise=get("enterprise", None),
    )
