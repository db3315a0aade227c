"""Review and lock on the web, 报送率, the deletion guard and submit-only imports (issue 9,
items 3, 4, 8 and 11), through pages and the CLI on the demo registry and logins."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.economy.factories import write_xlsx
from tests.helpers import login_client
from yuanqu.core.periods import Period
from yuanqu.economy.models import EnterpriseReport
from yuanqu.economy.selectors import reporting_rate
from yuanqu.imports.models import DataSlice, ImportRecord, Reminder
from yuanqu.registry.models import Enterprise, EnterpriseScale, Park

pytestmark = pytest.mark.django_db

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(本月)", "工业总产值(1-本月)"]


@pytest.fixture
def demo(demo_registry):
    park = Park.objects.get(code="DEMO")
    # Five enterprises on the 2023 规上 list, qiye's own enterprise first among them.
    from yuanqu.accounts.models import User

    own = User.objects.get(username="qiye").enterprise
    others = list(Enterprise.objects.filter(park=park).exclude(pk=own.pk).order_by("credit_code"))
    listed = [own, *others[:4]]
    # The demo registry has its own 规上 lists: this test's list is five enterprises.
    EnterpriseScale.objects.filter(enterprise__park=park).delete()
    for e in listed:
        EnterpriseScale.objects.create(enterprise=e, year=2023, is_above_scale=True)
    # Enters 规上 in September: not expected before.
    EnterpriseScale.objects.create(
        enterprise=others[4],
        year=2023,
        is_above_scale=True,
        entry=EnterpriseScale.Entry.MONTHLY,
        entry_month=9,
    )
    return park, listed


def rows_for(ents, period="2023-06", value=100):
    return [[e.credit_code, e.name, period, 10, value] for e in ents]


def upload(client, path, **data):
    with path.open("rb") as fh:
        response = client.post("/imports/upload/", {"file": fh, **data})
    return response


def record_of(response) -> ImportRecord:
    return ImportRecord.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_reporting_rate_counts_the_scale_list_and_entry_month(demo, tmp_path):
    park, listed = demo
    path = write_xlsx(tmp_path / "m.xlsx", H, rows_for(listed[:3]), unit_line="单位：千元")
    call_command("import", str(path), "--kind", "enterprise-reports", "--park", "DEMO")
    rate = reporting_rate(park=park, period=Period(2023, 6))
    # 5 on the list (the sixth enters in September), 3 reported: 3 / 5 = 60.0 %.
    assert (rate.expected, rate.reported, rate.rate) == (5, 3, Decimal(60))
    assert rate.sentence() == "本期应报5户，已报3户，报送率60.0%"
    assert [m.credit_code for m in rate.missing] == sorted(e.credit_code for e in listed[3:])
    # September: the entering enterprise is expected too (6), nobody reported yet.
    assert reporting_rate(park=park, period=Period(2023, 9)).expected == 6


def test_reporting_rate_without_a_list_expects_last_months_reporters(demo, tmp_path):
    park, listed = demo
    # 2022 has no 规上 list: December's four reporters are expected in 1-2月 (February).
    path = write_xlsx(tmp_path / "d.xlsx", H, rows_for(listed[:4], "2022-12"))
    call_command("import", str(path), "--kind", "enterprise-reports", "--park", "DEMO")
    EnterpriseScale.objects.filter(year=2023).delete()
    path = write_xlsx(tmp_path / "f.xlsx", H, rows_for(listed[:1], "2023-02"))
    call_command("import", str(path), "--kind", "enterprise-reports", "--park", "DEMO")
    rate = reporting_rate(park=park, period=Period(2023, 2))
    assert (rate.expected, rate.reported, rate.rate_text, rate.basis) == (4, 1, "25.0", "上月报送")


def test_cli_replace_deleting_most_of_a_month_needs_allow_deletions(demo, tmp_path, capsys):
    park, listed = demo
    full = write_xlsx(tmp_path / "full.xlsx", H, rows_for(listed[:4]), unit_line="单位：千元")
    call_command("import", str(full), "--kind", "enterprise-reports", "--park", "DEMO")
    one = write_xlsx(tmp_path / "one.xlsx", H, rows_for(listed[:1], value=120))
    with pytest.raises(CommandError):
        call_command("import", str(one), "--kind", "enterprise-reports", "--park", "DEMO")
    out = capsys.readouterr().out
    assert "已入库 4 行，将删除 3 行" in out and "--allow-deletions" in out
    assert "示范工业园区 2023-06" in out
    assert EnterpriseReport.objects.filter(park=park, year=2023, month=6).count() == 4
    call_command(
        "import", str(one), "--kind", "enterprise-reports", "--park", "DEMO", "--allow-deletions"
    )
    assert EnterpriseReport.objects.filter(park=park, year=2023, month=6).count() == 1


def test_web_replace_needs_typed_confirmation_and_merge_is_one_click(demo, tmp_path, client):
    park, listed = demo
    full = write_xlsx(tmp_path / "full.xlsx", H, rows_for(listed[:4]), unit_line="单位：千元")
    call_command("import", str(full), "--kind", "enterprise-reports", "--park", "DEMO")
    login_client(client, "jingfa")
    one = write_xlsx(
        tmp_path / "one.xlsx", H, rows_for(listed[:1], value=120), unit_line="单位：千元"
    )
    record = record_of(upload(client, one, kind="enterprise-reports", park="DEMO"))
    assert record.status == ImportRecord.Status.PREVIEWED
    page = client.get(f"/imports/{record.pk}/").content.decode()
    # What the replace deletes comes first, highlighted, with names.
    assert "本次替换将删除 3 行已入库数据" in page
    first_row = page.index('class="deleted"')
    assert first_row < page.index("变更</td>")
    assert listed[1].name in page and "改为合并导入" in page
    assert "请输入删除行数 3" in page
    # No typed confirmation: nothing written.
    client.post(f"/imports/{record.pk}/confirm/")
    assert EnterpriseReport.objects.filter(park=park, year=2023, month=6).count() == 4
    client.post(f"/imports/{record.pk}/confirm/", {"confirm_deletions": "2"})
    assert EnterpriseReport.objects.filter(park=park, year=2023, month=6).count() == 4
    client.post(f"/imports/{record.pk}/confirm/", {"confirm_deletions": "3"})
    assert EnterpriseReport.objects.filter(park=park, year=2023, month=6).count() == 1

    # 改为合并导入 keeps the rows the file does not mention.
    call_command(
        "import", str(full), "--kind", "enterprise-reports", "--park", "DEMO", "--allow-deletions"
    )
    record = record_of(upload(client, one, kind="enterprise-reports", park="DEMO"))
    client.post(f"/imports/{record.pk}/confirm/", {"mode": "merge"})
    stored = EnterpriseReport.objects.filter(park=park, year=2023, month=6)
    assert stored.count() == 4
    assert stored.get(enterprise=listed[0]).output_ytd == 120


def test_preview_shows_the_reporting_rate_and_the_missing(demo, tmp_path, client):
    _park, listed = demo
    login_client(client, "jingfa")
    path = write_xlsx(tmp_path / "m.xlsx", H, rows_for(listed[:3]), unit_line="单位：千元")
    record = record_of(upload(client, path, kind="enterprise-reports", park="DEMO"))
    page = client.get(f"/imports/{record.pk}/").content.decode()
    assert "本期应报5户，已报3户，报送率60.0%" in page
    assert listed[3].name in page and listed[4].name in page


def test_submit_only_never_changes_reviewed_rows(demo, tmp_path, client):
    park, listed = demo
    own = listed[0]
    full = write_xlsx(tmp_path / "full.xlsx", H, rows_for(listed[:4]), unit_line="单位：千元")
    call_command("import", str(full), "--kind", "enterprise-reports", "--park", "DEMO")
    assert DataSlice.objects.get(park=park, year=2023, month=6).status == "reviewed"
    login_client(client, "qiye")
    changed = write_xlsx(
        tmp_path / "own.xlsx", H, rows_for([own], value=999), unit_line="单位：千元"
    )
    record = record_of(upload(client, changed))
    assert record.status == ImportRecord.Status.FAILED
    [error] = [i for i in record.issues if i["level"] == "error"]
    assert "2023-06" in error["message"] and "已审核" in error["message"]
    assert error["row"] == 3
    assert EnterpriseReport.objects.get(enterprise=own, year=2023, month=6).output_ytd == 100
    # Its own new month merges (nothing of the others is deleted) and lands 已提交.
    july = write_xlsx(tmp_path / "july.xlsx", H, rows_for([own], "2023-07"), unit_line="单位：千元")
    record = record_of(upload(client, july))
    assert record.status == ImportRecord.Status.PREVIEWED and record.mode == "merge"
    client.post(f"/imports/{record.pk}/confirm/")
    assert DataSlice.objects.get(park=park, year=2023, month=7).status == "submitted"
    assert EnterpriseReport.objects.filter(park=park, year=2023, month=6).count() == 4


def test_department_without_economy_gets_403_naming_who_may(demo, tmp_path, client):
    _park, listed = demo
    login_client(client, "zhaoshang")
    path = write_xlsx(tmp_path / "m.xlsx", H, rows_for(listed[:3]), unit_line="单位：千元")
    response = upload(client, path, kind="enterprise-reports", park="DEMO")
    assert response.status_code == 403
    text = response.content.decode()
    assert "经发局" in text and "导入企业月度报表" in text
    assert not EnterpriseReport.objects.exists()
    # The kinds offered follow the write areas: none for 招商局 here.
    assert "enterprise-reports" not in client.get("/imports/").content.decode().split("导入记录")[0]


def _import_month(tmp_path, ents, period="2023-06", submit=True):
    path = write_xlsx(
        tmp_path / f"{period}.xlsx", H, rows_for(ents, period), unit_line="单位：千元"
    )
    args = ["import", str(path), "--kind", "enterprise-reports", "--park", "DEMO"]
    call_command(*args, *(["--submit-only"] if submit else []))


def test_review_return_lock_unlock_on_the_web_with_history(demo, tmp_path, client):
    park, listed = demo
    _import_month(tmp_path, listed[:3])
    login_client(client, "jingfa")
    page = client.get("/imports/review/?park=DEMO").content.decode()
    assert "已提交" in page and "本期应报5户，已报3户，报送率60.0%" in page
    assert listed[4].name in page and "确认审核未报齐的期间" in page
    form = {"park": "DEMO", "kind": "enterprise-reports", "period": "2023-06"}
    post = lambda **extra: client.post("/imports/review/action/", {**form, **extra})  # noqa: E731

    post(action="review")  # incomplete, not confirmed: refused
    s = DataSlice.objects.get(park=park, kind="enterprise-reports", year=2023, month=6)
    assert s.status == "submitted"
    post(action="return", reason="")  # a return needs a reason
    s.refresh_from_db()
    assert s.status == "submitted"
    post(action="return", reason="产值与电量不符，请核对")
    s.refresh_from_db()
    assert s.status == "returned"
    post(action="review", confirm_incomplete="1")
    s.refresh_from_db()
    assert s.status == "reviewed"
    economy = client.get("/economy/?park=DEMO&period=2023-06").content.decode()
    assert "本期应报5户，已报3户，报送率60.0%" in economy
    post(action="lock")
    s.refresh_from_db()
    assert s.status == "locked"
    post(action="unlock", reason="")
    s.refresh_from_db()
    assert s.status == "locked"
    post(action="unlock", reason="统计局更正")
    s.refresh_from_db()
    assert s.status == "reviewed"
    actions = list(s.events.order_by("created_at", "id").values_list("action", "reason"))
    assert actions == [
        ("import", ""),
        ("return", "产值与电量不符，请核对"),
        ("review", "确认审核未报齐的期间"),
        ("lock", ""),
        ("unlock", "统计局更正"),
    ]
    page = client.get("/imports/review/?park=DEMO&year=2023").content.decode()
    assert "产值与电量不符，请核对" in page and "统计局更正" in page
    from auditlog.models import LogEntry

    # Model changes auditlog records by itself carry no event name; ours all do.
    events = [
        e.additional_data["event"]
        for e in LogEntry.objects.order_by("pk")
        if "event" in (e.additional_data or {})
    ]
    assert [e for e in events if e in ("review", "return", "lock", "unlock")] == [
        "return",
        "review",
        "lock",
        "unlock",
    ]


@pytest.mark.parametrize("username", ["zhaoshang", "city"])
def test_review_refused_with_403_naming_the_economy_bureau(demo, tmp_path, client, username):
    park, listed = demo
    _import_month(tmp_path, listed)
    login_client(client, username)
    page = client.get("/imports/review/?park=DEMO").content.decode()
    assert "由经发局有审核权限的用户（或系统管理员）审核" in page
    for action in ("review", "return", "lock"):
        response = client.post(
            "/imports/review/action/",
            {
                "park": "DEMO",
                "kind": "enterprise-reports",
                "period": "2023-06",
                "action": action,
                "reason": "x",
                "confirm_incomplete": "1",
            },
        )
        assert response.status_code == 403
        assert "经发局" in response.content.decode()
    assert DataSlice.objects.get(park=park, year=2023, month=6).status == "submitted"


def test_enterprise_user_cannot_open_the_review_page(demo, client):
    login_client(client, "qiye")
    assert client.get("/imports/review/?park=DEMO").status_code == 404


def test_remind_notifies_the_missing_enterprises_users(demo, tmp_path, client):
    from auditlog.models import LogEntry

    _park, listed = demo
    _import_month(tmp_path, listed[1:4])  # qiye's enterprise (listed[0]) has not reported
    login_client(client, "jingfa")
    client.post(
        "/imports/review/action/", {"park": "DEMO", "period": "2023-06", "action": "remind"}
    )
    [notice] = Reminder.objects.all()
    assert notice.user.username == "qiye" and notice.topic == "remind"
    assert "2023年6月" in notice.message
    entry = LogEntry.objects.filter(additional_data__event="remind").get()
    assert entry.additional_data["notified"] == 1
    login_client(client, "qiye")
    assert "请尽快报送 2023年6月" in client.get("/imports/").content.decode()


def test_cli_review_prints_the_rate_and_needs_confirmation_when_incomplete(demo, tmp_path, capsys):
    park, listed = demo
    _import_month(tmp_path, listed[:3])
    with pytest.raises(CommandError, match="--confirm-incomplete"):
        call_command(
            "review", "--park", "DEMO", "--period", "2023-06", "--kind", "enterprise-reports"
        )
    assert "本期应报5户，已报3户，报送率60.0%" in capsys.readouterr().out
    call_command(
        "review",
        "--park",
        "DEMO",
        "--period",
        "2023-06",
        "--kind",
        "enterprise-reports",
        "--confirm-incomplete",
    )
    call_command("lock", "--park", "DEMO", "--period", "2023-06", "--kind", "enterprise-reports")
    with pytest.raises(CommandError):
        call_command("unlock", "--park", "DEMO", "--period", "2023-06", "--reason", " ")
    call_command("unlock", "--park", "DEMO", "--period", "2023-06", "--reason", "更正")
    assert DataSlice.objects.get(park=park, year=2023, month=6).status == "reviewed"
    with pytest.raises(CommandError, match="未知的数据类型"):
        call_command("review", "--park", "DEMO", "--period", "2023-06", "--kind", "bogus")


def test_indicators_json_carries_expected_and_reported(demo, tmp_path, capsys):
    _park, listed = demo
    _import_month(tmp_path, listed[:3], submit=False)
    capsys.readouterr()
    call_command("indicators", "--park", "DEMO", "--period", "2023-06", "--json")
    data = json.loads(capsys.readouterr().out)
    computed = [o for o in data if o["source"] == "computed"]
    assert computed and all((o["expected"], o["reported"]) == ("5", "3") for o in computed)
    assert all("expected" not in o for o in data if o["source"] == "entered")


def test_a_return_reaches_the_submitter_with_its_reason(demo, tmp_path, client):
    park, listed = demo
    login_client(client, "qiye")
    own = write_xlsx(tmp_path / "own.xlsx", H, rows_for(listed[:1]), unit_line="单位：千元")
    record = record_of(upload(client, own))
    client.post(f"/imports/{record.pk}/confirm/")
    assert DataSlice.objects.get(park=park, year=2023, month=6).status == "submitted"
    login_client(client, "jingfa")
    client.post(
        "/imports/review/action/",
        {
            "park": "DEMO",
            "kind": "enterprise-reports",
            "period": "2023-06",
            "action": "return",
            "reason": "用电量缺失",
        },
    )
    login_client(client, "qiye")
    page = client.get("/imports/").content.decode()
    assert "已被退回：用电量缺失" in page
    # Submitting again puts the month back to 已提交 for review.
    fixed = write_xlsx(tmp_path / "fixed.xlsx", H, rows_for(listed[:1], value=101))
    record = record_of(upload(client, fixed))
    client.post(f"/imports/{record.pk}/confirm/")
    assert DataSlice.objects.get(park=park, year=2023, month=6).status == "submitted"
