"""The reading layer (yuanqu.imports.readers): real-program files, layouts, safety, streaming.

Fixtures are made inside the tests: .xlsx with openpyxl (plain values), then .xls/.ods/.xlsx
through LibreOffice so that the files are what a real program writes. No Django, no database.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import subprocess
import tracemalloc
import uuid
import zipfile
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from yuanqu.core.numbers import parse_decimal
from yuanqu.core.periods import Period
from yuanqu.imports.readers import (
    CellError,
    FieldSpec,
    ReaderError,
    Record,
    col_index,
    col_letter,
    header_key,
    iter_records,
    locate_table,
    open_workbook,
    read_form_sheet,
)

MAX = 50 * 1024 * 1024


# ------------------------------------------------------------------------------------------
# Tools
# ------------------------------------------------------------------------------------------
def require_tool(name: str) -> str:
    """The tool's path; skip when missing, but fail under YUANQU_REQUIRE_ALL=1 (CI)."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} 未安装（LibreOffice），跳过用真实程序生成 .xls/.ods 的测试"
    if os.environ.get("YUANQU_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason}；YUANQU_REQUIRE_ALL=1 要求必须运行")
    pytest.skip(reason)


def soffice_convert_many(sources: list[Path], targets: list[str], outdir: Path) -> None:
    """Convert every source to every target format, one LibreOffice profile per process.

    Two conversions sharing a profile at once fail silently (TRAPS.md): each process gets its
    own ``-env:UserInstallation``; the target formats run in parallel.
    """
    soffice = require_tool("soffice")
    procs = []
    for target in targets:
        dest = outdir / target
        dest.mkdir(parents=True, exist_ok=True)
        profile = outdir / f"lo_profile_{target}_{uuid.uuid4().hex}"
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(dest),
            *map(str, sources),
        ]
        procs.append(
            (target, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        )
    for target, proc in procs:
        out, err = proc.communicate(timeout=180)
        for src in sources:
            made = outdir / target / (src.stem + "." + target)
            assert made.exists(), f"LibreOffice did not write {made}: {out!r} {err!r}"


def trimmed(rows: Any) -> list[tuple[int, list[Any]]]:
    """Rows without trailing empty cells (calamine pads rows to the sheet's width)."""
    result = []
    for number, cells in rows:
        cells = list(cells)
        while cells and cells[-1] == "":
            cells.pop()
        result.append((number, cells))
    return result


def head_of(sheet: Any, n: int = 30) -> list[tuple[int, list[Any]]]:
    head = []
    for item in sheet.iter_rows():
        head.append(item)
        if len(head) >= n:
            break
    return head


def comparable(value: Any) -> Any:
    """A value as the engine will see it: numbers (float from .xlsx, int from .xls) as Decimal."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_decimal(value).normalize()
    return value


# ------------------------------------------------------------------------------------------
# Fixtures: the enterprise-reports table as real files look
# ------------------------------------------------------------------------------------------
CODE1 = "91350100M000100Y43"
CODE2 = "91350100MA2XYZ1234"
CODE3 = "91350100MA3ABCDE5F"

SPEC = [
    FieldSpec("credit_code", ["统一社会信用代码", "信用代码", "社会信用代码"], required=True),
    FieldSpec("name", ["企业名称", "单位名称"]),
    FieldSpec("period", ["报告期", "统计期"], required=True),
    FieldSpec("output_month", ["工业总产值(本月)"]),
    FieldSpec("output_ytd", ["工业总产值(1-本月)"]),
    FieldSpec("output_month_ly", ["工业总产值上年同期(本月)"]),
    FieldSpec("output_ytd_ly", ["工业总产值上年同期(1-本月)"]),
    FieldSpec("revenue_ytd", ["营业收入(1-本月)"]),
    FieldSpec("revenue_ytd_ly", ["营业收入上年同期(1-本月)", "营业收入上年同期"]),
]


def write_realistic(path: Path) -> Path:
    """Title row, units line, two-row merged header, text numbers, hidden row, total, notes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "9月报表"
    ws["A1"] = "2022年1-9月规上工业企业主要经济指标"
    ws.merge_cells("A1:I1")
    ws["H2"] = "单位：千元"
    top = {"A3": "统一社会信用代码", "B3": "企业名称", "C3": "报告期", "D3": "工业总产值"}
    top |= {"H3": "营业收入"}
    for ref, text in top.items():
        ws[ref] = text
    for ref in ("A3:A4", "B3:B4", "C3:C4", "D3:G3", "H3:I3"):
        ws.merge_cells(ref)
    bottom = ["本年本月", "本年1—本月", "上年同期本月", "上年同期1～本月", "1-本月", "去年同期"]
    for i, text in enumerate(bottom):
        ws.cell(row=4, column=4 + i, value=text)
    rows = {
        5: [
            CODE1,
            "甲精密制造有限公司",
            "2022年9月",
            "1,234.50",
            "１２３４５．６",
            "—",
            1000,
            2000.5,
            "",
        ],
        6: [CODE2, "乙新材料有限公司", "2022-09", 10, 90, 8, 70, "３,０００", 2500],
        8: [
            "９１３５０１００ＭＡ３ＡＢＣＤＥ５Ｆ",
            "丙科技有限公司",
            202209,
            "0",
            "-",
            "/",
            "",
            12,
            11,
        ],
        9: ["", "合  计", "", 1244.5, "", "", "", "", ""],
        10: ["注：1. 本表数据来源于联网直报平台。"],
        11: ["2. 报送时间为月后7日。"],
        12: ["填表人：张三", "", "报出日期：2022年10月8日"],
    }
    for number, values in rows.items():
        for col, value in enumerate(values, start=1):
            ws.cell(row=number, column=col, value=value)
    ws.row_dimensions[6].hidden = True
    wb.save(path)
    return path


def write_offset_table(path: Path) -> Path:
    """Leading empty rows and column A empty: row numbers and letters must stay the sheet's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    headers = ["信用代码", "企业名称", "报告期", "工业总产值(本月)(万元)", "营业收入（1－本月）"]
    for i, text in enumerate(headers):
        ws.cell(row=4, column=2 + i, value=text)
    ws.cell(row=5, column=2, value=CODE1)
    ws.cell(row=5, column=3, value="甲")
    ws.cell(row=5, column=4, value=dt.datetime(2022, 9, 1))
    ws.cell(row=5, column=5, value=12.5)
    ws.cell(row=5, column=6, value="1,000")
    wb.save(path)
    return path


def write_formula_error(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "报告期", "工业总产值(本月)", "营业收入(1-本月)"])
    ws.append([CODE1, "2022-09", "=1/0", 5])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def lo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The realistic table and the B204-1 form as LibreOffice writes them: xls, ods, xlsx."""
    require_tool("soffice")
    base = tmp_path_factory.mktemp("lo")
    sources = [
        write_realistic(base / "realistic.xlsx"),
        write_formula_error(base / "formula.xlsx"),
        write_b204_form(base / "b204.xlsx"),
    ]
    soffice_convert_many(sources, ["xls", "ods", "xlsx"], base)
    files = {}
    for src in sources:
        for target in ("xls", "ods", "xlsx"):
            files[f"{src.stem}.{target}"] = base / target / f"{src.stem}.{target}"
    return files


# ------------------------------------------------------------------------------------------
# Basic helpers
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert col_letter(index) == letters
    assert col_index(letters) == index


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("工业总产值上年同期(1—本月)", "工业总产值#1-本月,上年同期"),
        ("工业总产值|去年同期|1～本月", "工业总产值#1-本月,上年同期"),
        ("工业总产值(当年价格)|上年同期累计(千元)", "工业总产值#1-本月,上年同期"),
        ("工业总产值 | 本年本月", "工业总产值#本月"),
        ("工业总产值（本月）", "工业总产值#本月"),
        ("工业总产值(1-9月)", "工业总产值#1-本月"),
        ("本年|1-本月", "#1-本月"),
        ("上年同期", "#上年同期"),
        ("一、工业总产值(当年价格)", "工业总产值#"),
        ("其中:出口交货值", "出口交货值#"),
        ("营业收入(万元)(1-本月)", "营业收入#1-本月"),
        ("统 一 社 会 信 用 代 码", "统一社会信用代码#"),
        ("一般公共预算收入", "一般公共预算收入#"),
    ],
)
def test_header_key_normalises_spellings(text: str, key: str) -> None:
    assert header_key(text) == key


