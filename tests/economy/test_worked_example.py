"""DOMAIN.md §3 worked example, end to end: import two files, then ask the CLI.

1–9月 output (万元): P 8,000 (own last year 7,000); Q 4,000 (4,400); R left the set (2,000 last
year); S entered (1,200, declared 900); T new plant (600, 0). Comparable growth
13,800 / 12,300 − 1 = 12.195…% → 12.2; nominal 13,800 / 13,400 − 1 = 2.985…% → 3.0 (labelled);
pulls P 8.1, Q −3.3, S 2.4, T 4.9.
"""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.economy.factories import make_enterprise, make_park, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(1-本月)",
    "工业总产值上年同期(1-本月)",
]


@pytest.fixture
def worked_example(tmp_path):
    park = make_park("WX", "示例园区")
    ents = {
        k: make_enterprise(park, i, f"{k}公司", cluster)
        for i, (k, cluster) in enumerate(
            [("P", "甲"), ("Q", "甲"), ("R", "乙"), ("S", "乙"), ("T", "乙")], start=1
        )
    }
    last = write_xlsx(
        tmp_path / "2021-09.xlsx",
        HEADERS,
        [
            [ents["P"].credit_code, "P公司", "2021年9月", 7000, 6500],
            [ents["Q"].credit_code, "Q公司", "2021年9月", 4400, 4000],
            [ents["R"].credit_code, "R公司", "2021年9月", 2000, 1900],
        ],
        unit_line="单位：万元",
    )
    now = write_xlsx(
        tmp_path / "2022-09.xlsx",
        HEADERS,
        [
            [ents["P"].credit_code, "P公司", "2022-09", 8000, 7000],
            [ents["Q"].credit_code, "Q公司", "2022-09", 4000, 4400],
            [ents["S"].credit_code, "S公司", "2022-09", 1200, 900],
            [ents["T"].credit_code, "T公司", "2022-09", 600, 0],
        ],
        unit_line="单位：万元",
    )
    call_command("import", str(last), kind="enterprise-reports")
    call_command("import", str(now), kind="enterprise-reports")
    return park, ents


def run_json(capsys, *args):
    capsys.readouterr()
    call_command("indicators", *args)
    return json.loads(capsys.readouterr().out)


def test_comparable_growth_and_labelled_nominal(worked_example, capsys):
    rows = run_json(capsys, "--park", "WX", "--period", "2022-09", "--json")
    output = next(r for r in rows if r["code"] == "industrial_output")
    assert output["value"] == "13800"
    assert output["yoy_pct"] == "12.2"
    assert "yoy_nominal_pct" not in output  # nominal only when asked for
    assert output["unit"] == "万元" and output["source"] == "computed"
    assert output["status"] == "reviewed"  # an operator's CLI import lands as 已审核
    assert output["target"] is None and output["completion_pct"] is None
    assert output["time_progress_pct"] == "75.0"

    nominal = run_json(capsys, "--park", "WX", "--period", "2022-09", "--json", "--nominal")
    output = next(r for r in nominal if r["code"] == "industrial_output")
    assert output["yoy_nominal_pct"] == "3.0"

    exact = run_json(capsys, "--park", "WX", "--period", "2022-09", "--json", "--exact")
    output = next(r for r in exact if r["code"] == "industrial_output")
    assert Decimal(output["yoy_pct"]).quantize(Decimal("0.000001")) == Decimal("12.195122")


def test_pull_of_each_enterprise(worked_example, capsys):
    parts = run_json(
        capsys,
        "--park",
        "WX",
        "--period",
        "2022-09",
        "--json",
        "--by",
        "enterprise",
        "--indicator",
        "industrial_output",
    )
    pulls = {p["name"]: p["pull_pp"] for p in parts}
    assert pulls == {"P公司": "8.1", "T公司": "4.9", "S公司": "2.4", "Q公司": "-3.3"}
    # Contribution rates: Δ = 1000, −400, 300, 600 over Δtotal 1500.
    contributions = {p["name"]: p["contribution_pct"] for p in parts}
    assert contributions == {"P公司": "66.7", "T公司": "40.0", "S公司": "20.0", "Q公司": "-26.7"}
    exact = run_json(
        capsys,
        "--park",
        "WX",
        "--period",
        "2022-09",
        "--json",
        "--exact",
        "--by",
        "enterprise",
        "--indicator",
        "industrial_output",
    )
    total = sum(Decimal(p["pull_pp"]) for p in exact)
    assert abs(total - Decimal("12.19512195121951219512195122")) < Decimal("1e-20")


def test_pull_by_cluster(worked_example, capsys):
    parts = run_json(
        capsys,
        "--park",
        "WX",
        "--period",
        "2022-09",
        "--json",
        "--by",
        "cluster",
        "--indicator",
        "industrial_output",
    )
    pulls = {p["name"]: p["pull_pp"] for p in parts}
    # 甲: P+Q = 12,000 vs 11,400 → 600 / 12,300 = 4.9; 乙: S+T = 1,800 vs 900 → 7.3.
    assert pulls == {"乙": "7.3", "甲": "4.9"}


def test_table_output_is_readable(worked_example, capsys):
    capsys.readouterr()
    call_command("indicators", "--park", "WX", "--period", "2022-09")
    out = capsys.readouterr().out
    assert "规上工业总产值" in out and "13,800.00" in out and "12.2" in out
