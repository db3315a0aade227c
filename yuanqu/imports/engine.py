"""The import contract: parse → validate every row → preview → commit in one transaction.

Every kind of data (parks, enterprises, enterprise reports, …) is an `Importer` registered
here. `run_import` saves the import record first (status 处理中, so a page can follow a long
import), then works in two phases:

1. **Read, check and stage — no write transaction open.** The file is read with `readers`,
   the importer validates every record (collecting *all* errors, never stopping at the first)
   and compares with the database (new / changed / unchanged / deleted), exactly as a preview
   does. What is to be written is staged: small kinds keep their rows and plan in memory,
   streaming kinds put their clean chunks in a temporary file (`_Spool`).
2. **Write — one short transaction** (`_commit`), opened only when there is no error, it is
   not a dry run and something changes. An error found while staging opens no transaction at
   all, so on SQLite the database's single write lock is held for the writes alone (seconds,
   not the minutes a large file takes to read and check): other users keep logging in and
   saving meanwhile. A killed process leaves the data as it was in either phase.

On PostgreSQL, streaming kinds skip the staging (`_import_in_one_pass`): each chunk is
checked and written at once inside one transaction open for the whole file, rolled back on
any error or when nothing changed. MVCC keeps that transaction from blocking anyone, so the
staging's spool and repeated lookups would only cost time (issue 16: about half of a large
import).

Two ways to write, one outcome:

- small kinds (parks, enterprises, targets …) collect their rows, then `check_all`, `plan`
  (phase 1) and `apply` the plan (phase 2);
- streaming kinds (enterprise reports, hundreds of thousands of rows) are `feed` chunk by
  chunk twice: in phase 1 with `write=False` (checks and counts only, like a dry run), in
  phase 2 the staged chunks again, with `write=True`, to a fresh importer inside the
  transaction — its lookups against the database repeat there, so rows checked before
  another import committed are checked again under the lock. Only keys are kept across
  chunks, so memory stays flat at any file size.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, ClassVar

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from yuanqu.core import versions
from yuanqu.core.bulk import settle
from yuanqu.core.numbers import DecimalLimits, fit_decimal, parse_amount
from yuanqu.imports.models import ImportRecord

# Issues kept in full per level; beyond this they are only counted.
ISSUES_KEPT = 5000
# Rows per action (new / changed / deleted) shown in the preview table.
SAMPLE_PER_ACTION = 20


def _shown(value: Any) -> str:
    """A value as the preview table shows it: decimals without exponent or trailing zeros."""
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


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
    # Totals: `issues` keeps the first ISSUES_KEPT of each level, the counts are complete.
    error_count: int | None = None
    warning_count: int | None = None
    slices: list[str] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False
    record_id: int | None = None
    # What the import does, row by row, for the preview table: the first SAMPLE_PER_ACTION
    # rows of each action (new / changed / deleted), see `add_sample`.
    sample: list[dict[str, Any]] = field(default_factory=list)
    # Period kinds (`imports.period`): "guard" — slices a replace would empty beyond
    # YUANQU_REPLACE_GUARD_PCT; "reporting" — 报送率 of each enterprise-report slice.
    checks: dict[str, Any] = field(default_factory=dict)
    _sampled: dict[str, int] = field(default_factory=dict, repr=False)

    def wants_sample(self, action: str) -> bool:
        """False once `action` has its rows: callers skip building what would not be shown."""
        return self._sampled.get(action, 0) < SAMPLE_PER_ACTION

    def add_sample(
        self,
        action: str,
        label: str,
        changes: Sequence[tuple[str, Any, Any]] = (),
        *,
        sheet: str = "",
        row: int | None = None,
    ) -> None:
        """Note one row for the preview table: `action` is new, changed or deleted; `changes`
        are (field label, before, after) — before is "" for new rows, after "" for deleted."""
        if not self.wants_sample(action):
            return
        self._sampled[action] = self._sampled.get(action, 0) + 1
        self.sample.append(
            {
                "action": action,
                "sheet": sheet,
                "row": row,
                "label": label,
                "changes": [[name, _shown(old), _shown(new)] for name, old, new in changes],
            }
        )

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def total_errors(self) -> int:
        return len(self.errors) if self.error_count is None else self.error_count

    @property
    def total_warnings(self) -> int:
        return len(self.warnings) if self.warning_count is None else self.warning_count

    @property
    def ok(self) -> bool:
        return not self.total_errors

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows_read,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "errors": self.total_errors,
            "warnings": self.total_warnings,
        }

    def summary(self) -> str:
        head = (
            f"读取 {self.rows_read} 行：新增 {self.new}，变更 {self.changed}，"
            f"不变 {self.unchanged}，删除 {self.deleted}；错误 {self.total_errors}，"
            f"警告 {self.total_warnings}"
        )
        if self.committed:
            return head + "。已导入。"
        if self.total_errors:
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
    dry_run: bool = False
    # A replace may delete more than YUANQU_REPLACE_GUARD_PCT of a slice's stored rows only
    # when asked (`--allow-deletions`, the web's typed confirmation).
    allow_deletions: bool = False
    issues: list[Issue] = field(default_factory=list)
    unit: str | None = None
    # field → unit stated in that column's header (工业总产值(万元)), for the current sheet.
    column_units: dict[str, str] = field(default_factory=dict)
    # Counts the tables read so far: importers cache per-table work (column specs) by it.
    layout_serial: int = 0
    progress: Callable[[int, int | None], None] | None = None
    # About how many data rows the file holds (from the sheets' dimensions), for progress bars.
    rows_estimate: int | None = None

    error_count: int = 0
    warning_count: int = 0

    def error(self, message: str, **loc: Any) -> None:
        self.add(Issue("error", message, **loc))

    def warning(self, message: str, **loc: Any) -> None:
        self.add(Issue("warning", message, **loc))

    def add(self, issue: Issue) -> None:
        # A 470,000-row file can raise a warning on every row: keep the first ones to show
        # and count the rest, so memory stays flat and the totals stay exact.
        if issue.level == "error":
            self.error_count += 1
            if self.error_count > ISSUES_KEPT:
                return
        else:
            self.warning_count += 1
            if self.warning_count > ISSUES_KEPT:
                return
        self.issues.append(issue)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0


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
    # The model field the column is stored in, when its name differs from `name`.
    model_field: str = ""
    # What the column's amounts must fit (precision and scale). Filled by `register` from the
    # importer's `model` field of the same name (or `model_field`); set it by hand only for a
    # value not stored in a DecimalField of its own (a figure kept in a JSON column).
    limits: DecimalLimits | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


class Importer:
    """Base class of every kind. Subclasses validate records and plan/apply changes."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    fields: ClassVar[list[FieldSpec]] = []
    needs_park: ClassVar[bool] = False
    # The write area (a module key, see accounts.policy) a user needs to import this kind;
    # None: administrators only (the park catalogue). Enterprise users submit their own
    # enterprise-reports whatever this says (policy.can_submit_own).
    write_area: ClassVar[str | None] = None
    # Kinds that keep every column as published (the park catalogue) ask the reader for it.
    wants_raw: ClassVar[bool] = False
    # Streaming kinds (large files: enterprise reports) validate chunk by chunk through
    # `begin` / `feed` / `finish` instead of `check_all` / `plan` / `apply`, so memory stays
    # flat at any file size. They are fed twice (module docstring): once to check and stage,
    # once — a fresh instance, the staged chunks — to write inside the transaction.
    streaming: ClassVar[bool] = False
    chunk_size: ClassVar[int] = 5000
    # The model the kind stores its rows in: its DecimalFields give the columns' limits.
    model: ClassVar[type[models.Model] | None] = None

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self._rounded: set[str] = set()  # columns already warned about rounding

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
        """Write the plan. Runs inside the import's single (short) write transaction."""
        raise NotImplementedError

    # -- streaming hooks (used when `streaming` is True) ----------------------------------
    def begin(self, preview: Preview, record: ImportRecord) -> None:
        """Called once before the first chunk (in each phase, on that phase's instance)."""

    def feed(self, rows: list[Any], preview: Preview, *, write: bool) -> None:
        """Check one chunk of cleaned rows across the file and against the database, count
        new / changed / unchanged, and — when `write` — write it. Reports issues on ctx.

        `write` is True only inside the write transaction, where the chunks come back from
        the staging file: rows must not rely on state outside themselves that pickling loses,
        and their reader `record` keeps only sheet, row and column letters (`_Spool`)."""
        raise NotImplementedError

    def finish(self, preview: Preview, *, write: bool) -> None:
        """After the last chunk: deletions of the replaced slices, slice status."""
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

    def limits(self, field_name: str) -> DecimalLimits | None:
        """The precision and scale the field's amounts must fit (None: not a stored amount)."""
        spec = next((f for f in self.fields if f.name == field_name), None)
        return spec.limits if spec else None

    def amount(self, record: Any, field_name: str, value: Any) -> Decimal | None:
        """The cell `value` of `field_name` as an amount ready to store, or None when empty.

        Every kind reads its amounts through here (`core.numbers.parse_amount`): text with an
        exponent, NaN and infinities are refused and the value must fit the column
        (`fit`); raises `NumberError` (Chinese) for the caller to report on the row.
        """
        number = parse_amount(value)
        if number is None:
            return None
        return self.fit(record, field_name, number, shown=value)

    def fit(self, record: Any, field_name: str, number: Decimal, *, shown: Any = None) -> Decimal:
        """`number` checked against the column of `field_name` (after any unit conversion).

        Too many integer digits raises `NumberError`; more decimals than the column's scale
        are rounded half-up, with one warning per column and file naming the first row
        (DECISIONS.md "Data integrity").
        """
        limits = self.limits(field_name)
        if limits is None:
            return number
        fitted, rounded = fit_decimal(number, limits, shown=number if shown is None else shown)
        if rounded and field_name not in self._rounded:
            self._rounded.add(field_name)
            self.warn(
                record,
                field_name,
                f"数值 {number} 的小数超过{limits.decimal_places}位，已四舍五入为 {fitted}"
                "（本列其余小数位过多的数值同样处理）",
            )
        return fitted

    def err(self, record: Any, field_name: str, message: str) -> None:
        self.ctx.error(message, **self.loc(record, field_name))

    def warn(self, record: Any, field_name: str, message: str) -> None:
        self.ctx.warning(message, **self.loc(record, field_name))