# ------------------------------------------------------------------------------------------
# The realistic table (openpyxl file)
# ------------------------------------------------------------------------------------------
def check_realistic(path: Path, *, stream: bool = False) -> tuple[Any, Any, list[Record]]:
    wb = open_workbook(path, max_bytes=MAX, stream_threshold=0 if stream else 1 << 40)
    assert [s.name for s in wb.sheets] == ["9月报表"]
    sheet = wb.sheets[0]
    layout = locate_table(head_of(sheet), SPEC, sheet.merged_ranges)
    assert layout.ok, layout.message
    assert layout.header_rows == (3, 4)
    assert layout.header_row == 4
    assert layout.data_start_row == 5
    assert layout.unit == "千元"
    assert "规上工业企业" in layout.title
    assert layout.cells == {
        "credit_code": "A",
        "name": "B",
        "period": "C",
        "output_month": "D",
        "output_ytd": "E",
        "output_month_ly": "F",
        "output_ytd_ly": "G",
        "revenue_ytd": "H",
        "revenue_ytd_ly": "I",
    }
    skipped: list[tuple[int, str]] = []
    records = list(iter_records(sheet, layout, on_skip=lambda r, why: skipped.append((r, why))))
    assert [r.row for r in records] == [5, 6, 8]
    assert [r for r, _ in skipped] == [9, 10, 11, 12]
    assert "合计" in skipped[0][1] and "表注" in skipped[1][1]
    assert sheet.hidden_rows == (6,)
    assert [r.hidden for r in records] == [False, True, False]
    assert all(r.sheet == "9月报表" for r in records)
    return wb, layout, records


