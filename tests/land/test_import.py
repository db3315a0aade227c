"""The `parcels` kind reads the national land-market supply results (中国土地市场网 结果公告)
as published: a title, a header repeated every 500 rows, dates as 2017年01月31日 and 2017/1/3,
non-breaking spaces, thousands of rows, .xlsx and .xls (written by LibreOffice). Rows lacking
their area or their 供地方式 are reported with their row numbers and not stored (never as 0).
Totals in 亩 and 万元 are exact; importing the file twice changes nothing. Also the templates
of `parcels` and `parcel-events`, and an event file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from tests.helpers import soffice_convert
from yuanqu.imports.engine import run_import
from yuanqu.land.models import Parcel
from yuanqu.land.selectors import land_summary

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
HEADERS = [
    "序号",
    "项目名称",
    "项目位置",
    "面积(公顷)",
    "土地来源",
    "土地用途",
    "供地方式",
    "土地使用年限",
    "行业分类",
    "土地级别",
    "成交价格(万元)",
    "土地使用权人",
    "约定容积率(上限)",
    "约定容积率(下限)",
    "约定交地时间",
    "约定开工时间",
    "约定竣工时间",
    "批准单位",
    "合同签订日期",
]
ROWS = 1200


def _market_file(path: Path) -> tuple[Path, D, D, list[int]]:
    """1,200 sales (+ 2 incomplete rows), the header repeated every 500 rows; returns the file,
    the exact 亩 and 万元 totals of the complete rows, and the incomplete rows' numbers."""
    wb = Workbook()
    ws = wb.active
    ws.append(["供地结果信息（土地市场网）"])
    ws.append(HEADERS)
    area_mu = price = D(0)
    incomplete = []
    for i in range(ROWS):
        if i and i % 500 == 0:
            ws.append(HEADERS)
        ha = D(i % 37 + 1) / D(100) + D("0.5")  # 0.51 … 0.87 公顷
        cost = D(100 + i % 13 * 7) + D("0.25")
        area_mu += ha * 15
        price += cost
        date = (
            f"2017年{i % 12 + 1:02d}月{i % 28 + 1:02d}日"
            if i % 2
            else f"2017/{i % 12 + 1}/{i % 28 + 1}"
        )
        ws.append(
            [
                i + 1,
                f"{NBSP}宗地项目{i:04d}{NBSP}",
                f"某县工业园{i}号地块",
                str(ha),
                "新增建设用地",
                "工业用地",
                "挂牌出让" if i % 3 else "拍卖出让",
                "50年",
                "金属制品业",
                "五级",
                str(cost),
                f"某某公司{i}",
                "2.0",
                "1.0",
                date,
                date,
                "2019年12月31日",
                "某县人民政府",
                date,
            ]
        )
    ws.append(
        [
            9001,
            "缺面积的宗地",
            "某地",
            "",
            "",
            "工业用地",
            "挂牌出让",
            "50",
            "",
            "",
            "300",
            "某公司",
            "",
            "",
            "",
            "",
            "",
            "",
            "2017/5/6",
        ]
    )
    incomplete.append(ws.max_row)
    ws.append(
        [
            9002,
            "缺供地方式的宗地",
            "某地",
            "1.2",
            "",
            "工业用地",
            NBSP,
            "50",
            "",
            "",
            "300",
            "某公司",
            "",
            "",
            "",
            "",
            "",
            "",
            "2017年05月06日",
        ]
    )
    incomplete.append(ws.max_row)
    wb.save(path)
    return path, area_mu, price, incomplete


def _check(path: Path, area_mu: D, price: D, incomplete: list[int]) -> None:
    park = make_park()
    preview = run_import(path, kind="parcels", park=park)
    assert preview.ok, [i.text for i in preview.errors][:5]
    assert preview.new == ROWS
    warned = {w.row for w in preview.warnings if "未导入" in w.message}
    assert set(incomplete) <= warned
    assert any("缺少面积" in w.message for w in preview.warnings if w.row == incomplete[0])
    assert any("缺少供地方式" in w.message for w in preview.warnings if w.row == incomplete[1])
    assert sum(1 for w in preview.warnings if "重复的表头行" in w.message) == 2
    parcels = Parcel.objects.filter(park=park)
    assert parcels.count() == ROWS and not parcels.filter(area_mu=0).exists()
    assert sum(p.area_mu for p in parcels) == area_mu
    assert sum(p.price for p in parcels) == price
    first = parcels.get(name="宗地项目0001")  # NBSPs gone; 2017年02月02日
    assert first.contract_signed_on == dt.date(2017, 2, 2) and first.status == "sold"
    assert first.area_unit == "ha" and first.area == D("0.52") and first.area_mu == D("7.8")
    assert parcels.get(name="宗地项目0000").contract_signed_on == dt.date(2017, 1, 1)
    assert first.supply_method == "listing" and first.term_years == 50
    s = land_summary(park=park, year=2017)
    assert s.sold.count == ROWS and s.sold.area_mu == area_mu and s.sold.amount == price
    again = run_import(path, kind="parcels", park=park)
    assert again.ok and again.new == 0 and again.changed == 0 and again.unchanged == ROWS


def test_land_market_xlsx(tmp_path: Path) -> None:
    _check(*_market_file(tmp_path / "供地结果.xlsx"))


def test_land_market_xls_written_by_libreoffice(tmp_path: Path) -> None:
    path, area, price, incomplete = _market_file(tmp_path / "供地结果.xlsx")
    xls = soffice_convert(path, "xls", tmp_path / "out")
    _check(xls, area, price, incomplete)


def test_template_rows_in_mu_and_events(tmp_path: Path) -> None:
    park = make_park()
    e = make_enterprise(park, 1, "受让企业一")
    parcels = write_xlsx(
        tmp_path / "宗地.xlsx",
        ["宗地编号", "项目名称", "项目位置", "面积(亩)", "土地用途", "受让企业统一社会信用代码"],
        [
            ["GY-1", "一号地", "纬三路", "120.5", "工业", e.credit_code],
            ["GY-2", "二号地", "经一路", "45", "仓储", ""],
        ],
    )
    preview = run_import(parcels, kind="parcels", park=park)
    assert preview.ok and preview.new == 2
    events = write_xlsx(
        tmp_path / "环节.xlsx",
        ["宗地编号", "环节", "日期", "说明"],
        [
            ["GY-1", "收储协议签订", "2022/3/1", ""],
            ["GY-1", "征收中", "2022年05月01日", ""],
            ["GY-2", "已收储（净地）", "2022/2/1", ""],
            ["GY-9", "已出让", "2022/2/1", ""],
        ],
    )
    bad = run_import(events, kind="parcel-events", park=park)
    assert not bad.ok and any(i.row == 5 and "GY-9" in i.message for i in bad.errors)
    assert Parcel.objects.get(code="GY-1").status == "proposed"  # nothing written
    events = write_xlsx(
        tmp_path / "环节2.xlsx",
        ["宗地编号", "环节", "日期", "说明"],
        [
            ["GY-1", "收储协议签订", "2022/3/1", ""],
            ["GY-1", "征收中", "2022年05月01日", ""],
            ["GY-2", "已收储（净地）", "2022/2/1", ""],
        ],
    )
    ok = run_import(events, kind="parcel-events", park=park)
    assert ok.ok and ok.new == 3
    one = Parcel.objects.get(code="GY-1")
    assert one.status == "expropriating" and one.enterprise == e and one.area_mu == D("120.5")
    s = land_summary(park=park, year=2022)
    assert s.expropriating.area_mu == D("120.5") and s.available.area_mu == D(45)
