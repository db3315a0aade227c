"""督查督办 figures as strings, one shape for the CLI, the API, the pages and the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yuanqu.registry.models import Park
from yuanqu.service_requests.presenters import pct
from yuanqu.supervision import formulas, selectors
from yuanqu.supervision.models import SupervisionTask


def stats_json(s: selectors.DepartmentStats, *, exact: bool = False) -> dict[str, Any]:
    return {
        "key": s.key,
        "name": s.label,
        "due": str(s.due),
        "on_time": str(s.on_time),
        "late": str(s.late),
        "done_late": str(s.done_late),
        "open": str(s.open),
        "overdue": str(s.overdue),
        "on_time_rate_pct": pct(s.on_time_rate, exact),
        "lights": {k: str(v) for k, v in s.lights.items()},
    }


def metrics_json(
    *, park: Park, start: dt.date, end: dt.date, at: dt.date | None = None, exact: bool = False
) -> dict[str, Any]:
    m = selectors.task_metrics(park=park, start=start, end=end, at=at)
    return {
        **stats_json(m.total, exact=exact),
        "at": m.at.isoformat(),
        "by_department": [stats_json(s, exact=exact) for s in m.by_department],
    }


def task_json(
    t: SupervisionTask, *, light: str | None = None, at: dt.date | None = None
) -> dict[str, Any]:
    return {
        "id": t.pk,
        "code": t.code,
        "source": t.get_source_display(),
        "title": t.title,
        "department": t.department.name if t.department else "",
        "enterprise": t.enterprise.name if t.enterprise else "",
        "enterprise_credit_code": t.enterprise.credit_code if t.enterprise else "",
        "person": t.person,
        "leader": t.leader,
        "assigned_on": t.assigned_on.isoformat(),
        "deadline": t.deadline.isoformat(),
        "status": t.get_status_display(),
        "done_on": t.done_on.isoformat() if t.done_on else None,
        "light": light,
        "light_name": formulas.LIGHTS.get(light or "", None),
        "automatic": bool(t.rule_key),
        "cause": t.cause_ref,
        "cause_url": t.cause_url,
        "at": at.isoformat() if at else None,
    }
