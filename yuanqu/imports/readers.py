"""The reading layer of the import engine: any file people send → rows → records by field name.

No Django and no database here. The engine (`engine.py`) calls, per file::

    workbook = open_workbook(path, max_bytes=...)          # refuses what must not be read
    for sheet in workbook.sheets:
        head = list(islice(sheet.iter_rows(), 30))          # (row_number, cells) pairs
        layout = locate_table(head, spec, sheet.merged_ranges)
        for record in iter_records(sheet, layout): ...      # Record(sheet, row, values, cells)

and `read_form_sheet(sheet)` for the official one-enterprise forms (B204-1, B203).

Choices, and why:

- **Formats by content, not by name.** .xlsx/.xlsm, .xls, .ods (and .xlsb) are read with
  python-calamine, which returns cached formula results and never evaluates anything. WPS's
  ``.et`` is tried as .xls. Text files are CSV (UTF-8 with or without BOM, else GB18030;
  comma, tab, semicolon or bar). An "xls" that is really a web page says so.
- **Refusals before reading.** Files over ``max_bytes``; zip containers whose declared
  uncompressed size exceeds ``max_unpacked_ratio`` × the file size or ``max_unpacked_bytes``;
  every zip entry is then streamed once through `zipfile`, which stops at the declared size and
  checks the CRC, so a header that lies about its size is caught before calamine reads it.
  Macros (``vbaProject.bin``, Excel 4 macro sheets, ODF Basic/Scripts, an .xls VBA project) and
  embedded objects (``xl/embeddings/``, ``xl/activeX/``, ODF ``Object N/``) are refused.
- **Real row numbers.** Rows are numbered as the user sees them (1-based). python-calamine
  skips the leading empty *columns* and (depending on version) pads or skips leading empty rows;
  `iter_rows` re-bases every row to column A and row 1. Entirely blank rows are not yielded.
- **What calamine cannot see** is recovered with one cheap scan: hidden rows (``hidden`` on
  ``<row>`` in .xlsx; ``table:visibility`` in .ods; xlrd's row info in .xls), merged ranges
  in .ods, and formula error cells (#DIV/0!, #REF!…), which calamine turns into ``''`` and which
  are given back here as `CellError` strings so that nothing silently reads as empty.
- **Streaming.** calamine loads a whole sheet into (Rust) memory: about 540 MB for a
  470,000 × 15 sheet. A worksheet whose XML exceeds ``stream_threshold`` bytes is therefore read
  by a small expat-based streaming reader instead (flat memory, about 2.5× slower). Both paths
  give the same cells (tested).
- **Headers by name.** `locate_table` finds the header in the first rows (title rows, units
  line, one- to three-row headers, merged or not), builds composite headers such as
  ``工业总产值|上年同期|1-本月`` and matches them to fields through synonyms after normalising
  (NFKC, spaces, units, ``1—本月``/``1～本月``/``累计``, ``上年同期``/``去年同期`` …).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import Any, Final
from xml.etree import ElementTree
from xml.parsers import expat

from yuanqu.core.numbers import KNOWN_UNITS, MONEY_UNITS, detect_unit, normalize_text
from yuanqu.core.periods import Period, PeriodError, parse_period

__all__ = [
    "DEFAULT_HEAD_ROWS",
    "FOOTER_PATTERN",
    "FORM_COLUMNS",
    "CellError",
    "FieldSpec",
    "ReaderError",
    "Record",
    "Sheet",
    "TableLayout",
    "TableSpec",
    "Workbook",
    "col_index",
    "col_letter",
    "header_key",
    "iter_records",
    "locate_table",
    "open_workbook",
    "read_form_sheet",
]

DEFAULT_HEAD_ROWS: Final = 30
DEFAULT_MAX_UNPACKED_BYTES: Final = 2 * 1024**3
# Above this much worksheet XML, calamine's in-memory sheet (≈ 1.6 bytes of RAM per byte of
# XML) is replaced by the streaming reader (flat memory, ≈ 2.5× slower). 320 MB of XML is
# roughly 540,000 rows × 13 columns: calamine's ≈ 0.5 GB keeps a 470,000-row import within
# 1 GB (BENCHMARKS.md), and anything larger streams.
DEFAULT_STREAM_THRESHOLD: Final = 320 * 1024**2
MAX_ZIP_ENTRIES: Final = 10_000
_CHUNK: Final = 1 << 20
# The streaming reader parses smaller pieces: the rows completed by one piece are held until
# handed over, so the piece size bounds memory (256 KB of XML ≈ 1,000 rows).
_STREAM_CHUNK: Final = 256 * 1024

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06")
_VBA_MARK: Final = "_VBA_PROJECT".encode("utf-16-le")
_ENCRYPTED_MARK: Final = "EncryptionInfo".encode("utf-16-le")

SAVE_AS_HINT: Final = "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再上传"


class ReaderError(ValueError):
    """A file that cannot or must not be read; the message is Chinese and says what to do."""


# The error text given to a formula cell that has no saved result.
NO_CACHED_VALUE: Final = "#无计算结果"


class CellError(str):
    """A formula error value (``#DIV/0!``, ``#REF!``, ``#N/A`` …) found in a cell.

    A `str`, so it flows through code that expects text, and `core.numbers.parse_decimal`
    refuses it with "单元格是公式错误值…". ``error_code`` is the error text.
    """

    __slots__ = ()

    @property
    def error_code(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"CellError({str(self)!r})"


# --------------------------------------------------------------------------------------------
# Column letters
# --------------------------------------------------------------------------------------------
def col_letter(index0: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``, 701 → ``ZZ``, 702 → ``AAA``."""
    if index0 < 0:
        raise ValueError(f"列号不能为负：{index0}")
    letters = ""
    n = index0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """``A`` → 0, ``AA`` → 26 (the inverse of `col_letter`)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"“{letters}”不是列号")
        n = n * 26 + ord(ch) - 64
    return n - 1


def _split_ref(ref: str) -> tuple[int, int]:
    """``B12`` → (11, 1): 0-based row and column."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    if not match:
        raise ValueError(f"“{ref}”不是单元格地址")
    return int(match.group(2)) - 1, col_index(match.group(1))


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------------------------
# Sheets and workbooks
# --------------------------------------------------------------------------------------------
MergedRange = tuple[
    int, int, int, int
]  # 0-based, inclusive: (first_row, first_col, last_row, last_col)
Row = tuple[int, list[Any]]


@dataclass
class SheetScan:
    """What calamine cannot see, found by a separate cheap scan of one sheet."""

    hidden_rows: tuple[int, ...] = ()  # 1-based rows that are hidden and hold a value
    merged: list[MergedRange] | None = None  # None: this format's merges are not known
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row0, col0) → "#N/A"
    hidden_known: bool = True
    last_row: int | None = None  # 1-based number of the last row, where the scan saw it


class Sheet:
    """One worksheet. `iter_rows` may be called any number of times; each call reads afresh."""

    def __init__(self, name: str, *, hidden: bool = False) -> None:
        self.name = name
        self.hidden = hidden
        self._scan_cache: SheetScan | None = None

    # Subclasses provide rows and the scan.
    def iter_rows(self) -> Iterator[Row]:
        """Yield ``(row_number, cells)`` lazily for every non-blank row, in order.

        ``row_number`` is 1-based as the spreadsheet shows it; ``cells[0]`` is column A. Rows
        may differ in length (a missing cell is empty). Values are calamine's: ``str`` (``''``
        for empty), ``float`` (.xlsx/.ods numbers), ``int`` (.xls), ``bool``, ``date``,
        ``datetime``, ``time``, ``timedelta``; `CellError` for a formula error; CSV gives ``str``.
        """
        raise NotImplementedError

    def _make_scan(self) -> SheetScan:
        return SheetScan(hidden_known=False)

    def _scan(self) -> SheetScan:
        if self._scan_cache is None:
            self._scan_cache = self._make_scan()
        return self._scan_cache

    @property
    def merged_ranges(self) -> list[MergedRange] | None:
        """Merged ranges, 0-based inclusive ``(r0, c0, r1, c1)``; ``[]`` none; None unknown."""
        return self._scan().merged

    @property
    def hidden_rows(self) -> tuple[int, ...]:
        """1-based numbers of hidden rows that hold a value (they are imported like the rest)."""
        return self._scan().hidden_rows

    @property
    def hidden_rows_warning(self) -> bool:
        """True when the sheet has hidden rows with data: the engine warns "第N行为隐藏行"."""
        return bool(self._scan().hidden_rows)

    @property
    def hidden_rows_known(self) -> bool:
        """False where hidden rows cannot be detected for this format (e.g. .xlsb)."""
        return self._scan().hidden_known

    def row_estimate(self) -> int | None:
        """About how many rows the sheet has (for a progress bar), or None when unknown."""
        return self._scan().last_row

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class Workbook:
    """An opened file: its readable worksheets and what the reader noticed on the way."""

    def __init__(self, path: Path, fmt: str, display_name: str) -> None:
        self.path = path
        self.format = fmt  # "xlsx" | "xls" | "ods" | "xlsb" | "csv"
        self.display_name = display_name
        self.sheets: list[Sheet] = []  # visible worksheets, in workbook order
        self.hidden_sheets: list[str] = []  # names of hidden worksheets (not in `sheets`)
        self.warnings: list[str] = []  # Chinese, for the preview (encoding used, hidden sheets…)
        self.encoding: str | None = None  # CSV only
        self.delimiter: str | None = None  # CSV only
        self._closers: list[Callable[[], None]] = []

    def sheet(self, name: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise ReaderError(f"文件中没有名为“{name}”的工作表")

    def close(self) -> None:
        for closer in self._closers:
            try:
                closer()
            except Exception:  # closing twice or an already-dropped handle is harmless
                pass
        self._closers.clear()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<Workbook {self.display_name!r} {self.format} sheets={[s.name for s in self.sheets]}>"
        )


