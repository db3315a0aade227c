"""项目资金 through the import engine and back out: each export is its import layout, so an
exported file imports again with nothing changed; figures from hand-made files."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.economy.factories import make_park
from yuanqu.funding import selectors
from yuanqu.funding.models import Fund, FundApplication, FundFlow
from yuanqu.imports.engine import run_import
from yuanqu.imports.workbooks import run_export

pytestmark = pytest.mark.django_db


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["单位：万元"])
        w.writerows(rows)
    return path


@pytest.fixture
def funded(tmp_path):
    park = make_park()
    files = {
        "funds": [
            ["资金编号", "资金名称", "资金类型", "年度", "项目编号", "申报金额", "下达金额"],
            ["ZJ1", "2022年新增专项债券", "地方政府专项债券", "2022", "", "8000", "6000"],
            ["ZJ2", "基础设施基金", "政策性开发性金融工具", "2022", "", "12000.5", "0"],
        ],
        "fund-flows": [
            ["资金编号", "月份", "本月到位", "本月支出"],
            ["ZJ1", "2022-06", "6000", "1500"],
            ["ZJ1", "2022-08", "0", "2500"],
            ["ZJ1", "2022-09", "0", "2000"],
        ],
        "fund-applications": [
            ["项目名称", "资金类型", "申报年度", "拟申报年度", "拟申请资金", "项目编号"],
            ["标准厂房二期", "地方政府专项债券", "2022", "2023", "15000", ""],
            ["污水处理厂", "地方政府专项债券", "2022", "2024", "8000", ""],
        ],
    }
    for kind, rows in files.items():
        preview = run_import(_csv(tmp_path / f"{kind}.csv", rows), kind=kind, park=park)
        assert preview.ok and preview.committed, [i.text() for i in preview.issues]
    return park


def test_imported_funds_give_hand_computed_figures(funded):
    assert Fund.objects.get(code="ZJ2").applied == D("12000.5")
    assert FundFlow.objects.filter(fund__code="ZJ1").count() == 3
    (bond,) = [r for r in selectors.fund_rows(park=funded, year=2022) if r.fund.code == "ZJ1"]
    # received 6,000, spent 1,500 + 2,500 + 2,000 = 6,000: fully spent at the end of September
    assert (bond.received, bond.spent, bond.progress_pct) == (D(6000), D(6000), D(100))
    assert FundApplication.objects.filter(park=funded, target_year=2023).get().amount == D(15000)


@pytest.mark.parametrize("kind", ["funds", "fund-flows", "fund-applications"])
def test_each_export_imports_back_unchanged(funded, tmp_path, kind):
    export, data = run_export(kind, park=funded.code, year=2022)
    assert export.unit_line == "单位：万元"
    out = tmp_path / f"out-{kind}.xlsx"
    out.write_bytes(data)
    again = run_import(out, kind=kind, park=funded)
    assert again.ok, [i.text() for i in again.issues]
    expected = {"funds": 2, "fund-flows": 3, "fund-applications": 2}[kind]
    assert (again.new, again.changed, again.deleted, again.unchanged) == (0, 0, 0, expected)


def test_the_funds_export_shows_spending_beside_the_import_columns(funded):
    import io

    from openpyxl import load_workbook

    _, data = run_export("funds", park=funded.code, year=2022)
    sheet = list(load_workbook(io.BytesIO(data)).active.values)
    assert list(sheet[1][7:]) == ["到位累计", "支出累计", "支出进度(%)"]
    rows = {r[0]: r for r in sheet[2:]}
    assert list(rows["ZJ1"][7:]) == [6000, 6000, 100]
    assert rows["ZJ2"][9] is None  # nothing received: no 支出进度, not 0