IMPORTERS: dict[str, type[Importer]] = {}
# Every kind ever registered; `load_kinds` keeps in IMPORTERS those of installed modules.
_REGISTERED: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make a kind available to `yuanqu import`, the web upload and templates.

    Each column stored in a DecimalField of the kind's `model` gets that field's precision and
    scale as its `limits` here, so a new kind checks its amounts without a line of its own.
    """
    if cls.model is not None:
        for spec in cls.fields:
            if spec.limits is None:
                spec.limits = _model_limits(cls.model, spec.model_field or spec.name)
    _REGISTERED[cls.kind] = cls
    IMPORTERS[cls.kind] = cls
    return cls


def _model_limits(model: type[models.Model], name: str) -> DecimalLimits | None:
    try:
        return DecimalLimits.of(model._meta.get_field(name))
    except FieldDoesNotExist:  # a column not stored as such (a code, a name)
        return None


def get_importer(kind: str) -> type[Importer]:
    load_kinds()
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise ValueError(f"未知的数据类型“{kind}”；可用：{kinds_text()}") from None


def load_kinds() -> None:
    """The import kinds of the installed modules: each module lists the modules holding its
    `@register`ed importers (`ModuleSpec.importers`). A kind whose module was loaded through
    a module no longer installed (a test app removed again) is dropped."""
    from yuanqu.core.modules import import_all

    active = set(import_all("importers"))
    _IMPORTER_PATHS.update(active)
    stale = _IMPORTER_PATHS - active
    kinds = {k: c for k, c in _REGISTERED.items() if c.__module__ not in stale}
    if kinds != IMPORTERS:
        IMPORTERS.clear()
        IMPORTERS.update(kinds)


_IMPORTER_PATHS: set[str] = set()


def kind_label(kind: str) -> str:
    """The Chinese name of an import kind ("enterprise-reports" → "企业月度报表"), for every
    place a user sees one; an unknown kind (an old record) is shown as stored."""
    load_kinds()
    cls = IMPORTERS.get(kind) or _REGISTERED.get(kind)
    return cls.label if cls is not None else kind


def kinds_text(kinds: Iterable[str] | None = None) -> str:
    """ "企业月度报表（enterprise-reports）、…" for messages listing the kinds one may use."""
    load_kinds()
    return "、".join(
        f"{kind_label(k)}（{k}）" for k in sorted(IMPORTERS if kinds is None else kinds)
    )


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


def guess_kind(path: Path, display_name: str | None = None) -> str | None:
    """The kind whose headers match the file best (most required and optional fields found)."""
    from yuanqu.imports import readers

    load_kinds()
    workbook = readers.open_workbook(
        path,
        max_bytes=settings.YUANQU_IMPORT_MAX_BYTES,
        stream_threshold=settings.YUANQU_IMPORT_STREAM_BYTES,
        display_name=display_name,
    )
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
    workbook = readers.open_workbook(
        path,
        max_bytes=settings.YUANQU_IMPORT_MAX_BYTES,
        stream_threshold=settings.YUANQU_IMPORT_STREAM_BYTES,
        display_name=ctx.file_name,
    )
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
        ctx.column_units = dict(layout.column_units)
        ctx.layout_serial += 1
        estimate = sheet.row_estimate()
        if estimate is not None:
            ctx.rows_estimate = (ctx.rows_estimate or 0) + max(
                estimate - layout.data_start_row + 1, 0
            )

        def skipped(row: int, reason: str, sheet_name: str = sheet.name) -> None:
            # Never drop a row silently: 合计, notes and the 栏次 row are named in the preview.
            ctx.warning(reason, sheet=sheet_name, row=row)

        records = readers.iter_records(sheet, layout, want_raw=importer.wants_raw, on_skip=skipped)
        examples = _examples(type(importer), layout.columns)
        # The first example field settles most rows at once: a text that differs from the
        # example's (a real credit code) is no example row, without `_is_example`'s calls.
        first_name, first_shown = examples[0] if examples else ("", "")
        for record in records:
            if record.has_error:
                bad = [k for k, v in record.values.items() if isinstance(v, readers.CellError)]
                # An error value (#N/A …) or a formula without a saved result: reported here
                # for every kind, and the row is not read (a name "#N/A" is not a name).
                for name in bad:
                    ctx.error(_cell_error_text(record.values[name]), **importer.loc(record, name))
                continue
            first = record.values.get(first_name)
            if (
                examples
                and not (first.__class__ is str and first.strip() != first_shown)
                and _is_example(record.values, examples)
            ):
                ctx.warning(
                    "这是导入模板的示例行，未导入：请删除该行或替换为实际数据",
                    sheet=sheet.name,
                    row=record.row,
                )
                continue
            if record.hidden:
                ctx.warning(
                    "该行为隐藏行，已按普通行导入；如不应导入请删除该行",
                    sheet=sheet.name,
                    row=record.row,
                )
            yield record
    for text in workbook.warnings:
        ctx.warning(text)
    if not matched:
        for issue in layout_errors or [Issue("error", "文件中没有找到可导入的数据表")]:
            ctx.add(issue)


def _cell_error_text(value: str) -> str:
    from yuanqu.imports.readers import NO_CACHED_VALUE

    if value == NO_CACHED_VALUE:
        return (
            "单元格是公式，但文件中没有保存计算结果（由程序生成、未在 Excel/WPS 中打开保存）："
            "请在 Excel 或 WPS 中打开文件并保存后重新上传，或改填数值"
        )
    return f"单元格是公式错误值“{value}”：请修正公式或改填数值/文字"


def _shown_example(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _examples(importer_cls: type[Importer], columns: dict[str, int]) -> list[tuple[str, str]]:
    """The template's example values of the fields this table has, required fields first
    (a real row differs there at once); empty when too few to recognise the example row."""
    found = [
        (f.name, _shown_example(f.example))
        for f in sorted(importer_cls.fields, key=lambda f: not f.required)
        if f.example not in ("", None) and f.name in columns
    ]
    return found if len(found) >= 3 else []


def _is_example(values: dict[str, Any], examples: list[tuple[str, str]]) -> bool:
    """A row equal to the template's example row in every example field."""
    for name, shown in examples:
        if _shown_example(values.get(name)) != shown:
            return False
    return True


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
    allow_deletions: bool = False,
    reason: str = "",
    file_name: str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    record: ImportRecord | None = None,
    attempt: str = "",
    on_phase: Callable[[str], None] | None = None,
) -> Preview:
    """Import one file. Returns the preview; commits only when there is no error.

    Two phases (see the module docstring): every row is read, checked and staged with no
    write transaction open, then — only when the whole file is clean and changes something —
    everything is written in one short transaction (`_commit`). An error anywhere, a dry run
    or a file that changes nothing never opens that transaction.

    The import record is saved first (status 处理中) so that a web page can follow a long
    import; `record` may be one created by the caller for that purpose. `progress(rows,
    estimate)` is called every 1,000 rows read; `on_phase("writing")` just before the write
    transaction opens. `attempt` is the claim of the background task running the import
    (`ImportRecord.attempt`): the record is only written while it still holds it, and
    `Superseded` is raised once another run took the record over.
    """
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
        dry_run=dry_run,
        allow_deletions=allow_deletions,
        progress=progress,
    )
    record = record or ImportRecord()
    record.kind = kind or record.kind or ""
    record.file_name = name
    record.size = path.stat().st_size if path.exists() else 0
    record.user = user if getattr(user, "pk", None) else None
    record.park = park
    record.period = str(period) if period else ""
    record.mode = mode
    record.dry_run = dry_run
    record.status = ImportRecord.Status.RUNNING
    _save_record(record, attempt)
    preview.record_id = record.pk
    with ExitStack() as cleanup:
        try:
            preview.sha256 = record.sha256 = file_sha256(path)
            if kind is None:
                kind = guess_kind(path, name)
                if kind is None:
                    raise ReaderError(
                        "无法根据表头判断数据类型：请用 --kind 指定（如 parks、enterprises、"
                        "enterprise-reports），或使用平台提供的导入模板"
                    )
            preview.kind = record.kind = kind
            importer_cls = get_importer(kind)
            if importer_cls.streaming and not dry_run and _writes_while_reading():
                _import_in_one_pass(
                    importer_cls(ctx), path, preview, record, started, attempt, on_phase
                )
                return preview
            if importer_cls.streaming:
                spool = cleanup.enter_context(_Spool()) if not dry_run else None
                _stage_streaming(importer_cls(ctx), path, preview, record, spool)
                write = _staged_writer(importer_cls, ctx, preview, record, spool)
            else:
                write = _stage_rows(importer_cls(ctx), path, preview, record)
            _take_issues(preview, ctx)
            record.status = _outcome(preview, dry_run)
            if record.status != ImportRecord.Status.COMMITTED:
                _save_outcome(record, preview, started, attempt)
                return preview
            _checkpoint("staged", record)
            if on_phase is not None:
                on_phase("writing")
            _commit(record, preview, started, attempt=attempt, write=write)
        except _NoLongerClean as outcome:
            # The checks repeated inside the write transaction disagree with the staging:
            # the database changed in between. Rolled back; the record says why.
            preview.issues, preview.error_count, preview.warning_count = outcome.result(preview)
            record.status = _outcome(preview, dry_run)
            _save_outcome(record, preview, started, attempt)
        except (ReaderError, ValueError) as exc:
            ctx.error(str(exc))
            _take_issues(preview, ctx)
            record.status = ImportRecord.Status.FAILED
            _save_outcome(record, preview, started, attempt)
        except Superseded:
            raise  # another run owns the record now: leave it to that run
        except BaseException:
            # A bug or an interrupt: the write transaction (if open) is rolled back; say so
            # in the log instead of leaving the record 处理中 forever, then let the caller
            # see the error.
            ctx.error("导入过程中发生内部错误，未写入任何数据；请联系管理员查看日志")
            _take_issues(preview, ctx)
            record.status = ImportRecord.Status.FAILED
            _save_outcome(record, preview, started, attempt)
            raise
    return preview


