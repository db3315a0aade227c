"""Progress of a background web import, kept in Django's cache.

Not in the database: a commit runs inside one long transaction, so anything it wrote there
(rows read so far included) stays invisible to the page that polls until the very end. The
cache is file-based (settings.CACHES) so every worker process serving the poll sees it.

Each entry doubles as the job's heartbeat: `at` is refreshed every 1,000 rows, and a record
still 处理中 with no sign of life for `STALE_AFTER` is shown as interrupted.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Literal, TypedDict

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from yuanqu.imports.models import ImportRecord

Stage = Literal["preview", "commit"]
STAGE_LABELS: dict[str, str] = {"preview": "预览", "commit": "导入"}
# The engine reports every 1,000 rows; only the work after the last row (planning, the final
# writes) is silent, and a whole 470,000-row import took under five minutes (BENCHMARKS.md).
# Ten minutes without a sign of life means the process that ran the job has ended.
STALE_AFTER = timedelta(minutes=10)
# Long enough to outlive any import; short enough that entries of killed jobs go away.
TIMEOUT_SECONDS = 6 * 3600


class Progress(TypedDict):
    rows: int
    estimate: int | None
    stage: str
    stage_label: str
    at: datetime


def key(record: ImportRecord) -> str:
    """Cache key of one record's progress, unique per database and per record.

    The cache directory (VAR_DIR/cache) outlives the database and is shared by everything
    using the same VAR_DIR: a SQLite and a PostgreSQL instance, a re-created demo database,
    parallel test workers. Ids repeat across those, so the key also holds the database name
    and the record's creation time (microseconds).
    """
    created = record.created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    raw = f"{connection.settings_dict['NAME']}|{record.pk}|{created}"
    return "yuanqu:import-progress:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def report(record: ImportRecord, *, rows: int, estimate: int | None, stage: Stage) -> None:
    """Store how far the job got; `estimate` is the approximate number of data rows, if known."""
    value = {"rows": rows, "estimate": estimate, "stage": stage, "at": timezone.now()}
    cache.set(key(record), value, timeout=TIMEOUT_SECONDS)


def read(record: ImportRecord) -> Progress | None:
    value = cache.get(key(record))
    if not value:
        return None
    return Progress(
        rows=int(value["rows"]),
        estimate=value["estimate"],
        stage=value["stage"],
        stage_label=STAGE_LABELS.get(value["stage"], value["stage"]),
        at=value["at"],
    )


def clear(record: ImportRecord) -> None:
    cache.delete(key(record))


def last_seen(record: ImportRecord, current: Progress | None = None) -> datetime:
    """The job's last sign of life: its last progress report or the record's last save."""
    seen = [record.updated_at or record.created_at]
    if current is not None:
        seen.append(current["at"])
    return max(seen)


def is_interrupted(
    record: ImportRecord, current: Progress | None = None, *, now: datetime | None = None
) -> bool:
    """A record still 处理中 whose job has shown no sign of life for STALE_AFTER.

    Its process ended (server restarted, killed): the engine commits in one transaction, so
    nothing of it was written. Shown only; the record itself is left as it is.
    """
    if record.status != ImportRecord.Status.RUNNING:
        return False
    return (now or timezone.now()) - last_seen(record, current) > STALE_AFTER
