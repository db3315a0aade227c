"""The import contract: parse → validate every row → preview → commit in one transaction.

Every kind of data (parks, enterprises, enterprise reports, …) is an `Importer` registered
here. `run_import` reads the file with `readers`, lets the importer validate every record
(collecting *all* errors, never stopping at the first), plans the change against the database
(new / changed / unchanged / deleted), and — only when there is no error and it is not a dry
run — applies the plan inside one transaction. A killed process therefore leaves the database
as it was. Every attempt is written to the import log.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction

from yuanqu.imports.models import ImportRecord


class ImportAborted(Exception):
    """Raised inside the commit transaction to roll it back (e.g. a late conflict)."""


@dataclass
class Issue:
    """One error or warning, located as the user sees the sheet (1-based rows, column letters)."""

    level: str  # "error" | "warning"
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    field: str = ""

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column or self.field:
            col = self.column + "列" if self.column else ""
            parts.append(f"{col}（{self.field}）" if self.field else col)
        return "，".join(parts)

    def text(self) -> str:
        loc = self.location()
        label = "错误" if self.level == "error" else "警告"
        return f"[{label}] {loc}：{self.message}" if loc else f"[{label}] {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class Preview:
    """What an import would do (or did): counts, issues and the slices it touches."""

    kind: str
    file_name: str
    sha256: str = ""
    rows_read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    issues: list[Issue] = field(default_factory=list)
    slices: list[str] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False
    record_id: int | None = None
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows_read,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def summary(self) -> str:
        head = (
            f"读取 {self.rows_read} 行：新增 {self.new}，变更 {self.changed}，"
            f"不变 {self.unchanged}，删除 {self.deleted}；错误 {len(self.errors)}，"
            f"警告 {len(self.warnings)}"
        )
        if self.committed:
            return head + "。已导入。"
        if self.errors:
            return head + "。存在错误，未写入任何数据；请按提示修改后重新导入。"
        if self.dry_run:
            return head + "。预览（--dry-run），未写入。"
        return head + "。"


@dataclass
class ImportContext:
    """Who imports, into which park and period, and how (replace or merge)."""

    file_name: str
    user: Any = None
    park: Any = None
    period: Any = None  # core.periods.Period or None
    mode: str = "replace"
    reason: str = ""
    submit_only: bool = False
    issues: list[Issue] = field(default_factory=list)
    unit: str | None = None
    progress: Callable[[int], None] | None = None

    def error(self, message: str, **loc: Any) -> None:
        self.issues.append(Issue("error", message, **loc))

    def warning(self, message: str, **loc: Any) -> None:
        self.issues.append(Issue("warning", message, **loc))

    @property
    def has_errors(self) -> bool:
        return any(i.level == "error" for i in self.issues)


@dataclass
class FieldSpec:
    """A column an importer reads: its field name, the Chinese header and its synonyms."""

    name: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    example: Any = ""
    choices: tuple[str, ...] = ()
    unit: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


class Importer:
    """Base class of every kind. Subclasses validate records and plan/apply changes."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    fields: ClassVar[list[FieldSpec]] = []
    needs_park: ClassVar[bool] = False
    # Kinds that keep every column as published (the park catalogue) ask the reader for it.
    wants_raw: ClassVar[bool] = False

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx

    # -- hooks -------------------------------------------------------------------------
    def clean(self, record: Any) -> Any | None:
        """Validate one record (a readers.Record); report issues on ctx; return a row or None."""
        raise NotImplementedError

    def check_all(self, rows: list[Any]) -> None:
        """Checks across rows (duplicates inside the file, …); optional."""
        return None

    def plan(self, rows: list[Any], preview: Preview) -> Any:
        """Compare with the database; fill preview counts; return what `apply` needs."""
        raise NotImplementedError

    def apply(self, plan: Any, preview: Preview, record: ImportRecord) -> None:
        """Write the plan. Runs inside the import's single transaction."""
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------
    def loc(self, record: Any, field_name: str) -> dict[str, Any]:
        spec = next((f for f in self.fields if f.name == field_name), None)
        return {
            "sheet": record.sheet,
            "row": record.row,
            "column": record.cells.get(field_name, ""),
            "field": spec.label if spec else field_name,
        }

    def err(self, record: Any, field_name: str, message: str) -> None:
        self.ctx.error(message, **self.loc(record, field_name))

    def warn(self, record: Any, field_name: str, message: str) -> None:
        self.ctx.warning(message, **self.loc(record, field_name))


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make a kind available to `yuanqu import`, the web upload and templates."""
    IMPORTERS[cls.kind] = cls
    return cls


def get_importer(kind: str) -> type[Importer]:
    load_kinds()
    try:
        return IMPORTERS[kind]
    except KeyError:
        known = "、".join(sorted(IMPORTERS))
        raise ValueError(f"未知的数据类型“{kind}”；可用：{known}") from None


def load_kinds() -> None:
    # Each app registers its kinds in its importers module; import them lazily so that the
    # engine has no import-time dependency on the apps.
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for app in apps.get_app_configs():
        name = f"{app.name}.importers"
        if app.name.startswith("yuanqu.") and find_spec(name) is not None:
            import_module(name)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _spec_for(importer_cls: type[Importer]) -> list[Any]:
    from yuanqu.imports import readers

    return [
        readers.FieldSpec(name=f.name, synonyms=list(f.headers), required=f.required)
        for f in importer_cls.fields
    ]


def guess_kind(path: Path) -> str | None:
    """The kind whose headers match the file best (most required and optional fields found)."""
    from yuanqu.imports import readers

    load_kinds()
    workbook = readers.open_workbook(path, max_bytes=settings.YUANQU_IMPORT_MAX_BYTES)
    best: tuple[int, str] | None = None
    for sheet in workbook.sheets:
        head = list(_take(sheet.iter_rows(), 30))
        for kind, cls in IMPORTERS.items():
            layout = readers.locate_table(head, _spec_for(cls), sheet.merged_ranges)
            if layout.missing_required:
                continue
            score = len(layout.columns)
            if best is None or score > best[0]:
                best = (score, kind)
    return best[1] if best else None


def _take(it: Iterator[Any], n: int) -> Iterator[Any]:
    for i, item in enumerate(it):
        if i >= n:
            break
        yield item


NOTE_SHEETS = ("说明", "填表说明", "指标解释")


def read_records(importer: Importer, path: Path) -> Iterator[Any]:
    """Yield the file's records for this importer, sheet by sheet, reporting layout problems."""
    from yuanqu.imports import readers

    ctx = importer.ctx
    workbook = readers.open_workbook(path, max_bytes=settings.YUANQU_IMPORT_MAX_BYTES)
    spec = _spec_for(type(importer))
    matched = 0
    layout_errors: list[Issue] = []
    several = len(workbook.sheets) > 1
    for sheet in workbook.sheets:
        if several and any(word in sheet.name for word in NOTE_SHEETS):
            continue  # the templates' own notes sheet, or a user's 说明 sheet
        head = list(_take(sheet.iter_rows(), 30))
        if not head:
            continue
        layout = readers.locate_table(head, spec, sheet.merged_ranges)
        if layout.missing_required:
            layout_errors.append(Issue("error", layout.message, sheet=sheet.name))
            continue
        if several and len(layout.columns) < 2:
            continue  # one matching cell on a side sheet is not a table
        matched += 1
        if layout.unit:
            ctx.unit = layout.unit
        for row in getattr(sheet, "hidden_rows", ()) or ():
            ctx.warning(
                "该行为隐藏行，已按普通行导入；如不应导入请删除该行", sheet=sheet.name, row=row
            )
        yield from readers.iter_records(sheet, layout, want_raw=importer.wants_raw)
    if not matched:
        ctx.issues.extend(layout_errors or [Issue("error", "文件中没有找到可导入的数据表")])


