"""Web uploads: store the file, preview it, then commit the same file on confirmation."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from yuanqu.accounts.models import Role, User
from yuanqu.imports.engine import Preview, run_import
from yuanqu.imports.models import ImportRecord

ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv"}


class UploadRefused(ValueError):
    """An upload refused before reading (size, type); the message is Chinese."""


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(upload: UploadedFile) -> Path:
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


def submit_only_for(user: User) -> bool:
    """Web uploads by enterprise and department users land as 已提交 (DECISIONS.md)."""
    return user.role in {Role.ENTERPRISE, Role.DEPARTMENT}


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
) -> Preview:
    if user.role == Role.ENTERPRISE:
        # An enterprise's own submission always merges and only touches its own rows.
        kind, mode = "enterprise-reports", "merge"
    preview = run_import(
        path,
        kind=kind,
        user=user,
        park=park,
        period=period,
        mode=mode,
        dry_run=dry_run,
        submit_only=submit_only_for(user),
        reason=reason,
        file_name=path.name,
    )
    ImportRecord.objects.filter(pk=preview.record_id).update(stored_file=str(path))
    return preview