# --------------------------------------------------------------------------------------------
# calamine-backed sheets (.xlsx below the streaming threshold, .xls, .ods, .xlsb)
# --------------------------------------------------------------------------------------------
class _CalamineBook:
    """Opens the calamine workbook on first use (a stream-only .xlsx never needs it)."""

    def __init__(self, path: Path, fmt: str, by_path: bool, display_name: str) -> None:
        self.path = path
        self.fmt = fmt
        self.by_path = by_path
        self.display_name = display_name
        self._book: Any = None

    def book(self) -> Any:
        if self._book is None:
            import python_calamine

            try:
                if self.by_path:
                    self._book = python_calamine.CalamineWorkbook.from_path(str(self.path))
                else:
                    with self.path.open("rb") as fh:
                        self._book = python_calamine.CalamineWorkbook.from_filelike(fh)
            except Exception as exc:
                raise _calamine_error(exc, self.fmt, self.display_name, self.path) from exc
        return self._book

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


def _calamine_error(exc: Exception, fmt: str, display_name: str, path: Path) -> ReaderError:
    text = str(exc)
    if "password" in text.lower() or type(exc).__name__ == "PasswordError":
        return ReaderError(f"文件“{display_name}”设有打开密码，请取消密码后再上传")
    if fmt == "et":
        return ReaderError(
            f"无法读取 WPS 表格文件“{display_name}”（.et）：请在 WPS 中“另存为” Excel 工作簿"
            "（.xlsx）后再上传"
        )
    return ReaderError(f"无法读取文件“{display_name}”，文件可能已损坏：{SAVE_AS_HINT}（{text}）")


class _CalamineSheet(Sheet):
    def __init__(
        self,
        name: str,
        book: _CalamineBook,
        scan: Callable[[], SheetScan],
        *,
        hidden: bool = False,
        merges_from_calamine: bool = False,
    ) -> None:
        super().__init__(name, hidden=hidden)
        self._book = book
        self._scan_fn = scan
        self._merges_from_calamine = merges_from_calamine
        self._sheet: Any = None

    def _load(self) -> Any:
        # Cached: the engine reads the head, then all rows; parsing twice would double the time.
        if self._sheet is None:
            try:
                self._sheet = self._book.book().get_sheet_by_name(self.name)
            except ReaderError:
                raise
            except Exception as exc:
                raise ReaderError(f"无法读取工作表“{self.name}”：{exc}；{SAVE_AS_HINT}") from exc
        return self._sheet

    def _make_scan(self) -> SheetScan:
        scan = self._scan_fn()
        if self._merges_from_calamine:
            raw = self._load().merged_cell_ranges
            scan.merged = (
                [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in raw] if raw is not None else None
            )
        return scan

    def row_estimate(self) -> int | None:
        try:
            return int(self._load().total_height) or None
        except (AttributeError, TypeError, ValueError):
            return None

    def iter_rows(self) -> Iterator[Row]:
        sheet = self._load()
        start = sheet.start
        if start is None:  # an empty sheet (python-calamine's iterator would panic on it)
            return
        errors: dict[int, list[tuple[int, str]]] = {}
        for (r0, c0), text in self._scan().errors.items():
            errors.setdefault(r0, []).append((c0, text))
        first_row, first_col = start
        pad = [""] * first_col
        offset = 0
        for i, cells in enumerate(sheet.iter_rows()):
            if i == 0 and first_row > 0 and any(c != "" for c in cells):
                # python-calamine ≤ 0.2 started at the first non-empty row instead of padding.
                offset = first_row
            r0 = i + offset
            fixes = errors.get(r0)
            if fixes is None and cells.count("") == len(cells):  # all empty, at C speed
                continue
            if first_col:
                cells = pad + cells
            if fixes:
                for c0, text in fixes:
                    if c0 >= len(cells):
                        cells.extend([""] * (c0 + 1 - len(cells)))
                    cells[c0] = CellError(text)
            yield r0 + 1, cells


# --------------------------------------------------------------------------------------------
# .xlsx structure, scan and streaming reader
# --------------------------------------------------------------------------------------------
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# Strict OOXML uses different namespaces; compare local names only.


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


@dataclass
class _XlsxSheetInfo:
    name: str
    path: str  # zip entry
    state: str  # visible | hidden | veryHidden
    kind: str  # worksheet | chartsheet | dialogsheet | macrosheet


@dataclass
class _XlsxStructure:
    sheets: list[_XlsxSheetInfo]
    date1904: bool
    shared_strings: str | None
    styles: str | None


