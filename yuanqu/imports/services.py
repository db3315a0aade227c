"""Web uploads: store the file, preview it, then commit the same file on confirmation.

Files larger than settings.YUANQU_IMPORT_BACKGROUND_BYTES are previewed and committed by a
background task (`web_import_start` → `yuanqu.imports.tasks.import_upload`, run by `yuanqu
tasks worker`); the page follows the job through its record's progress (`imports.progress`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from yuanqu.accounts.models import Role, User
from yuanqu.audit.services import audit_import
from yuanqu.imports import progress as job_progress
from yuanqu.imports.engine import Preview, run_import
from yuanqu.imports.models import ImportRecord, ProgressStage

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


def submit_only_for(user: User, kind: str | None = None, park: Any = None) -> bool:
    """Web uploads by enterprise and department users land as 已提交 (DECISIONS.md, Data
    status) — except a module's own records written by that module's own department, which
    count at once (DECISIONS.md, Access): a kind declared `DataKind(own_department_counts=True)`
    uploaded by a department user who may write its reviewing area in the park (the 项目办's
    monthly 调度表). Economy's kinds are reviewed whoever uploads them."""
    if user.role == Role.ENTERPRISE:
        return True
    if user.role != Role.DEPARTMENT:
        return False
    from yuanqu.accounts import policy
    from yuanqu.core.modules import data_kinds

    declared = data_kinds().get(kind or "")
    if declared is None or not declared.own_department_counts or not declared.reviewed_by:
        return True
    return not policy.can_write(user, declared.reviewed_by, park or user.park)


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
    attempt: str = "",
    on_phase: Callable[[str], None] | None = None,
) -> Preview:
    """Preview or commit one stored upload, in the calling thread.

    `record` (an ImportRecord the engine fills in and saves), `progress(rows, estimate)`,
    `attempt` and `on_phase` are passed through to the engine (`run_import`).
    """
    kind, mode = _for_user(user, kind, mode)
    if kind is None:
        from yuanqu.imports.engine import guess_kind

        # The kind decides whether the upload counts at once (submit_only_for); a file whose
        # kind cannot be told is refused by the engine with its own message.
        kind = guess_kind(path, path.name)
    preview = run_import(
        path,
        kind=kind,
        user=user,
        park=park,
        period=period,
        mode=mode,
        dry_run=dry_run,
        submit_only=submit_only_for(user, kind, park),
        allow_deletions=allow_deletions,
        reason=reason,
        file_name=path.name,
        record=record,
        progress=progress,
        attempt=attempt,
        on_phase=on_phase,
    )
    if preview.record_id is not None:  # the engine always records a preview
        ImportRecord.objects.filter(pk=preview.record_id).update(stored_file=str(path))
    audit_import(user=user, preview=preview, park=park)
    return preview


def runs_in_background(path: Path) -> bool:
    """Whether a stored upload is large enough to be imported in a background job."""
    return path.stat().st_size > settings.YUANQU_IMPORT_BACKGROUND_BYTES


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
    """Create the import record (处理中, 排队中) and enqueue the task that runs `web_import`
    on it (`yuanqu.imports.tasks.import_upload`).

    The record is saved first, with its stored file, so the detail page (and later 确认导入)
    can be shown at once. With the database backend the task waits for a worker; the
    "immediate" backend runs it before this returns.
    """
    from yuanqu.imports.tasks import import_upload

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
        progress_stage=ProgressStage.QUEUED,
        progress_at=timezone.now(),
    )
    result = import_upload.enqueue(
        record_id=record.pk, reason=reason, allow_deletions=allow_deletions
    )
    ImportRecord.objects.filter(pk=record.pk).update(task_id=str(result.id))
    record.refresh_from_db()
    return record


