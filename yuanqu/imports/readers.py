"""Reading what people actually send: .xlsx/.xlsm, .xls, .et, .ods and .csv (UTF-8 or GBK).

The reader turns a file into sheets of rows with the spreadsheet's own 1-based row numbers,
finds the table (title rows above it, a one- or two-row merged header, a units line), matches
columns by header name with synonyms — never by position — and yields records keyed by field
name. Values are left raw; the importers parse them (core.numbers, core.periods).

Files are checked before they are read: size, zip bombs, macros and embedded objects.
Formulas are never evaluated (calamine reads the cached values).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yuanqu.core.numbers import detect_unit

HEADER_SCAN_ROWS = 30
FOOTNOTE_PREFIXES = (
    "注：",
    "注:",
    "注 ",
    "说明",
    "填表人",
    "单位负责人",
    "统计负责人",
    "报出日期",
    "审核人",
    "制表",
    "备注：",
    "资料来源",
    "数据来源",
)
MAX_UNPACKED_BYTES = 2 * 1024**3


class ReaderError(ValueError):
    """A file that cannot be read; the message is Chinese and says what to do."""


@dataclass
class FieldSpec:
    name: str
    synonyms: list[str]
    required: bool = False


@dataclass
class TableLayout:
    header_row: int  # 1-based row of the (last) header row
    header_rows: int  # 1 or 2
    columns: dict[str, int]  # field → 0-based column
    headers: dict[int, str]  # column → header text as written (composite "上|下" for two rows)
    unit: str | None = None
    column_units: dict[str, str] = field(default_factory=dict)
    missing_required: list[str] = field(default_factory=list)
    message: str = ""


@dataclass
class Record:
    sheet: str
    row: int
    values: dict[str, Any]
    cells: dict[str, str]
    raw: dict[str, Any] = field(default_factory=dict)


def col_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_UNIT_SUFFIX = re.compile(
    r"[\(（\[【]\s*(千元|万元|亿元|元|公顷|亩|万千瓦时|千瓦时|人|%|万美元|美元|个)\s*[\)）\]】]"
)
_DROP = re.compile(r"[\s\(\)（）\[\]【】:：|/、，,.。·]")


def norm_header(text: Any) -> str:
    """Normalise a header for matching: NFKC, no spaces, brackets or units, one kind of dash."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    s = _UNIT_SUFFIX.sub("", s)
    for dash in ("—", "–", "－", "～", "~", "至"):
        s = s.replace(dash, "-")
    s = _DROP.sub("", s)
    s = s.replace("去年同期", "上年同期")
    return s


