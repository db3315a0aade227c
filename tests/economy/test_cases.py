"""Hand-computed cases through the import and the CLI JSON (DECISIONS.md format)."""

import json

import pytest
from django.core.management import call_command

from tests.economy.factories import make_enterprise, make_park, uscc, write_xlsx

pytestmark = pytest.mark.django_db

H = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(本月)",
    "工业总产值(1-本月)",
    "工业总产值上年同期(本月)",
    "工业总产值上年同期(1-本月)",
]


def indicators(capsys, park, period, *extra):
    capsys.readouterr()
    call_command("indicators", "--park", park, "--period", period, "--json", *extra)
    rows = json.loads(capsys.readouterr().out)
    return {r["code"]: r for r in rows}


def targets_file(tmp_path, rows):
    return write_xlsx(
        tmp_path / "targets.xlsx", ["园区代码", "指标", "年度", "目标类型", "目标值", "单位"], rows
    )


def test_jan_feb_combined_and_month_values(tmp_path, capsys):
    park = make_park("JF")
    e = make_enterprise(park, 1, "甲公司")
    f = write_xlsx(
        tmp_path / "feb.xlsx",
        H,
        [
            [e.credit_code, "甲公司", "2022年1-2月", 500, 500, 400, 400],
            [e.credit_code, "甲公司", "2022年3月", 300, 800, 250, 650],
        ],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports")
    feb = indicators(capsys, "JF", "2022-02")["industrial_output"]
    # January is not reported: February's month value is the 1-2月 figure.
    assert (feb["value"], feb["month_value"], feb["yoy_pct"]) == ("500", "500", "25.0")
    mar = indicators(capsys, "JF", "2022-03")["industrial_output"]
    assert (mar["value"], mar["month_value"]) == ("800", "300")
    # 800 / 650 − 1 = 23.076…%
    assert mar["yoy_pct"] == "23.1"
    assert mar["time_progress_pct"] == "25.0"


def test_no_base_gives_null_not_error(tmp_path, capsys):
    park = make_park("NB")
    e = make_enterprise(park, 2, "新厂")
    f = write_xlsx(
        tmp_path / "new.xlsx",
        H,
        [[e.credit_code, "新厂", "2022-09", 100, 900, 0, 0]],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports")
    row = indicators(capsys, "NB", "2022-09", "--nominal")["industrial_output"]
    assert row["value"] == "900"
    assert row["yoy_pct"] is None and row["yoy_nominal_pct"] is None
    assert indicators(capsys, "NB", "2022-09")["tax_total"]["value"] is None


def test_time_progress_from_unrounded_values(tmp_path, capsys):
    park = make_park("SS")
    a = make_enterprise(park, 3, "甲")
    b = make_enterprise(park, 4, "乙")
    # DOMAIN §5: 9.3 of a 12.0 plan after August = 77.5%; time progress 66.67%; ahead 10.8.
    f = write_xlsx(
        tmp_path / "aug.xlsx",
        H,
        [
            [a.credit_code, "甲", "2022-08", 1000, 60000, 900, 50000],
            [b.credit_code, "乙", "2022-08", 500, 33000, 400, 30000],
        ],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports")
    call_command(
        "import",
        str(targets_file(tmp_path, [["SS", "规上工业总产值", 2022, "总量", 12, "亿元"]])),
        kind="targets",
    )
    row = indicators(capsys, "SS", "2022-08")["industrial_output"]
    assert (row["target"], row["target_kind"]) == ("120000", "level")
    assert (row["completion_pct"], row["time_progress_pct"], row["ahead_pp"]) == (
        "77.5",
        "66.7",
        "10.8",
    )
    # 93,048 of 120,000 = 77.54%; ahead = 77.54 − 66.666… = 10.873 → 10.9
    # (rounding first would give 77.5 − 66.7 = 10.8).
    f2 = write_xlsx(
        tmp_path / "aug2.xlsx",
        H,
        [
            [a.credit_code, "甲", "2022-08", 1000, 60048, 900, 50000],
            [b.credit_code, "乙", "2022-08", 500, 33000, 400, 30000],
        ],
        unit_line="单位：万元",
    )
    call_command("import", str(f2), kind="enterprise-reports")
    row = indicators(capsys, "SS", "2022-08")["industrial_output"]
    assert (row["completion_pct"], row["ahead_pp"]) == ("77.5", "10.9")


def test_rounding_half_up_2_25(tmp_path, capsys):
    park = make_park("RH")
    e = make_enterprise(park, 5, "甲")
    f = write_xlsx(
        tmp_path / "r.xlsx",
        H,
        [[e.credit_code, "甲", "2022-06", 100, 10225, 90, 10000]],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports")
    row = indicators(capsys, "RH", "2022-06")["industrial_output"]
    assert row["yoy_pct"] == "2.3"  # Python's round(2.25, 1) would give 2.2
    assert indicators(capsys, "RH", "2022-06", "--exact")["industrial_output"]["yoy_pct"] == "2.25"


def test_growth_target_reports_gap_in_points(tmp_path, capsys):
    park = make_park("GT")
    e = make_enterprise(park, 6, "甲")
    f = write_xlsx(
        tmp_path / "g.xlsx",
        H,
        [[e.credit_code, "甲", "2022-06", 100, 11000, 90, 10000]],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports")
    call_command(
        "import",
        str(targets_file(tmp_path, [["GT", "industrial_output", 2022, "增速", 12, ""]])),
        kind="targets",
    )
    row = indicators(capsys, "GT", "2022-06")["industrial_output"]
    assert row["yoy_pct"] == "10.0" and row["target_kind"] == "growth"
    assert row["completion_pct"] is None and row["ahead_pp"] == "-2.0"


def test_entered_indicator_keeps_released_rate_and_rate_indicator(tmp_path, capsys):
    make_park("EI")
    f = write_xlsx(
        tmp_path / "pi.xlsx",
        ["园区代码", "指标", "报告期", "1-本月累计", "增速(%)", "单位"],
        [
            ["EI", "全社会固定资产投资", "2022-09", 25.6, 15.2, "亿元"],
            ["EI", "规上工业增加值增速", "2022-09", 9.6, "", "%"],
        ],
    )
    call_command("import", str(f), kind="park-indicators")
    rows = indicators(capsys, "EI", "2022-09")
    fai = rows["fixed_asset_investment"]
    assert (fai["value"], fai["yoy_pct"], fai["source"]) == ("256000", "15.2", "entered")
    va = rows["industrial_va_growth"]
    assert (va["value"], va["yoy_pct"], va["unit"]) == ("9.6", None, "%")


def test_unknown_enterprise_created_with_park_else_error(tmp_path, capsys):
    make_park("UK")
    code = uscc(77)
    f = write_xlsx(
        tmp_path / "u.xlsx",
        H,
        [[code, "新登记公司", "2022-09", 10, 90, 0, 0]],
        unit_line="单位：千元",
    )
    with pytest.raises(Exception) as exc:
        call_command("import", str(f), kind="enterprise-reports")
    assert "导入失败" in str(exc.value)
    out = capsys.readouterr().out
    assert "第3行" in out and "A列" in out and "尚未登记" in out
    call_command("import", str(f), kind="enterprise-reports", park="UK")
    out = capsys.readouterr().out
    assert "警告" in out and "新建" in out
    row = indicators(capsys, "UK", "2022-09")["industrial_output"]
    assert row["value"] == "9"  # 90 千元 = 9 万元, exactly


def test_mom_raw_in_series_api(tmp_path, client):
    from tests.helpers import login_client
    from yuanqu.accounts.models import User

    park = make_park("MM")
    e = make_enterprise(park, 8, "甲")
    f = write_xlsx(
        tmp_path / "m.xlsx",
        H,
        [
            [e.credit_code, "甲", "2022-02", 200, 200, 150, 150],
            [e.credit_code, "甲", "2022-03", 100, 300, 90, 240],
            [e.credit_code, "甲", "2022-04", 125, 425, 100, 340],
        ],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports")
    User.objects.create_user("mmadmin", password="demo2022", role="admin")
    login_client(client, "mmadmin")
    points = client.get(
        "/api/v1/economy/series?park=MM&year=2022&indicator=industrial_output"
    ).json()
    by_period = {p["period"]: p for p in points}
    # March against 1-2月 is not a month-on-month comparison: undefined; April: 125/100 − 1.
    assert by_period["2022-03"]["mom_pct"] is None
    assert by_period["2022-04"]["mom_pct"] == "25.0"
    assert by_period["2022-04"]["month_value"] == "125"