def test_realistic_xlsx_two_row_merged_header(tmp_path: Path) -> None:
    _, _, records = check_realistic(write_realistic(tmp_path / "r.xlsx"))
    first = records[0]
    # Raw values untouched: text numbers with separators and full-width digits stay text.
    assert first.values["output_month"] == "1,234.50"
    assert first.values["output_ytd"] == "１２３４５．６"
    assert first.values["output_month_ly"] == "—"
    assert first.values["revenue_ytd_ly"] == ""
    assert first.cells["output_ytd"] == "E"
    assert parse_decimal(first.values["output_ytd"]) == Decimal("12345.6")
    assert parse_decimal(records[1].values["revenue_ytd"]) == Decimal("3000")
    assert records[2].values["period"] == 202209.0


def test_streaming_reader_gives_the_same_rows_as_calamine(tmp_path: Path) -> None:
    path = write_realistic(tmp_path / "r.xlsx")
    loaded, _, rec_a = check_realistic(path)
    streamed, _, rec_b = check_realistic(path, stream=True)
    assert type(streamed.sheets[0]).__name__ == "_XlsxStreamSheet"
    assert trimmed(loaded.sheets[0].iter_rows()) == trimmed(streamed.sheets[0].iter_rows())
    assert [r.values for r in rec_a] == [r.values for r in rec_b]
    assert sorted(loaded.sheets[0].merged_ranges) == sorted(streamed.sheets[0].merged_ranges)


def test_leading_empty_rows_and_columns_keep_sheet_coordinates(tmp_path: Path) -> None:
    path = write_offset_table(tmp_path / "o.xlsx")
    for threshold in (1 << 40, 0):
        sheet = open_workbook(path, max_bytes=MAX, stream_threshold=threshold).sheets[0]
        rows = trimmed(sheet.iter_rows())
        assert [n for n, _ in rows] == [4, 5]
        assert rows[0][1][0] == "" and rows[0][1][1] == "信用代码"
        layout = locate_table(rows, SPEC, sheet.merged_ranges)
        assert layout.ok, layout.message
        assert layout.cells["credit_code"] == "B" and layout.cells["revenue_ytd"] == "F"
        assert layout.column_units == {"output_month": "万元"}
        # No units line: the one money unit the headers state is the table's.
        assert layout.unit == "万元" and layout.unit_for("output_month") == "万元"
        (record,) = iter_records(sheet, layout)
        assert record.row == 5
        assert record.values["period"] == dt.date(2022, 9, 1)


