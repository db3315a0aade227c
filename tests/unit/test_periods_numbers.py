"""core.periods and core.numbers: every spelling found in real files, and the refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from yuanqu.core.numbers import (
    NumberError,
    UnitError,
    convert,
    detect_unit,
    normalize_text,
    parse_decimal,
    parse_percent,
)
from yuanqu.core.periods import Period, PeriodError, parse_period, period_range

# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-12", (2022, 12)),
        ("2022-9", (2022, 9)),
        ("2022年12月", (2022, 12)),
        ("2022年 9 月", (2022, 9)),
        ("2022年9月份", (2022, 9)),
        ("202212", (2022, 12)),
        ("2022.12", (2022, 12)),
        ("2022.1", (2022, 1)),  # text is taken as typed
        ("2022/12", (2022, 12)),
        ("2022-12-01", (2022, 12)),
        ("2022/12/31", (2022, 12)),
        ("2022年12月31日", (2022, 12)),
        ("2022-12-01 00:00:00", (2022, 12)),
        ("2022年1-12月", (2022, 12)),
        ("2022年1—9月", (2022, 9)),
        ("2022年1～2月", (2022, 2)),
        ("2022年1至9月", (2022, 9)),
        ("２０２２年１２月", (2022, 12)),
        ("２０２２－０９", (2022, 9)),
        ("2022M09", (2022, 9)),
        ("20221231", (2022, 12)),
        ("202212.0", (2022, 12)),
        (202212, (2022, 12)),
        (202212.0, (2022, 12)),
        (2022.12, (2022, 12)),
        (2022.09, (2022, 9)),
        (D("202209"), (2022, 9)),
        (dt.date(2022, 9, 30), (2022, 9)),
        (dt.datetime(2022, 9, 1, 10, 30), (2022, 9)),
        (Period(2021, 3), (2021, 3)),
    ],
)
def test_parse_period_accepts(value: object, expected: tuple[int, int]) -> None:
    assert parse_period(value) == Period(*expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1-12月", (2022, 12)), ("1—9月", (2022, 9)), ("9月", (2022, 9)), ("12月份", (2022, 12))],
)
def test_parse_period_months_need_a_year(value: str, expected: tuple[int, int]) -> None:
    assert parse_period(value, default_year=2022) == Period(*expected)
    with pytest.raises(PeriodError, match="缺少年份"):
        parse_period(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "2022-13",
        "2022年0月",
        "2022年3-9月",
        "2022年第三季度",
        "12",
        None,
        True,
        44805,
        "1899-12",
    ],
)
def test_parse_period_refuses(value: object) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(value)
    assert "报告期" in str(info.value) or "年份" in str(info.value)


def test_parse_period_message_lists_accepted_forms() -> None:
    with pytest.raises(PeriodError, match=r"2022年12月.*202212.*1-12月"):
        parse_period("上个月")


def test_float_with_one_decimal_is_ambiguous() -> None:
    # Excel stores a typed 2022.10 as the number 2022.1: January or October?
    with pytest.raises(PeriodError, match=r"2022-01 或 2022年10月|无法区分"):
        parse_period(2022.1)


def test_period_labels_and_arithmetic() -> None:
    p = Period(2022, 9)
    assert str(p) == "2022-09"
    assert p.label == "2022年1-9月"
    assert Period(2022, 2).label == "2022年1-2月"
    assert Period(2022, 1).label == "2022年1月"
    assert p.month_label == "2022年9月"
    assert p.prev() == Period(2022, 8)
    assert Period(2022, 1).prev() == Period(2021, 12)
    assert Period(2022, 12).next() == Period(2023, 1)
    assert p.same_last_year() == Period(2021, 9)
    assert p.quarter == 3 and p.is_quarter_end
    assert p.quarter_end_before() == Period(2022, 6)
    assert Period(2022, 8).quarter_end_before() == Period(2022, 6)
    assert Period(2022, 2).quarter_end_before() == Period(2021, 12)
    assert Period(2022, 8).quarter_end() == Period(2022, 9)
    assert p.shift(-21) == Period(2020, 12)
    assert p.months_since(Period(2021, 9)) == 12
    assert p.time_progress() == D(9) / D(12)
    assert p.first_day() == dt.date(2022, 9, 1) and p.last_day() == dt.date(2022, 9, 30)
    assert Period(2024, 2).last_day() == dt.date(2024, 2, 29)
    assert Period(2021, 12) < Period(2022, 1) < Period(2022, 2)
    assert list(period_range(Period(2022, 11), Period(2023, 2))) == [
        Period(2022, 11),
        Period(2022, 12),
        Period(2023, 1),
        Period(2023, 2),
    ]
    with pytest.raises(PeriodError):
        Period(2022, 13)


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234, D("1234")),
        (1234.5, D("1234.5")),
        (0.1, D("0.1")),  # via str(): not 0.1000000000000000055511…
        (3.0, D("3.0")),
        (1e16, D("1E+16")),
        (D("12.30"), D("12.30")),
        ("1,234.50", D("1234.50")),
        ("1，234", D("1234")),
        ("12,345,678.9", D("12345678.9")),
        ("１２３．４", D("123.4")),
        ("－１２３", D("-123")),
        ("−5", D("-5")),
        ("+7", D("7")),
        (" 12 ", D("12")),
        ("1 234", D("1234")),
        ("１，２３４．５", D("1234.5")),
        ("(1,234)", D("-1234")),
        ("（1,234）", D("-1234")),
        ("¥1,000", D("1000")),
        ("￥1,000.00", D("1000.00")),
        (".5", D("0.5")),
        ("1.2E+05", D("1.2E+5")),
    ],
)
def test_parse_decimal_accepts(value: object, expected: D) -> None:
    result = parse_decimal(value)
    assert result == expected and str(result) == str(expected)


@pytest.mark.parametrize("value", [None, "", " ", "—", "——", "－", "-", "--", "/", "／", "–"])
def test_parse_decimal_blanks_are_none(value: object) -> None:
    assert parse_decimal(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "“abc”不是数字"),
        ("12O.5", "不是数字"),
        ("12%", "百分号"),
        ("1,2345", "千位分隔符"),
        ("1234,5", "千位分隔符"),
        ("12元", "不是数字"),
        ("nan", "不是数字"),
        ("Infinity", "不是数字"),
        ("-(5)", "不是数字"),
        (True, "逻辑值"),
        (float("nan"), "有限"),
        (dt.date(2022, 9, 1), "日期"),
        ("—5", "不是数字"),
    ],
)
def test_parse_decimal_refuses(value: object, message: str) -> None:
    with pytest.raises(NumberError, match=message):
        parse_decimal(value)


def test_parse_decimal_formula_error_value() -> None:
    class Err(str):
        error_code = "#DIV/0!"

    with pytest.raises(NumberError, match="公式错误值“#DIV/0!”"):
        parse_decimal(Err("#DIV/0!"))


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("12.5%", {}, D("12.5")),
        ("12.5", {}, D("12.5")),
        ("－３．２％", {}, D("-3.2")),
        (12.5, {}, D("12.5")),
        (0.125, {"fraction_if_number": True}, D("12.500")),
        ("—", {}, None),
    ],
)
def test_parse_percent(value: object, kwargs: dict[str, bool], expected: D | None) -> None:
    assert parse_percent(value, **kwargs) == expected


def test_parse_percent_refuses() -> None:
    with pytest.raises(NumberError, match="百分数"):
        parse_percent("%")
    with pytest.raises(NumberError, match="百分数"):
        parse_percent("abc%")


@pytest.mark.parametrize(
    ("amount", "src", "dst", "expected"),
    [
        ("12345", "千元", "万元", "1234.5"),
        ("1", "亿元", "万元", "10000"),
        ("1", "亿元", "千元", "100000"),
        ("1.50", "亿元", "千元", "150000"),
        ("123456789012345678901234567890.123", "元", "亿元", "1234567890123456789012.34567890123"),
        ("7", "元", "元", "7"),
        ("85", "人", "人", "85"),
        ("9.3", "亿元", "百万元", "930"),
    ],
)
def test_convert_is_exact(amount: str, src: str, dst: str, expected: str) -> None:
    result = convert(D(amount), src, dst)
    assert result == D(expected)
    assert str(result) == expected


def test_convert_refuses_other_units() -> None:
    with pytest.raises(UnitError):
        convert(D(1), "万元", "人")
    with pytest.raises(UnitError):
        convert(D(1), "万美元", "万元")  # a currency needs a stated rate


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("单位：千元", "千元"),
        ("单位:万元", "万元"),
        ("金额单位：万元", "万元"),
        ("单位：万元人民币", "万元"),
        ("（万元）", "万元"),
        ("(万元)", "万元"),
        ("工业总产值（千元）", "千元"),
        ("工业总产值(当年价格)(千元)", "千元"),
        ("2022年1-9月主要指标（单位：亿元）", "亿元"),
        ("实际使用外资(万美元)", "万美元"),
        ("平均用工人数(人)", "人"),
        ("增速(%)", "%"),
        ("千元", "千元"),
        ("单位：千元　　　　表号：B204-1", "千元"),
        ("计量单位", None),
        ("单位详细名称", None),
        ("工业总产值", None),
        ("", None),
        (None, None),
    ],
)
def test_detect_unit(text: str | None, unit: str | None) -> None:
    assert detect_unit(text) == unit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  ＡＢＣ　１２３  ", "ABC 123"),
        ("工业总产值\n（千元）", "工业总产值 (千元)"),
        (None, ""),
        (3.0, "3"),
        (3.5, "3.5"),
        (12, "12"),
    ],
)
def test_normalize_text(value: object, expected: str) -> None:
    assert normalize_text(value) == expected
