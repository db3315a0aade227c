"""`yuanqu check-data`: a poisoned value planted with raw SQL is found, quarantined, and the
reads that failed work again. On PostgreSQL numeric(20, 4) refuses the value itself: the
planting tests skip there, the import refuses it (tests/integrity/test_amount_limits.py) and
check-data runs clean."""

from __future__ import annotations

import io
import json
from decimal import Decimal, InvalidOperation

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.economy.factories import make_enterprise, make_park, uscc, write_xlsx
from yuanqu.accounts.models import Role, User
from yuanqu.core.models import QuarantinedValue
from yuanqu.economy.models import EnterpriseReport, Indicator, Target
from yuanqu.imports.engine import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def park(tmp_path):
    park = make_park("CD", "检查园区")
    make_enterprise(park, 1, "甲")
    make_enterprise(park, 2, "乙")
    headers = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(本月)", "工业总产值(1-本月)"]
    rows = [[uscc(1), "甲", "2022-09", 10, 90], [uscc(2), "乙", "2022-09", 20, 180]]
    path = write_xlsx(tmp_path / "r.xlsx", headers, rows)
    assert run_import(path, kind="enterprise-reports", park=park).committed
    return park


def check(*args: str) -> tuple[dict, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("check_data", "--json", *args, stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return json.loads(out.getvalue()), exc
    return json.loads(out.getvalue()), None


def plant(sql: str, params: list) -> None:
    if connection.vendor != "sqlite":
        pytest.skip(
            "PostgreSQL's numeric(20,4) refuses the value itself: nothing can be planted "
            "(the import refuses it too: test_amount_limits.py)"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_clean_database_passes(park) -> None:
    body, error = check()
    assert error is None and body == {"found": 0, "fixed": 0, "problems": []}


def test_a_planted_1e30_is_found_quarantined_and_the_reads_work_again(park, client) -> None:
    report = EnterpriseReport.objects.get(enterprise__credit_code=uscc(2))
    plant("UPDATE economy_enterprisereport SET output_ytd = 1e30 WHERE id = %s", [report.pk])
    admin = User.objects.create_superuser("cdadmin", "", "pw-12345", role=Role.ADMIN)
    client.force_login(admin)
    # The poison: the park-period cannot be read at all.
    with pytest.raises(InvalidOperation):
        list(EnterpriseReport.objects.filter(park=park).values_list("output_ytd"))

    body, error = check()
    assert str(error) == "有 1 处问题未处理；运行 yuanqu check-data --fix 可将其移入隔离表"
    [problem] = body["problems"]
    assert {k: problem[k] for k in ("kind", "table", "pk", "field", "park", "fixed")} == {
        "kind": "amount",
        "table": "economy_enterprisereport",
        "pk": str(report.pk),
        "field": "output_ytd",
        "park": "CD",
        "fixed": False,
    }
    assert Decimal(problem["value"]) == Decimal("1E+30")  # SQLite prints it as 1.0e+30
    assert problem["problem"].endswith("超出可存储范围（整数部分最多16位）")

    body, error = check("--fix")
    assert error is None and body["fixed"] == 1
    [kept] = QuarantinedValue.objects.all()
    assert (kept.model_label, kept.object_pk, kept.field, kept.park, kept.action) == (
        "economy.EnterpriseReport",
        str(report.pk),
        "output_ytd",
        "CD",
        "nulled",
    )
    assert Decimal(kept.raw) == Decimal("1E+30")
    report.refresh_from_db()
    assert report.output_ytd is None and report.output_month == Decimal("20")

    # The reads work again, and a second run finds nothing.
    response = client.get("/api/v1/economy/reports?park=CD&period=2022-09")
    assert response.status_code == 200
    assert [r["output_ytd"] for r in response.json()["items"]] == ["90.0000", None]
    assert client.get("/api/v1/economy/indicators?park=CD&period=2022-09").status_code == 200
    assert check() == ({"found": 0, "fixed": 0, "problems": []}, None)


def test_nan_text_a_not_null_amount_and_a_period_outside_the_window(park) -> None:
    report = EnterpriseReport.objects.get(enterprise__credit_code=uscc(1))
    plant("UPDATE economy_enterprisereport SET revenue_ytd = 'NaN' WHERE id = %s", [report.pk])
    target = Target.objects.create(
        park=park, indicator=Indicator.objects.get(code="industrial_output"), year=2022, value=1
    )
    plant(
        "UPDATE economy_target SET value = '99999999999999999999999999' WHERE id = %s", [target.pk]
    )
    other = EnterpriseReport.objects.get(enterprise__credit_code=uscc(2))
    plant("UPDATE economy_enterprisereport SET year = 2199 WHERE id = %s", [other.pk])

    body, error = check()
    found = sorted((p["kind"], p["table"], p["field"], p["park"]) for p in body["problems"])
    assert found == [
        ("amount", "economy_enterprisereport", "revenue_ytd", "CD"),
        ("amount", "economy_target", "value", "CD"),
        ("period", "economy_enterprisereport", "year/month", "CD"),
    ]
    assert error is not None

    body, error = check("--fix")
    assert error is None and body["fixed"] == 3
    actions = sorted(QuarantinedValue.objects.values_list("table", "field", "action"))
    assert actions == [
        ("economy_enterprisereport", "revenue_ytd", "nulled"),
        ("economy_enterprisereport", "year/month", "deleted"),
        ("economy_target", "value", "deleted"),
    ]
    deleted = QuarantinedValue.objects.get(field="year/month")
    assert deleted.raw == "2199-09" and deleted.row["year"] == "2199"
    assert not Target.objects.exists()
    assert list(EnterpriseReport.objects.values_list("enterprise__credit_code", "revenue_ytd")) == [
        (uscc(1), None)
    ]
    assert check() == ({"found": 0, "fixed": 0, "problems": []}, None)


def test_the_text_report_names_table_row_column_value_and_park(park) -> None:
    report = EnterpriseReport.objects.get(enterprise__credit_code=uscc(2))
    plant("UPDATE economy_enterprisereport SET output_ytd = 1e30 WHERE id = %s", [report.pk])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_data", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == (
        f"economy_enterprisereport #{report.pk} output_ytd（园区 CD）：值 1.0e+30，"
        "数值 1.0e+30 超出可存储范围（整数部分最多16位）"
    )