def test_iter_rows_is_repeatable_and_lazy(tmp_path: Path) -> None:
    sheet = open_workbook(write_realistic(tmp_path / "r.xlsx"), max_bytes=MAX).sheets[0]
    it = sheet.iter_rows()
    assert iter(it) is it  # a generator, not a list
    assert next(it)[0] == 1
    assert list(sheet.iter_rows()) == list(sheet.iter_rows())


def test_missing_required_column_message_lists_found_headers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "报告期", "工业总产值(本月)"])
    wb.active.append(["甲", "2022-09", 1])
    wb.save(tmp_path / "m.xlsx")
    sheet = open_workbook(tmp_path / "m.xlsx", max_bytes=MAX).sheets[0]
    layout = locate_table(head_of(sheet), SPEC, sheet.merged_ranges)
    assert layout.missing_required == ["credit_code"]
    assert "缺少必需的列" in layout.message and "统一社会信用代码" in layout.message
    assert "A列“企业名称”" in layout.message and "第1行" in layout.message
    assert "信用代码" in layout.message  # the accepted alternatives are named


def test_no_header_at_all() -> None:
    head = [(1, ["随便写的", "内容"]), (2, [1, 2])]
    layout = locate_table(head, SPEC)
    assert (
        not layout.ok and "没有找到表头" in layout.message and "统一社会信用代码" in layout.message
    )


def test_mixed_header_units_stay_per_column() -> None:
    head = [(1, ["统一社会信用代码", "报告期", "工业总产值(本月)(万元)", "营业收入(1-本月)(千元)"])]
    layout = locate_table(head, SPEC)
    assert layout.unit is None
    assert layout.unit_for("output_month") == "万元" and layout.unit_for("revenue_ytd") == "千元"


def test_duplicate_column_is_reported() -> None:
    head = [(1, ["统一社会信用代码", "报告期", "信用代码"])]
    layout = locate_table(head, SPEC)
    assert layout.columns["credit_code"] == 0
    assert layout.warnings and "C列" in layout.warnings[0]


def test_two_row_header_without_merge_information() -> None:
    """CSV or "centre across selection": the group head is only over its first sub-column."""
    head = [
        (2, ["统一社会信用代码", "报告期", "工业总产值", "", "", "", "营业收入", ""]),
        (3, ["", "", "本月", "1-本月", "上年同期本月", "上年同期1-本月", "1-本月", "上年同期"]),
        (4, [CODE1, "2022-09", 1, 2, 3, 4, 5, 6]),
    ]
    layout = locate_table(head, SPEC, None)
    assert layout.ok and layout.header_rows == (2, 3)
    assert layout.columns["output_ytd_ly"] == 5 and layout.columns["revenue_ytd_ly"] == 7


def test_want_raw_keeps_every_column_as_written(tmp_path: Path) -> None:
    sheet = open_workbook(write_offset_table(tmp_path / "o.xlsx"), max_bytes=MAX).sheets[0]
    layout = locate_table(head_of(sheet), SPEC, sheet.merged_ranges)
    (record,) = iter_records(sheet, layout, want_raw=True)
    assert (
        record.raw["信用代码"] == CODE1 and record.raw["营业收入(1-本月)"] == "1,000"
    )  # header NFKC, value as written


