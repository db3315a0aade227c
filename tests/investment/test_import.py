"""`leads` and `investment-funds`: a USD lead with its rate, a terminated lead with its
reason, history from the stage and signing date, errors naming row and column, and the
figures of `investment_summary` after the import; importing twice changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.economy.factories import make_park, write_xlsx
from yuanqu.imports.engine import run_import
from yuanqu.investment.models import Lead
from yuanqu.investment.selectors import investment_summary
from yuanqu.registry.models import IndustryCluster

pytestmark = pytest.mark.django_db
H = [
    "项目编号",
    "项目名称",
    "投资方",
    "投资方来源",
    "产业集群",
    "币种",
    "计划总投资",
    "汇率",
    "阶段",
    "阶段日期",
    "签约日期",
    "协议总投资",
    "终止原因",
]


def test_leads_and_funds(tmp_path: Path) -> None:
    park = make_park()
    IndustryCluster.objects.create(park=park, name="金属智造")
    rows = [
        [
            "A1",
            "铸件项目",
            "甲集团",
            "省外",
            "金属智造",
            "人民币",
            "20000",
            "",
            "开工",
            "2022/6/1",
            "2022年03月01日",
            "20000",
            "",
        ],
        [
            "A2",
            "外资项目",
            "乙公司",
            "境外",
            "金属智造",
            "美元",
            "1500",
            "6.7",
            "签约",
            "",
            "2022/5/10",
            "1500",
            "",
        ],
        [
            "A3",
            "终止项目",
            "丙公司",
            "市外",
            "",
            "人民币",
            "9000",
            "",
            "终止",
            "2022/4/1",
            "",
            "",
            "选址外地",
        ],
        [
            "A4",
            "储备项目",
            "丁公司",
            "省外",
            "金属智造",
            "",
            "30000",
            "",
            "意向",
            "2022/9/1",
            "",
            "",
            "",
        ],
    ]
    path = write_xlsx(tmp_path / "招商.xlsx", H, rows, unit_line="单位：万元")
    preview = run_import(path, kind="leads", park=park)
    assert preview.ok, [i.message for i in preview.errors]
    assert preview.new == 4
    a1 = Lead.objects.get(code="A1")
    assert a1.stage == "started" and a1.signed_on == dt.date(2022, 3, 1)
    assert [e.stage for e in a1.events.order_by("date")] == ["signed", "started"]
    a3 = Lead.objects.get(code="A3")
    assert a3.stage == "terminated" and a3.terminated_reason == "选址外地"
    again = run_import(path, kind="leads", park=park)
    assert again.ok and again.new == again.changed == 0
    funds = write_xlsx(
        tmp_path / "到位.xlsx",
        ["项目编号", "月份", "固定资产到位", "流动资金到位"],
        [["A2", "2022-07", "805", "200"], ["A9", "2022-07", "1", "1"]],
        unit_line="单位：万元",
    )
    bad = run_import(funds, kind="investment-funds", park=park)
    assert not bad.ok and any(i.row == 4 and i.column == "A" for i in bad.errors)
    funds = write_xlsx(
        tmp_path / "到位2.xlsx",
        ["项目编号", "月份", "固定资产到位", "流动资金到位"],
        [["A2", "2022-07", "805", "200"]],
        unit_line="单位：万元",
    )
    assert run_import(funds, kind="investment-funds", park=park).ok
    s = investment_summary(park=park, year=2022)
    # 20,000 + 1,500万美元 × 6.7 = 30,050万元; reserve A4 30,000.
    assert (s.signed_count, s.signed_amount) == (2, D(30050))
    assert s.reserve_amount == D(30000) and s.cohort_funds == D(1005)


def test_usd_without_rate_is_an_error(tmp_path: Path) -> None:
    park = make_park()
    path = write_xlsx(
        tmp_path / "招商.xlsx",
        H,
        [["B1", "外资", "", "", "", "美元", "100", "", "签约", "", "2022/5/10", "100", ""]],
    )
    preview = run_import(path, kind="leads", park=park)
    assert not preview.ok and preview.errors[0].field == "汇率" and preview.errors[0].row == 2