def _rels_for(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type local name, zip path) for a part."""
    folder = PurePosixPath(part).parent
    rels_path = str(folder / "_rels" / (PurePosixPath(part).name + ".rels"))
    if rels_path not in zf.NameToInfo:
        return {}
    root = ElementTree.fromstring(zf.read(rels_path))
    result: dict[str, tuple[str, str]] = {}
    for rel in root:
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            parts: list[str] = []
            for piece in (folder / target).parts:
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece != ".":
                    parts.append(piece)
            path = "/".join(parts)
        result[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return result


def _xlsx_structure(zf: zipfile.ZipFile) -> _XlsxStructure:
    workbook_part = "xl/workbook.xml"
    root_rels = _rels_for(zf, "")  # _rels/.rels names the workbook part
    for kind, path in root_rels.values():
        if kind == "officeDocument":
            workbook_part = path
    root = ElementTree.fromstring(zf.read(workbook_part))
    rels = _rels_for(zf, workbook_part)
    date1904 = False
    sheets: list[_XlsxSheetInfo] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "workbookPr":
            date1904 = el.get("date1904", "0").lower() in ("1", "true")
        elif name == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            kind, path = rels.get(rid, ("worksheet", ""))
            sheets.append(
                _XlsxSheetInfo(el.get("name", ""), path, el.get("state", "visible"), kind)
            )
    shared = next((p for k, p in rels.values() if k == "sharedStrings"), None)
    styles = next((p for k, p in rels.values() if k == "styles"), None)
    return _XlsxStructure(sheets, date1904, shared, styles)


_ROW_NUMBER_RE: Final = re.compile(rb"\br\s*=\s*[\"'](\d+)[\"']")
_HIDDEN_ATTR_RE: Final = re.compile(rb"\bhidden\s*=\s*[\"'](?:1|true)[\"']")


class _XlsxScanner:
    """Finds hidden rows, merged ranges and error cells in a worksheet's XML, chunk by chunk.

    Byte-level regular expressions instead of an XML parse: the scan runs over every sheet
    before calamine reads it, so it must cost far less than the read (≈ 1 s per 300 MB of XML).
    XML escapes ``<`` in text, so ``<row`` can only be a tag. Chunks are cut just after a row
    tag, so no cell and no row start straddles two parts.
    """

    def __init__(self) -> None:
        self.row = 0
        self.hidden: list[int] = []
        self.merged: list[MergedRange] = []
        self.errors: dict[tuple[int, int], str] = {}
        self._buf = b""
        self._row_re: re.Pattern[bytes] | None = None
        self._row_no_r_re: re.Pattern[bytes] | None = None
        self._hidden_row_re: re.Pattern[bytes] | None = None
        self._prefix = b""

    def feed(self, data: bytes) -> None:
        self._buf += data
        cut = self._buf.rfind(b"row>")
        if cut < 0:
            return
        cut += 4
        part, self._buf = self._buf[:cut], self._buf[cut:]
        self._process(part)

    def close(self) -> None:
        part, self._buf = self._buf, b""
        self._process(part)

    def _process(self, part: bytes) -> None:
        if self._row_re is None:
            # A literal tag prefix lets `re` jump between matches quickly; generators that
            # write prefixed tags (<x:row>) get their own literal.
            match = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet\b", part)
            if match is None and b"<" not in part:
                return
            self._prefix = (match.group(1) or b"") if match else b""
            p = re.escape(self._prefix)
            self._row_re = re.compile(rb"<" + p + rb"row\b([^>]*?)(/?)>")
            self._end_re = re.compile(rb"<" + p + rb"row\b|</" + p + rb"row>")
            # A row tag without an r="…" attribute, and a row tag that is hidden.
            self._row_no_r_re = re.compile(rb"<" + p + rb"row\b(?![^>]*?\sr\s*=)[^>]*>")
            self._hidden_row_re = re.compile(
                rb"<" + p + rb"row\b([^>]*?\bhidden\s*=\s*[\"'](?:1|true)[\"'][^>]*?)(/?)>"
            )
            self._cell_err_re = re.compile(
                rb"<" + p + rb"c\b([^>]*?\bt\s*=\s*[\"']e[\"'][^>]*)>(.*?)</" + p + rb"c>", re.S
            )
            self._v_re = re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>")
            # A formula cell without a saved result (written by a program, never opened and
            # saved in Excel/WPS): calamine reads it as empty.
            self._no_value_re = re.compile(
                rb"<"
                + p
                + rb"c\b([^>]*)>\s*<"
                + p
                + rb"f\b[^>]*?(?:/>|>[^<]*</"
                + p
                + rb"f>)\s*(?:<"
                + p
                + rb"v\s*/>|<"
                + p
                + rb"v></"
                + p
                + rb"v>)?\s*</"
                + p
                + rb"c>"
            )
            self._value_re = re.compile(rb"<" + p + rb"(?:v|is)\b")
            self._merge_re = re.compile(
                rb"<" + p + rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']\$?([A-Za-z]+)\$?(\d+)"
                rb"(?::\$?([A-Za-z]+)\$?(\d+))?[\"']"
            )
        assert self._row_re is not None
        if not self._fast_rows(part):
            self._slow_rows(part)
        if b't="e"' in part or b"t='e'" in part:
            for match in self._cell_err_re.finditer(part):
                ref = re.search(rb"\br\s*=\s*[\"']([A-Za-z]{1,3})(\d+)[\"']", match.group(1))
                value = self._v_re.search(match.group(2))
                if ref and value:
                    key = (int(ref.group(2)) - 1, col_index(ref.group(1).decode()))
                    self.errors[key] = value.group(1).decode("utf-8", "replace") or "#ERROR"
        if b"<" + self._prefix + b"f" in part:
            for match in self._no_value_re.finditer(part):
                ref = re.search(rb"\br\s*=\s*[\"']([A-Za-z]{1,3})(\d+)[\"']", match.group(1))
                if ref:
                    key = (int(ref.group(2)) - 1, col_index(ref.group(1).decode()))
                    self.errors.setdefault(key, NO_CACHED_VALUE)
        if b"mergeCell" in part:
            for m in self._merge_re.finditer(part):
                r0, c0 = int(m.group(2)) - 1, col_index(m.group(1).decode())
                if m.group(3):
                    r1, c1 = int(m.group(4)) - 1, col_index(m.group(3).decode())
                else:
                    r1, c1 = r0, c0
                self.merged.append((r0, c0, r1, c1))

    def _fast_rows(self, part: bytes) -> bool:
        """Hidden rows found by the regex engine alone, when every row states its number.

        Returns False (use `_slow_rows`) when some row omits ``r`` (its number is then the
        previous one plus one, which needs the walk over every row).
        """
        if self._row_no_r_re.search(part):
            return False
        for match in self._hidden_row_re.finditer(part):
            if match.group(2):  # <row …/>: hidden but empty
                continue
            end = self._end_re.search(part, match.end())
            body = part[match.end() : end.start() if end else len(part)]
            if end is None or self._value_re.search(body):
                self.hidden.append(int(_ROW_NUMBER_RE.search(match.group(1)).group(1)))  # type: ignore[union-attr]
        last = part.rfind(b"<" + self._prefix + b"row")
        if last >= 0:
            tag = self._row_re.match(part, last)
            if tag:
                number = _ROW_NUMBER_RE.search(tag.group(1))
                if number:
                    self.row = int(number.group(1))
        return True

    def _slow_rows(self, part: bytes) -> None:
        for match in self._row_re.finditer(part):
            attrs = match.group(1)
            r = _ROW_NUMBER_RE.search(attrs)
            self.row = int(r.group(1)) if r else self.row + 1
            if b"hidden" not in attrs or not _HIDDEN_ATTR_RE.search(attrs):
                continue
            if match.group(2):  # <row …/>: hidden but empty
                continue
            end = self._end_re.search(part, match.end())
            body = part[match.end() : end.start() if end else len(part)]
            if end is None or self._value_re.search(body):
                self.hidden.append(self.row)

    def result(self) -> SheetScan:
        return SheetScan(tuple(self.hidden), self.merged, self.errors, last_row=self.row or None)


# Built-in number formats that are dates or times (14–22, 45–47; 27–36 and 50–58 are the
# Chinese/Japanese/Korean locale date formats, e.g. 31 = yyyy"年"m"月"d"日").
_BUILTIN_DATE_FORMATS: Final = frozenset(
    [*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)]
)


def _is_date_format(code: str) -> bool:
    # Drop quoted literals, escaped characters, [colour]/[$-804] sections, and fill/spacing
    # characters (_x, *x); a date/time code is left with y, m, d, h or s.
    text = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)
    elapsed = re.search(r"\[(h+|m+|s+)\]", text, re.I)
    text = re.sub(r"\[[^\]]*\]", "", text)
    if text.lower() in ("general", ""):
        return bool(elapsed)
    return bool(elapsed) or bool(re.search(r"[ymdhs]", text, re.I))


def _date_styles(zf: zipfile.ZipFile, path: str | None) -> list[bool]:
    if not path or path not in zf.NameToInfo:
        return []
    root = ElementTree.fromstring(zf.read(path))
    custom: dict[int, str] = {}
    flags: list[bool] = []
    for el in root:
        name = _local(el.tag)
        if name == "numFmts":
            for fmt in el:
                try:
                    custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
                except ValueError:
                    continue
        elif name == "cellXfs":
            for xf in el:
                try:
                    fid = int(xf.get("numFmtId", "0"))
                except ValueError:
                    fid = 0
                flags.append(
                    _is_date_format(custom[fid]) if fid in custom else fid in _BUILTIN_DATE_FORMATS
                )
    return flags


def _serial_to_python(value: float, date1904: bool) -> Any:
    """An Excel date serial as calamine gives it: time (< 1), date (integral) or datetime."""
    if date1904:
        value += 1462
    if value < 0:
        return value
    if value < 1:
        # A time of day: only the fraction matters (and the 1900 shift below must not apply).
        return (
            dt.datetime(2000, 1, 1) + dt.timedelta(milliseconds=round(value * 86_400_000))
        ).time()
    if value < 60:
        value += 1  # Excel's 1900 leap-year bug: serials before 1900-03-01 are one day off
    moment = dt.datetime(1899, 12, 30) + dt.timedelta(milliseconds=round(value * 86_400_000))
    if value == int(value):
        return moment.date()
    return moment


def _load_shared_strings(zf: zipfile.ZipFile, path: str | None) -> list[str]:
    strings: list[str] = []
    if not path or path not in zf.NameToInfo:
        return strings
    buf: list[str] = []
    state = {"t": False, "skip": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "si":
            buf.clear()
        elif local == "rPh":  # phonetic guide runs (furigana) are not part of the text
            state["skip"] += 1
        elif local == "t" and not state["skip"]:
            state["t"] = True

    def end(name: str) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "si":
            strings.append("".join(buf))
        elif local == "rPh":
            state["skip"] -= 1
        elif local == "t":
            state["t"] = False

    def data(text: str) -> None:
        if state["t"]:
            buf.append(text)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    with zf.open(path) as fh:
        parser.ParseFile(fh)
    return strings


class _XlsxShared:
    """Per-workbook data the streaming reader needs, loaded once on first use."""

    def __init__(self, path: Path, structure: _XlsxStructure) -> None:
        self.path = path
        self.structure = structure
        self._strings: list[str] | None = None
        self._dates: list[bool] | None = None

    def load(self) -> tuple[list[str], list[bool]]:
        if self._strings is None or self._dates is None:
            with zipfile.ZipFile(self.path) as zf:
                self._strings = _load_shared_strings(zf, self.structure.shared_strings)
                self._dates = _date_styles(zf, self.structure.styles)
        return self._strings, self._dates


class _XlsxStreamSheet(Sheet):
    """A worksheet read straight from its XML with expat: memory stays flat at any size."""

    def __init__(
        self, name: str, entry: str, shared: _XlsxShared, scan: SheetScan, *, hidden: bool
    ) -> None:
        super().__init__(name, hidden=hidden)
        self._entry = entry
        self._shared = shared
        self._scan_cache = scan

    def iter_rows(self) -> Iterator[Row]:
        strings, date_styles = self._shared.load()
        date1904 = self._shared.structure.date1904
        ready: list[Row] = []
        try:
            with zipfile.ZipFile(self._shared.path) as zf, zf.open(self._entry) as fh:
                first = fh.read(_STREAM_CHUNK)
                match = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet\b", first)
                prefix = match.group(1).decode() if match and match.group(1) else ""
                parser = _xlsx_row_parser(prefix, ready, strings, date_styles, date1904)
                chunk = first
                while True:
                    parser.Parse(chunk, not chunk)
                    # expat callbacks cannot yield: hand over the rows completed by this chunk.
                    yield from ready
                    ready.clear()
                    if not chunk:
                        break
                    chunk = fh.read(_STREAM_CHUNK)
        except expat.ExpatError as exc:
            raise ReaderError(f"工作表“{self.name}”的内容已损坏（{exc}）：{SAVE_AS_HINT}") from exc
        except (zipfile.BadZipFile, zlib.error) as exc:
            raise ReaderError(f"文件已损坏（{exc}）：{SAVE_AS_HINT}") from exc


def _xlsx_row_parser(
    prefix: str, ready: list[Row], strings: list[str], dates: list[bool], date1904: bool
) -> Any:
    """An expat parser appending ``(row_number, cells)`` to ``ready`` as each row ends.

    Written for speed (≈ 4 µs a cell): exact tag names, closures over a small state list,
    cached column letters, the common value kinds converted inline.
    """
    tag_c, tag_v, tag_t, tag_row, tag_rph = (prefix + n for n in ("c", "v", "t", "row", "rPh"))
    cells: list[Any] = []
    text: list[str] = []
    # row number, column, type, style, inside <v>/<t>, inside <rPh>
    st: list[Any] = [0, -1, None, 0, False, 0]
    columns: dict[str, int] = {}
    digits = "0123456789$"

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == tag_c:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(digits).lstrip("$")
                col = columns.get(letters)
                if col is None:
                    col = columns[letters] = col_index(letters)
                st[1] = col
            else:
                st[1] += 1
            st[2] = attrs.get("t")
            style = attrs.get("s")
            st[3] = int(style) if style and style.isdigit() else 0
            text.clear()
        elif name == tag_v or name == tag_t:
            if not st[5]:
                st[4] = True
        elif name == tag_row:
            r = attrs.get("r")
            st[0] = int(r) if r else st[0] + 1
            st[1] = -1
            cells.clear()
        elif name == tag_rph:
            st[5] += 1

    def end(name: str) -> None:
        if name == tag_c:
            raw = "".join(text) if text else ""
            kind = st[2]
            value: Any
            if kind is None or kind == "n":
                if not raw:
                    return
                try:
                    value = float(raw)
                except ValueError:
                    value = raw
                else:
                    style = st[3]
                    if style and style < len(dates) and dates[style]:
                        value = _serial_to_python(value, date1904)
            elif kind == "s":
                try:
                    value = strings[int(raw)]
                except (ValueError, IndexError):
                    return
            else:
                value = _xlsx_value(raw, kind)
            if value == "":
                return
            col = st[1]
            size = len(cells)
            if col == size:
                cells.append(value)
            elif col > size:
                cells.extend([""] * (col - size))
                cells.append(value)
            else:
                cells[col] = value
        elif name == tag_v or name == tag_t:
            st[4] = False
        elif name == tag_row:
            if cells:
                ready.append((st[0], cells.copy()))
        elif name == tag_rph:
            st[5] -= 1

    def data(chunk: str) -> None:
        if st[4]:
            text.append(chunk)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    return parser


def _xlsx_value(raw: str, kind: str) -> Any:
    """The rarer cell kinds, converted the way calamine converts them (so both paths agree)."""
    if kind in ("inlineStr", "str"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return CellError(raw or "#ERROR")
    if kind == "d":
        try:
            moment = dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
        except ValueError:
            return raw
        if moment.time() == dt.time(0) and "T" not in raw:
            return moment.date()
        return moment
    return raw


# --------------------------------------------------------------------------------------------
# .ods scan (hidden rows, merges, error cells) and .xls scan (xlrd)
# --------------------------------------------------------------------------------------------
_NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_NS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_NS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_ODS_REPEAT_CAP: Final = 100_000  # repeated rows beyond the data are formatting, not rows


class _OdsScanner:
    """An expat pass over content.xml collecting, per table, what calamine does not report."""

    def __init__(self) -> None:
        self.tables: dict[str, SheetScan] = {}
        self._depth = 0
        self._name = ""
        self._row = 0
        self._col = 0
        self._row_repeat = 1
        self._row_hidden = False
        self._row_has_value = False
        self._cell_error = False
        self._cell_pos = (0, 0)
        self._in_p = 0
        self._text: list[str] = []
        self._hidden: list[int] = []
        self._merged: list[MergedRange] = []
        self._errors: dict[tuple[int, int], str] = {}
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._data

    def feed(self, data: bytes) -> None:
        self.parser.Parse(data, False)

    def close(self) -> None:
        self.parser.Parse(b"", True)

    @staticmethod
    def _int(attrs: dict[str, str], name: str) -> int:
        try:
            return max(1, int(attrs.get(f"{_NS_TABLE} {name}", "1")))
        except ValueError:
            return 1

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if name == f"{_NS_TABLE} table":
            self._depth += 1
            if self._depth == 1:
                self._name = attrs.get(f"{_NS_TABLE} name", "")
                self._row = 0
                self._hidden, self._merged, self._errors = [], [], {}
            return
        if self._depth != 1:
            return
        if name == f"{_NS_TABLE} table-row":
            self._col = 0
            self._row_repeat = self._int(attrs, "number-rows-repeated")
            visibility = attrs.get(f"{_NS_TABLE} visibility", "visible")
            self._row_hidden = visibility in ("collapse", "filter")
            self._row_has_value = False
        elif name in (f"{_NS_TABLE} table-cell", f"{_NS_TABLE} covered-table-cell"):
            repeat = self._int(attrs, "number-columns-repeated")
            if f"{_NS_OFFICE} value-type" in attrs:
                self._row_has_value = True
            cols = self._int(attrs, "number-columns-spanned")
            rows = self._int(attrs, "number-rows-spanned")
            if name.endswith("table-cell") and (cols > 1 or rows > 1):
                self._merged.append(
                    (self._row, self._col, self._row + rows - 1, self._col + cols - 1)
                )
            self._cell_error = attrs.get(f"{_NS_CALCEXT} value-type") == "error"
            self._cell_pos = (self._row, self._col)
            self._text = []
            self._col += repeat
        elif name == f"{_NS_TEXT} p":
            self._in_p += 1

    def _end(self, name: str) -> None:
        if name == f"{_NS_TABLE} table":
            if self._depth == 1:
                self.tables[self._name] = SheetScan(tuple(self._hidden), self._merged, self._errors)
            self._depth -= 1
            return
        if self._depth != 1:
            return
        if name == f"{_NS_TABLE} table-row":
            if self._row_hidden and self._row_has_value:
                count = min(self._row_repeat, _ODS_REPEAT_CAP)
                self._hidden.extend(range(self._row + 1, self._row + count + 1))
            self._row += self._row_repeat
        elif name == f"{_NS_TABLE} table-cell" and self._cell_error:
            self._errors[self._cell_pos] = "".join(self._text).strip() or "#ERROR"
            self._cell_error = False
        elif name == f"{_NS_TEXT} p":
            self._in_p -= 1

    def _data(self, text: str) -> None:
        if self._cell_error and self._in_p:
            self._text.append(text)


class _XlsScan:
    """Hidden rows and error cells of an .xls through xlrd (formatting_info), loaded once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._book: Any = None
        self.failed = False

    def scan(self, name: str) -> SheetScan:
        if self.failed:
            return SheetScan(hidden_known=False)
        try:
            import xlrd

            if self._book is None:
                self._book = xlrd.open_workbook(
                    str(self.path), formatting_info=True, on_demand=True, logfile=io.StringIO()
                )
            sheet = self._book.sheet_by_name(name)
        except Exception:
            # xlrd is stricter than calamine (WPS .et files, odd BIFF writers): the data is still
            # read; only the hidden-row warning is unavailable.
            self.failed = True
            return SheetScan(hidden_known=False)
        hidden: list[int] = []
        errors: dict[tuple[int, int], str] = {}
        for rowx in range(sheet.nrows):
            info = sheet.rowinfo_map.get(rowx)
            types = sheet.row_types(rowx)
            if info is not None and info.hidden and any(t not in (0, 6) for t in types):
                hidden.append(rowx + 1)
            for colx, ctype in enumerate(types):
                if ctype == 5:  # XL_CELL_ERROR
                    code = sheet.cell_value(rowx, colx)
                    errors[(rowx, colx)] = xlrd.error_text_from_code.get(code, "#ERROR")
        return SheetScan(tuple(hidden), None, errors)

    def close(self) -> None:
        if self._book is not None:
            self._book.release_resources()
            self._book = None


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------
class _CsvSheet(Sheet):
    def __init__(self, name: str, path: Path, encoding: str, delimiter: str) -> None:
        super().__init__(name)
        self._path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self._scan_cache = SheetScan(merged=[], hidden_known=True)

    def iter_rows(self) -> Iterator[Row]:
        with self._path.open("r", encoding=self.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            try:
                # Rows are records, as Excel numbers them when it opens the file (a quoted
                # field with a line break stays in one row).
                for number, cells in enumerate(reader, start=1):
                    if any(c.strip() for c in cells):
                        yield number, cells
            except csv.Error as exc:
                raise ReaderError(
                    f"CSV 文件第{reader.line_num}行格式有误（{exc}）：请检查引号是否成对"
                ) from exc
            except UnicodeDecodeError as exc:
                raise ReaderError(f"CSV 文件编码无法识别：请另存为 UTF-8 编码（{exc}）") from exc


def _detect_csv_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode 文本"
    # Decode the whole file once (C speed) so that a GBK byte deep in row 300,000 does not
    # break the import half-way.
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                for chunk in iter(lambda fh=fh: fh.read(_CHUNK), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return "utf-8-sig" if encoding == "utf-8" else encoding
    raise ReaderError(
        "无法识别 CSV 文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030）：请另存为 UTF-8 编码"
    )


def _sniff_delimiter(sample: str) -> str:
    """Comma, tab, semicolon or bar: the one giving most rows with the same column count > 1."""
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of the sample may be cut in the middle
    text = "\n".join(lines[:50])
    best = (0, 0, ",")
    for delimiter in (",", "\t", ";", "|"):
        counts: dict[int, int] = {}
        try:
            for cells in csv.reader(io.StringIO(text), delimiter=delimiter):
                if len(cells) > 1:
                    counts[len(cells)] = counts.get(len(cells), 0) + 1
        except csv.Error:
            continue
        if counts:
            width, rows = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if (rows, width) > best[:2]:
                best = (rows, width, delimiter)
    return best[2]


# --------------------------------------------------------------------------------------------
# open_workbook
# --------------------------------------------------------------------------------------------
def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def open_workbook(
    path: Path | str,
    *,
    max_bytes: int,
    max_unpacked_ratio: int = 100,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
    stream_threshold: int = DEFAULT_STREAM_THRESHOLD,
    display_name: str | None = None,
) -> Workbook:
    """Open a spreadsheet or CSV for reading, refusing what must not be read (`ReaderError`).

    ``display_name`` is the name the user uploaded (the saved path may be a temporary name);
    it appears in messages and decides ``.et`` handling. ``stream_threshold``: worksheet XML
    size above which an .xlsx sheet is streamed instead of loaded by calamine (0 = always).
    """
    path = Path(path)
    name = display_name or path.name
    ext = Path(name).suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReaderError(f"找不到文件“{name}”") from exc
    if size > max_bytes:
        raise ReaderError(
            f"文件“{name}”大小为 {_mb(size)}，超过上限 {_mb(max_bytes)}：请拆分后分批导入"
        )
    if size == 0:
        raise ReaderError(f"文件“{name}”是空文件")
    with path.open("rb") as fh:
        head = fh.read(8192)

    if head.startswith(_ZIP_MAGICS):
        return _open_zip(path, name, size, max_unpacked_ratio, max_unpacked_bytes, stream_threshold)
    if head.startswith(_OLE_MAGIC):
        return _open_ole(path, name, ext)
    return _open_text(path, name, ext, head)


def _open_zip(
    path: Path,
    name: str,
    size: int,
    max_ratio: int,
    max_unpacked: int,
    stream_threshold: int,
) -> Workbook:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReaderError(f"文件“{name}”已损坏，无法解压：{SAVE_AS_HINT}") from exc
    with zf:
        infos = zf.infolist()
        names = {info.filename for info in infos}
        lower = {n.lower() for n in names}
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ReaderError(
                f"文件“{name}”包含 {len(infos)} 个内部文件，不像正常的表格文件，已拒绝"
            )
        total = sum(info.file_size for info in infos)
        if total > max_unpacked or total > max_ratio * size:
            raise ReaderError(
                f"文件“{name}”解压后达 {_mb(total)}（压缩比 {total / size:.0f} 倍），"
                "超过安全上限，疑似“压缩炸弹”，已拒绝导入"
            )
        if any(info.flag_bits & 0x1 for info in infos):
            raise ReaderError(f"文件“{name}”内容已加密：请取消密码后再上传")

        if (
            "xl/workbook.xml" in names
            or "xl/workbook.bin" in names
            or any(n.startswith("xl/") for n in names)
        ):
            fmt = "xlsb" if "xl/workbook.bin" in names else "xlsx"
        elif "content.xml" in names and (
            "mimetype" not in names or b"spreadsheet" in zf.read("mimetype")
        ):
            fmt = "ods"
        elif "word/document.xml" in names or "content.xml" in names:
            raise ReaderError(
                f"文件“{name}”是文字处理文档（Word/WPS 文字），不是表格：请上传 Excel 表格"
            )
        elif any(n.startswith("ppt/") for n in names):
            raise ReaderError(f"文件“{name}”是演示文稿，不是表格：请上传 Excel 表格")
        else:
            raise ReaderError(
                f"文件“{name}”是 ZIP 压缩包，不是表格文件：请解压后上传其中的 Excel 表格"
            )

        if any(n.endswith("vbaproject.bin") for n in lower) or any(
            n.startswith("xl/macrosheets/") for n in lower
        ):
            raise ReaderError(
                f"文件“{name}”含有宏（VBA），为安全起见不予读取：请另存为不含宏的 .xlsx 后再上传"
            )
        if fmt == "ods" and any(
            re.match(r"(basic/[^/]+/(?!script-lb|dialog-lb)[^/]+\.xml|scripts/.+)$", n)
            for n in lower
        ):
            raise ReaderError(
                f"文件“{name}”含有宏（Basic/脚本），为安全起见不予读取：请删除宏后另存为 .xlsx 再上传"
            )
        if any(n.startswith(("xl/embeddings/", "xl/activex/")) for n in lower) or (
            fmt == "ods" and any(re.match(r"object \d+/", n) for n in lower)
        ):
            raise ReaderError(
                f"文件“{name}”中嵌入了其他对象（OLE 对象、控件或附件），为安全起见不予读取："
                "请删除嵌入对象（或只复制数据到新工作簿）后再上传"
            )

        structure = _xlsx_structure(zf) if fmt == "xlsx" else None
        sheet_paths = {s.path for s in structure.sheets} if structure else set()
        scans: dict[str, SheetScan] = {}
        ods_scan: _OdsScanner | None = None
        # One pass over every entry: zipfile stops at the declared size and checks the CRC, so a
        # zip whose headers understate its content fails here, before calamine inflates it.
        try:
            for info in infos:
                scanner: _XlsxScanner | _OdsScanner | None = None
                if info.filename in sheet_paths:
                    scanner = _XlsxScanner()
                elif fmt == "ods" and info.filename == "content.xml":
                    scanner = ods_scan = _OdsScanner()
                with zf.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        if scanner is not None:
                            scanner.feed(chunk)
                if scanner is not None:
                    scanner.close()
                if isinstance(scanner, _XlsxScanner):
                    scans[info.filename] = scanner.result()
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ReaderError(
                f"文件“{name}”的压缩数据损坏或与声明的大小不符（疑似压缩炸弹），已拒绝导入（{exc}）"
            ) from exc
        except expat.ExpatError as exc:
            raise ReaderError(f"文件“{name}”内容已损坏（{exc}）：{SAVE_AS_HINT}") from exc

    workbook = Workbook(path, fmt, name)
    ext = Path(name).suffix.lower()
    by_path = ext in {"xlsx": (".xlsx", ".xlsm"), "xlsb": (".xlsb",), "ods": (".ods",)}[fmt]
    book = _CalamineBook(path, fmt, by_path, name)
    workbook._closers.append(book.close)

    if structure is not None:
        shared = _XlsxShared(path, structure)
        for info in structure.sheets:
            if info.kind != "worksheet":
                continue
            if info.state != "visible":
                workbook.hidden_sheets.append(info.name)
                continue
            scan = scans.get(info.path, SheetScan(hidden_known=False))
            entry = zf.NameToInfo.get(info.path)
            if entry is not None and entry.file_size > stream_threshold:
                workbook.sheets.append(
                    _XlsxStreamSheet(info.name, info.path, shared, scan, hidden=False)
                )
            else:
                workbook.sheets.append(
                    _CalamineSheet(info.name, book, lambda s=scan: s, merges_from_calamine=False)
                )
                workbook.sheets[-1]._scan_cache = scan
    else:
        meta = book.book().sheets_metadata
        for sheet_meta in meta:
            if str(sheet_meta.typ).rsplit(".", 1)[-1] not in ("WorkSheet",):
                continue
            if str(sheet_meta.visible).rsplit(".", 1)[-1] != "Visible":
                workbook.hidden_sheets.append(sheet_meta.name)
                continue
            if fmt == "ods":
                scan = (ods_scan.tables.get(sheet_meta.name) if ods_scan else None) or SheetScan(
                    merged=[], hidden_known=ods_scan is not None
                )
                sheet = _CalamineSheet(sheet_meta.name, book, lambda s=scan: s)
                sheet._scan_cache = scan
            else:  # xlsb: calamine's merges; hidden rows unknown
                sheet = _CalamineSheet(
                    sheet_meta.name,
                    book,
                    lambda: SheetScan(hidden_known=False),
                    merges_from_calamine=True,
                )
            workbook.sheets.append(sheet)
        if fmt == "xlsb":
            workbook.warnings.append("二进制工作簿（.xlsb）无法检测隐藏行，隐藏行也会导入")
    _note_hidden_sheets(workbook)
    return workbook


def _note_hidden_sheets(workbook: Workbook) -> None:
    for hidden in workbook.hidden_sheets:
        workbook.warnings.append(f"工作表“{hidden}”为隐藏工作表，未读取；如需导入请取消隐藏")


def _open_ole(path: Path, name: str, ext: str) -> Workbook:
    data = path.read_bytes()  # an OLE file is at most max_bytes, and .xls files are small
    if _ENCRYPTED_MARK in data:
        raise ReaderError(f"文件“{name}”设有打开密码，请取消密码后再上传")
    if _VBA_MARK in data:
        raise ReaderError(
            f"文件“{name}”含有宏（VBA），为安全起见不予读取：请另存为不含宏的 .xlsx 后再上传"
        )
    fmt = "et" if ext == ".et" else "xls"
    book = _CalamineBook(path, fmt, ext == ".xls", name)
    meta = book.book().sheets_metadata  # raises a clear ReaderError (.et: "另存为 .xlsx")
    workbook = Workbook(path, "xls", name)
    workbook._closers.append(book.close)
    if fmt == "et":
        workbook.warnings.append("WPS 表格文件（.et）已按 Excel 97-2003（.xls）格式读取")
    xls_scan = _XlsScan(path)
    workbook._closers.append(xls_scan.close)
    for sheet_meta in meta:
        if str(sheet_meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
            continue
        if str(sheet_meta.visible).rsplit(".", 1)[-1] != "Visible":
            workbook.hidden_sheets.append(sheet_meta.name)
            continue
        workbook.sheets.append(
            _CalamineSheet(
                sheet_meta.name,
                book,
                lambda n=sheet_meta.name: xls_scan.scan(n),
                merges_from_calamine=True,
            )
        )
    _note_hidden_sheets(workbook)
    return workbook


def _open_text(path: Path, name: str, ext: str, head: bytes) -> Workbook:
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(b"%pdf"):
        raise ReaderError(f"文件“{name}”是 PDF，不能导入：请上传 Excel 表格或 CSV")
    if probe.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            raise ReaderError(f"文件“{name}”是 Excel 2003 XML 表格，无法直接读取：{SAVE_AS_HINT}")
        if (
            b"<html" in probe
            or b"<!doctype html" in probe
            or b"<table" in probe
            or b"<meta" in probe
        ):
            raise ReaderError(
                f"文件“{name}”实际是网页（HTML）格式，只是扩展名为{ext or '空'}（常见于从业务系统"
                f"导出的表格）：{SAVE_AS_HINT}"
            )
        raise ReaderError(f"文件“{name}”是 XML 文本，不是表格：{SAVE_AS_HINT}")
    is_utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    # Text is read as CSV only where text is plausible: .csv/.txt/.tsv, no extension, or an
    # ".xls" exported by a business system as tab-separated text. A text ".et"/".xlsx" is not
    # a spreadsheet at all.
    if ext not in (".csv", ".txt", ".tsv", "", ".xls"):
        if ext == ".et":
            raise ReaderError(
                f"无法读取 WPS 表格文件“{name}”（.et）：请在 WPS 中“另存为” Excel 工作簿（.xlsx）后再上传"
            )
        raise ReaderError(
            f"文件“{name}”不是有效的{ext}表格文件（内容已损坏或不是表格）：{SAVE_AS_HINT}"
        )
    if b"\x00" in head and not is_utf16:
        if ext == ".et":
            raise ReaderError(
                f"无法读取 WPS 表格文件“{name}”（.et）：请在 WPS 中“另存为” Excel 工作簿（.xlsx）后再上传"
            )
        raise ReaderError(f"无法识别文件“{name}”的格式：请上传 .xlsx、.xls、.ods 或 .csv 文件")
    encoding = _detect_csv_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(65536)
    delimiter = _sniff_delimiter(sample)
    workbook = Workbook(path, "csv", name)
    workbook.encoding, workbook.delimiter = encoding, delimiter
    stem = Path(name).stem or "CSV"
    workbook.sheets.append(_CsvSheet(stem, path, encoding, delimiter))
    if ext not in (".csv", ".txt", ".tsv", ""):
        workbook.warnings.append(f"文件“{name}”的扩展名为{ext}，但内容是纯文本，已按 CSV 读取")
    if encoding == "gb18030":
        workbook.warnings.append("CSV 文件按 GBK/GB18030 编码读取")
    return workbook


# --------------------------------------------------------------------------------------------
# Header matching
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    """A field an importer reads: its name and the headers it may appear under.

    The first synonym is the label shown in messages. The field name itself also matches,
    so a template exported with field names reads back.
    """

    name: str
    synonyms: Sequence[str] = ()
    required: bool = False

    @property
    def label(self) -> str:
        return self.synonyms[0] if self.synonyms else self.name


TableSpec = Sequence[FieldSpec]

Q_LAST_YEAR: Final = "上年同期"
Q_YTD: Final = "1-本月"
Q_MONTH: Final = "本月"

_UNIT_ALT = "|".join(re.escape(u) for u in KNOWN_UNITS)
_D = r"[-—–―‐‑‒−~～〜至到]"
_UNIT_IN_BRACKETS = re.compile(
    rf"[(\[【〔{{]\s*(?:(?:金额|计量)?单位[:：]?)?\s*(?:人民币)?(?:{_UNIT_ALT})(?:人民币)?\s*[)\]】〕}}]"
)
_UNIT_PHRASE = re.compile(rf"(?:金额|计量)?单位[:：]?(?:人民币)?(?:{_UNIT_ALT})(?:人民币)?")
_PRICE_NOTE = re.compile(r"[(\[【〔](?:当年价格|当年价|现价|现行价格|按当年价格计算)[)\]】〕]")
_ENUM_PREFIX = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十]+[)）、.．]|\d{1,2}[、.．](?!\d)|其中[:：]?)"
)
_QUALIFIERS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"(?:上年|去年)同月"), (Q_LAST_YEAR, Q_MONTH)),
    (re.compile(r"(?:上年|去年)同期"), (Q_LAST_YEAR,)),
    (
        re.compile(
            rf"(?:本年|今年|\d{{4}}年度?)?1{_D}+(?:本月|\d{{1,2}}月)(?:份)?(?:累计)?(?:数|值)?"
        ),
        (Q_YTD,),
    ),
    (re.compile(r"(?:本年|今年|本月|本期)?累计(?:数|值)?"), (Q_YTD,)),
    (re.compile(r"(?:本年|今年)?(?:本月|当月|本期)(?:数|值)?"), (Q_MONTH,)),
    (re.compile(r"(?:\d{4}年)?(?<![\d-])\d{1,2}月份?"), (Q_MONTH,)),
    (re.compile(r"上年|去年"), (Q_LAST_YEAR,)),
    (re.compile(r"同期"), (Q_LAST_YEAR,)),
    (re.compile(r"本年|今年"), ()),
)
_PUNCT = re.compile(r"[\s()（）\[\]【】{}<>《》〈〉〔〕|:：,，、;；.。·'\"“”‘’_\-—/\\*#※△▲]")
_BRACKETED = re.compile(r"[(（\[【〔][^()（）\[\]【】〔〕]*[)）\]】〕]")


