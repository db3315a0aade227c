"""The background import task: a large web upload previewed or committed by a worker.

Enqueued by `services.web_import_start` with the import record it fills in (处理中, with the
stored file, the kind, park, period, mode and user). Idempotent: the run first claims the
record in a short transaction (`services.import_claim`) and does nothing once the record is no
longer 处理中 — a commit that already finished is never imported again, whichever worker runs
the task a second time (after its first worker died, `yuanqu tasks recover`). The engine
writes only while the run still holds its claim, so two runs of one task never both write.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from django_tasks import task

from yuanqu.jobs.signals import task_abandoned, task_requeued

logger = logging.getLogger(__name__)


@task()
def import_upload(
    *, record_id: int, reason: str = "", allow_deletions: bool = False
) -> dict[str, Any]:
    """Preview or commit the stored upload of import record `record_id`."""
    from yuanqu.imports import services

    return services.import_run_task(
        record_id=record_id, reason=reason, allow_deletions=allow_deletions
    )


# Senders are task paths (strings): compared here, since a signal's `sender=` filter matches
# by identity.
@receiver(task_requeued)
def _requeued(sender: str, task_result: Any, **kwargs: Any) -> None:
    from yuanqu.imports import services

    if sender != import_upload.module_path:
        return
    services.import_requeued(record_id=task_result.kwargs.get("record_id"))


@receiver(task_abandoned)
def _abandoned(sender: str, task_result: Any, **kwargs: Any) -> None:
    from yuanqu.imports import services

    if sender != import_upload.module_path:
        return
    services.import_abandoned(record_id=task_result.kwargs.get("record_id"))