def _take_issues(preview: Preview, ctx: ImportContext) -> None:
    preview.issues = ctx.issues
    preview.error_count, preview.warning_count = ctx.error_count, ctx.warning_count


def _outcome(preview: Preview, dry_run: bool) -> str:
    if preview.total_errors:
        return ImportRecord.Status.FAILED
    if dry_run:
        return ImportRecord.Status.PREVIEWED
    if preview.new == preview.changed == preview.deleted == 0:
        return ImportRecord.Status.UNCHANGED
    return ImportRecord.Status.COMMITTED


# -- phase 1: read, check and stage (no write transaction) -----------------------------------


def _stage_rows(
    importer: Importer, path: Path, preview: Preview, record: ImportRecord
) -> Callable[[], None]:
    """Small kinds: every cleaned row kept in memory, checked across rows and planned against
    the database; returns the write (`apply` of the plan) for the write transaction."""
    ctx = importer.ctx
    progress = ctx.progress
    rows: list[Any] = []
    for item in read_records(importer, path):
        preview.rows_read += 1
        cleaned = importer.clean(item)
        if cleaned is not None:
            rows.append(cleaned)
        if progress and preview.rows_read % 1000 == 0:
            progress(preview.rows_read, ctx.rows_estimate)
    if progress:
        progress(preview.rows_read, preview.rows_read)  # every row read: 100 %
    # Cross-row checks and the plan run even when rows already failed, so that one pass
    # reports every problem in the file; nothing is written unless no error.
    importer.check_all(rows)
    plan = importer.plan(rows, preview)
    return lambda: importer.apply(plan, preview, record)