@lru_cache(maxsize=8192)
def _header_parts(text: str) -> tuple[str, str, str | None]:
    """(exact key, loose key, unit) of a (composite) header text."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    unit = detect_unit(s.replace("|", " ")) if s else None
    s = _UNIT_IN_BRACKETS.sub("", s)
    s = _UNIT_PHRASE.sub("", s)
    s = _PRICE_NOTE.sub("", s)
    s = "|".join(_ENUM_PREFIX.sub("", part) for part in s.split("|"))
    quals: set[str] = set()
    for pattern, found in _QUALIFIERS:
        if pattern.search(s):
            quals.update(found)
            s = pattern.sub("|", s)
    q = ",".join(sorted(quals))
    exact = _PUNCT.sub("", s)
    loose = _PUNCT.sub("", _BRACKETED.sub("", s))
    return f"{exact}#{q}", f"{loose}#{q}", unit


def header_key(text: str) -> str:
    """The matching key of a header: base name + qualifiers, independent of spelling.

    ``工业总产值上年同期(1—本月)``, ``工业总产值|去年同期|1～本月`` and
    ``工业总产值(当年价格)|上年同期累计(千元)`` all give ``工业总产值#1-本月,上年同期``.
    """
    return _header_parts(text)[0]


@dataclass
class TableLayout:
    """Where a table sits in a sheet and which column holds which field."""

    columns: dict[str, int]  # field → 0-based column
    header_rows: tuple[int, ...] = ()  # 1-based
    data_start_row: int = 1
    headers: dict[int, str] = field(default_factory=dict)  # column → composite header text
    unit: str | None = None  # units line (单位：千元) or title; else the one unit all headers state
    column_units: dict[str, str] = field(default_factory=dict)  # field → unit in its header
    missing_required: list[str] = field(default_factory=list)  # field names
    message: str = ""  # Chinese; non-empty when required fields are missing
    warnings: list[str] = field(default_factory=list)
    unmatched: dict[int, str] = field(default_factory=dict)  # header columns no field took
    title: str = ""  # text above the header
    labels: dict[str, str] = field(default_factory=dict)  # field → label for messages

    @property
    def ok(self) -> bool:
        return not self.missing_required

    @property
    def header_row(self) -> int:
        """The last header row (1-based; 0 when no header was found)."""
        return self.header_rows[-1] if self.header_rows else 0

    @property
    def cells(self) -> dict[str, str]:
        """field → column letter."""
        return {name: col_letter(c) for name, c in self.columns.items()}

    def unit_for(self, field_name: str) -> str | None:
        """The unit of a field's column: its header's unit, else the table's units line."""
        return self.column_units.get(field_name) or self.unit