# ------------------------------------------------------------------------------------------
# Real-program files (LibreOffice)
# ------------------------------------------------------------------------------------------
@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsx"])
def test_libreoffice_files_read_like_the_original(
    lo_files: dict[str, Path], fmt: str, tmp_path: Path
) -> None:
    original = list(check_realistic(write_realistic(tmp_path / "r.xlsx"))[2])
    wb, _, records = check_realistic(lo_files[f"realistic.{fmt}"])
    assert wb.format == fmt
    for a, b in zip(original, records, strict=True):
        assert a.row == b.row
        assert {k: comparable(v) for k, v in a.values.items()} == {
            k: comparable(v) for k, v in b.values.items()
        }
    assert (0, 0, 0, 8) in wb.sheets[0].merged_ranges  # the title, merged A1:I1


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsx"])
def test_formula_errors_are_not_silently_empty(lo_files: dict[str, Path], fmt: str) -> None:
    sheet = open_workbook(lo_files[f"formula.{fmt}"], max_bytes=MAX).sheets[0]
    layout = locate_table(head_of(sheet), SPEC, sheet.merged_ranges)
    (record,) = iter_records(sheet, layout)
    value = record.values["output_month"]
    assert isinstance(value, CellError) and value.error_code == "#DIV/0!"
    with pytest.raises(ValueError, match="公式错误"):
        parse_decimal(value)


@pytest.mark.libreoffice
def test_streamed_libreoffice_xlsx_matches(lo_files: dict[str, Path]) -> None:
    path = lo_files["realistic.xlsx"]
    a = open_workbook(path, max_bytes=MAX).sheets[0]
    b = open_workbook(path, max_bytes=MAX, stream_threshold=0).sheets[0]
    assert trimmed(a.iter_rows()) == trimmed(b.iter_rows())
    assert a.hidden_rows == b.hidden_rows == (6,)
    f = lo_files["formula.xlsx"]
    assert trimmed(open_workbook(f, max_bytes=MAX).sheets[0].iter_rows()) == trimmed(
        open_workbook(f, max_bytes=MAX, stream_threshold=0).sheets[0].iter_rows()
    )


@pytest.mark.libreoffice
def test_wps_et_is_read_as_xls(lo_files: dict[str, Path], tmp_path: Path) -> None:
    et = tmp_path / "企业报表.et"
    et.write_bytes(lo_files["realistic.xls"].read_bytes())
    wb = open_workbook(et, max_bytes=MAX)
    assert wb.format == "xls" and any(".et" in w for w in wb.warnings)
    check_realistic(et)


def test_broken_et_says_save_as_xlsx(tmp_path: Path) -> None:
    for content in (b"not a spreadsheet at all", b"\x00\x01\x02garbage" * 10):
        path = tmp_path / "broken.et"
        path.write_bytes(content)
        with pytest.raises(ReaderError, match=r"WPS.*另存为"):
            open_workbook(path, max_bytes=MAX)
    ole = tmp_path / "bad_ole.et"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReaderError, match=r"WPS.*另存为"):
        open_workbook(ole, max_bytes=MAX)


# ------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------
CSV_TEXT = (
    "2022年9月规上工业企业,,,\n"
    "统一社会信用代码,企业名称,报告期,工业总产值(本月)\n"
    f'{CODE1},甲精密制造有限公司,2022年9月,"1,234.50"\n'
    "\n"
    f"{CODE2},乙新材料有限公司,2022/09,１２３\n"
    "注：数据为快报数,,,\n"
)


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected_encoding"),
    [
        ("gbk", ",", "gb18030"),
        ("utf-8-sig", ",", "utf-8-sig"),
        ("utf-8", "\t", "utf-8-sig"),
        ("gbk", ";", "gb18030"),
    ],
)
def test_csv_encodings_and_delimiters(
    tmp_path: Path, encoding: str, delimiter: str, expected_encoding: str
) -> None:
    text = CSV_TEXT
    if delimiter != ",":
        text = text.replace(",", delimiter).replace(f'"1{delimiter}234.50"', "1,234.50")
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode(encoding))
    wb = open_workbook(path, max_bytes=MAX)
    assert wb.format == "csv" and wb.encoding == expected_encoding and wb.delimiter == delimiter
    sheet = wb.sheets[0]
    assert sheet.name == "data" and sheet.merged_ranges == []
    layout = locate_table(head_of(sheet), SPEC, sheet.merged_ranges)
    assert layout.ok, layout.message
    assert layout.header_rows == (2,)
    records = list(iter_records(sheet, layout))
    assert [r.row for r in records] == [3, 5]
    assert records[0].values["output_month"] == "1,234.50"
    assert records[0].values["name"] == "甲精密制造有限公司"
    assert records[1].values["output_month"] == "１２３"


