"""Web uploads: store the file, preview it, then commit the same file on confirmation.

Files larger than settings.YUANQU_IMPORT_BACKGROUND_BYTES are previewed and committed in a
background thread of the serving process (`web_import_start`); the page follows the job through
`yuanqu.imports.progress`.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, transaction
from django.utils import timezone

from yuanqu.accounts.models import Role, User
from yuanqu.audit.services import audit_import
from yuanqu.imports import progress as job_progress
from yuanqu.imports.engine import Preview, run_import
from yuanqu.imports.models import ImportRecord

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv"}


class UploadRefused(ValueError):
    """An upload refused before reading (size, type); the message is Chinese."""


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(upload: UploadedFile[bytes]) -> Path:
    """Save an uploaded file under MEDIA_ROOT/imports/<random>/ and return its path."""
    name = Path(upload.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused(
            f"不支持的文件类型“{suffix or name}”：请上传 .xlsx、.xls、.et、.ods 或 .csv 文件"
        )
    if upload.size and upload.size > settings.YUANQU_IMPORT_MAX_BYTES:
        limit_mb = settings.YUANQU_IMPORT_MAX_BYTES // (1024 * 1024)
        raise UploadRefused(f"文件超过 {limit_mb} MB 上限：请拆分后上传")
    folder = upload_dir() / uuid.uuid4().hex
    folder.mkdir()
    path = folder / name
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


def import_authorize(*, user: User | None, kind: str, park: Any) -> None:
    """May this user import this kind into this park? Raises policy.Denied (403, naming who
    may) otherwise. The operator's CLI (no user) may do everything.

    Each kind declares its write area (`Importer.write_area`); enterprise users may only
    submit their own enterprise's monthly reports (merge, never replacing reviewed rows).
    """
    from yuanqu.accounts import policy
    from yuanqu.accounts.scopes import is_global
    from yuanqu.imports.engine import get_importer

    if user is None or not getattr(user, "pk", None):
        return
    cls = get_importer(kind)
    if policy.is_submit_only(user):
        if kind != "enterprise-reports" or not policy.can_submit_own(user, user.enterprise):
            raise policy.Denied(
                f"企业用户只能报送本企业的月度报表，不能导入“{cls.label}”；"
                f"请联系{policy.writers_label('economy', getattr(user.enterprise, 'park', None))}"
            )
        return
    if is_global(user):
        return
    if cls.write_area is None:
        raise policy.Denied(f"无权导入{cls.label}：只有系统管理员可以导入{cls.label}")
    policy.require_write(user, cls.write_area, park or user.park, action=f"导入{cls.label}")


def submit_only_for(user: User) -> bool:
    """Web uploads by enterprise and department users land as 已提交 (DECISIONS.md)."""
    return user.role in {Role.ENTERPRISE, Role.DEPARTMENT}


def _for_user(user: User, kind: str | None, mode: str) -> tuple[str | None, str]:
    if user.role == Role.ENTERPRISE:
        # An enterprise's own submission always merges and only touches its own rows.
        return "enterprise-reports", "merge"
    return kind, mode


def web_import(
    *,
    user: User,
    path: Path,
    kind: str | None,
    park: Any,
    period: Any,
    mode: str,
    dry_run: bool,
    reason: str = "",
    allow_deletions: bool = False,
    record: ImportRecord | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> Preview:
    """Preview or commit one stored upload, in the calling thread.

    `record` (an ImportRecord the engine fills in and saves) and `progress(rows, estimate)`
    are passed through to the engine.
    """
    kind, mode = _for_user(user, kind, mode)
    preview = run_import(
        path,
        kind=kind,
        user=user,
        park=park,
        period=period,
        mode=mode,
        dry_run=dry_run,
        submit_only=submit_only_for(user),
        allow_deletions=allow_deletions,
        reason=reason,
        file_name=path.name,
        record=record,
        progress=progress,
    )
    if preview.record_id is not None:  # the engine always records a preview
        ImportRecord.objects.filter(pk=preview.record_id).update(stored_file=str(path))
    audit_import(user=user, preview=preview, park=park)
    return preview


def runs_in_background(path: Path) -> bool:
    """Whether a stored upload is large enough to be imported in a background job."""
    return path.stat().st_size > settings.YUANQU_IMPORT_BACKGROUND_BYTES


# Background jobs this process started, by record id, so that tests (or a clean shutdown) can
# wait for them. Finished threads are dropped whenever a new job is registered.
_jobs: dict[int, threading.Thread] = {}
_jobs_lock = threading.Lock()


def web_import_start(
    *,
    user: User,
    path: Path,
    kind: str | None,
    park: Any,
    period: Any,
    mode: str,
    dry_run: bool,
    reason: str = "",
    allow_deletions: bool = False,
) -> ImportRecord:
    """Create the import record (处理中) and run `web_import` on it in a daemon thread.

    The record is saved here, with its stored file, so the detail page (and later 确认导入)
    can be shown at once. The thread starts only once the record is committed: its own
    database connection could not see the record before.
    """
    kind, mode = _for_user(user, kind, mode)
    record = ImportRecord.objects.create(
        kind=kind or "",
        file_name=path.name,
        size=path.stat().st_size,
        user=user,
        park=park,
        period=str(period) if period else "",
        mode=mode,
        dry_run=dry_run,
        status=ImportRecord.Status.RUNNING,
        stored_file=str(path),
    )
    stage: job_progress.Stage = "preview" if dry_run else "commit"
    job_progress.report(record, rows=0, estimate=None, stage=stage)
    thread = threading.Thread(
        target=_run_job,
        name=f"yuanqu-import-{record.pk}",
        daemon=True,
        kwargs={
            "record": record,
            "stage": stage,
            "user": user,
            "path": path,
            "kind": kind,
            "park": park,
            "period": period,
            "mode": mode,
            "dry_run": dry_run,
            "reason": reason,
            "allow_deletions": allow_deletions,
        },
    )

    def start() -> None:
        with _jobs_lock:
            for pk in [pk for pk, t in _jobs.items() if not t.is_alive()]:
                del _jobs[pk]
            _jobs[record.pk] = thread
        thread.start()

    transaction.on_commit(start)
    return record


def _run_job(*, record: ImportRecord, stage: job_progress.Stage, **kwargs: Any) -> None:
    def report(rows: int, estimate: int | None) -> None:
        job_progress.report(record, rows=rows, estimate=estimate, stage=stage)

    try:
        web_import(record=record, progress=report, **kwargs)
    except Exception:
        logger.exception("Background import %s failed", record.pk)
        _mark_failed(record)
    finally:
        job_progress.clear(record)
        # This thread's connections are not closed by any request cycle.
        connections.close_all()


def _mark_failed(record: ImportRecord) -> None:
    """Record an unexpected failure so the page stops waiting.

    The engine writes inside one transaction, which the exception rolled back: nothing of the
    file was written.
    """
    issue = {
        "level": "error",
        "message": "导入过程中出现意外错误（已记入服务器日志），未写入任何数据。"
        "请重新上传；如仍出错请联系管理员。",
        "sheet": "",
        "row": None,
        "column": "",
        "field": "",
    }
    try:
        ImportRecord.objects.filter(pk=record.pk, status=ImportRecord.Status.RUNNING).update(
            status=ImportRecord.Status.FAILED,
            counts={
                "rows": 0,
                "new": 0,
                "changed": 0,
                "unchanged": 0,
                "deleted": 0,
                "errors": 1,
                "warnings": 0,
            },
            issues=[issue],
            updated_at=timezone.now(),
        )
    except Exception:
        logger.exception("Could not mark import %s as failed", record.pk)


def wait_for_jobs(timeout: float | None = None) -> None:
    """Wait for the background imports this process started (tests, a clean shutdown)."""
    with _jobs_lock:
        threads = list(_jobs.values())
    for thread in threads:
        thread.join(timeout)
