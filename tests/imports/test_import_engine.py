"""The import contract with files as people send them (LibreOffice-made .xls, GBK CSV …)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.economy.factories import make_enterprise, make_park, uscc, write_xlsx
from tests.helpers import soffice_convert
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports.engine import run_import
from yuanqu.imports.models import ImportRecord

pytestmark = pytest.mark.django_db

H = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(本月)",
    "工业总产值(1-本月)",
    "工业总产值上年同期(本月)",
    "工业总产值上年同期(1-本月)",
    "工业销售产值(1-本月)",
    "出口交货值(1-本月)",
]


@pytest.fixture
def park():
    return make_park("IM", "导入测试园区")


def reports(**filters):
    return {
        (r.enterprise.credit_code, r.year, r.month): r.output_ytd
        for r in EnterpriseReport.objects.filter(**filters).select_related("enterprise")
    }


def test_official_layout_xls_with_title_and_two_row_merged_header(park, tmp_path):
    """A title row, a units line, a two-row merged header, footnotes — saved by LibreOffice as .xls."""
    e1, e2 = make_enterprise(park, 1, "甲"), make_enterprise(park, 2, "乙")
    wb = Workbook()
    ws = wb.active
    ws.append(["规模以上工业企业主要指标（2022年1-9月）"])
    ws.merge_cells("A1:H1")
    ws.append(["单位：千元"])
    ws.append(
        [
            "统一社会信用代码",
            "企业名称",
            "工业总产值",
            None,
            None,
            None,
            "工业销售产值",
            "出口交货值",
        ]
    )
    ws.append(
        [
            None,
            None,
            "本年本月",
            "本年1-本月",
            "上年同期本月",
            "上年同期1-本月",
            "本年1-本月",
            "本年1-本月",
        ]
    )
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:F3")
    ws.append([e1.credit_code, "甲", "1,234.5", "12,345.6", "1,000", "10,000", "12,000", "０"])
    ws.append([e2.credit_code, "乙", 500, 4500, 450, 4000, "4,400", "—"])
    ws.append(["注：本表由统计局提供，数据为快报数。"])
    src = tmp_path / "official.xlsx"
    wb.save(src)
    xls = soffice_convert(src, "xls", tmp_path)
    preview = run_import(xls, kind="enterprise-reports", period=_period("2022-09"))
    assert preview.errors == [], [i.text() for i in preview.issues]
    assert preview.new == 2 and preview.committed
    r1 = EnterpriseReport.objects.get(enterprise=e1)
    assert (r1.unit, r1.output_month, r1.output_ytd, r1.output_ytd_ly) == (
        "千元",
        Decimal("1234.5"),
        Decimal("12345.6"),
        Decimal("10000"),
    )
    assert (r1.sales_ytd, r1.export_ytd) == (Decimal("12000"), Decimal("0"))
    r2 = EnterpriseReport.objects.get(enterprise=e2)
    assert r2.export_ytd == Decimal("0")  # "—" is 0 on the forms


def _period(text):
    from yuanqu.core.periods import parse_period

    return parse_period(text)


def test_gbk_csv_with_numbers_as_text(park, tmp_path):
    e = make_enterprise(park, 3, "丙")
    text = (
        "统一社会信用代码,企业名称,报告期,工业总产值(1-本月),工业总产值上年同期(1-本月)\n"
        f'{e.credit_code},丙,2022年9月,"1,234.50","１，０００"\n'
    )
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    preview = run_import(path, kind="enterprise-reports")
    assert preview.committed, [i.text() for i in preview.issues]
    assert any("未注明金额单位" in w.message for w in preview.warnings)
    r = EnterpriseReport.objects.get(enterprise=e)
    assert (r.output_ytd, r.output_ytd_ly, r.year, r.month) == (
        Decimal("1234.50"),
        Decimal("1000"),
        2022,
        9,
    )


def test_utf8_bom_csv_and_kind_guessed(park, tmp_path):
    e = make_enterprise(park, 4, "丁")
    path = tmp_path / "bom.csv"
    path.write_text(
        "统一社会信用代码,企业名称,报告期,工业总产值(1-本月),工业总产值上年同期(1-本月)\n"
        f"{e.credit_code},丁,2022-09,100,90\n",
        encoding="utf-8-sig",
    )
    preview = run_import(path)
    assert preview.kind == "enterprise-reports" and preview.committed


def test_one_bad_row_among_thousands_writes_nothing(park, tmp_path, capsys):
    rows = [[uscc(i), f"企业{i}", "2022-09", 10, 100 + i, 9, 90, 95, 0] for i in range(1, 3001)]
    rows[1499][4] = "12O.5"  # letter O typed for zero: sheet row 1502 (header is row 2), column E
    path = write_xlsx(tmp_path / "big.xlsx", H, rows, unit_line="单位：千元")
    with pytest.raises(CommandError):
        call_command("import", str(path), kind="enterprise-reports", park="IM")
    out = capsys.readouterr().out
    assert "第1502行" in out and "E列" in out and "工业总产值(1-本月)" in out
    assert EnterpriseReport.objects.count() == 0
    assert ImportRecord.objects.get().status == ImportRecord.Status.FAILED


def test_same_file_twice_changes_nothing_and_corrected_period_replaces_only_it(park, tmp_path):
    ents = [make_enterprise(park, 10 + i, f"企业{i}") for i in range(3)]
    rows = [
        [e.credit_code, e.name, p, 10, v, 9, 90, v, 0]
        for p in ("2022-05", "2022-06")
        for e, v in zip(ents, (100, 200, 300), strict=True)
    ]
    path = write_xlsx(tmp_path / "two.xlsx", H, rows, unit_line="单位：千元")
    first = run_import(path, kind="enterprise-reports")
    assert (first.new, first.committed) == (6, True)
    snapshot = list(EnterpriseReport.objects.order_by("pk").values())
    again = run_import(path, kind="enterprise-reports")
    assert (again.new, again.changed, again.unchanged, again.deleted) == (0, 0, 6, 0)
    assert list(EnterpriseReport.objects.order_by("pk").values()) == snapshot
    assert ImportRecord.objects.count() == 2  # the attempt is still logged

    # The statistics bureau corrects June: one enterprise changes, one drops out of the file.
    fixed = write_xlsx(
        tmp_path / "june.xlsx",
        H,
        [
            [ents[0].credit_code, "企业0", "2022-06", 10, 150, 9, 90, 150, 0],
            [ents[1].credit_code, "企业1", "2022-06", 10, 200, 9, 90, 200, 0],
        ],
        unit_line="单位：千元",
    )
    dry = run_import(fixed, kind="enterprise-reports", dry_run=True)
    assert (dry.new, dry.changed, dry.unchanged, dry.deleted, dry.committed) == (0, 1, 1, 1, False)
    assert "删除 1" in dry.summary()
    # One of three stored rows is deleted (33 %, above the 20 % guard): asked for.
    corrected = run_import(fixed, kind="enterprise-reports", allow_deletions=True)
    assert corrected.committed
    may = reports(month=5)
    june = reports(month=6)
    assert sorted(may.values()) == [100, 200, 300]  # May untouched
    assert sorted(june.values()) == [150, 200]  # June replaced exactly


def test_merge_mode_keeps_rows_not_in_file(park, tmp_path):
    ents = [make_enterprise(park, 20 + i, f"企业{i}") for i in range(2)]
    both = write_xlsx(
        tmp_path / "b.xlsx",
        H,
        [[e.credit_code, e.name, "2022-06", 1, 10, 1, 9, 10, 0] for e in ents],
    )
    run_import(both, kind="enterprise-reports")
    one = write_xlsx(
        tmp_path / "o.xlsx", H, [[ents[0].credit_code, "x", "2022-06", 1, 12, 1, 9, 12, 0]]
    )
    preview = run_import(one, kind="enterprise-reports", mode="merge")
    assert (preview.changed, preview.deleted) == (1, 0)
    assert len(reports(month=6)) == 2


def test_audit_rules_ytd_decrease_and_outlier(park, tmp_path):
    e = make_enterprise(park, 30, "戊")
    base = write_xlsx(
        tmp_path / "m5.xlsx", H, [[e.credit_code, "戊", "2022-05", 10, 1000, 9, 900, 990, 10]]
    )
    assert run_import(base, kind="enterprise-reports").committed
    bad = write_xlsx(
        tmp_path / "m6.xlsx", H, [[e.credit_code, "戊", "2022-06", 10, 900, 9, 900, 800, 850]]
    )
    preview = run_import(bad, kind="enterprise-reports")
    messages = " ".join(i.message for i in preview.errors)
    assert "工业销售产值(03)" in messages and "出口交货值(04)" in messages
    assert "累计值不应下降" in messages
    assert not preview.committed
    # A correction flag allows a falling YTD; a 10× jump is flagged as a likely unit error.
    fixed = write_xlsx(
        tmp_path / "m6b.xlsx",
        [*H, "更正标记"],
        [[e.credit_code, "戊", "2022-06", 10, 900, 9, 900, 800, 10, "是"]],
    )
    assert run_import(fixed, kind="enterprise-reports").committed
    jump = write_xlsx(
        tmp_path / "m7.xlsx", H, [[e.credit_code, "戊", "2022-07", 10, 9100, 9, 900, 9000, 0]]
    )
    preview = run_import(jump, kind="enterprise-reports")
    assert any("疑似单位错误" in w.message for w in preview.warnings)


def test_b203_profit_rule_when_rows_present(park, tmp_path):
    e = make_enterprise(park, 31, "己")
    path = write_xlsx(
        tmp_path / "b203.xlsx",
        [
            "统一社会信用代码",
            "企业名称",
            "报告期",
            "营业收入(1-本月)",
            "营业收入上年同期(1-本月)",
            "营业利润(323)",
            "营业外收入(325)",
            "营业外支出(326)",
            "利润总额(1-本月)",
            "利润总额上年同期(1-本月)",
        ],
        [[e.credit_code, "己", "2022-06", 5000, 4000, 300, 20, 5, 320, 200]],
    )
    preview = run_import(path, kind="enterprise-reports")
    assert any("利润总额(327)" in i.message and "315" in i.message for i in preview.errors)


def test_hidden_rows_are_imported_with_a_warning(park, tmp_path):
    e = make_enterprise(park, 32, "庚")
    f = make_enterprise(park, 33, "辛")
    path = write_xlsx(
        tmp_path / "hidden.xlsx",
        H,
        [
            [e.credit_code, "庚", "2022-06", 1, 10, 1, 9, 10, 0],
            [f.credit_code, "辛", "2022-06", 1, 20, 1, 19, 20, 0],
        ],
    )
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active.row_dimensions[3].hidden = True
    wb.save(path)
    preview = run_import(path, kind="enterprise-reports")
    assert preview.committed and preview.new == 2
    assert any(w.row == 3 and "隐藏行" in w.message for w in preview.warnings)


def test_macro_and_zip_bomb_refused(park, tmp_path):
    import zipfile

    path = write_xlsx(tmp_path / "m.xlsx", H, [])
    macro = tmp_path / "m.xlsm"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\0" * 100)
    preview = run_import(macro, kind="enterprise-reports")
    assert not preview.committed and "宏" in preview.errors[0].message
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (300 * 1024 * 1024))
    preview = run_import(bomb, kind="enterprise-reports")
    assert not preview.committed and "压缩炸弹" in preview.errors[0].message


def test_file_over_limit_refused(park, tmp_path, settings):
    settings.YUANQU_IMPORT_MAX_BYTES = 1000
    path = write_xlsx(tmp_path / "x.xlsx", H, [])
    preview = run_import(path, kind="enterprise-reports")
    assert "超过上限" in preview.errors[0].message


def test_ods_and_wps_et_files(park, tmp_path):
    e = make_enterprise(park, 40, "壬")
    src = write_xlsx(
        tmp_path / "src.xlsx",
        H,
        [[e.credit_code, "壬", "2022年6月", 1, 60, 1, 50, 60, 0]],
        unit_line="单位：万元",
    )
    ods = soffice_convert(src, "ods", tmp_path)
    preview = run_import(ods, kind="enterprise-reports")
    assert preview.committed, [i.text() for i in preview.issues]
    assert EnterpriseReport.objects.get(enterprise=e).unit == "万元"
    # WPS saves .et files; most are BIFF inside and read as .xls.
    xls = soffice_convert(src, "xls", tmp_path)
    et = tmp_path / "wps.et"
    et.write_bytes(xls.read_bytes())
    again = run_import(et, kind="enterprise-reports")
    assert again.unchanged == 1 and not again.errors
    broken = tmp_path / "broken.et"
    broken.write_bytes(b"not a spreadsheet at all")
    preview = run_import(broken, kind="enterprise-reports")
    assert "另存为" in preview.errors[0].message
