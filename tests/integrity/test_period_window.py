"""Reporting periods are held to a configurable window (DECISIONS.md "Data integrity")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from tests.economy.factories import make_enterprise, make_park, uscc, write_xlsx
from yuanqu.core.periods import Period, PeriodError, parse_period, period_window
from yuanqu.imports.engine import run_import


def test_default_window_is_2000_01_to_december_of_next_year() -> None:
    assert period_window(dt.date(2026, 3, 5)) == (Period(2000, 1), Period(2027, 12))
    low, high = period_window()
    assert high == Period(dt.date.today().year + 1, 12) and low == Period(2000, 1)


@pytest.mark.parametrize(
    "text", ["1999-12", "2199-09", "2100-01", f"{dt.date.today().year + 2}-01"]
)
def test_outside_the_window_is_refused_in_chinese(text: str) -> None:
    high = dt.date.today().year + 1
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert str(info.value) == f"报告期 {text} 不在允许的范围内（2000-01 至 {high}-12）"


def test_the_window_is_a_setting(settings) -> None:
    settings.YUANQU_PERIOD_MIN = "2019-02"
    settings.YUANQU_PERIOD_MAX = "2023-12"
    assert parse_period("2019-02") == Period(2019, 2)
    assert parse_period("2023年12月") == Period(2023, 12)
    for text in ("2019-01", "2024-01"):
        with pytest.raises(PeriodError, match="2019-02 至 2023-12"):
            parse_period(text)


def test_arithmetic_may_leave_the_window() -> None:
    """上年同期 of 2000-01 is 1999-01: a Period, not an entered reporting period."""
    assert parse_period("2000-01").same_last_year() == Period(1999, 1)


def test_import_refuses_a_row_outside_the_window(db, tmp_path) -> None:
    park = make_park("PW", "期别园区")
    make_enterprise(park, 1, "甲")
    headers = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)"]
    path = write_xlsx(tmp_path / "p.xlsx", headers, [[uscc(1), "甲", "2199-09", 2]])
    preview = run_import(path, kind="enterprise-reports", park=park)
    [error] = preview.errors
    assert (error.row, error.column, error.field) == (2, "C", "报告期")
    assert "报告期 2199-09 不在允许的范围内（2000-01 至" in error.message


def test_cli_refuses_a_period_outside_the_window(db) -> None:
    make_park("PW", "期别园区")
    with pytest.raises(CommandError, match="报告期 2199-09 不在允许的范围内"):
        call_command("indicators", "--park", "PW", "--period", "2199-09", "--json")
