"""Importing the monthly 调度表 (merged headers, blocks, subtotals, units) through the engine."""

from __future__ import annotations

import io
import subprocess
import uuid
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from tests.economy.factories import make_park
from tests.helpers import require_tool
from tests.projects.dispatch import write_dispatch_csv, write_dispatch_xlsx
from yuanqu.core.periods import Period
from yuanqu.imports.engine import run_import
from yuanqu.imports.models import DataSlice
from yuanqu.projects import selectors
from yuanqu.projects.models import Level, Problem, Project, ProjectPlan, ProjectProgress

pytestmark = pytest.mark.django_db


def _check(park, preview) -> None:
    assert preview.ok, [i.text() for i in preview.issues]
    assert preview.committed
    projects = {p.name: p for p in Project.objects.filter(park=park)}
    # three projects: heading, 小计 and 合计 rows are not projects
    assert sorted(projects) == ["丙配套道路工程", "乙智能制造项目", "甲新材料项目"]
    assert projects["甲新材料项目"].level == Level.PROVINCIAL
    assert projects["乙智能制造项目"].level == Level.PROVINCIAL
    assert projects["丙配套道路工程"].level == Level.MUNICIPAL
    assert projects["甲新材料项目"].total_investment == D(50000)
    assert projects["甲新材料项目"].leader == "张三"
    assert ProjectPlan.objects.get(
        project=projects["乙智能制造项目"], year=2022
    ).planned_investment == D(10000)
    assert ProjectProgress.objects.get(project=projects["丙配套道路工程"]).ytd_investment == D(5500)
    assert Problem.objects.get(project=projects["甲新材料项目"]).description == "用地指标待落实"
    warnings = " ".join(i.text() for i in preview.warnings)
    assert "将新建" in warnings and "合计行" in warnings
    # totals: 31,500 of 35,000 万元 after October = 90.0%, 6.7 points ahead (90 − 83.33)
    summary = selectors.project_summary(park=park, period=Period(2022, 10))
    key = selectors.level_totals(summary, "key")
    assert (key.count, key.planned, key.ytd, key.total_investment) == (
        3,
        D(35000),
        D(31500),
        D(92000),
    )
    assert key.completion_pct == D(90)
    provincial = selectors.level_totals(summary, "provincial")
    assert (provincial.planned, provincial.ytd) == (D(30000), D(26000))
    assert (
        DataSlice.objects.get(kind="project-progress", park=park, year=2022, month=10).status
        == "reviewed"
    )


def test_xlsx_with_merged_two_row_header_and_blocks(tmp_path):
    park = make_park()
    path = write_dispatch_xlsx(tmp_path / "调度表.xlsx")
    preview = run_import(path, kind="project-progress", park=park, period=Period(2022, 10))
    _check(park, preview)
    assert preview.new == 3
    # importing twice changes nothing
    again = run_import(path, kind="project-progress", park=park, period=Period(2022, 10))
    assert (again.new, again.changed, again.deleted, again.unchanged) == (0, 0, 0, 3)


def test_csv_and_the_kind_found_from_the_header(tmp_path):
    park = make_park()
    path = write_dispatch_csv(tmp_path / "调度表.csv")
    preview = run_import(path, park=park, period=Period(2022, 10))
    assert preview.kind == "project-progress"
    _check(park, preview)


def test_yi_yuan_from_the_units_line_and_no_unit_is_wan_yuan_with_a_warning(tmp_path):
    park = make_park()
    path = write_dispatch_xlsx(tmp_path / "yi.xlsx", unit="亿元", scale=10000)
    preview = run_import(path, kind="project-progress", park=park, period=Period(2022, 10))
    _check(park, preview)
    other = make_park("TP2", "另一园区")
    bare = write_dispatch_xlsx(tmp_path / "bare.xlsx", unit=None)
    preview = run_import(bare, kind="project-progress", park=other, period=Period(2022, 10))
    assert preview.ok
    assert any("按万元读取" in i.message for i in preview.warnings)


def test_xls_written_by_libreoffice(tmp_path):
    soffice = require_tool("soffice")
    park = make_park()
    src = write_dispatch_xlsx(tmp_path / "src.xlsx")
    profile = tmp_path / f"lo_{uuid.uuid4().hex}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    preview = run_import(
        tmp_path / "src.xls", kind="project-progress", park=park, period=Period(2022, 10)
    )
    _check(park, preview)


def test_cli_import_and_template(tmp_path):
    park = make_park()
    path = write_dispatch_xlsx(tmp_path / "调度表.xlsx")
    out = io.StringIO()
    call_command(
        "import", str(path), kind="project-progress", park=park.code, period="2022-10", stdout=out
    )
    assert ProjectProgress.objects.filter(park=park).count() == 3


def test_export_in_the_same_layout_imports_back_unchanged_and_templates(tmp_path):
    from yuanqu.imports.workbooks import run_export, template_workbook

    park = make_park()
    run_import(
        write_dispatch_xlsx(tmp_path / "in.xlsx"),
        kind="project-progress",
        park=park,
        period=Period(2022, 10),
    )
    export, data = run_export("project-progress", park=park.code, period="2022-10")
    assert export.headers[5] == "1-10月完成投资"
    out = tmp_path / "out.xlsx"
    out.write_bytes(data)
    # the park's own form: title, units line, a two-row merged header, blocks, a 合计 row
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws["A1"].value.endswith("2022年1-10月重点项目推进情况调度表")
    assert ws["A2"].value == "单位：万元"
    assert (ws["E3"].value, ws["E4"].value, ws["F4"].value, ws["G4"].value) == (
        "2022年投资情况",
        "年度计划投资",
        "1-10月完成投资",
        "完成率(%)",
    )
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:K1", "E3:G3", "A3:A4", "B3:B4", "K3:K4"} <= merged
    assert ws["A5"].value == "一、省重点项目（2个）"
    last = [c.value for c in ws[ws.max_row]][:7]
    assert last[0] == "合计" and last[3:6] == [92000, 35000, 31500] and last[6] == 90
    again = run_import(out, kind="project-progress", park=park, period=Period(2022, 10))
    assert again.ok, [i.text() for i in again.issues]
    assert (again.new, again.changed, again.deleted, again.unchanged) == (0, 0, 0, 3)
    for kind in (
        "project-progress",
        "projects",
        "project-plans",
        "funds",
        "fund-flows",
        "fund-applications",
    ):
        assert template_workbook(kind)[:2] == b"PK"