def _cleaned_rows(importer: Importer, path: Path, preview: Preview) -> Iterator[Any]:
    """A streaming import's rows read and cleaned one by one, counted in `preview.rows_read`,
    with the progress reported every 1,000 rows read."""
    ctx = importer.ctx
    progress = ctx.progress
    for item in read_records(importer, path):
        preview.rows_read += 1
        row = importer.clean(item)
        if row is not None:
            yield row
        if progress and preview.rows_read % 1000 == 0:
            progress(preview.rows_read, ctx.rows_estimate)


def _stage_streaming(
    importer: Importer,
    path: Path,
    preview: Preview,
    record: ImportRecord,
    spool: _Spool | None,
) -> None:
    """Streaming kinds: read and check chunk by chunk — across the file and against the
    database, exactly as a dry run — and stage each clean chunk in `spool` (None: a dry run,
    nothing to stage). Once an error is found the rest is still checked (every problem is
    reported in one pass) but no longer staged: nothing will be written.

    Only keys are kept across chunks (by the importer), so memory stays flat at any file size;
    the staging importer is dropped when this returns, before the write phase builds its own.
    """
    ctx = importer.ctx
    progress = ctx.progress
    cleaned = _cleaned_rows(importer, path, preview)
    with _fewer_collections():
        importer.begin(preview, record)
        for chunk in iter_chunks(cleaned, importer.chunk_size):
            if spool is not None and not ctx.has_errors:
                # Staged before `feed`, which may fill in what it resolved (enterprises):
                # the write phase resolves again, against the database as it is then.
                spool.add(chunk)
            importer.feed(chunk, preview, write=False)
            _checkpoint("staging", record)
        if progress:
            progress(preview.rows_read, preview.rows_read)  # every row read: 100 %
        importer.finish(preview, write=False)


