"""The data version: what a cache of computed pages is keyed on.

Every write to the platform's data raises one counter (`DataVersion`) inside its own
transaction: single-row saves and deletes of the data apps' models (a signal), every import (the
engine's write transaction), every summary notification (imports, review, lock, registry) and
summary rebuilds.

Why that is safe: a reader takes the version *before* it reads the data it caches. Until the
writer commits, readers see the old version and the old data; a reader that took the old
version and then read data committed meanwhile caches newer content under an obsolete key —
never older content under a current one. On PostgreSQL the counter's row is locked by the
writer until it commits, so concurrent writes queue there for their last moments (imports write
in one short transaction; see imports.engine._commit).
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import F

# Apps whose models are not the platform's data: who may log in, the audit trail.
NOT_DATA = {"accounts", "audit"}
# Bookkeeping that changes no figure: an import's progress (saved every few thousand rows
# while it is read; its rows are written in the engine's transaction, which raises the
# version), reminders, the counter itself, the demo's load log.
NOT_DATA_MODELS = {
    "core.DataVersion",
    "imports.ImportRecord",
    "imports.Reminder",
    "demo.DemoLoad",
    "supervision.Notification",
    "supervision.DigestSent",
}


def current() -> int:
    """The version now (read it before reading the data a cache entry is computed from)."""
    from yuanqu.core.models import DataVersion

    value = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(value or 0)


def changed() -> None:
    """Data changed: raise the version (inside the writer's transaction)."""
    from yuanqu.core.models import DataVersion

    try:
        with transaction.atomic():
            if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
                DataVersion.objects.create(pk=1, version=1)
    except DatabaseError:
        # Only while migrating a new database (the table comes with core's migrations):
        # nothing is cached yet that could go stale.
        pass


def is_data_model(sender: Any) -> bool:
    opts = getattr(sender, "_meta", None)
    if opts is None or opts.label in NOT_DATA_MODELS:
        return False
    return str(getattr(sender, "__module__", "")).startswith("yuanqu.") and (
        opts.app_label not in NOT_DATA
    )


def on_write(sender: Any, **kwargs: Any) -> None:
    if is_data_model(sender):
        changed()
