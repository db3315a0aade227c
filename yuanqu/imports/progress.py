"""Progress of a background import, kept on its ImportRecord (`progress_*` fields).

In the database, so every app server's page sees it: the task running the import
(`yuanqu.imports.tasks`) writes it in short transactions of its own while the file is read,
checked and staged — possible because no write transaction is open then (`imports.engine`) —
and marks 写入中 just before the one short write transaction. A one-pass import (PostgreSQL)
reads inside its transaction: its reports go through a connection of their own. `progress_at` doubles as the
job's sign of life; the worker's heartbeat (`yuanqu.jobs`) is what recovery goes by.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypedDict, TypeVar

from django.db import connections
from django.utils import timezone

from yuanqu.imports.engine import in_one_pass
from yuanqu.imports.models import ImportRecord, ProgressStage

T = TypeVar("T")

# The import task writes progress at most this often (the engine reports every 1,000 rows).
WRITE_EVERY_SECONDS = 1.0
# A record 处理中 whose job has shown no sign of life for this long is shown as interrupted.
# The engine reports every 1,000 rows and a write transaction lasts seconds, so ten minutes of
# silence means the worker died and the task was given up (`yuanqu tasks recover` runs a task
# again long before that).
STALE_AFTER = timedelta(minutes=10)


class Progress(TypedDict):
    rows: int
    estimate: int | None
    stage: str
    stage_label: str
    at: datetime | None


def stage_label(record: ImportRecord) -> str:
    """排队中 / 预览 / 导入 / 写入中 — what the page calls the job's current stage."""
    if record.progress_stage == ProgressStage.QUEUED:
        return "排队中"
    if record.progress_stage == ProgressStage.WRITING:
        return "写入中"
    return "预览" if record.dry_run else "导入"


def read(record: ImportRecord) -> Progress:
    return Progress(
        rows=record.progress_rows,
        estimate=record.progress_estimate,
        stage=record.progress_stage,
        stage_label=stage_label(record),
        at=record.progress_at,
    )


class Reporter:
    """The engine's `progress(rows, estimate)` and `on_phase(name)` for one run of an import:
    written on the record, only while the run still owns it (`attempt`), at most every
    WRITE_EVERY_SECONDS (the last report, every row read, always)."""

    def __init__(self, record_id: int, attempt: str) -> None:
        self.record_id = record_id
        self.attempt = attempt
        self._last = 0.0

    def _update(self, **fields: object) -> int:
        return ImportRecord.objects.filter(
            pk=self.record_id, attempt=self.attempt, status=ImportRecord.Status.RUNNING
        ).update(progress_at=timezone.now(), **fields)

    def _write(self, **fields: object) -> None:
        # A one-pass import (PostgreSQL) reads inside its write transaction, which would hide
        # this write from every page until the commit: written through a connection of its
        # own. Should that connection not see the record (everything inside one outer
        # transaction, as in a test), written on the import's own connection after all.
        if in_one_pass() and in_own_connection(lambda: self._update(**fields)):
            return
        self._update(**fields)

    def __call__(self, rows: int, estimate: int | None) -> None:
        now = time.monotonic()
        if estimate != rows and now - self._last < WRITE_EVERY_SECONDS:
            return
        self._last = now
        self._write(progress_rows=rows, progress_estimate=estimate)

    def phase(self, name: str) -> None:
        if name == "writing":
            self._write(progress_stage=ProgressStage.WRITING)


def in_own_connection(work: Callable[[], T]) -> T:
    """Run `work` on a database connection of its own (a short-lived thread: Django's
    connections are per thread), committed at once; returns what `work` returns."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="yuanqu-import-progress")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


def last_seen(record: ImportRecord) -> datetime:
    """The job's last sign of life: its last progress report or the record's last save."""
    seen = [record.updated_at or record.created_at]
    if record.progress_at is not None:
        seen.append(record.progress_at)
    return max(seen)


def is_interrupted(record: ImportRecord, *, now: datetime | None = None) -> bool:
    """A record still 处理中 (not waiting in the queue) whose job has shown no sign of life for
    STALE_AFTER: its worker died and the task was given up. Nothing of it was written (the
    engine writes in one transaction). Shown only; the record itself is left as it is."""
    if record.status != ImportRecord.Status.RUNNING:
        return False
    if record.progress_stage == ProgressStage.QUEUED:
        return False
    return (now or timezone.now()) - last_seen(record) > STALE_AFTER