def _writes_while_reading() -> bool:
    """Whether streaming imports write each chunk as it is checked, in one transaction open
    for the whole file (PostgreSQL), instead of staging the file and writing it afterwards.

    Why two ways: staging exists for SQLite, whose one write lock would keep every other user
    from writing for as long as the file takes to read (BENCHMARKS.md, "Write lock"). Under
    PostgreSQL's MVCC an open import transaction blocks no reader and no other writer
    (tests/imports/test_staging.py), so the staging's costs — spooling every row to a file and
    repeating each chunk's lookups in the write phase, about half of a large import (issue 16)
    — buy nothing there. Both ways run the same checks and commit all or nothing.
    """
    from django.db import connection

    return connection.vendor == "postgresql" and settings.YUANQU_IMPORT_ONE_PASS


class _Rollback(Exception):
    """Ends the one-pass transaction without writing: errors, or nothing changed."""


def _import_in_one_pass(
    importer: Importer,
    path: Path,
    preview: Preview,
    record: ImportRecord,
    started: float,
    attempt: str,
    on_phase: Callable[[str], None] | None,
) -> None:
    """A streaming import on PostgreSQL (`_writes_while_reading`): read, check and write chunk
    by chunk inside one transaction. Each chunk is written only while the file is clean so far
    (`feed(write=True)`); after an error the rest is still checked — every problem in one pass
    — and everything is rolled back, as it is when nothing changed. The record is locked and
    its ownership checked at the end, before the commit: a run taken over meanwhile
    (`Superseded`) writes nothing. Progress reports go through a connection of their own
    (`progress.Reporter`), so others see them although this transaction is open.
    """
    ctx = importer.ctx
    progress = ctx.progress
    cleaned = _cleaned_rows(importer, path, preview)
    try:
        with transaction.atomic(), _settled(), _fewer_collections(), one_pass():
            importer.begin(preview, record)
            for chunk in iter_chunks(cleaned, importer.chunk_size):
                importer.feed(chunk, preview, write=True)
                _checkpoint("staging", record)
            if progress:
                progress(preview.rows_read, preview.rows_read)  # every row read: 100 %
            importer.finish(preview, write=True)
            _take_issues(preview, ctx)
            record.status = _outcome(preview, False)
            if record.status != ImportRecord.Status.COMMITTED:
                raise _Rollback
            _checkpoint("staged", record)
            if on_phase is not None:
                on_phase("writing")
            _owner_check(record, attempt)
            _checkpoint("writing", record)
            versions.changed()
            _finish_record(record, preview, started)
    except _Rollback:
        _save_outcome(record, preview, started, attempt)
        return
    preview.committed = True