def test_tab_text_named_xls_is_read_as_csv_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(CSV_TEXT.replace(",", "\t").replace('"1\t234.50"', "1234.50").encode("gbk"))
    wb = open_workbook(path, max_bytes=MAX)
    assert wb.format == "csv" and wb.delimiter == "\t"
    assert any("纯文本" in w for w in wb.warnings)


# ------------------------------------------------------------------------------------------
# Refusals and odd files
# ------------------------------------------------------------------------------------------
def _plain_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["统一社会信用代码", "报告期"])
    wb.active.append([CODE1, "2022-09"])
    wb.save(path)
    return path


def _copy_zip(src: Path, dst: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        for name, data in extra.items():
            zout.writestr(name, data)
    return dst


def test_macro_workbook_refused(tmp_path: Path) -> None:
    xlsm = _copy_zip(
        _plain_xlsx(tmp_path / "a.xlsx"), tmp_path / "a.xlsm", {"xl/vbaProject.bin": b"\x00" * 64}
    )
    with pytest.raises(ReaderError, match="宏"):
        open_workbook(xlsm, max_bytes=MAX)


def test_embedded_object_refused(tmp_path: Path) -> None:
    path = _copy_zip(
        _plain_xlsx(tmp_path / "a.xlsx"),
        tmp_path / "b.xlsx",
        {"xl/embeddings/oleObject1.bin": b"x"},
    )
    with pytest.raises(ReaderError, match="嵌入"):
        open_workbook(path, max_bytes=MAX)


def test_zip_bomb_refused(tmp_path: Path) -> None:
    src = _plain_xlsx(tmp_path / "a.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info, zin.read(info))
        sheet = zin.read("xl/worksheets/sheet1.xml")
        row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>AAAAAAAA</t></is></c></row>'
        with zout.open("xl/worksheets/sheet1.xml", "w") as fh:  # 40 MB of repetition, streamed
            fh.write(sheet.split(b"</sheetData>")[0])
            for _ in range(40 * 1024 * 1024 // (len(row) * 1000)):
                fh.write(row * 1000)
            fh.write(b"</sheetData></worksheet>")
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(ReaderError, match="压缩炸弹"):
        open_workbook(bomb, max_bytes=MAX)


def test_zip_that_lies_about_its_size_refused(tmp_path: Path) -> None:
    """Declared sizes pass the ratio check; the content is far bigger: caught while reading."""
    src = _plain_xlsx(tmp_path / "a.xlsx")
    liar = _copy_zip(src, tmp_path / "liar.xlsx", {"xl/media/pad.bin": b"\x00" * (8 * 1024 * 1024)})
    data = bytearray(liar.read_bytes())
    name = b"xl/media/pad.bin"
    # Patch the uncompressed size in the local header (offset 22) and central directory (24).
    local = data.find(b"PK\x03\x04")
    while local != -1:
        if data[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<I", data, local + 22, 1000)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<I", data, central + 24, 1000)
        central = data.find(b"PK\x01\x02", central + 4)
    liar.write_bytes(bytes(data))
    with pytest.raises(ReaderError, match=r"声明的大小不符|压缩炸弹"):
        open_workbook(liar, max_bytes=MAX)


def test_file_over_the_limit_refused(tmp_path: Path) -> None:
    path = _plain_xlsx(tmp_path / "a.xlsx")
    with pytest.raises(ReaderError, match="超过上限"):
        open_workbook(path, max_bytes=100)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
        ("report.xlsx", b"%PDF-1.4 ...", "PDF"),
        ("empty.csv", b"", "空文件"),
        (
            "x2003.xls",
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "2003",
        ),
    ],
)
def test_files_that_are_not_spreadsheets(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=message):
        open_workbook(path, max_bytes=MAX)


def test_word_document_refused(tmp_path: Path) -> None:
    path = tmp_path / "note.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    with pytest.raises(ReaderError, match="Word"):
        open_workbook(path, max_bytes=MAX)


def test_hidden_sheet_and_empty_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "空表"
    hidden = wb.create_sheet("选项")
    hidden.append(["统一社会信用代码"])
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "h.xlsx")
    book = open_workbook(tmp_path / "h.xlsx", max_bytes=MAX)
    assert [s.name for s in book.sheets] == ["空表"]
    assert book.hidden_sheets == ["选项"] and "隐藏工作表" in book.warnings[0]
    assert list(book.sheets[0].iter_rows()) == []
    assert not book.sheets[0].hidden_rows_warning