def _cell_text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFKC", value).split())
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return normalize_text(value)


def _build_grid(
    head: Sequence[Row], merged: Iterable[MergedRange] | None
) -> tuple[dict[int, list[str]], set[tuple[int, int]]]:
    """Header text per row (merged ranges filled from their top-left cell); covered cells."""
    grid = {number: [_cell_text(v) for v in cells] for number, cells in head}
    covered: set[tuple[int, int]] = set()
    if not grid or not merged:
        return grid, covered
    last = max(grid)
    for r0, c0, r1, c1 in merged:
        if r0 + 1 > last or (r1 - r0 + 1) * (c1 - c0 + 1) > 5000:
            continue
        top = grid.get(r0 + 1)
        value = top[c0] if top is not None and c0 < len(top) else ""
        for r in range(r0 + 1, min(r1 + 1, last) + 1):
            row = grid.get(r)
            if row is None:
                continue
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
                covered.add((r, c))
    return grid, covered


def _composites(
    grid: dict[int, list[str]], rows: Sequence[int], covered: set[tuple[int, int]]
) -> dict[int, str]:
    block = [list(grid[r]) for r in rows]
    width = max(len(r) for r in block)
    for row in block:
        row.extend([""] * (width - len(row)))
    # Without merge information (CSV, or a title "centred across selection"), a group head
    # appears only over its first sub-column: carry it right over the sub-columns, but only
    # from a head that has a sub-header under it (a vertically "merged" name has a blank below).
    for k in range(len(block) - 1):
        upper, lower = block[k], block[k + 1]
        for c in range(1, width):
            if (
                not upper[c]
                and lower[c]
                and upper[c - 1]
                and lower[c - 1]
                and (rows[k], c) not in covered
            ):
                upper[c] = upper[c - 1]
    result: dict[int, str] = {}
    for c in range(width):
        parts: list[str] = []
        for row in block:
            if row[c] and (not parts or parts[-1] != row[c]):
                parts.append(row[c])
        if parts:
            result[c] = "|".join(parts)
    return result