_ONE_PASS: ContextVar[bool] = ContextVar("yuanqu_import_one_pass", default=False)


@contextmanager
def one_pass() -> Iterator[None]:
    """Marks the one-pass write transaction (see `in_one_pass`)."""
    token = _ONE_PASS.set(True)
    try:
        yield
    finally:
        _ONE_PASS.reset(token)


def in_one_pass() -> bool:
    """Inside a one-pass import's transaction: what is written on its connection stays
    invisible to others until the commit (progress goes through its own connection)."""
    return _ONE_PASS.get()


class _Spool:
    """The clean rows of a streaming import, between the checks and the write.

    Why a temporary file and not memory or a staging table: a 470,000-row file held as
    validated rows took 1.3 GB (BENCHMARKS.md), and a staging table would be one more
    table per kind plus writes on the database the import is meant to leave alone until its
    short write. Pickled chunk by chunk (one chunk in memory at a time) into an anonymous
    file (unlinked at once: a killed process leaves nothing behind, `TMPDIR` decides where),
    with the rows' reader records cut down to what messages need — sheet, row and column
    letters — since the raw cells were only needed by `clean`.
    """

    def __init__(self) -> None:
        self.file: IO[bytes] | None = None
        self.chunks = 0

    def __enter__(self) -> _Spool:
        self.file = tempfile.TemporaryFile(prefix="yuanqu-import-")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def add(self, rows: list[Any]) -> None:
        assert self.file is not None
        for row in rows:
            _slim_record(row)
        pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.chunks += 1

    def __iter__(self) -> Iterator[list[Any]]:
        assert self.file is not None
        self.file.seek(0)
        for _ in range(self.chunks):
            yield pickle.load(self.file)


