"""Amounts are checked against their column's precision and scale before they are stored.

The review found 1e30, the text 99999999999999999999999999, 1e309, NaN and inf accepted into a
DecimalField(20, 4) on SQLite, after which every read of the park-period failed. Here every
one of them is refused at import with a Chinese message naming row and column, in each kind.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.economy.factories import make_enterprise, make_park, uscc, write_xlsx
from yuanqu.core.numbers import DecimalLimits, NumberError, fit_decimal, parse_amount
from yuanqu.economy.models import EnterpriseReport, Target
from yuanqu.imports.engine import get_importer, run_import
from yuanqu.registry.models import Enterprise, Park

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(本月)", "工业总产值(1-本月)"]
REPORT = DecimalLimits(20, 4)


# --- core.numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1e30, "数值 1e+30 超出可存储范围（整数部分最多16位）"),
        (1e16, "数值 1e+16 超出可存储范围（整数部分最多16位）"),
        (-1e16, "数值 -1e+16 超出可存储范围（整数部分最多16位）"),
        ("99999999999999999999999999", "超出可存储范围（整数部分最多16位）"),
        ("10000000000000000", "超出可存储范围（整数部分最多16位）"),
        # Rounding half-up to 4 places carries into a 17th integer digit.
        ("9999999999999999.99995", "超出可存储范围（整数部分最多16位）"),
        ("1e30", "科学计数法"),
        ("1E+05", "科学计数法"),
        ("1e309", "科学计数法"),
        ("１ｅ５", "科学计数法"),
        ("NaN", "不是数字"),
        ("inf", "不是数字"),
        ("-Infinity", "不是数字"),
        (float("nan"), "不是有限的数字"),
        (float("inf"), "不是有限的数字"),
        (1e309, "不是有限的数字"),
        (Decimal("NaN"), "不是有限的数字"),
    ],
)
def test_parse_amount_refuses(value: object, message: str) -> None:
    with pytest.raises(NumberError, match=message.replace("(", r"\(").replace("+", r"\+")):
        parse_amount(value, REPORT)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (9999999999999998.0, Decimal("9999999999999998.0")),  # 16 digits: the largest held
        ("9999999999999999.9999", Decimal("9999999999999999.9999")),
        ("-9999999999999999.9999", Decimal("-9999999999999999.9999")),
        ("1,234.5", Decimal("1234.5")),
        (0.30000000000000004, Decimal("0.3000")),  # a formula's float: rounded to the scale
        ("2.00005", Decimal("2.0001")),  # half-up, not half-even (which gives 2.0000)
        ("-2.00005", Decimal("-2.0001")),
        ("—", None),
    ],
)
def test_parse_amount_accepts_and_rounds_half_up(value: object, expected: Decimal | None) -> None:
    assert parse_amount(value, REPORT) == expected


def test_fit_decimal_says_whether_it_rounded() -> None:
    assert fit_decimal(Decimal("1.23456"), REPORT) == (Decimal("1.2346"), True)
    assert fit_decimal(Decimal("1.2345"), REPORT) == (Decimal("1.2345"), False)
    # A column of 12 digits with 4 places (用地面积) holds 8 integer digits.
    with pytest.raises(NumberError, match="整数部分最多8位"):
        fit_decimal(Decimal("123456789"), DecimalLimits(12, 4))


def test_limits_come_from_the_model_for_every_kind() -> None:
    """A kind names its model; every column stored in a DecimalField gets that field's limits."""
    reports = {f.name: f.limits for f in get_importer("enterprise-reports").fields}
    assert reports["output_ytd"] == DecimalLimits(20, 4)
    assert reports["employees"] == DecimalLimits(12, 2)  # 人, two places
    assert reports["x213"] == DecimalLimits(20, 4)  # kept in JSON, same limits as figures
    assert reports["credit_code"] is None
    assert {f.name: f.limits for f in get_importer("park-indicators").fields}[
        "yoy_pct"
    ] == DecimalLimits(10, 4)
    assert {f.name: f.limits for f in get_importer("parks").fields}["area_ha"] == DecimalLimits(
        14, 4
    )
    assert {f.name: f.limits for f in get_importer("enterprises").fields}[
        "land_area_mu"
    ] == DecimalLimits(12, 4)
    assert {f.name: f.limits for f in get_importer("targets").fields}["value"] == DecimalLimits(
        20, 4
    )


# --- imports ----------------------------------------------------------------------------------


@pytest.fixture
def park(db) -> Park:
    return make_park("AL", "限值园区")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (1e30, "数值 1e+30 超出可存储范围（整数部分最多16位）"),
        ("99999999999999999999999999", "数值 99999999999999999999999999 超出可存储范围"),
        ("1e309", "“1e309”是科学计数法"),
        ("1e30", "“1e30”是科学计数法"),
        ("NaN", "“NaN”不是数字"),
        ("inf", "“inf”不是数字"),
    ],
)
def test_enterprise_report_refuses_what_the_column_cannot_hold(park, tmp_path, cell, message):
    make_enterprise(park, 1, "甲")
    make_enterprise(park, 2, "乙")
    path = write_xlsx(
        tmp_path / "r.xlsx",
        H,
        [[uscc(1), "甲", "2022-09", 100.5, 900.25], [uscc(2), "乙", "2022-09", 10, cell]],
        unit_line="单位：千元",
    )
    preview = run_import(path, kind="enterprise-reports", park=park)
    assert not preview.committed and EnterpriseReport.objects.count() == 0
    [error] = preview.errors
    # Row 4 of the sheet (units line, header, first row), column E, 工业总产值(1-本月).
    assert (error.row, error.column, error.field) == (4, "E", "工业总产值(1-本月)")
    assert message in error.message
    assert error.text().startswith("[错误] 工作表“Sheet1”，第4行，E列（工业总产值(1-本月)）：")