def _field_keys(spec: TableSpec) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    exact: dict[str, list[str]] = {}
    loose: dict[str, list[str]] = {}
    for f in spec:
        for synonym in (*f.synonyms, f.name):
            e, lo, _ = _header_parts(synonym)
            if f.name not in exact.setdefault(e, []):
                exact[e].append(f.name)
            if f.name not in loose.setdefault(lo, []):
                loose[lo].append(f.name)
    return exact, loose


def _match(
    composites: dict[int, str], spec: TableSpec
) -> tuple[dict[str, int], dict[str, list[int]]]:
    exact, loose = _field_keys(spec)
    columns: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    taken: set[int] = set()
    for table in (exact, loose):
        for c, text in composites.items():
            if c in taken:
                continue
            key = _header_parts(text)[0 if table is exact else 1]
            for name in table.get(key, ()):
                if name not in columns:
                    columns[name] = c
                    taken.add(c)
                    break
                if table is exact and columns[name] != c:
                    duplicates.setdefault(name, []).append(c)
                    taken.add(c)
                    break
    # A group head merged over sub-headers (“2022年投资完成情况” over “年度计划投资 | 1-10月完成
    # 投资”, the 调度表's layout): a column no field took is tried by its last header part
    # alone, for fields not found yet. Parts with no name of their own (“本月”, “1-本月”)
    # are not tried: those are qualifiers of the group head, not a column's name.
    for c, text in composites.items():
        if c in taken or "|" not in text:
            continue
        last = text.rsplit("|", 1)[-1]
        key = _header_parts(last)[0]
        if len(key.split("#", 1)[0]) < 2:
            continue
        for name in exact.get(key, ()):
            if name not in columns:
                columns[name] = c
                taken.add(c)
                break
    return columns, duplicates