def _slim_record(row: Any) -> None:
    """Replace a row's reader record by one without its raw cells (see `_Spool`)."""
    from yuanqu.imports.readers import Record

    source = getattr(row, "record", None)
    if not isinstance(source, Record) or not (source.values or source.raw):
        return
    slim = Record(
        sheet=source.sheet,
        row=source.row,
        values={},
        cells=source.cells,
        hidden=source.hidden,
        has_error=source.has_error,
    )
    try:
        row.record = slim
    except (AttributeError, TypeError):  # an immutable row: staged as it is
        pass


# -- phase 2: the write transaction ----------------------------------------------------------


class Superseded(Exception):
    """Another run of the same import record took it over (the background task was run again
    after this run was taken for dead): this run writes nothing more and leaves the record."""


class _NoLongerClean(Exception):
    """The write phase's checks found what the staging did not (errors, or nothing left to
    change): the database changed between the two. Carries the write phase's findings."""

    def __init__(self, ctx: ImportContext, check: Preview) -> None:
        super().__init__("no longer clean")
        self.ctx = ctx
        self.check = check

    def result(self, preview: Preview) -> tuple[list[Issue], int, int]:
        for name in ("new", "changed", "unchanged", "deleted"):
            setattr(preview, name, getattr(self.check, name))
        issues = [i for i in preview.issues if i.level == "warning"]
        errors = [i for i in self.ctx.issues if i.level == "error"]
        if errors:
            errors.insert(
                0,
                Issue(
                    "error",
                    "校验通过后、写入前，数据已被其他导入或操作修改，按修改后的数据复核发现"
                    "以下错误，未写入任何数据；请确认后重新导入",
                ),
            )
        return errors + issues, len(errors), len(issues)


def _staged_writer(
    importer_cls: type[Importer],
    ctx: ImportContext,
    preview: Preview,
    record: ImportRecord,
    spool: _Spool | None,
) -> Callable[[], None]:
    """The write of a streaming import: its staged chunks fed again, with `write`, to a fresh
    importer inside the write transaction.

    The checks against the database run again there on purpose: they are what makes the
    staged rows safe to write although another import may have committed since they were
    checked (SQLite's IMMEDIATE transaction and the record's row lock serialise writers). They
    are lookups of each chunk's keys — the reading, parsing and per-row validation, most of an
    import's time, are not repeated. Should they now find an error (or nothing left to
    change), `_NoLongerClean` rolls everything back.
    """

    def write() -> None:
        assert spool is not None
        check = Preview(kind=preview.kind, file_name=preview.file_name)
        # The same context (user, park, mode, reason …) with issues of its own: the staging's
        # warnings are already in the preview and are not repeated.
        wctx = replace(ctx, issues=[], error_count=0, warning_count=0, progress=None)
        writer = importer_cls(wctx)
        with _fewer_collections():
            writer.begin(check, record)
            for chunk in spool:
                writer.feed(chunk, check, write=True)
                if wctx.has_errors:
                    raise _NoLongerClean(wctx, check)
            writer.finish(check, write=True)
        if wctx.has_errors or not (check.new or check.changed or check.deleted):
            raise _NoLongerClean(wctx, check)
        # What was written is what the record reports (the same as staged unless another
        # import changed the rows in between).
        for name in ("new", "changed", "unchanged", "deleted"):
            setattr(preview, name, getattr(check, name))
        preview.sample, preview.checks, preview.slices = check.sample, check.checks, check.slices

    return write