def run_import(
    path: Path | str,
    *,
    kind: str | None = None,
    user: Any = None,
    park: Any = None,
    period: Any = None,
    mode: str = "replace",
    dry_run: bool = False,
    submit_only: bool = False,
    reason: str = "",
    file_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Preview:
    """Import one file. Returns the preview; commits only when there is no error."""
    from yuanqu.imports.readers import ReaderError

    path = Path(path)
    started = time.monotonic()
    name = file_name or path.name
    preview = Preview(kind=kind or "", file_name=name, dry_run=dry_run)
    ctx = ImportContext(
        file_name=name,
        user=user,
        park=park,
        period=period,
        mode=mode,
        reason=reason,
        submit_only=submit_only,
        progress=progress,
    )
    try:
        preview.sha256 = file_sha256(path)
        if kind is None:
            kind = guess_kind(path)
            if kind is None:
                raise ReaderError(
                    "无法根据表头判断数据类型：请用 --kind 指定（如 parks、enterprises、"
                    "enterprise-reports），或使用平台提供的导入模板"
                )
        preview.kind = kind
        importer = get_importer(kind)(ctx)
        rows: list[Any] = []
        for record in read_records(importer, path):
            preview.rows_read += 1
            cleaned = importer.clean(record)
            if cleaned is not None:
                rows.append(cleaned)
            if progress and preview.rows_read % 1000 == 0:
                progress(preview.rows_read)
        # Cross-row checks and the plan run even when rows already failed, so that one pass
        # reports every problem in the file; nothing is written unless there is no error.
        importer.check_all(rows)
        plan = importer.plan(rows, preview)
    except (ReaderError, ValueError) as exc:
        ctx.error(str(exc))
        plan = None
    preview.issues = ctx.issues
    record = ImportRecord(
        kind=preview.kind or (kind or ""),
        file_name=name,
        sha256=preview.sha256,
        size=path.stat().st_size if path.exists() else 0,
        user=user if getattr(user, "pk", None) else None,
        park=park,
        period=str(period) if period else "",
        mode=mode,
        dry_run=dry_run,
    )
    if preview.errors:
        record.status = ImportRecord.Status.FAILED
    elif dry_run:
        record.status = ImportRecord.Status.PREVIEWED
    elif preview.new == preview.changed == preview.deleted == 0:
        record.status = ImportRecord.Status.UNCHANGED
    else:
        record.status = ImportRecord.Status.COMMITTED
    if record.status == ImportRecord.Status.COMMITTED:
        with transaction.atomic():
            _finish_record(record, preview, started)
            importer.apply(plan, preview, record)
        preview.committed = True
    else:
        _finish_record(record, preview, started)
    preview.record_id = record.pk
    return preview


def _finish_record(record: ImportRecord, preview: Preview, started: float) -> None:
    record.counts = preview.counts()
    # Keep the log small: the first 500 issues are plenty to act on; counts hold the total.
    record.issues = [i.as_dict() for i in preview.issues[:500]]
    record.duration_ms = int((time.monotonic() - started) * 1000)
    record.save()


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