def import_claim(*, record_id: int) -> str | None:
    """Claim import record `record_id` for one run of its task: a fresh `attempt` token, in a
    short transaction holding the record's row lock. None when the record is no longer
    处理中 (finished by an earlier run, or gone): the run then does nothing.

    The lock is FOR NO KEY UPDATE (the claim changes no key): it waits for another claim or
    owner check, not for the KEY SHARE lock that a running import's foreign-key checks hold on
    its record until its commit (`core.bulk.insert_rows`, `behind`)."""
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update(no_key=True).filter(pk=record_id).first()
        if record is None or record.status != ImportRecord.Status.RUNNING:
            return None
        record.attempt = uuid.uuid4().hex
        record.progress_stage = ProgressStage.READING
        record.progress_rows = 0
        record.progress_estimate = None
        record.progress_at = timezone.now()
        record.save(
            update_fields=[
                "attempt",
                "progress_stage",
                "progress_rows",
                "progress_estimate",
                "progress_at",
            ]
        )
        return record.attempt


def import_run_task(
    *, record_id: int, reason: str = "", allow_deletions: bool = False
) -> dict[str, Any]:
    """The body of the import task (`yuanqu.imports.tasks.import_upload`): claim the record,
    then preview or commit its stored file with progress on the record. Returns what the task
    result keeps: the record, and its status or why nothing was done."""
    from yuanqu.core.periods import parse_period
    from yuanqu.imports.engine import Superseded

    attempt = import_claim(record_id=record_id)
    if attempt is None:
        status = ImportRecord.objects.filter(pk=record_id).values_list("status", flat=True)
        return {"record": record_id, "skipped": True, "status": status.first()}
    record = ImportRecord.objects.select_related("user", "park").get(pk=record_id)
    if record.user is None or not record.stored_file:
        _mark_failed(record, attempt)
        return {"record": record_id, "status": ImportRecord.Status.FAILED}
    reporter = job_progress.Reporter(record_id, attempt)
    try:
        preview = web_import(
            user=record.user,
            path=Path(record.stored_file),
            kind=record.kind or None,
            park=record.park,
            period=parse_period(record.period) if record.period else None,
            mode=record.mode,
            dry_run=record.dry_run,
            reason=reason,
            allow_deletions=allow_deletions,
            record=record,
            progress=reporter,
            attempt=attempt,
            on_phase=reporter.phase,
        )
    except Superseded:
        return {"record": record_id, "superseded": True}
    except Exception:
        logger.exception("Background import %s failed", record_id)
        _mark_failed(record, attempt)
        raise
    return {"record": record_id, "status": record.status, "committed": preview.committed}


def import_requeued(*, record_id: int | None) -> None:
    """Its task is back in the queue (its worker died): the page shows 排队中 again."""
    if record_id is None:
        return
    ImportRecord.objects.filter(pk=record_id, status=ImportRecord.Status.RUNNING).update(
        progress_stage=ProgressStage.QUEUED, progress_at=timezone.now()
    )


def import_abandoned(*, record_id: int | None) -> None:
    """Its task was given up after its workers died too often: the record fails."""
    if record_id is None:
        return
    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is not None:
        _mark_failed(
            record,
            record.attempt,
            "后台处理进程多次中断，导入已停止，未写入任何数据。请稍后重新上传；如仍出现请联系管理员。",
        )


def _mark_failed(record: ImportRecord, attempt: str, message: str = "") -> None:
    """Record an unexpected failure so the page stops waiting — only while the run still owns
    the record. The engine writes in one transaction, which the exception rolled back: nothing
    of the file was written."""
    issue = {
        "level": "error",
        "message": message
        or "导入过程中出现意外错误（已记入服务器日志），未写入任何数据。"
        "请重新上传；如仍出错请联系管理员。",
        "sheet": "",
        "row": None,
        "column": "",
        "field": "",
    }
    try:
        ImportRecord.objects.filter(
            pk=record.pk, status=ImportRecord.Status.RUNNING, attempt=attempt
        ).update(
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