# ------------------------------------------------------------------------------------------
# Size: 10,000 rows stream
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["统一社会信用代码", "企业名称", "报告期", "工业总产值(本月)", "工业总产值(1-本月)"])
    for i in range(10_000):
        ws.append([f"91350100MA{i:08d}", f"企业{i}", "2022-09", i * 1.5, f"{i:,}.5"])
    wb.save(path)
    return path


@pytest.mark.parametrize("threshold", [1 << 40, 0], ids=["calamine", "stream"])
def test_ten_thousand_rows_stream(ten_thousand: Path, threshold: int) -> None:
    sheet = open_workbook(ten_thousand, max_bytes=MAX, stream_threshold=threshold).sheets[0]
    layout = locate_table(head_of(sheet), SPEC, sheet.merged_ranges)
    assert layout.ok

    def peak(work: Any) -> int:
        tracemalloc.start()
        try:
            work()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    first_thousand = peak(lambda: sum(1 for _ in islice(iter_records(sheet, layout), 1000)))
    all_rows = peak(lambda: sum(1 for _ in iter_records(sheet, layout)))
    held: list[Record] = []
    holding = peak(lambda: held.extend(iter_records(sheet, layout)))
    assert len(held) == 10_000 and held[0].row == 2 and held[-1].row == 10_001
    assert held[-1].values["output_ytd"] == "9,999.5"
    # Flat: reading 10,000 rows needs no more memory than reading 1,000; holding them does.
    assert all_rows < 1.5 * first_thousand, (first_thousand, all_rows)
    assert holding > 3 * all_rows, (all_rows, holding)