def test_a_stated_unit_is_checked_after_conversion(park, tmp_path):
    """1e13 万元 is 1e14 千元: fits; 1e15 万元 is 1e16 千元 as stored: refused."""
    make_enterprise(park, 1, "甲")
    headers = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "营业收入(万元)"]
    unit = "单位：千元"
    ok = write_xlsx(
        tmp_path / "ok.xlsx", headers, [[uscc(1), "甲", "2022-09", 1, 1e13]], unit_line=unit
    )
    preview = run_import(ok, kind="enterprise-reports", park=park)
    assert preview.errors == [], [i.text() for i in preview.issues]
    assert EnterpriseReport.objects.get().revenue_ytd == Decimal("1E+14")
    EnterpriseReport.objects.all().delete()
    bad = write_xlsx(
        tmp_path / "bad.xlsx", headers, [[uscc(1), "甲", "2022-09", 1, 1e15]], unit_line=unit
    )
    preview = run_import(bad, kind="enterprise-reports", park=park)
    [error] = preview.errors
    assert (error.row, error.column) == (3, "E")
    assert "超出可存储范围（整数部分最多16位）" in error.message
    assert EnterpriseReport.objects.count() == 0


def test_more_decimals_than_the_scale_are_rounded_half_up_with_one_warning(park, tmp_path):
    make_enterprise(park, 1, "甲")
    make_enterprise(park, 2, "乙")
    path = write_xlsx(
        tmp_path / "r.xlsx",
        H,
        [
            [uscc(1), "甲", "2022-09", 0.12345, 1.00005],
            [uscc(2), "乙", "2022-09", 2.123449, 7],
        ],
        unit_line="单位：千元",
    )
    preview = run_import(path, kind="enterprise-reports", park=park)
    assert preview.committed, [i.text() for i in preview.issues]
    stored = {
        r.enterprise.name: (r.output_month, r.output_ytd)
        for r in EnterpriseReport.objects.select_related("enterprise")
    }
    assert stored == {
        # Half-up: 0.12345 → 0.1235 (half-even would store 0.1234).
        "甲": (Decimal("0.1235"), Decimal("1.0001")),
        "乙": (Decimal("2.1234"), Decimal("7")),
    }
    rounding = [w for w in preview.warnings if "四舍五入" in w.message]
    # One warning per column, at its first row: D (本月) and E (1-本月), both on row 3.
    assert [(w.row, w.column) for w in rounding] == [(3, "D"), (3, "E")]
    assert rounding[0].message == (
        "数值 0.12345 的小数超过4位，已四舍五入为 0.1235（本列其余小数位过多的数值同样处理）"
    )


def test_audit_rows_in_json_are_checked_too(park, tmp_path):
    make_enterprise(park, 1, "甲")
    headers = ["统一社会信用代码", "企业名称", "报告期", "资产总计(213)"]
    path = write_xlsx(tmp_path / "x.xlsx", headers, [[uscc(1), "甲", "2022-09", "1e30"]])
    preview = run_import(path, kind="enterprise-reports", park=park)
    [error] = preview.errors
    assert (error.row, error.field) == (2, "资产总计(213)") and "科学计数法" in error.message


def test_park_indicator_checked_in_the_dictionary_unit(park, tmp_path):
    """10^12 亿元 is 10^16 万元 (the dictionary's unit): one digit too many once converted."""
    headers = ["园区代码", "指标", "报告期", "1-本月累计", "增速(%)", "单位"]
    rows = [
        ["AL", "全社会固定资产投资", "2022-09", 1e12, 5, "亿元"],
        ["AL", "全口径税收", "2022-09", 100, 1234567.5, "万元"],
    ]
    path = write_xlsx(tmp_path / "p.xlsx", headers, rows)
    preview = run_import(path, kind="park-indicators")
    found = sorted((e.row, e.field, e.message) for e in preview.errors)
    assert found == [
        (
            2,
            "1-本月累计",
            "换算为万元后，数值 10000000000000000 超出可存储范围（整数部分最多16位）",
        ),
        (3, "增速(%)", "数值 1234567.5 超出可存储范围（整数部分最多6位）"),
    ]


def test_targets_parks_and_enterprises_are_checked(park, tmp_path):
    t = write_xlsx(
        tmp_path / "t.xlsx",
        ["园区代码", "指标", "年度", "目标值"],
        [["AL", "industrial_output", 2022, "99999999999999999999999999"]],
    )
    [error] = run_import(t, kind="targets").errors
    assert (error.row, error.field) == (2, "目标值") and "整数部分最多16位" in error.message
    assert Target.objects.count() == 0

    e = write_xlsx(
        tmp_path / "e.xlsx",
        ["统一社会信用代码", "企业名称", "园区代码", "用地面积(亩)"],
        [[uscc(7), "丙", "AL", 123456789]],
    )
    [error] = run_import(e, kind="enterprises").errors
    assert error.field == "用地面积(亩)" and "整数部分最多8位" in error.message
    assert not Enterprise.objects.filter(credit_code=uscc(7)).exists()