def locate_table(
    head: Sequence[Row],
    spec: TableSpec,
    merged_ranges: Iterable[MergedRange] | None = None,
    *,
    max_header_rows: int = 3,
) -> TableLayout:
    """Find the header among the first rows of a sheet and map its columns to ``spec``.

    ``head`` is the first ~30 ``(row_number, cells)`` pairs of `Sheet.iter_rows`. Tries every
    block of 1 to ``max_header_rows`` consecutive rows as the header, keeps the one matching
    most fields (required ones first), and reads the units line above it.
    """
    labels = {f.name: f.label for f in spec}
    grid, covered = _build_grid(head, list(merged_ranges) if merged_ranges else None)
    numbers = sorted(grid)
    required = [f.name for f in spec if f.required]
    best: (
        tuple[
            tuple[int, int, int, int],
            tuple[int, ...],
            dict[int, str],
            dict[str, int],
            dict[str, list[int]],
        ]
        | None
    ) = None
    for i, first in enumerate(numbers):
        for depth in range(1, max_header_rows + 1):
            rows = tuple(numbers[i : i + depth])
            if len(rows) < depth or rows[-1] - rows[0] != depth - 1:
                break
            composites = _composites(grid, rows, covered)
            if not composites:
                continue
            columns, duplicates = _match(composites, spec)
            if not columns:
                continue
            score = (sum(1 for n in required if n in columns), len(columns), -depth, -first)
            if best is None or score > best[0]:
                best = (score, rows, composites, columns, duplicates)

    if best is None:
        probable = next(
            (
                (n, grid[n])
                for n in numbers
                if sum(1 for t in grid[n] if t and not detect_unit(t) == t) >= 2
            ),
            None,
        )
        found = (
            "、".join(f"{col_letter(c)}列“{t}”" for c, t in enumerate(probable[1]) if t)[:600]
            if probable
            else "（无）"
        )
        where = f"第{probable[0]}行的内容" if probable else "内容"
        need = "、".join(f"“{labels[n]}”" for n in required) or "、".join(
            f"“{f.label}”" for f in spec
        )
        return TableLayout(
            columns={},
            missing_required=required,
            message=f"在前{len(numbers)}行中没有找到表头：需要的列有 {need}；{where}为 {found}",
            labels=labels,
        )

    _, rows, composites, columns, duplicates = best
    layout = TableLayout(
        columns=dict(sorted(columns.items(), key=lambda kv: kv[1])),
        header_rows=rows,
        data_start_row=rows[-1] + 1,
        headers=composites,
        labels=labels,
    )
    taken = set(columns.values())
    layout.unmatched = {c: t for c, t in composites.items() if c not in taken}
    for name, c in columns.items():
        unit = _header_parts(composites[c])[2]
        if unit:
            layout.column_units[name] = unit
    for name, cols in duplicates.items():
        others = "、".join(col_letter(c) for c in cols)
        layout.warnings.append(
            f"“{labels[name]}”出现在多列：使用{col_letter(columns[name])}列，忽略{others}列"
        )

    # Units line and title: rows above the header; then header cells that state a unit
    # ("单位：万元" in the corner) without being a column of their own.
    above = [n for n in numbers if n < rows[0]]
    title_parts: list[str] = []
    unit_candidates: list[tuple[int, str]] = []
    for n in above:
        for text in dict.fromkeys(t for t in grid[n] if t):
            title_parts.append(text)
            unit = detect_unit(text)
            if unit:
                unit_candidates.append((0 if "单位" in text else 1, unit))
    for text in layout.unmatched.values():
        if "单位" in text and (unit := detect_unit(text.rsplit("|", 1)[-1])):
            unit_candidates.append((0, unit))
    if unit_candidates:
        layout.unit = min(unit_candidates, key=lambda t: t[0])[1]
    else:
        # No units line: when every money column states the same unit (工业总产值(万元) …),
        # that is the table's unit; mixed units stay per column (`unit_for`).
        money = {u for u in layout.column_units.values() if u in MONEY_UNITS}
        if len(money) == 1:
            layout.unit = money.pop()
    layout.title = " ".join(title_parts)

    missing = [n for n in required if n not in columns]
    if missing:
        layout.missing_required = missing
        names = "、".join(f"“{labels[n]}”" for n in missing)
        found = "、".join(f"{col_letter(c)}列“{t}”" for c, t in composites.items())
        hints = "；".join(
            f"“{f.label}”也可写作 " + "、".join(f"“{s}”" for s in f.synonyms[1:4])
            for f in spec
            if f.name in missing and len(f.synonyms) > 1
        )
        header_where = "、".join(str(r) for r in rows)
        layout.message = f"缺少必需的列：{names}。表头在第{header_where}行，找到的列：{found}" + (
            f"。{hints}" if hints else ""
        )
    return layout


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Record:
    """One data row: raw values by field, where they came from (sheet, row, column letters)."""

    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    values: dict[str, Any]  # field → raw cell value, untouched ('' when empty)
    cells: dict[str, str]  # field → column letter ("A", "AB"); shared by a layout's records
    raw: dict[str, Any] = field(default_factory=dict)  # header → text of every column (want_raw)
    hidden: bool = False  # the row is hidden in the file (imported all the same)
    has_error: bool = False  # a field's cell is a CellError (#N/A …, formula without result)

    def __reduce__(self) -> tuple[Any, ...]:
        # A plain tuple: a slots dataclass pickles through a Python-level __getstate__, and
        # the import engine spools hundreds of thousands of records (issue 16).
        return (
            Record,
            (self.sheet, self.row, self.values, self.cells, self.raw, self.hidden, self.has_error),
        )


# Rows that end a table: notes and the signature block of the official forms. "注" needs a
# colon, a digit or a list mark after it: 注塑科技有限公司 is an enterprise, not a note.
FOOTER_PATTERN: Final = re.compile(
    r"^(?:注[:：\d、.．(（\s]|注释|附注|备注[:：]|说明[:：\d、.．\s]|说明$|填表说明|填表人|填报人|制表人|"
    r"审核人|单位负责人|统计负责人|报出日期|联系电话|数据来源|资料来源)"
)
# First characters of the footer words, NFKC or not (注/註, 说明, 填表人 …): a cheap pre-check.
_FOOTER_INITIALS: Final = frozenset("注註附备備说說填制製审審单單统統报報联聯数數资資")
_TOTAL = re.compile(r"(?:总计|合计|小计|全部合计|总合计|本页合计|全园区合计|园区合计)")
_COLUMN_NUMBER_LABELS: Final = frozenset("甲乙丙丁戊己")


def _raw_text(value: Any) -> str:
    """A cell as text, kept as written (no NFKC: raw columns are stored as published)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _first_text(cells: Sequence[Any]) -> str:
    for value in cells:
        if not _is_blank(value):
            return "".join(unicodedata.normalize("NFKC", str(value)).split())
    return ""


def _is_column_number_row(cells: Sequence[Any]) -> bool:
    """The 甲/乙/丙/1/2/3 row under an official form's header."""
    texts = ["".join(str(v).split()) for v in cells if not _is_blank(v)]
    if len(texts) < 2:
        return False
    numbers: list[int] = []
    has_label = False
    for text in texts:
        if text in _COLUMN_NUMBER_LABELS:
            has_label = True
        elif re.fullmatch(r"\d{1,2}(?:\.0)?", text):
            numbers.append(int(float(text)))
        else:
            return False
    return has_label or (
        len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    )


def iter_records(
    sheet: Sheet,
    layout: TableLayout,
    *,
    on_skip: Callable[[int, str], None] | None = None,
    skip_totals: bool = True,
    want_raw: bool = False,
) -> Iterator[Record]:
    """Yield a `Record` per data row below the header; lazily, so any size streams.

    Skipped (reported to ``on_skip(row, reason)`` when given): blank rows; the 甲乙丙/1 2 3
    column-number row; 合计/总计/小计 rows (``skip_totals``); note and signature rows
    (`FOOTER_PATTERN`), after which only rows with at least two filled columns still count
    as data (a note's continuation lines have one).

    ``want_raw`` fills `Record.raw` with every header column's text as written (integral
    floats without ".0", no NFKC), for kinds that keep the source columns; it costs about as
    much as the rest of the reading, hence off by default.
    """
    columns = list(layout.columns.items())
    if not columns:
        return
    cells_map = layout.cells
    hidden = set(sheet.hidden_rows)
    in_footer = False
    max_col = max(c for _, c in columns)
    raw_headers = {c: t.replace("|", "") for c, t in layout.headers.items()} if want_raw else {}
    data_start = layout.data_start_row
    skip = on_skip or (lambda _row, _reason: None)
    names = [name for name, _ in columns]
    # The fields' cells of a row picked at C speed (a tuple, also for a single column).
    pick = itemgetter(*(c for _, c in columns)) if len(columns) > 1 else None
    only = columns[0][1]
    for number, cells in sheet.iter_rows():
        if number < data_start:
            continue
        if len(cells) <= max_col:
            cells = [*cells, *([""] * (max_col + 1 - len(cells)))]
        values = dict(zip(names, pick(cells) if pick is not None else (cells[only],), strict=True))
        filled = 0
        has_error = False
        for v in values.values():
            if v.__class__ is str:
                if v and not v.isspace():
                    filled += 1
            elif v is not None:
                filled += 1
                if v.__class__ is CellError:
                    has_error = True
        if not filled:
            continue
        # The checks below run on every row of a 470,000-row file: each starts with a test
        # that is false for ordinary data rows and costs next to nothing.
        lead: Any = ""
        for v in cells:
            if v != "" and v is not None:
                lead = v
                break
        if isinstance(lead, str) and lead.lstrip()[:1] in _FOOTER_INITIALS:
            if FOOTER_PATTERN.match(_first_text(cells)):
                in_footer = True
                skip(number, "表注或签章行，未导入")
                continue
        if in_footer and filled < 2:
            skip(number, "表注续行，未导入")
            continue
        if (
            skip_totals
            and "计" in "".join([v for v in cells[: max_col + 1] if v.__class__ is str])
            and any(
                isinstance(v, str) and "计" in v and _TOTAL.fullmatch("".join(v.split()))
                for v in cells[: max_col + 1]
            )
        ):
            skip(number, "合计行，未导入")
            continue
        if (
            (isinstance(lead, str) and lead.strip() in _COLUMN_NUMBER_LABELS)
            or (isinstance(lead, int | float) and not isinstance(lead, bool) and 0 <= lead <= 99)
        ) and _is_column_number_row(cells):
            skip(number, "栏次行（甲、乙、1、2…），未导入")
            continue
        raw = (
            {h: _raw_text(cells[c]) if c < len(cells) else "" for c, h in raw_headers.items()}
            if want_raw
            else {}
        )
        yield Record(sheet.name, number, values, cells_map, raw, number in hidden, has_error)