# ------------------------------------------------------------------------------------------
# Official forms (B204-1, B203): one enterprise per sheet
# ------------------------------------------------------------------------------------------
def write_b204_form(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "B204-1"
    ws["A1"] = "工业产销总值及主要产品产量"
    ws.merge_cells("A1:G1")
    ws["F2"] = "表    号：B 2 0 4 - 1 表"
    ws["F3"] = "制定机关：国 家 统 计 局"
    ws["A4"], ws["B4"] = "统一社会信用代码", CODE1
    ws["F4"] = "文    号：国统字〔2023〕88号"
    ws["A5"], ws["B5"] = "单位详细名称：", "示范精密制造有限公司"
    ws["C5"], ws["D5"], ws["E5"], ws["F5"] = 2022, "年", 9, "月"
    ws["G5"] = "有效期至：2025年1月"
    header = {"A6": "指标名称", "B6": "计量单位", "C6": "代码", "D6": "本年", "F6": "上年同期"}
    header |= {"D7": "本月", "E7": "1-本月", "F7": "本月", "G7": "1-本月"}
    for ref, text in header.items():
        ws[ref] = text
    for ref in ("A6:A7", "B6:B7", "C6:C7", "D6:E6", "F6:G6"):
        ws.merge_cells(ref)
    ws.append(["甲", "乙", "丙", 1, 2, 3, 4])
    ws.append(["一、工业总产值(当年价格)", "千元", "01", "12,345.6", "98765.4", "11000", "90000"])
    ws.append(["    工业销售产值(当年价格)", "千元", "03", 12000, "９５０００", 10500, "88,000"])
    ws.append(["        其中:出口交货值", "千元", 4, "—", 1000, "", 800])
    ws.append(["二、工业总产值(当年价格)按工业行业小类分", "-", "-"])
    ws.append(["单位负责人：", "", "统计负责人：", "", "填表人：", "", "报出日期：2022年10月8日"])
    ws.append(["说明：1. 统计范围：辖区内规模以上工业法人单位。"])
    wb.save(path)
    return path


def write_b203_form(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "财务状况"
    ws.append(["财务状况"])
    ws.append(["统一社会信用代码：" + CODE2, "", "", "表号：B203表"])
    ws.append(["单位详细名称：乙新材料有限公司", "", "", "报告期：2022年1-9月"])
    ws.append(["金额单位：千元"])
    ws.append(["指标名称", "计量单位", "代码", "1-本月", "上年同期"])
    ws.append(["甲", "乙", "丙", 1, 2])
    ws.append(["一、期末资产负债", "-", "-", "-", "-"])
    ws.append(["流动资产合计", "千元", 201, 5000, 4800])
    ws.append(["资产总计", "千元", "213", 9000, 8000])
    ws.append(["营业收入", "千元", "301", "4,321", "4,000"])
    ws.append(["利润总额", "千元", "327", "-12", 30])
    ws.append(["四、平均用工人数", "人", "606", 85, 80])
    ws.append(["单位负责人：", "统计负责人：", "填表人：", "报出日期："])
    wb.save(path)
    return path


def check_b204(result: dict[str, Any]) -> None:
    assert result["form"] == "B204-1"
    assert result["credit_code"] == CODE1
    assert result["name"] == "示范精密制造有限公司"
    assert result["period"] == Period(2022, 9)
    assert result["unit"] == "千元"
    assert result["columns"] == ["本年本月", "本年1-本月", "上年同期本月", "上年同期1-本月"]
    assert list(result["rows"]) == ["01", "03", "04"]
    assert result["rows"]["01"]["本年本月"] == "12,345.6"
    assert comparable(result["rows"]["03"]["本年本月"]) == Decimal(12000)
    assert result["rows"]["03"]["本年1-本月"] == "９５０００"
    assert result["rows"]["04"]["本年本月"] == "—"
    assert result["cells"]["01"]["上年同期1-本月"] == "G9"
    assert result["row_numbers"] == {"01": 9, "03": 10, "04": 11}
    assert result["names"]["04"] == "其中:出口交货值"


def test_b204_form(tmp_path: Path) -> None:
    sheet = open_workbook(write_b204_form(tmp_path / "b204.xlsx"), max_bytes=MAX).sheets[0]
    result = read_form_sheet(sheet)
    check_b204(result)
    assert result["header_rows"] == (6, 7) and not result["warnings"]


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_b204_form_from_libreoffice(lo_files: dict[str, Path], fmt: str) -> None:
    check_b204(read_form_sheet(open_workbook(lo_files[f"b204.{fmt}"], max_bytes=MAX).sheets[0]))


def test_b203_form(tmp_path: Path) -> None:
    sheet = open_workbook(write_b203_form(tmp_path / "b203.xlsx"), max_bytes=MAX).sheets[0]
    result = read_form_sheet(sheet)
    assert result["form"] == "B203"
    assert result["credit_code"] == CODE2
    assert result["name"] == "乙新材料有限公司"
    assert result["period"] == Period(2022, 9) and result["period_text"] == "2022年1-9月"
    assert result["unit"] == "千元"
    # B203 is year-to-date only: "1-本月 | 上年同期" read as the YTD columns.
    assert result["columns"] == ["本年1-本月", "上年同期1-本月"]
    assert list(result["rows"]) == ["201", "213", "301", "327", "606"]
    assert result["rows"]["301"] == {"本年1-本月": "4,321", "上年同期1-本月": "4,000"}
    assert result["row_units"]["606"] == "人"
    assert result["cells"]["327"]["本年1-本月"] == "D11"


def test_form_reader_refuses_a_plain_table(tmp_path: Path) -> None:
    sheet = open_workbook(write_offset_table(tmp_path / "o.xlsx"), max_bytes=MAX).sheets[0]
    with pytest.raises(ReaderError, match=r"明细.*代码"):
        read_form_sheet(sheet)
