"""Templates, exports (re-importable, neutralised), the print summary and error reports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from tests.helpers import login_client
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports.engine import IMPORTERS, load_kinds, run_import
from yuanqu.imports.workbooks import formula_like, template_workbook

pytestmark = pytest.mark.django_db


def test_formula_like_text():
    assert formula_like('=HYPERLINK("x")') and formula_like("+1") and formula_like("-3")
    assert formula_like("@SUM") and formula_like("\t=1")
    assert not formula_like("示范") and not formula_like(Decimal("-3.3")) and not formula_like(-3)


@pytest.mark.parametrize(
    "kind",
    [
        "parks",
        "enterprises",
        "enterprise-scale",
        "enterprise-reports",
        "park-indicators",
        "targets",
    ],
)
def test_every_kind_has_a_template_that_reads_back(kind, tmp_path):
    load_kinds()
    data = template_workbook(kind)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["数据"]
    headers = [c.value for c in ws[2 if kind == "enterprise-reports" else 1]]
    assert all(isinstance(h, str) and h for h in headers)
    required = [f.label for f in IMPORTERS[kind].fields if f.required]
    assert all(any(h.startswith(r) for h in headers) for r in required)
    if any(f.choices for f in IMPORTERS[kind].fields):
        assert ws.data_validations.dataValidation, "coded fields get dropdowns"
    assert "填写说明" in wb.sheetnames
    # The template's own headers are recognised by the importer.
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(data)
    preview = run_import(path, kind=kind, dry_run=True)
    assert not any("表头" in i.message for i in preview.errors), [i.text() for i in preview.errors]


def test_enterprise_report_template_example_row_is_skipped(tmp_path):
    make_park("TM")
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_workbook("enterprise-reports"))
    preview = run_import(path, kind="enterprise-reports", park=_park("TM"), dry_run=True)
    assert preview.errors == [], [i.text() for i in preview.errors]
    # The example row is recognised and skipped, never imported as data (nor does it replace
    # the park's month): the template imports as an empty file, with a warning naming the row.
    assert (preview.new, preview.deleted) == (0, 0)
    assert any("示例行" in i.message and i.row == 3 for i in preview.warnings)
    wb = load_workbook(path)
    ws = next(w for w in wb.worksheets if "说明" not in w.title)
    ws["B3"] = "真实机械有限公司"  # the user fills the row in: now it is data
    wb.save(path)
    preview = run_import(path, kind="enterprise-reports", park=_park("TM"), dry_run=True)
    assert preview.new == 1 and not preview.errors


def _park(code):
    from yuanqu.registry.models import Park

    return Park.objects.get(code=code)


def test_export_reimports_unchanged_and_neutralises(tmp_path, capsys):
    park = make_park("EX")
    e = make_enterprise(park, 1, "=危险公司名")
    src = write_xlsx(
        tmp_path / "r.xlsx",
        [
            "统一社会信用代码",
            "企业名称",
            "报告期",
            "工业总产值(1-本月)",
            "工业总产值上年同期(1-本月)",
            "营业收入(1-本月)",
            "营业收入上年同期(1-本月)",
        ],
        [[e.credit_code, "危险公司名", "2022-09", "1234.5", 1000, 2000, 1800]],
        unit_line="单位：千元",
    )
    assert run_import(src, kind="enterprise-reports").committed
    out = tmp_path / "export.xlsx"
    call_command("export", "enterprise-reports", "-o", str(out), "--park", "EX")
    wb = load_workbook(out)
    ws = wb.active
    assert ws["A1"].value == "单位：千元"
    # Written as text with Excel's quote prefix: shown as is, never run, imports back unchanged.
    assert (ws["B3"].value, ws["B3"].data_type, ws["B3"].quotePrefix) == ("=危险公司名", "s", True)
    back = run_import(out, kind="enterprise-reports")
    assert (back.new, back.changed, back.unchanged) == (0, 0, 1), [i.text() for i in back.issues]
    assert EnterpriseReport.objects.get().output_ytd == Decimal("1234.5")


def test_print_summary_is_formatted_for_printing(tmp_path):
    park = make_park("PS", "打印园区")
    a, b = make_enterprise(park, 2, "甲", "机械"), make_enterprise(park, 3, "乙", "材料")
    src = write_xlsx(
        tmp_path / "r.xlsx",
        [
            "统一社会信用代码",
            "企业名称",
            "报告期",
            "工业总产值(1-本月)",
            "工业总产值上年同期(1-本月)",
        ],
        [
            [a.credit_code, "甲", "2022-09", 3000, 2000],
            [b.credit_code, "乙", "2022-09", 1000, 1225],
        ],
        unit_line="单位：万元",
    )
    run_import(src, kind="enterprise-reports")
    out = tmp_path / "sum.xlsx"
    call_command(
        "export", "enterprise-summary", "-o", str(out), "--park", "PS", "--period", "2022-09"
    )
    ws = load_workbook(out).active
    assert ws["A1"].value == "打印园区规模以上工业企业主要指标（2022年1-9月）"
    assert ws["A2"].value == "单位：万元"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert [ws.cell(4, c).value for c in range(1, 7)] == [1, "甲", "机械", 3000, 2000, 50]
    # 1000 / 1225 − 1 = −18.367…% → −18.4
    assert ws.cell(5, 6).value == -18.4


@pytest.fixture
def jingfa(client, demo_registry):
    return login_client(client, "jingfa")


def test_web_upload_preview_confirm_and_error_report(jingfa, tmp_path):
    from yuanqu.registry.models import Enterprise

    client = jingfa
    e = Enterprise.objects.filter(park__code="DEMO").order_by("credit_code").first()
    good = write_xlsx(
        tmp_path / "good.xlsx",
        [
            "统一社会信用代码",
            "企业名称",
            "报告期",
            "工业总产值(1-本月)",
            "工业总产值上年同期(1-本月)",
        ],
        [[e.credit_code, e.name, "2025-09", 100, 90]],
        unit_line="单位：千元",
    )
    with good.open("rb") as fh:
        response = client.post(
            "/imports/upload/", {"file": fh, "kind": "enterprise-reports", "park": "DEMO"}
        )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "确认导入" in detail and "新增" in detail
    assert not EnterpriseReport.objects.filter(year=2025).exists()  # preview writes nothing
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    response = client.post(f"/imports/{pk}/confirm/")
    assert response.status_code == 302
    report = EnterpriseReport.objects.get(year=2025)
    assert report.output_ytd == 100

    # A corrected file: the preview table shows the row with its value before and after.
    fixed = write_xlsx(
        tmp_path / "fixed.xlsx",
        [
            "统一社会信用代码",
            "企业名称",
            "报告期",
            "工业总产值(1-本月)",
            "工业总产值上年同期(1-本月)",
        ],
        [[e.credit_code, e.name, "2025-09", 125.5, 90]],
        unit_line="单位：千元",
    )
    with fixed.open("rb") as fh:
        response = client.post(
            "/imports/upload/", {"file": fh, "kind": "enterprise-reports", "park": "DEMO"}
        )
    page = client.get(response["Location"]).content.decode()
    assert "变更预览" in page and e.credit_code in page
    assert '<td>工业总产值(1-本月)</td><td class="num">100</td><td class="num">125.5</td>' in page
    from yuanqu.imports.models import DataSlice

    # A department user's web upload lands as 已提交 (DECISIONS.md).
    assert DataSlice.objects.get(year=2025).status == "submitted"

    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            "统一社会信用代码",
            "企业名称",
            "报告期",
            "工业总产值(1-本月)",
            "工业总产值上年同期(1-本月)",
        ],
        [[e.credit_code, e.name, "2025-10", "abc", 90]],
        unit_line="单位：千元",
    )
    with bad.open("rb") as fh:
        response = client.post(
            "/imports/upload/", {"file": fh, "kind": "enterprise-reports", "park": "DEMO"}
        )
    page = client.get(response["Location"]).content.decode()
    assert "未写入任何数据" in page and "第3行" not in page  # rows are shown in the table
    assert '<td class="num">3</td>' in page and "<td>D</td>" in page
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    xlsx = client.get(f"/imports/{pk}/errors.xlsx")
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["D3"].fill.fgColor.rgb.endswith("F4C7C3")
    assert "不是数字" in ws.cell(3, ws.max_column).value
    assert ws.cell(1, ws.max_column).value is None  # row 1 is the 单位：千元 line
    assert ws.cell(2, ws.max_column).value == "错误说明"  # on the header row


def test_templates_and_exports_download_from_the_web(jingfa):
    client = jingfa
    response = client.get("/imports/template/enterprise-reports.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    assert client.get("/imports/template/parks.xlsx").status_code == 404  # administrators only
    # DEMO2 is outside this user's scope: not confirmed to exist (404), not an empty file.
    assert client.get("/imports/export/enterprises.xlsx?park=DEMO2").status_code == 404
    response = client.get("/imports/export/enterprises.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 151 and {r[2].value for r in ws.iter_rows(min_row=2)} == {"DEMO"}


def test_api_export_and_import_log_are_scoped(client, demo_registry):
    login_client(client, "city")
    response = client.get("/api/v1/export/parks.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert sorted(r[0].value for r in ws.iter_rows(min_row=2)) == [
        "DEMO",
        "DEMO2",
        "DEMO3",
        "DEMO4",
    ]
    assert client.get("/api/v1/export/nonsense.xlsx").status_code == 404
    assert client.get("/api/v1/imports").json()["count"] == 0
    login_client(client, "qiye")
    response = client.get("/api/v1/export/enterprises.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 2  # only its own enterprise