# --------------------------------------------------------------------------------------------
# Official forms (B204-1, B203): one enterprise per sheet
# --------------------------------------------------------------------------------------------
FORM_COLUMNS: Final = ("本年本月", "本年1-本月", "上年同期本月", "上年同期1-本月")
_FORM_SPEC: Final = (
    FieldSpec("指标名称", ("指标名称", "指标", "项目", "项目名称", "指标项目")),
    FieldSpec("计量单位", ("计量单位", "单位")),
    FieldSpec("代码", ("代码", "行次", "指标代码", "编码", "栏次代码"), required=True),
    FieldSpec("本年本月", ("本年本月", "本月", "当月")),
    FieldSpec("本年1-本月", ("本年1-本月", "1-本月", "本年累计", "累计")),
    FieldSpec("上年同期本月", ("上年同期本月", "上年同月")),
    FieldSpec("上年同期1-本月", ("上年同期1-本月", "上年同期累计", "上年累计")),
    FieldSpec("上年同期", ("上年同期",)),
)
_FORM_TITLES: Final = {"工业产销总值及主要产品产量": "B204-1", "财务状况": "B203"}
_USCC_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_NAME_LABEL = re.compile(
    r"(单位详细名称|单位名称|企业名称|企业\(单位\)名称|填报单位|报送单位|法人单位名称)[:：]?"
)
_PERIOD_IN_TEXT = re.compile(rf"(\d{{4}})年度?(?:1{_D}+)?(\d{{1,2}})月")
_STOP_LABELS = re.compile(r"有效期|文号|批准文号|制定机关|批准机关|表号")


def _code_text(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float) and float(value).is_integer():
        number = int(value)
        return f"{number:02d}" if 0 <= number < 10 else str(number)
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    if re.fullmatch(r"\d", text):
        return "0" + text
    return text if re.fullmatch(r"[0-9A-Za-z]+", text) else ""


def read_form_sheet(sheet: Sheet, *, head_rows: int = 40) -> dict[str, Any]:
    """Read an official single-enterprise form (B204-1, B203 layouts) from one sheet.

    Returns::

        {"form": "B204-1" | "B203" | None, "title": str, "sheet": name,
         "credit_code": str | None, "name": str | None,
         "period": Period | None, "period_text": str | None,
         "unit": str | None,                 # units line, else the rows' common money unit
         "header_rows": (8, 9), "columns": ["本年本月", ...],
         "rows": {"01": {"本年本月": raw, "本年1-本月": raw, ...}, ...},
         "cells": {"01": {"本年本月": "E11", ...}, ...},
         "row_numbers": {"01": 11}, "names": {"01": "一、工业总产值(当年价格)"},
         "row_units": {"01": "千元", "606": "人"}, "warnings": [...]}

    Column keys are `FORM_COLUMNS`. B203's "1-本月 | 上年同期" become "本年1-本月" and
    "上年同期1-本月" (its figures are year-to-date). Codes are text; a code typed as the number
    1 reads "01". Raw values are untouched. Raises `ReaderError` when no 代码 column is found.
    """
    head: list[Row] = []
    for item in sheet.iter_rows():
        head.append(item)
        if len(head) >= head_rows:
            break
    layout = locate_table(head, _FORM_SPEC, sheet.merged_ranges)
    value_fields = [f for f in (*FORM_COLUMNS, "上年同期") if f in layout.columns]
    if layout.missing_required or not value_fields:
        raise ReaderError(
            f"工作表“{sheet.name}”不像统计报表（需要“代码”列和“本月/1-本月/上年同期”栏）："
            + (layout.message or "没有找到数值栏")
        )
    warnings = list(layout.warnings)
    has_month = any(f in layout.columns for f in ("本年本月", "上年同期本月"))
    rename = {
        "上年同期": "上年同期本月"
        if has_month and "上年同期本月" not in layout.columns and "上年同期1-本月" in layout.columns
        else "上年同期1-本月"
    }
    if has_month and "上年同期" in layout.columns and "上年同期1-本月" in layout.columns:
        rename["上年同期"] = "上年同期本月"
    labels = [rename.get(f, f) for f in value_fields]

    # The block above the header: title, 表号, credit code, name, period, units line.
    top = [(n, cells) for n, cells in head if n < layout.header_rows[0]]
    title = next((_first_text(cells) for _, cells in top if _first_text(cells)), "")
    form: str | None = None
    credit_code: str | None = None
    name: str | None = None
    period: Period | None = None
    period_text: str | None = None
    unit_line: str | None = None
    for _, cells in top:
        texts = [_cell_text(v) for v in cells]
        compact = ["".join(t.split()) for t in texts]
        joined = "".join(compact)
        if form is None:
            match = re.search(r"表号[:：]?([A-Z]\d{3}(?:-\d+)?)", joined)
            if match:
                form = match.group(1)
        if unit_line is None:
            for t in texts:
                if (
                    "单位" in t
                    and not _NAME_LABEL.search("".join(t.split()))
                    and (u := detect_unit(t))
                ):
                    unit_line = u
                    break
        # Cut the row at labels that carry other dates (有效期至：2025年1月, 文号…).
        usable: list[str] = []
        for t in compact:
            if _STOP_LABELS.search(t):
                break
            usable.append(t)
        text = "".join(usable)
        if credit_code is None and "信用代码" in text:
            after = text.split("信用代码", 1)[1].lstrip(":：").upper()
            match = _USCC_RE.match(after) or re.match(r"[0-9A-Z]{18}", after)
            if match:
                credit_code = match.group(0)
        if name is None:
            for i, t in enumerate(usable):
                label = _NAME_LABEL.search(t)
                if not label:
                    continue
                rest = t[label.end() :]
                candidates = [rest] if rest else usable[i + 1 :]
                for candidate in candidates:
                    candidate = re.sub(r"[(（]盖章[)）]$", "", candidate)
                    candidate = (
                        _PERIOD_IN_TEXT.split(candidate)[0]
                        if _PERIOD_IN_TEXT.search(candidate)
                        else candidate
                    )
                    if candidate and not re.fullmatch(r"\d{1,4}|年|月|[:：]", candidate):
                        name = candidate
                        break
                break
        if period is None:
            for i, t in enumerate(usable):
                if t.startswith("报告期") and (t[3:].lstrip(":：") or i + 1 < len(usable)):
                    candidate = t[3:].lstrip(":：") or usable[i + 1]
                    try:
                        period, period_text = parse_period(candidate), candidate
                    except PeriodError:
                        pass
                    break
            if period is None:
                for value in cells:
                    if isinstance(value, dt.date):
                        period, period_text = Period(value.year, value.month), value.isoformat()
                        break
            if period is None:
                match = _PERIOD_IN_TEXT.search(text)
                if match:
                    period_text = match.group(0)
                    try:
                        period = Period(int(match.group(1)), int(match.group(2)))
                    except PeriodError:
                        warnings.append(f"报告期“{period_text}”无效")
    if credit_code is None:
        for _, cells in top:
            match = _USCC_RE.search("".join("".join(_cell_text(v).split()) for v in cells).upper())
            if match:
                credit_code = match.group(0)
                break
    if form is None:
        compact_title = "".join(title.split())
        form = next((code for t, code in _FORM_TITLES.items() if t in compact_title), None)

    code_col = layout.columns["代码"]
    name_col = layout.columns.get("指标名称")
    unit_col = layout.columns.get("计量单位")
    rows: dict[str, dict[str, Any]] = {}
    cells_out: dict[str, dict[str, str]] = {}
    row_numbers: dict[str, int] = {}
    names: dict[str, str] = {}
    row_units: dict[str, str] = {}
    for number, cells in sheet.iter_rows():
        if number < layout.data_start_row:
            continue
        if FOOTER_PATTERN.match(_first_text(cells)):
            break
        code = _code_text(cells[code_col]) if code_col < len(cells) else ""
        if not code:
            continue
        if code in rows:
            warnings.append(
                f"代码 {code} 在第{row_numbers[code]}行和第{number}行重复：使用第{row_numbers[code]}行"
            )
            continue
        row_numbers[code] = number
        rows[code] = {}
        cells_out[code] = {}
        for f, label in zip(value_fields, labels, strict=True):
            c = layout.columns[f]
            rows[code][label] = cells[c] if c < len(cells) else ""
            cells_out[code][label] = f"{col_letter(c)}{number}"
        if name_col is not None and name_col < len(cells):
            names[code] = _cell_text(cells[name_col])
        if unit_col is not None and unit_col < len(cells) and _cell_text(cells[unit_col]):
            row_units[code] = _cell_text(cells[unit_col])
    if not rows:
        warnings.append(f"工作表“{sheet.name}”的表头下没有带代码的指标行")
    unit = unit_line or layout.unit
    if unit is None:
        money = [u for u in row_units.values() if u in ("元", "千元", "万元", "百万元", "亿元")]
        if money:
            unit = max(set(money), key=money.count)
    return {
        "form": form,
        "title": title,
        "sheet": sheet.name,
        "credit_code": credit_code,
        "name": name,
        "period": period,
        "period_text": period_text,
        "unit": unit,
        "header_rows": layout.header_rows,
        "columns": labels,
        "rows": rows,
        "cells": cells_out,
        "row_numbers": row_numbers,
        "names": names,
        "row_units": row_units,
        "warnings": warnings,
    }
