"""History entries attached to a parent record: the two shapes the modules keep.

- `LogEntry`: an action on a case (a 诉求's reply or 交办, a 督办事项's progress or 销号) — what
  was done (`kind`), on which day, by whom, the words, and the case's status after it. Entries
  are only added, never changed: the case's full trail (service_requests.RequestEvent,
  supervision.TaskUpdate).
- `StepEntry`: the date a record reached a step of its lifecycle (a 招商 lead's stage, a
  parcel's 环节) with a note; one entry per step, a second write corrects its date, and the
  record's own step is its furthest entry (investment.LeadEvent, land.ParcelEvent).

The two share no column, so they are two bases rather than one: each concrete model keeps its
own foreign key to the parent (named by `parent_field`), its step or kind field with its own
choices, its Meta (verbose names, ordering, constraints) and so its table and columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import models


class LogEntry(models.Model):
    """An action on a case; a subclass adds the case's foreign key (`parent_field`) and
    redeclares `kind` with its choices."""

    parent_field: ClassVar[str]

    kind = models.CharField("类型", max_length=16)
    text = models.TextField("内容", blank=True)
    status = models.CharField("变更后状态", max_length=16, blank=True)
    on = models.DateField("日期")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"  # type: ignore[attr-defined]


class StepEntry(models.Model):
    """The date a record reached a step; a subclass adds the record's foreign key
    (`parent_field`) and its step field (`step_field`, with the lifecycle's choices)."""

    parent_field: ClassVar[str]
    step_field: ClassVar[str]

    date = models.DateField("日期")
    note = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        step = getattr(self, f"get_{self.step_field}_display")()
        return f"{getattr(self, self.parent_field)} {step} {self.date}"


L = TypeVar("L", bound=LogEntry)
S = TypeVar("S", bound=StepEntry)


def log_entry_add(
    model: type[L],
    parent: Any,
    kind: str,
    on: dt.date,
    *,
    text: str = "",
    user: Any = None,
    **extra: Any,
) -> L:
    """Add an entry to a case's trail, with the case's status as it is now (call it after the
    change). An anonymous or system actor (a command, the reminders) is kept as no user."""
    return model._default_manager.create(
        **{model.parent_field: parent},
        kind=kind,
        on=on,
        text=text,
        status=parent.status,
        user=user if getattr(user, "pk", None) else None,
        **extra,
    )


def step_entry_set(
    model: type[S], parent: models.Model, step: str, date: dt.date, note: str = ""
) -> S:
    """The record reached `step` on `date`: one entry per step, a second call corrects it."""
    key: dict[str, Any] = {model.parent_field: parent, model.step_field: step}
    entry, _ = model._default_manager.update_or_create(defaults={"date": date, "note": note}, **key)
    return entry


def furthest_step(steps: Iterable[str], order: tuple[str, ...]) -> str:
    """The furthest of `steps` in lifecycle `order` (steps outside the order, such as 终止,
    are the caller's to weigh); the first step when none is reached."""
    forward = [s for s in steps if s in order]
    return max(forward, key=order.index) if forward else order[0]
