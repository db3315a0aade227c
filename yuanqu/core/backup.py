"""What `yuanqu backup` writes and `yuanqu restore` reads: one .tar.gz holding `data.json`
(every installed module's data, by `dumpdata` with natural keys, so it moves between SQLite and
PostgreSQL) and `media/…`, the uploaded files the data refer to (project photos, report
templates, attachments of later modules). A module's data and files are found by walking the
installed apps, so a new module is backed up without being named here (docs/modules.md).

Older backups (a gzip of the JSON alone, `.json.gz`) still restore."""

from __future__ import annotations

import gzip
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction

# Platform apps that hold no data of the park: the task queue and its heartbeats, the data
# version counter and the cached pages (rebuilt after a restore), sessions.
NOT_DATA = {"jobs", "core"}
# Third-party apps whose rows are data: groups (roles) and the audit log (DECISIONS: a backup
# restores its log).
EXTRA = ["auth.group", "auditlog"]
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"


def data_apps() -> list[str]:
    """App labels (and app.model names) a backup holds, in INSTALLED_APPS order."""
    ours = [
        cfg.label
        for cfg in apps.get_app_configs()
        if cfg.name.startswith("yuanqu.")
        and cfg.label not in NOT_DATA
        and any(True for _ in cfg.get_models())
    ]
    return [e for e in EXTRA if apps.is_installed(_app_name(e))] + ours


def _app_name(entry: str) -> str:
    label = entry.split(".")[0]
    return next((c.name for c in apps.get_app_configs() if c.label == label), label)


def media_files() -> Iterator[str]:
    """Names (relative to MEDIA_ROOT) of the stored files the backed-up rows refer to."""
    labels = {e.split(".")[0] for e in data_apps()}
    for model in apps.get_models():
        if model._meta.app_label not in labels:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names = model._default_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                yield from (n for n in names.iterator() if n)


def write_backup(path: Path) -> tuple[int, int]:
    """Write the archive; returns (files included, files referred to but missing)."""
    media = Path(settings.MEDIA_ROOT)
    included = missing = 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / DATA_NAME
        with data.open("w", encoding="utf-8") as fh:
            call_command(
                "dumpdata",
                *data_apps(),
                natural_foreign=True,
                indent=None,
                stdout=fh,
                exclude=["contenttypes", "auth.permission"],
            )
        with tarfile.open(path, "w:gz") as tar:
            tar.add(data, arcname=DATA_NAME)
            for name in sorted(set(media_files())):
                source = media / name
                if _safe(name) and source.is_file():
                    tar.add(source, arcname=MEDIA_PREFIX + name)
                    included += 1
                else:
                    missing += 1
    return included, missing


def _safe(name: str) -> bool:
    """A relative path inside MEDIA_ROOT (no absolute path, no `..`)."""
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts


def restore_backup(path: Path) -> int:
    """Empty the database and load the archive, all or nothing; then put its files back under
    MEDIA_ROOT. Returns the number of files restored. Raises ValueError for a file that is not
    a backup."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / DATA_NAME
        files: list[tuple[str, bytes]] = []
        if tarfile.is_tarfile(path):
            with tarfile.open(path, "r:gz") as tar:
                member = next((m for m in tar.getmembers() if m.name == DATA_NAME), None)
                if member is None:
                    raise ValueError(f"{path} 不是 yuanqu backup 生成的备份（缺少 {DATA_NAME}）")
                plain.write_bytes(_read(tar, member))
                for m in tar.getmembers():
                    rel = m.name[len(MEDIA_PREFIX) :]
                    if m.isfile() and m.name.startswith(MEDIA_PREFIX) and _safe(rel):
                        files.append((rel, _read(tar, m)))
        else:
            try:
                with gzip.open(path, "rb") as src:
                    plain.write_bytes(src.read())
            except OSError as exc:
                raise ValueError(f"{path} 不是 yuanqu backup 生成的备份：{exc}") from exc
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Rows written earlier in an enclosing transaction leave deferred foreign-key
                # checks pending, and PostgreSQL refuses to TRUNCATE under them: run them now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(plain), verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    for rel, content in files:
        target = media / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return len(files)


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    return handle.read() if handle is not None else b""


__all__ = ["data_apps", "media_files", "restore_backup", "write_backup"]
