"""Enterprise reports stream in chunks inside one transaction: the same outcomes as one pass.

The chunk size is cut to 2 rows here so that every rule that spans rows (duplicates, the
replaced slice, enterprises created on the way, an error after rows were written) crosses a
chunk boundary.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.economy.factories import make_enterprise, make_park, uscc, write_xlsx
from yuanqu.economy.importers import EnterpriseReportImporter
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports import engine
from yuanqu.imports.engine import run_import
from yuanqu.imports.models import ImportRecord
from yuanqu.registry.models import Enterprise

pytestmark = pytest.mark.django_db

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(EnterpriseReportImporter, "chunk_size", 2)


@pytest.fixture
def park():
    return make_park("ST", "分块测试园区")


def snapshot():
    return list(EnterpriseReport.objects.order_by("pk").values())


def test_error_in_last_chunk_rolls_back_rows_written_by_earlier_chunks(park, tmp_path):
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 8)]
    rows = [[e.credit_code, e.name, "2022-06", 100 * i, 90] for i, e in enumerate(ents, 1)]
    first = run_import(write_xlsx(tmp_path / "a.xlsx", H, rows), kind="enterprise-reports")
    assert (first.rows_read, first.new, first.committed) == (7, 7, True)
    before = snapshot()

    again = run_import(write_xlsx(tmp_path / "a2.xlsx", H, rows), kind="enterprise-reports")
    assert (again.new, again.changed, again.unchanged, again.committed) == (0, 0, 7, False)
    assert ImportRecord.objects.get(pk=again.record_id).status == ImportRecord.Status.UNCHANGED

    # Six corrected rows (three chunks written) and a bad figure on the last row.
    fixed = [[c, n, p, v + 1, ly] for c, n, p, v, ly in rows]
    fixed[6][3] = "七百"
    bad = run_import(write_xlsx(tmp_path / "b.xlsx", H, fixed), kind="enterprise-reports")
    assert not bad.committed and bad.changed == 6
    assert [(i.row, i.column) for i in bad.errors] == [(8, "D")]
    assert snapshot() == before
    assert ImportRecord.objects.get(pk=bad.record_id).status == ImportRecord.Status.FAILED


def test_duplicate_in_a_later_chunk_names_the_first_row(park, tmp_path):
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 5)]
    rows = [[e.credit_code, e.name, "2022-06", 100, 90] for e in ents]
    rows.append([ents[0].credit_code, ents[0].name, "2022年6月", 120, 90])
    preview = run_import(write_xlsx(tmp_path / "d.xlsx", H, rows), kind="enterprise-reports")
    assert not preview.committed
    [error] = preview.errors
    assert error.row == 6 and "第2行已出现" in error.message
    assert EnterpriseReport.objects.count() == 0


def test_replace_deletes_rows_missing_from_a_multi_chunk_file(park, tmp_path):
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 6)]
    rows = [[e.credit_code, e.name, "2022-06", 100, 90] for e in ents]
    run_import(write_xlsx(tmp_path / "all.xlsx", H, rows), kind="enterprise-reports")
    kept = rows[:2] + rows[3:]  # the third enterprise left the June report
    kept[3][3] = 150
    dry = run_import(
        write_xlsx(tmp_path / "k.xlsx", H, kept), kind="enterprise-reports", dry_run=True
    )
    assert (dry.new, dry.changed, dry.unchanged, dry.deleted) == (0, 1, 3, 1)
    done = run_import(write_xlsx(tmp_path / "k2.xlsx", H, kept), kind="enterprise-reports")
    assert (done.changed, done.deleted, done.committed) == (1, 1, True)
    stored = dict(EnterpriseReport.objects.values_list("enterprise__credit_code", "output_ytd"))
    assert sorted(stored) == sorted(e.credit_code for i, e in enumerate(ents) if i != 2)
    assert stored[ents[4].credit_code] == 150


def test_new_enterprise_in_several_chunks_is_created_once(park, tmp_path):
    rows = [[uscc(50), "新企业", f"2022-{m:02d}", 100 * m, 90 * m] for m in range(3, 8)]
    path = write_xlsx(tmp_path / "n.xlsx", H, rows, unit_line="单位：千元")
    preview = run_import(path, kind="enterprise-reports", park=park)
    assert (preview.new, preview.committed) == (5, True)
    assert len(preview.warnings) == 1  # "尚未登记，将新建" once, not once per row
    assert Enterprise.objects.filter(credit_code=uscc(50)).count() == 1
    assert EnterpriseReport.objects.count() == 5


def test_issue_totals_stay_exact_beyond_the_kept_issues_and_errors_are_logged_first(
    park, tmp_path, monkeypatch
):
    monkeypatch.setattr(engine, "ISSUES_KEPT", 3)
    rows = [[uscc(60 + i), f"新企业{i}", "2022-06", 100, 90] for i in range(6)]
    rows.append([uscc(70), "坏数", "2022-06", "一百", 90])
    path = write_xlsx(tmp_path / "w.xlsx", H, rows, unit_line="单位：千元")
    preview = run_import(path, kind="enterprise-reports", park=park)
    assert (preview.total_errors, preview.total_warnings) == (1, 6)
    assert len(preview.warnings) == 3
    assert "错误 1，警告 6" in preview.summary()
    record = ImportRecord.objects.get(pk=preview.record_id)
    assert record.counts["warnings"] == 6 and record.issues[0]["level"] == "error"
    assert Enterprise.objects.count() == 0


def test_units_stated_per_column_are_converted_exactly(park, tmp_path):
    """No units line; 产值 headers say 万元, 营业收入 says 千元: all stored in 千元, no guess."""
    ent = make_enterprise(park, 80, "混合单位企业")
    headers = [
        "统一社会信用代码",
        "企业名称",
        "报告期",
        "工业总产值(1-本月)(万元)",
        "营业收入(1-本月)(千元)",
    ]
    path = write_xlsx(
        tmp_path / "u.xlsx", headers, [[ent.credit_code, ent.name, "2022-06", "12.345", 800]]
    )
    preview = run_import(path, kind="enterprise-reports")
    assert preview.committed, [i.text() for i in preview.issues]
    assert not preview.warnings  # the unit is stated, so nothing is assumed
    report = EnterpriseReport.objects.get()
    assert (report.unit, report.output_ytd, report.revenue_ytd) == ("千元", Decimal("123.45"), 800)


def test_total_and_note_rows_are_named_not_dropped_silently(park, tmp_path):
    ents = [make_enterprise(park, 90 + i, f"企业{i}") for i in range(2)]
    rows = [[e.credit_code, e.name, "2022-06", 100, 90] for e in ents]
    rows += [["合计", "", "", 200, 180], ["注：本表由园区经发局汇总。", "", "", "", ""]]
    path = write_xlsx(tmp_path / "t.xlsx", H, rows, unit_line="单位：千元")
    preview = run_import(path, kind="enterprise-reports")
    assert (preview.new, preview.committed) == (2, True)
    notes = {(i.row, i.message) for i in preview.warnings}
    assert notes == {(5, "合计行，未导入"), (6, "表注或签章行，未导入")}


def test_imports_are_listed_from_the_cli(park, tmp_path, capsys):
    import json

    from django.core.management import call_command

    ent = make_enterprise(park, 95, "列表企业")
    path = write_xlsx(tmp_path / "l.xlsx", H, [[ent.credit_code, ent.name, "2022-06", 1, 1]])
    run_import(path, kind="enterprise-reports", park=park)
    run_import(path, kind="enterprise-reports", park=park)
    call_command("imports", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in listed] == ["unchanged", "committed"]  # newest first
    assert listed[1]["counts"]["new"] == 1 and listed[1]["park"] == "ST"
    assert listed[1]["sha256"] == listed[0]["sha256"] and len(listed[0]["sha256"]) == 64
    call_command("imports", "--kind", "enterprise-reports")
    out = capsys.readouterr().out
    assert "l.xlsx" in out and "已导入" in out and "新增 1" in out


def test_preview_sample_shows_new_changed_and_deleted_rows(park, tmp_path):
    ents = [make_enterprise(park, 100 + i, f"样例{i}") for i in range(3)]
    rows = [[e.credit_code, e.name, "2022-06", 100, 90] for e in ents]
    run_import(
        write_xlsx(tmp_path / "s1.xlsx", H, rows, unit_line="单位：千元"),
        kind="enterprise-reports",
    )
    fixed = [rows[0], [ents[1].credit_code, ents[1].name, "2022-06", 123.4, 90]]
    fixed.append([uscc(120), "新来企业", "2022-06", 50, 0])
    dry = run_import(
        write_xlsx(tmp_path / "s2.xlsx", H, fixed, unit_line="单位：千元"),
        kind="enterprise-reports",
        park=park,
        dry_run=True,
    )
    by_action = {s["action"]: s for s in dry.sample}
    assert set(by_action) == {"new", "changed", "deleted"}
    changed = by_action["changed"]
    assert changed["row"] == 4 and ents[1].credit_code in changed["label"]
    assert changed["changes"] == [["工业总产值(1-本月)", "100", "123.4"]]
    assert by_action["new"]["changes"][0] == ["工业总产值(1-本月)", "", "50"]
    assert "样例2" in by_action["deleted"]["label"]
    assert ImportRecord.objects.get(pk=dry.record_id).sample == dry.sample


def test_import_log_exports_within_the_users_scope(park, tmp_path, client):
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook

    from tests.helpers import login_client
    from yuanqu.accounts.models import Role, User

    ent = make_enterprise(park, 130, "日志企业")
    path = write_xlsx(tmp_path / "log.xlsx", H, [[ent.credit_code, ent.name, "2022-06", 1, 1]])
    run_import(path, kind="enterprise-reports", park=park)
    out = tmp_path / "log-export.xlsx"
    call_command("export", "import-log", "-o", str(out))
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:8] == [
        "时间",
        "导入人",
        "数据类型",
        "园区代码",
        "报告期",
        "文件名",
        "SHA-256",
        "结果",
    ]
    assert [c.value for c in ws[2]][5:] == [
        "log.xlsx",
        ws["G2"].value,
        "已导入",
        1,
        1,
        0,
        0,
        0,
        0,
        1,  # the file has no units line: one warning
    ]

    other = make_park("OT", "别的园区")
    User.objects.create_user("ot", password="pw", role=Role.PARK_LEADER, park=other)
    login_client(client, "ot", "pw")
    response = client.get("/imports/export/import-log.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 1  # another park's user sees none of this park's imports


def test_collector_runs_less_often_during_the_import_and_is_restored(park, tmp_path, monkeypatch):
    import gc

    seen = []
    real_feed = EnterpriseReportImporter.feed

    def feed(self, rows, preview, *, write):
        seen.append(gc.get_threshold()[0])
        return real_feed(self, rows, preview, write=write)

    monkeypatch.setattr(EnterpriseReportImporter, "feed", feed)
    before = gc.get_threshold()
    ent = make_enterprise(park, 140, "回收企业")
    path = write_xlsx(tmp_path / "gc.xlsx", H, [[ent.credit_code, ent.name, "2022-06", 1, 1]])
    run_import(path, kind="enterprise-reports")
    assert seen and min(seen) >= 50_000
    assert gc.get_threshold() == before


def test_park_indicator_preview_sample(tmp_path):
    make_park("PS", "指标园区")
    headers = ["园区代码", "指标", "报告期", "1-本月累计", "增速(%)", "单位"]
    first = write_xlsx(
        tmp_path / "pi1.xlsx",
        headers,
        [
            ["PS", "全社会固定资产投资", "2022-09", 25.6, 15.2, "亿元"],
            ["PS", "规上工业增加值增速", "2022-09", 9.6, "", "%"],
        ],
    )
    assert run_import(first, kind="park-indicators").committed
    fixed = write_xlsx(
        tmp_path / "pi2.xlsx",
        headers,
        [["PS", "全社会固定资产投资", "2022-09", 26, 15.2, "亿元"]],
    )
    dry = run_import(fixed, kind="park-indicators", dry_run=True)
    by_action = {s["action"]: s for s in dry.sample}
    assert by_action["changed"]["changes"] == [["累计值", "256000", "260000"]]  # 万元
    assert (
        by_action["changed"]["row"] == 2 and "全社会固定资产投资" in by_action["changed"]["label"]
    )
    assert "规上工业增加值增速" in by_action["deleted"]["label"]


def test_locked_period_on_the_web_needs_a_lock_permission_and_a_reason(park, tmp_path, client):
    from django.core.management import call_command

    from yuanqu.accounts.models import Role, User

    ent = make_enterprise(park, 150, "锁定企业")
    first = write_xlsx(
        tmp_path / "l1.xlsx",
        H,
        [[ent.credit_code, ent.name, "2022-06", 100, 90]],
        unit_line="单位：千元",
    )
    run_import(first, kind="enterprise-reports")
    call_command("lock", "--park", "ST", "--period", "2022-06")
    fixed = write_xlsx(
        tmp_path / "l2.xlsx",
        H,
        [[ent.credit_code, ent.name, "2022-06", 120, 90]],
        unit_line="单位：千元",
    )

    def upload(user):
        client.force_login(user)
        with fixed.open("rb") as fh:
            response = client.post(
                "/imports/upload/", {"file": fh, "kind": "enterprise-reports", "park": "ST"}
            )
        return ImportRecord.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))

    from yuanqu.registry.models import Department

    economy = Department.objects.create(park=park, code="JFJ", name="经发局", modules=["economy"])
    # A user who may not lock cannot change a locked period, reason or not.
    clerk = User.objects.create_user("clerk", role=Role.DEPARTMENT, park=park)
    clerk.departments.add(economy)
    preview = upload(clerk)
    assert preview.status == ImportRecord.Status.FAILED
    assert "不能修改" in preview.issues[0]["message"]

    # 经发局 with the lock permission: the preview warns, the commit needs the reason.
    jingfa = User.objects.create_user("jf", role=Role.DEPARTMENT, park=park, can_lock=True)
    jingfa.departments.add(economy)
    preview = upload(jingfa)
    assert preview.status == ImportRecord.Status.PREVIEWED
    assert any("修改原因" in i["message"] for i in preview.issues if i["level"] == "warning")
    page = client.get(f"/imports/{preview.pk}/").content.decode()
    assert "确认导入" in page
    client.post(f"/imports/{preview.pk}/confirm/")
    assert EnterpriseReport.objects.get().output_ytd == 100  # no reason: nothing changed
    preview = upload(jingfa)
    client.post(f"/imports/{preview.pk}/confirm/", {"reason": "统计局反馈更正"})
    assert EnterpriseReport.objects.get().output_ytd == 120


def test_many_new_enterprises_are_named_up_to_twenty_then_counted(park, tmp_path):
    rows = [[uscc(200 + i), f"新企业{i}", "2022-06", 10, 9] for i in range(25)]
    path = write_xlsx(tmp_path / "many.xlsx", H, rows, unit_line="单位：千元")
    preview = run_import(path, kind="enterprise-reports", park=park, dry_run=True)
    named = [i for i in preview.warnings if "尚未登记，导入时将在园区" in i.message]
    assert len(named) == 20 and named[-1].row == 22
    assert any("另有 5 家企业尚未登记（共 25 家）" in i.message for i in preview.warnings)


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_opens_no_transaction_a_commit_one(park, tmp_path, monkeypatch):
    from django.db import connection

    seen = []
    real_feed = EnterpriseReportImporter.feed

    def feed(self, rows, preview, *, write):
        seen.append((write, connection.in_atomic_block))
        return real_feed(self, rows, preview, write=write)

    monkeypatch.setattr(EnterpriseReportImporter, "feed", feed)
    ent = make_enterprise(park, 160, "事务企业")
    path = write_xlsx(tmp_path / "tx.xlsx", H, [[ent.credit_code, ent.name, "2022-06", 1, 1]])
    run_import(path, kind="enterprise-reports", dry_run=True)
    assert seen == [(False, False)]  # no write lock while previewing (SQLite: BEGIN IMMEDIATE)
    run_import(path, kind="enterprise-reports")
    if connection.vendor == "postgresql":
        # One pass (engine._import_in_one_pass): each chunk checked and written inside the
        # one transaction, which blocks nobody there.
        assert seen == [(False, False), (True, True)]
    else:
        # A commit checks and stages outside any transaction, then writes the staged chunk
        # inside the one transaction: SQLite's write lock is held for the write alone.
        assert seen == [(False, False), (False, False), (True, True)]


def test_names_like_formulas_export_as_text_and_import_back_unchanged(park, tmp_path):
    from django.core.management import call_command
    from openpyxl import load_workbook

    make_enterprise(park, 170, "-3有限公司")
    make_enterprise(park, 171, "+1+2公司")
    out = tmp_path / "ents.xlsx"
    call_command("export", "enterprises", "-o", str(out), "--park", "ST")
    ws = load_workbook(out).active
    names = {c.value: c.quotePrefix for c in ws["B"][1:]}
    assert names == {"-3有限公司": True, "+1+2公司": True}
    back = run_import(out, kind="enterprises", park=park)
    assert (back.new, back.changed, back.unchanged) == (0, 0, 2), [i.text() for i in back.issues]


def test_rows_of_another_park_are_refused_when_a_park_is_chosen(park, tmp_path):
    from yuanqu.economy.models import ParkIndicatorValue

    other = make_park("OP", "另一园区")
    theirs = Enterprise.objects.create(credit_code=uscc(180), name="他园企业", park=other)
    ents = write_xlsx(
        tmp_path / "e.xlsx",
        ["统一社会信用代码", "企业名称", "园区代码"],
        [[theirs.credit_code, theirs.name, "ST"], [uscc(181), "新企业", "OP"]],
    )
    preview = run_import(ents, kind="enterprises", park=park)
    assert not preview.committed
    messages = {i.row: i.message for i in preview.errors}
    assert "已登记在园区“另一园区”" in messages[2]  # not moved into the chosen park
    assert "与所选园区“ST 分块测试园区”不一致" in messages[3]
    assert Enterprise.objects.get(pk=theirs.pk).park == other

    indicators = write_xlsx(
        tmp_path / "i.xlsx",
        ["园区代码", "指标", "报告期", "1-本月累计", "增速(%)", "单位"],
        [["OP", "全社会固定资产投资", "2022-09", 25.6, 15.2, "亿元"]],
    )
    preview = run_import(indicators, kind="park-indicators", park=park)
    assert not preview.committed and "不一致" in preview.errors[0].message
    assert not ParkIndicatorValue.objects.exists()


def test_city_users_cannot_import(park, tmp_path, client):
    from yuanqu.accounts.models import Role, User
    from yuanqu.registry.models import Region

    city = User.objects.create_user("cityuser", role=Role.CITY, region=Region.objects.first())
    client.force_login(city)
    page = client.get("/imports/").content.decode()
    assert "市级用户只能查看和导出数据" in page and "上传并预览" not in page
    ent = make_enterprise(park, 190, "市级企业")
    path = write_xlsx(tmp_path / "c.xlsx", H, [[ent.credit_code, ent.name, "2022-06", 1, 1]])
    with path.open("rb") as fh:
        client.post("/imports/upload/", {"file": fh, "kind": "enterprise-reports", "park": "ST"})
    assert not ImportRecord.objects.exists() and not EnterpriseReport.objects.exists()
    assert client.get("/imports/template/enterprise-reports.xlsx").status_code == 404


def test_unchanged_locked_months_do_not_block_an_import(park, tmp_path):
    from django.core.management import call_command

    from yuanqu.imports.models import DataSlice

    ent = make_enterprise(park, 210, "年报企业")
    may = [ent.credit_code, ent.name, "2022-05", 100, 90]
    june = [ent.credit_code, ent.name, "2022-06", 120, 110]
    first = write_xlsx(tmp_path / "ytd1.xlsx", H, [may, june], unit_line="单位：千元")
    run_import(first, kind="enterprise-reports")
    call_command("lock", "--park", "ST", "--period", "2022-05")
    june[3] = 125  # the year-to-date workbook again, with only June corrected
    again = write_xlsx(tmp_path / "ytd2.xlsx", H, [may, june], unit_line="单位：千元")
    preview = run_import(again, kind="enterprise-reports")
    assert preview.committed and (preview.changed, preview.unchanged) == (1, 1)
    assert not preview.errors
    assert DataSlice.objects.get(month=5).status == "locked"
    may[3] = 101  # but changing the locked month needs the reason
    locked = write_xlsx(tmp_path / "ytd3.xlsx", H, [may, june], unit_line="单位：千元")
    refused = run_import(locked, kind="enterprise-reports")
    assert not refused.committed and "已锁定" in refused.errors[0].message


def test_rows_with_errors_are_not_counted_as_deletions(park, tmp_path):
    ents = [make_enterprise(park, 220 + i, f"核对{i}") for i in range(3)]
    rows = [[e.credit_code, e.name, "2022-06", 100, 90] for e in ents]
    run_import(
        write_xlsx(tmp_path / "ok.xlsx", H, rows, unit_line="单位：千元"), kind="enterprise-reports"
    )
    rows[1][3] = "abc"  # a typo in one row: that row fails, it is not "missing"
    preview = run_import(
        write_xlsx(tmp_path / "typo.xlsx", H, rows, unit_line="单位：千元"),
        kind="enterprise-reports",
        dry_run=True,
    )
    assert (preview.unchanged, preview.deleted, preview.total_errors) == (2, 0, 1)
    assert not [s for s in preview.sample if s["action"] == "deleted"]


def test_cli_prints_the_change_table(park, tmp_path, capsys):
    from django.core.management import call_command

    ent = make_enterprise(park, 230, "命令行企业")
    first = write_xlsx(tmp_path / "c1.xlsx", H, [[ent.credit_code, ent.name, "2022-06", 100, 90]])
    call_command("import", str(first), kind="enterprise-reports")
    fixed = write_xlsx(tmp_path / "c2.xlsx", H, [[ent.credit_code, ent.name, "2022-06", 150, 90]])
    capsys.readouterr()
    call_command("import", str(fixed), kind="enterprise-reports", dry_run=True)
    out = capsys.readouterr().out
    assert "变更预览" in out
    assert (
        f"[变更] 第2行 命令行企业（{ent.credit_code}）2022-06：工业总产值(1-本月) 100 → 150" in out
    )


def test_formula_errors_and_formulas_without_results_are_named(park, tmp_path):
    from openpyxl import Workbook

    ent = make_enterprise(park, 240, "公式企业")
    other = make_enterprise(park, 241, "错误值企业")
    wb = Workbook()
    ws = wb.active
    ws.append(["单位：千元"])
    ws.append(H)
    ws.append([ent.credit_code, '=A1&"公司"', "2022-06", 100, 90])  # no saved result
    ws.append([other.credit_code, other.name, "2022-06", "=1/0", 90])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    # Mark the second formula as an error value, as Excel saves #DIV/0!.
    import zipfile

    with zipfile.ZipFile(path) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace(
        '<c r="D4"><f>1/0</f><v></v></c>', '<c r="D4" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as zout:
        for n, data in parts.items():
            zout.writestr(n, data)
    preview = run_import(path, kind="enterprise-reports", dry_run=True)
    found = {(i.row, i.column): i.message for i in preview.errors}
    assert "没有保存计算结果" in found[(3, "B")]
    assert "公式错误值“#DIV/0!”" in found[(4, "D")]
    assert preview.new == 0
