"""已提交 → 已审核 → 已锁定: what counts, review and lock commands, changes after locking."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from yuanqu.imports.models import DataSlice, DataSliceEvent

pytestmark = pytest.mark.django_db

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


@pytest.fixture
def park(tmp_path):
    park = make_park("ST")
    e = make_enterprise(park, 1, "甲")
    return park, e


def value(capsys, *extra):
    capsys.readouterr()
    call_command("indicators", "--park", "ST", "--period", "2022-06", "--json", *extra)
    row = next(r for r in json.loads(capsys.readouterr().out) if r["code"] == "industrial_output")
    return row["value"], row["status"]


def test_submitted_data_is_not_counted_until_reviewed(park, tmp_path, capsys):
    _, e = park
    f = write_xlsx(
        tmp_path / "a.xlsx",
        H,
        [[e.credit_code, "甲", "2022-06", 1000, 900]],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports", submit_only=True)
    assert value(capsys) == (None, "submitted")
    assert value(capsys, "--include-submitted") == ("1000", "submitted")
    call_command("review", "--park", "ST", "--period", "2022-06", "--kind", "enterprise-reports")
    assert value(capsys) == ("1000", "reviewed")
    call_command("lock", "--park", "ST", "--period", "2022-06", "--kind", "enterprise-reports")
    assert value(capsys) == ("1000", "locked")
    actions = list(DataSliceEvent.objects.order_by("id").values_list("action", "status_after"))
    assert actions == [("import", "submitted"), ("review", "reviewed"), ("lock", "locked")]


def test_locked_period_needs_a_reason_and_keeps_history(park, tmp_path, capsys):
    _, e = park
    f = write_xlsx(
        tmp_path / "a.xlsx",
        H,
        [[e.credit_code, "甲", "2022-06", 1000, 900]],
        unit_line="单位：万元",
    )
    call_command("import", str(f))
    call_command("lock", "--park", "ST", "--period", "2022-06")
    fixed = write_xlsx(
        tmp_path / "b.xlsx",
        H,
        [[e.credit_code, "甲", "2022-06", 1100, 900]],
        unit_line="单位：万元",
    )
    with pytest.raises(CommandError):
        call_command("import", str(fixed))
    assert "已锁定" in capsys.readouterr().out
    assert value(capsys) == ("1000", "locked")
    call_command("import", str(fixed), reason="统计局反馈更正")
    assert value(capsys) == ("1100", "locked")
    event = DataSliceEvent.objects.order_by("-id").first()
    assert (event.action, event.reason) == ("change_locked", "统计局反馈更正")
    assert event.import_record is not None


def test_review_refuses_a_period_without_data(park):
    with pytest.raises(CommandError) as exc:
        call_command(
            "review", "--park", "ST", "--period", "2022-07", "--kind", "enterprise-reports"
        )
    assert "没有数据" in str(exc.value)


def test_unlock_needs_reason(park, tmp_path):
    _, e = park
    f = write_xlsx(tmp_path / "a.xlsx", H, [[e.credit_code, "甲", "2022-06", 1000, 900]])
    call_command("import", str(f))
    call_command("lock", "--park", "ST", "--period", "2022-06", "--kind", "enterprise-reports")
    with pytest.raises(CommandError):
        call_command(
            "lock",
            "--park",
            "ST",
            "--period",
            "2022-06",
            "--kind",
            "enterprise-reports",
            "--unlock",
        )
    call_command(
        "lock",
        "--park",
        "ST",
        "--period",
        "2022-06",
        "--kind",
        "enterprise-reports",
        "--unlock",
        "--reason",
        "年报更正",
    )
    assert DataSlice.objects.get(month=6).status == "reviewed"