def _raw_text(value: Any) -> str:
    """A cell as text, kept as written (no NFKC: raw columns are stored as published)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


# ---------------------------------------------------------------------------------------------
# Workbooks and sheets
# ---------------------------------------------------------------------------------------------


class Sheet:
    """One sheet: lazy rows with absolute 1-based row numbers and 0-based columns."""

    def __init__(
        self,
        name: str,
        rows_factory: Any,
        merged: list[tuple[int, int, int, int]],
        hidden_rows: list[int] | None = None,
    ) -> None:
        self.name = name
        self._rows_factory = rows_factory
        self.merged_ranges = merged
        self.hidden_rows = hidden_rows or []

    def iter_rows(self) -> Iterator[tuple[int, list[Any]]]:
        return self._rows_factory()


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]


def _check_zip(path: Path, max_ratio: int) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise ReaderError(
            f"文件“{path.name}”已损坏或不是有效的 Excel/ODS 文件：请用 Excel 或 WPS 重新另存"
        ) from exc
    names = [i.filename for i in infos]
    if any(n.lower().endswith("vbaproject.bin") or n.startswith("Basic/") for n in names):
        raise ReaderError(
            f"文件“{path.name}”包含宏（VBA）：为安全起见不予导入，请另存为不含宏的 .xlsx 后上传"
        )
    if any(
        n.startswith(("xl/embeddings/", "word/embeddings/")) or n.startswith("Object ")
        for n in names
    ):
        raise ReaderError(
            f"文件“{path.name}”包含嵌入对象：为安全起见不予导入，请删除嵌入对象或另存为纯数据表格"
        )
    unpacked = sum(i.file_size for i in infos)
    packed = max(path.stat().st_size, 1)
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > packed * max_ratio and unpacked > 50 * 1024**2):
        raise ReaderError(
            f"文件“{path.name}”解压后大小（{unpacked // 1024**2} MB）与文件大小不成比例，疑似压缩炸弹，不予导入"
        )


def open_workbook(path: Path, *, max_bytes: int, max_unpacked_ratio: int = 100) -> Workbook:
    """Open any supported file after the safety checks; raise ReaderError with a Chinese message."""
    path = Path(path)
    if not path.exists():
        raise ReaderError(f"文件不存在：{path}")
    size = path.stat().st_size
    if size > max_bytes:
        raise ReaderError(
            f"文件“{path.name}”为 {size // 1024**2} MB，超过上限 {max_bytes // 1024**2} MB：请拆分后导入"
        )
    if size == 0:
        raise ReaderError(f"文件“{path.name}”是空文件")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        return Workbook(path, [_csv_sheet(path)])
    if suffix in {".xlsx", ".xlsm", ".ods"}:
        _check_zip(path, max_unpacked_ratio)
    elif suffix not in {".xls", ".et"}:
        raise ReaderError(f"不支持的文件类型“{suffix}”：请使用 .xlsx、.xls、.et、.ods 或 .csv")
    return _calamine_workbook(path, suffix)


def _calamine_workbook(path: Path, suffix: str) -> Workbook:
    import python_calamine as pc

    try:
        if suffix == ".et":
            # WPS .et files are usually BIFF (.xls) inside; read them as such.
            with path.open("rb") as fh:
                wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
        else:
            wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        if suffix == ".et":
            raise ReaderError(
                f"无法读取 WPS 文件“{path.name}”：请在 WPS 中“另存为”Excel 工作簿（.xlsx）后上传"
            ) from exc
        raise ReaderError(
            f"无法读取文件“{path.name}”（{exc}）：请用 Excel 或 WPS 打开后另存为 .xlsx"
        ) from exc
    hidden = _xlsx_hidden_rows(path) if suffix in {".xlsx", ".xlsm"} else {}
    sheets = []
    for name in wb.sheet_names:
        ws = wb.get_sheet_by_name(name)
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]

        def rows(ws: Any = ws) -> Iterator[tuple[int, list[Any]]]:
            start_row, start_col = ws.start if ws.start else (0, 0)
            pad = [""] * start_col
            for i, cells in enumerate(ws.iter_rows()):
                yield start_row + i + 1, pad + list(cells) if start_col else list(cells)

        sheets.append(Sheet(name, rows, merged, hidden.get(name, [])))
    return Workbook(path, sheets)


_ROW_HIDDEN = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)


def _xlsx_hidden_rows(path: Path) -> dict[str, list[int]]:
    """Hidden rows per sheet of an .xlsx (calamine cannot see them; we warn about them)."""
    found: dict[str, list[int]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            wb_xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
            targets.update(
                {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
            )
            for name, rid in re.findall(r'<sheet\b[^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb_xml):
                target = targets.get(rid, "")
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if member not in zf.namelist():
                    continue
                rows: list[int] = []
                tail = b""
                with zf.open(member) as fh:
                    while chunk := fh.read(1 << 20):
                        data = tail + chunk
                        cut = data.rfind(b"<row")
                        scan, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                        for m in _ROW_HIDDEN.finditer(scan):
                            rows.append(int(m.group(1) or m.group(2)))
                for m in _ROW_HIDDEN.finditer(tail):
                    rows.append(int(m.group(1) or m.group(2)))
                if rows:
                    found[unicodedata.normalize("NFC", name)] = sorted(set(rows))
    except (KeyError, zipfile.BadZipFile):
        return {}
    return found


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReaderError(f"无法识别文件“{name}”的编码：请另存为 UTF-8 或 GBK 编码的 CSV")


def _csv_sheet(path: Path) -> Sheet:
    text = _decode(path.read_bytes(), path.name)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel

    def rows() -> Iterator[tuple[int, list[Any]]]:
        yield from enumerate(csv.reader(io.StringIO(text), dialect), start=1)

    return Sheet(path.stem, rows, [])


# ---------------------------------------------------------------------------------------------
# Finding the table
# ---------------------------------------------------------------------------------------------


def _fill_merged(
    cells: list[Any], row_index0: int, merged: list[tuple[int, int, int, int]]
) -> list[str]:
    """Header cells with a horizontally merged value copied over its whole range."""
    out = [_cell_text(c) for c in cells]
    for r0, c0, r1, c1 in merged:
        if r0 <= row_index0 <= r1 and c1 > c0:
            value = out[c0] if c0 < len(out) else ""
            if r0 < row_index0:
                continue  # a vertical merge from above: the upper row carries the text
            for c in range(c0 + 1, c1 + 1):
                if c < len(out):
                    out[c] = value
                else:
                    out.extend([""] * (c - len(out)) + [value])
    return out


def _match(headers: dict[int, str], lookup: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for col, text in headers.items():
        key = norm_header(text)
        field_name = lookup.get(key)
        if field_name and field_name not in columns:
            columns[field_name] = col
    return columns


def locate_table(
    head: list[tuple[int, list[Any]]],
    spec: list[FieldSpec],
    merged: list[tuple[int, int, int, int]] | None = None,
) -> TableLayout:
    """Find the header row(s) in the first rows of a sheet and map columns to fields."""
    merged = merged or []
    lookup: dict[str, str] = {}
    for f in spec:
        for syn in [f.name, *f.synonyms]:
            lookup.setdefault(norm_header(syn), f.name)
    best: TableLayout | None = None
    best_score = (0, 0)
    unit: str | None = None
    for idx, (rownum, cells) in enumerate(head[:HEADER_SCAN_ROWS]):
        texts = [_cell_text(c) for c in cells]
        joined = "".join(texts)
        if "单位" in joined and len([t for t in texts if t]) <= 3:
            unit = detect_unit(joined) or unit
        candidates = []
        one = {c: t for c, t in enumerate(_fill_merged(cells, rownum - 1, merged)) if t}
        candidates.append((1, one, rownum))
        if idx + 1 < len(head):
            next_num, next_cells = head[idx + 1]
            top = _fill_merged(cells, rownum - 1, merged)
            bottom = _fill_merged(next_cells, next_num - 1, merged)
            width = max(len(top), len(bottom))
            two = {}
            for c in range(width):
                t = top[c] if c < len(top) else ""
                b = bottom[c] if c < len(bottom) else ""
                if t and b and t != b:
                    two[c] = f"{t}|{b}"
                elif t or b:
                    two[c] = t or b
            candidates.append((2, two, next_num))
        for rows_used, headers, last_row in candidates:
            columns = _match(headers, lookup)
            required = sum(1 for f in spec if f.required and f.name in columns)
            score = (required, len(columns))
            if score > best_score:
                best_score = score
                best = TableLayout(
                    header_row=last_row,
                    header_rows=rows_used,
                    columns=columns,
                    headers=headers,
                    unit=unit,
                )
    all_required = [f for f in spec if f.required]
    if best is None:
        found = "、".join(t for _, cells in head[:5] for t in (_cell_text(c) for c in cells) if t)[
            :200
        ]
        names = "、".join(f.synonyms[0] if f.synonyms else f.name for f in all_required)
        return TableLayout(
            0,
            1,
            {},
            {},
            unit,
            missing_required=[f.name for f in all_required],
            message=f"没有找到表头：需要包含列 {names}；文件开头的内容为：{found or '（空）'}",
        )
    missing = [f for f in all_required if f.name not in best.columns]
    if missing:
        names = "、".join(f.synonyms[0] if f.synonyms else f.name for f in missing)
        found = "、".join(t for t in best.headers.values())[:300]
        best.missing_required = [f.name for f in missing]
        best.message = f"第{best.header_row}行的表头缺少必填列：{names}（找到的列：{found}）"
    # A unit stated inside a header (工业总产值(万元)) applies to that column.
    for field_name, col in best.columns.items():
        u = detect_unit(best.headers.get(col, ""))
        if u:
            best.column_units[field_name] = u
    if best.unit is None:
        units = set(best.column_units.values()) - {"人", "亩", "公顷", "万千瓦时", "%"}
        if len(units) == 1:
            best.unit = units.pop()
    return best


def iter_records(sheet: Sheet, layout: TableLayout, *, want_raw: bool = False) -> Iterator[Record]:
    """The data rows below the header as records; blank rows and footnotes are skipped.

    `want_raw` adds every column's text under its header (for kinds that keep raw columns);
    it is off by default because it costs as much as the rest of the reading.
    """
    columns = list(layout.columns.items())
    letters = {f: col_letter(c) for f, c in columns}
    headers = {c: t.replace("|", "") for c, t in layout.headers.items()}
    header_row = layout.header_row
    for rownum, cells in sheet.iter_rows():
        if rownum <= header_row:
            continue
        n = len(cells)
        values = {f: cells[c] if c < n else "" for f, c in columns}
        if not any(v.strip() if isinstance(v, str) else v is not None for v in values.values()):
            continue
        first = next((v for v in cells if v != "" and v is not None), None)
        if isinstance(first, str) and first.strip().startswith(FOOTNOTE_PREFIXES):
            continue
        raw = (
            {h: _raw_text(cells[c]) if c < n else "" for c, h in headers.items()}
            if want_raw
            else {}
        )
        yield Record(sheet.name, rownum, values, letters, raw)
