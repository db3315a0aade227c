"""企业诉求's supervision rule (declared in module.py, `supervision_rules=`): a request past its
due date and still open raises one 督办 task; it is closed when the request is closed (or
returned)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from yuanqu.registry.models import Park
from yuanqu.service_requests import selectors
from yuanqu.supervision.causes import Cause


def overdue_requests(park: Park, date: dt.date) -> Iterator[Cause]:
    for r in selectors.overdue_requests(park=park, at=date):
        yield Cause(
            key=f"request-{r.pk}",
            title=f"企业诉求逾期未办结：{r.enterprise.name}“{r.title}”",
            url=reverse("service_requests:detail", args=[r.pk]),
            ref=f"企业诉求 {r.code}",
            content=f"{r.category.name}类诉求，{r.received_on:%Y-%m-%d}受理，"
            f"办理时限{r.due_on:%Y-%m-%d}，至今未办结。",
            department=r.department,
            enterprise=r.enterprise,
        )