def _commit(
    record: ImportRecord,
    preview: Preview,
    started: float,
    *,
    attempt: str,
    write: Callable[[], None],
) -> None:
    """THE write transaction of an import — the one place anything of it is written.

    Opened only after the whole file was read, checked and staged, so on SQLite the database's
    write lock is held for the writes alone (BENCHMARKS.md, "Write lock"). The import record
    is locked first and must still be 处理中 and owned by this run (`_owner_check`); then the
    importer's writes, then the record's 已导入 — all or nothing. On PostgreSQL nothing here
    blocks readers: the only row lock taken on purpose is the import record's
    (`select_for_update`), and no read path of the app locks rows or tables (no LOCK TABLE,
    no select_for_update outside writes) — tests/imports/test_staging.py checks that a page
    reads while this transaction is open.
    """
    with transaction.atomic(), _settled():
        _owner_check(record, attempt)
        _checkpoint("writing", record)
        write()
        versions.changed()  # computed pages cached under the old data version are dropped
        record.status = ImportRecord.Status.COMMITTED
        _finish_record(record, preview, started)
        # Anything that must change with the imported rows — the economy summary tables
        # (issue 10) — is written here, inside this transaction.
    preview.committed = True


def _owner_check(record: ImportRecord, attempt: str) -> None:
    """Inside a transaction: lock the record's row; `Superseded` unless it is still 处理中 and
    (when run by a task) still claimed by this run. On PostgreSQL a second run of the same
    record waits here for the first one's transaction to end, then sees its outcome (FOR NO
    KEY UPDATE, as `services.import_claim`)."""
    current = (
        ImportRecord.objects.select_for_update(no_key=True)
        .filter(pk=record.pk)
        .values_list("status", "attempt")
        .first()
    )
    if current is None:
        raise Superseded(f"import record {record.pk} is gone")
    status, owner = current
    if status != ImportRecord.Status.RUNNING or (attempt and owner != attempt):
        raise Superseded(f"import record {record.pk} is {status}, claimed by {owner!r}")


def _save_record(record: ImportRecord, attempt: str) -> None:
    if not attempt:
        record.save()
        return
    with transaction.atomic():
        _owner_check(record, attempt)
        record.save()


def _save_outcome(record: ImportRecord, preview: Preview, started: float, attempt: str) -> None:
    """Record an outcome that writes no data (failed, previewed, unchanged)."""
    if not attempt:
        _finish_record(record, preview, started)
        return
    with transaction.atomic():
        _owner_check(record, attempt)
        _finish_record(record, preview, started)


# Named points of an import, for tests that must act at a known moment — a second connection
# logging in while rows are staged, a worker killed inside the write: "staging" after each
# staged chunk, "staged" before the write transaction opens, "writing" inside it once the
# record is locked. Each callable gets the import record.
CHECKPOINTS: dict[str, list[Callable[[ImportRecord], None]]] = {
    "staging": [],
    "staged": [],
    "writing": [],
}


def _checkpoint(name: str, record: ImportRecord) -> None:
    for hook in CHECKPOINTS[name]:
        hook(record)


@contextmanager
def _settled() -> Iterator[None]:
    """Inside a write transaction: no COPY left running behind (`core.bulk.settle`) when it
    ends. The importers settle their own writes; this joins one left by an error (its own
    error, if any, is not raised over the one that ended the block: the rollback undoes both)."""
    try:
        yield
    finally:
        settle(raise_error=False)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while rows stream through.

    Each row makes a few short-lived dicts and objects; with the default threshold (700
    allocations) the collector runs thousands of times per 100,000 rows and took about 15 %
    of an import (measured: 5.8 s → 5.0 s). Rows hold no reference cycles, so collecting every
    50,000 allocations frees the same memory. The previous thresholds are restored after.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _finish_record(record: ImportRecord, preview: Preview, started: float) -> None:
    record.counts = preview.counts()
    record.sample = preview.sample
    record.checks = preview.checks
    # Keep the log small: the first 500 issues, errors first, are plenty to act on; counts
    # hold the totals.
    kept = (preview.errors + preview.warnings)[:500]
    record.issues = [i.as_dict() for i in kept]
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
