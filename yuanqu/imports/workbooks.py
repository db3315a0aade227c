"""Excel out: import templates, exports of every kind, the printable summary, error reports.

Exports use the same Chinese headers as the templates, so an exported file imports back.
Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is neutralised: written as
a text cell with Excel's quote prefix (the hidden apostrophe of the cell's style, so the value
itself — a name like “-3有限公司” — is unchanged and imports back as it was); numbers stay
numbers (Decimal, exact).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yuanqu.imports.engine import IMPORTERS, FieldSpec, load_kinds

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
ERROR_FILL = PatternFill("solid", fgColor="F4C7C3")
WARNING_FILL = PatternFill("solid", fgColor="FCE8B2")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Text that a spreadsheet would run as a formula when the cell is edited or pasted."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def protect(cell: Any) -> Any:
    """Make a formula-like text cell plain text with the quote prefix (Excel's hidden '):
    shown and stored as written, never evaluated. Other cells are left as they are."""
    if formula_like(cell.value):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        cell.quotePrefix = True
    return cell


def append_row(ws: Any, row: Iterable[Any]) -> None:
    """`ws.append` for a normal worksheet, with formula-like text protected."""
    values = list(row)
    ws.append(values)
    if any(formula_like(v) for v in values):
        for cell in ws[ws.max_row]:
            protect(cell)


def _header_label(spec: FieldSpec) -> str:
    if spec.unit and spec.unit not in {"千元"} and spec.unit not in spec.label:
        return f"{spec.label}({spec.unit})" if "(" not in spec.label else spec.label
    return spec.label


def _style_header(ws: Any, row: int, count: int) -> None:
    for col in range(1, count + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(ws: Any, headers: list[str]) -> None:
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(h) * 2 + 2))


def _to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def template_workbook(kind: str) -> bytes:
    """A downloadable template: Chinese headers with units, dropdowns, an example row, notes."""
    load_kinds()
    cls = IMPORTERS[kind]
    specs = [f for f in cls.fields if not f.name.startswith("x") and f.name != "seq"]
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    amount_unit = "千元" if kind == "enterprise-reports" else ""
    header_row = 1
    if amount_unit:
        ws.append([f"单位：{amount_unit}（用电量：万千瓦时；平均用工人数：人）"])
        header_row = 2
    headers = [_header_label(f) for f in specs]
    ws.append(headers)
    _style_header(ws, header_row, len(headers))
    append_row(ws, [f.example if f.example != "" else None for f in specs])
    for i, f in enumerate(specs, start=1):
        if f.choices:
            dv = DataValidation(
                type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True
            )
            dv.error = f"请从下拉列表中选择：{'、'.join(f.choices)}"
            dv.errorTitle = "取值无效"
            dv.prompt = f.help or f"可选：{'、'.join(f.choices)}"
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(i)}{header_row + 1}:{get_column_letter(i)}5000")
        if f.required:
            ws.cell(row=header_row, column=i).font = Font(bold=True, color="B3261E")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _widths(ws, headers)
    notes = wb.create_sheet("填写说明")
    notes.append([f"{cls.label}导入模板（命令行类型代码：{kind}）"])
    notes.append(["列名", "必填", "单位", "说明"])
    _style_header(notes, 2, 4)
    for f in specs:
        notes.append(
            [
                _header_label(f),
                "是" if f.required else "",
                f.unit,
                f.help or ("可选：" + "、".join(f.choices) if f.choices else ""),
            ]
        )
    notes.append([])
    notes.append(
        ["说明：列按表头名称识别（可调整顺序，可增删可选列）；第一行示例数据请删除或替换。"]
    )
    notes.append(
        [
            "“—”、“-”或空白视为空（报表数值视为0）；数字可带千分位；报告期可写 2022-09、2022年9月、202209。"
        ]
    )
    notes.column_dimensions["A"].width = 32
    notes.column_dimensions["D"].width = 60
    return _to_bytes(wb)


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------


@dataclass
class Export:
    title: str
    headers: list[str]
    rows: Iterable[list[Any]]
    unit_line: str = ""
    number_formats: dict[int, str] | None = None
    # A form as parks keep it (the 调度表): the title on top, then a two-row header where each
    # group (first column, span, label) spans its columns and the others are merged downwards.
    header_groups: tuple[tuple[int, int, str], ...] = ()


Exporter = Callable[..., Export]
# kind → function, filled by `load_exporters` from the installed modules' declarations.
EXPORTERS: dict[str, Exporter] = {}


def exporter(kind: str, *, park_wide: bool = False) -> Callable[[Exporter], Exporter]:
    """Marks an export function for readers; it is offered only when a module declares it
    (`ModuleSpec.exporters`, with its Chinese label), so a module not installed exports nothing.
    `park_wide` kinds (every enterprise of a park, the park's indicators and targets) are asked
    of the access policy first: enterprise users never get them."""

    def wrap(fn: Exporter) -> Exporter:
        fn.park_wide = park_wide  # type: ignore[attr-defined]
        return fn

    return wrap


def export_label(kind: str) -> str:
    from yuanqu.core.modules import exporters

    found = exporters().get(kind)
    return found.label if found else kind


def export_workbook(export: Export) -> bytes:
    """A plain, re-importable export (write-only, so large exports stay flat in memory)."""
    if export.header_groups:
        return form_workbook(export)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.freeze_panes = "A3" if export.unit_line else "A2"
    if export.unit_line:
        ws.append([export.unit_line])
    ws.append(export.headers)
    formats = export.number_formats or {}
    from openpyxl.cell import WriteOnlyCell

    for row in export.rows:
        cells = []
        for i, value in enumerate(row):
            cell = protect(WriteOnlyCell(ws, value=value))
            if i in formats and isinstance(value, Decimal | int | float):
                cell.number_format = formats[i]
            cells.append(cell)
        ws.append(cells)
    return _to_bytes(wb)


def form_workbook(export: Export) -> bytes:
    """An export in a park's own form layout, which the importer reads back: title row, units
    line, a two-row merged header (`Export.header_groups`), borders, printable landscape A4.
    Forms are short (one park's projects), so a normal, merge-capable workbook is fine."""
    return _printed(export, sheet="数据", subtitle=export.unit_line)


def print_workbook(export: Export, *, subtitle: str = "") -> bytes:
    """A summary table formatted for printing: title, units line, borders, landscape A4,
    header rows repeated on each page, fit to one page wide, page numbers in the footer."""
    return _printed(export, sheet="汇总表", subtitle=subtitle or export.unit_line)


def _printed(export: Export, *, sheet: str, subtitle: str) -> bytes:
    """Title and units line merged across the table, the header (one row, or two when
    `header_groups` span columns: the others merged downwards), bordered rows, A4 landscape."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    n = len(export.headers)
    ws.append([export.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    ws["A2"].alignment = Alignment(horizontal="right")
    last_header = 3 + _header(ws, export)
    for row in export.rows:
        append_row(ws, row)
        r = ws.max_row
        for c in range(1, n + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BORDER
            if c - 1 in (export.number_formats or {}):
                cell.number_format = (export.number_formats or {})[c - 1]
    _widths(ws, export.headers)
    if not export.header_groups:
        ws.column_dimensions["B"].width = 34
    ws.print_title_rows = f"3:{last_header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = f"{'C' if export.header_groups else 'A'}{last_header + 1}"
    return _to_bytes(wb)


def _header(ws: Any, export: Export) -> int:
    """Write the header from row 3; returns the number of extra rows (0 or 1)."""
    n = len(export.headers)
    if not export.header_groups:
        ws.append(export.headers)
        _style_header(ws, 3, n)
        return 0
    grouped = {first: (span, label) for first, span, label in export.header_groups}
    upper: list[str] = []
    lower: list[str] = []
    inside = 0
    for i, header in enumerate(export.headers):
        if i in grouped:
            inside = grouped[i][0]
            upper.append(grouped[i][1])
        else:
            upper.append("" if inside else header)
        lower.append(header if inside else "")
        inside = max(0, inside - 1)
    ws.append(upper)
    ws.append(lower)
    for i in range(n):
        if i in grouped:
            ws.merge_cells(start_row=3, start_column=i + 1, end_row=3, end_column=i + grouped[i][0])
        elif not lower[i]:
            ws.merge_cells(start_row=3, start_column=i + 1, end_row=4, end_column=i + 1)
    _style_header(ws, 3, n)
    _style_header(ws, 4, n)
    return 1


def run_export(kind: str, *, user: Any = None, **filters: Any) -> tuple[Export, bytes]:
    """Run an export in the reader's scope (`user=None`: the command-line operator). Raises
    ValueError for an unknown kind or bad filters, ScopeDenied for what the reader may not
    read: park-wide kinds for enterprise users, a park outside its scope."""
    load_exporters()
    if kind not in EXPORTERS:
        known = "、".join(f"{export_label(k)}（{k}）" for k in sorted(EXPORTERS))
        raise ValueError(f"未知的导出类型“{kind}”；可用：{known}")
    if user is not None:
        from yuanqu.accounts import policy
        from yuanqu.accounts.scopes import ScopeDenied, parks_for

        park = filters.get("park")
        if getattr(EXPORTERS[kind], "park_wide", False):
            if not policy.reads_park_wide(user):
                raise ScopeDenied("企业用户只能导出本企业的数据，不能导出园区汇总数据")
            if park:
                policy.park_readable(user, park)  # ScopeDenied (404) outside the reader's scope
        elif park and not parks_for(user).filter(code=park).exists():
            # Not an empty file: a park outside the scope is not confirmed to exist (404).
            raise ScopeDenied(f"园区“{park}”不存在或无权访问")
    export = EXPORTERS[kind](user=user, **filters)
    if kind.endswith("-summary"):
        return export, print_workbook(export)
    return export, export_workbook(export)


def load_exporters() -> None:
    """The export kinds the installed modules declare (`ModuleSpec.exporters`)."""
    from yuanqu.core.modules import exporters, resolve

    found = {key: resolve(e.target) for key, e in exporters().items()}
    if found != EXPORTERS:
        EXPORTERS.clear()
        EXPORTERS.update(found)


# ---------------------------------------------------------------------------------------------
# Error report
# ---------------------------------------------------------------------------------------------


def error_report(path: Path, issues: list[dict[str, Any]]) -> bytes:
    """The uploaded workbook with bad cells highlighted and an error column per sheet.

    .xlsx files are annotated in place (formatting kept); other formats are copied cell by
    cell into a new .xlsx first.
    """
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        wb = load_workbook(path)
    else:
        wb = _copy_to_workbook(path)
    by_sheet: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for issue in issues:
        if issue.get("row") is None:
            continue
        sheet = issue.get("sheet") or wb.sheetnames[0]
        by_sheet.setdefault(sheet, {}).setdefault(int(issue["row"]), []).append(issue)
    for sheet_name, rows in by_sheet.items():
        if sheet_name not in wb.sheetnames:
            continue
        ws = wb[sheet_name]
        col = ws.max_column + 1
        header = _header_row(ws, min(rows))
        ws.cell(row=header, column=col, value="错误说明").font = Font(bold=True, color="B3261E")
        for row, row_issues in rows.items():
            texts = []
            for issue in row_issues:
                label = "错误" if issue["level"] == "error" else "警告"
                where = f"{issue['column']}列" if issue.get("column") else ""
                texts.append(
                    f"[{label}]{where}{(issue.get('field') and '（' + issue['field'] + '）') or ''}：{issue['message']}"
                )
                if issue.get("column"):
                    cell = ws[f"{issue['column']}{row}"]
                    cell.fill = ERROR_FILL if issue["level"] == "error" else WARNING_FILL
                    cell.comment = Comment(issue["message"], "yuanqu")
            note = ws.cell(row=row, column=col, value="；".join(texts))
            note.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = 60
    return _to_bytes(wb)


def _header_row(ws: Any, first_issue_row: int) -> int:
    """The table's header row: above the first row with an issue, the first of the fullest
    rows (a title or a 单位：千元 line has one cell; a two-row header's lower row is full)."""
    best, best_count = 1, 0
    for number, cells in enumerate(
        ws.iter_rows(min_row=1, max_row=max(min(first_issue_row - 1, 30), 1), values_only=True),
        start=1,
    ):
        count = sum(1 for v in cells if v not in (None, ""))
        if count > best_count:
            best, best_count = number, count
    return best


def _copy_to_workbook(path: Path) -> Workbook:
    from django.conf import settings

    from yuanqu.imports.readers import open_workbook

    source = open_workbook(path, max_bytes=settings.YUANQU_IMPORT_MAX_BYTES)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in source.sheets:
        ws = wb.create_sheet(sheet.name[:31])
        for rownum, cells in sheet.iter_rows():
            for c, value in enumerate(cells, start=1):
                if value not in ("", None):
                    protect(ws.cell(row=rownum, column=c, value=value))
    return wb
