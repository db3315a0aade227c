"""The audit log (issue 9, item 10): logins, imports with their change table, exports and
report downloads leave entries with the right user, park and event; the page is scoped; the
log is append-only and outlives its objects."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from tests.economy.factories import write_xlsx
from tests.helpers import login_client
from yuanqu.audit.signals import AuditLogIsAppendOnly
from yuanqu.registry.models import Enterprise, Park

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


def events(event: str, **filters) -> list[LogEntry]:
    return list(LogEntry.objects.filter(additional_data__event=event, **filters).order_by("id"))


@pytest.fixture
def demo(demo_registry):
    park = Park.objects.get(code="DEMO")
    ents = list(Enterprise.objects.filter(park=park).order_by("credit_code")[:2])
    return park, ents


def test_flow_leaves_entries_with_user_park_and_event(client, demo, tmp_path):
    _park, (a, b) = demo
    # A failed login, then a real one: both are in the log, with the name typed.
    response = client.post("/accounts/login/", {"username": "admin", "password": "wrong"})
    assert response.status_code == 200  # the form again, with its error
    failed = events("login_failed")[-1]
    assert failed.actor is None and failed.additional_data["username"] == "admin"
    response = client.post("/accounts/login/", {"username": "admin", "password": "demo2022"})
    assert response.status_code == 302
    login = events("login")[-1]
    assert login.actor.username == "admin"

    # The operator's CLI import: one entry, no actor, source cli, the park and the counts.
    first = write_xlsx(
        tmp_path / "a.xlsx",
        H,
        [
            [a.credit_code, a.name, "2022-06", 1000, 900],
            [b.credit_code, b.name, "2022-06", 500, 400],
        ],
        unit_line="单位：万元",
    )
    call_command("import", str(first), kind="enterprise-reports", park="DEMO")
    cli = events("import")
    assert len(cli) == 1
    assert cli[0].actor is None
    assert cli[0].additional_data["source"] == "cli"
    assert cli[0].additional_data["park"] == "DEMO"
    assert cli[0].additional_data["counts"]["new"] == 2

    # A web import by admin changing one row and dropping the other (replace): a preview is not
    # an audit entry; the commit is ONE entry carrying the change table.
    second = write_xlsx(
        tmp_path / "b.xlsx",
        H,
        [[a.credit_code, a.name, "2022-06", 1200, 900]],
        unit_line="单位：万元",
    )
    with second.open("rb") as fh:
        response = client.post(
            "/imports/upload/",
            {"file": fh, "kind": "enterprise-reports", "park": "DEMO", "mode": "replace"},
        )
    assert response.status_code == 302
    assert len(events("import")) == 1  # the preview wrote no audit entry
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    # Deleting 1 of 2 stored rows is above the replace guard: the deletion is confirmed.
    response = client.post(f"/imports/{pk}/confirm/", {"reason": "", "confirm_deletions": "1"})
    assert response.status_code == 302
    web = events("import")
    assert len(web) == 2
    entry = web[-1]
    assert entry.actor.username == "admin"
    data = entry.additional_data
    assert data["park"] == "DEMO" and data["source"] == "web" and data["status"] == "committed"
    assert data["counts"]["changed"] == 1 and data["counts"]["deleted"] == 1
    changed = [s for s in data["sample"] if s["action"] == "changed"]
    assert changed and any(c[1] == "1000" and c[2] == "1200" for c in changed[0]["changes"]), (
        changed
    )
    deleted = next(s for s in data["sample"] if s["action"] == "deleted")
    assert b.name in deleted["label"]

    # Export (page and API) and report download (page and API): one entry each.
    r = client.get("/imports/export/enterprise-reports.xlsx?park=DEMO&period=2022-06")
    assert r.status_code == 200
    r = client.get("/api/v1/export/enterprise-reports.xlsx?park=DEMO")
    assert r.status_code == 200, r.content[:300]
    exports = events("export")
    assert [e.actor.username for e in exports] == ["admin", "admin"]
    assert {e.additional_data["park"] for e in exports} == {"DEMO"}
    assert exports[0].additional_data["kind"] == "enterprise-reports"

    r = client.get("/reports/download/?park=DEMO&kind=monthly&period=2022-06&format=html")
    assert r.status_code == 200, r.get("Location")
    r = client.get("/api/v1/reports/monthly.html?park=DEMO&period=2022-06")
    assert r.status_code == 200
    downloads = events("report_download")
    assert len(downloads) == 2
    assert all(
        d.actor.username == "admin" and d.additional_data["park"] == "DEMO" for d in downloads
    )
    assert downloads[0].additional_data["kind"] == "monthly"

    client.post("/accounts/logout/")
    assert events("logout")[-1].actor.username == "admin"

    # The leader of DEMO sees all of this on its page, with the change table.
    login_client(client, "leader")
    page = client.get("/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入" in html and "下载报告" in html and "导出" in html
    assert "1000 → 1200" in html
    assert b.name in html  # the deleted row is named
    # Filters: event, user, dates, text; a bad date is a message, not a 500.
    only = client.get("/audit/?event=import")
    assert only.content.decode().count('data-event="import"') == 2
    assert 'data-event="export"' not in only.content.decode()
    by_user = client.get("/audit/?user=admin&event=export").content.decode()
    assert by_user.count('data-event="export"') == 2
    bad = client.get("/audit/?date_from=2023-13-45&event=nonsense&page=abc")
    assert bad.status_code == 200
    assert "不是日期" in bad.content.decode() and "未知的事件类型" in bad.content.decode()
    text = client.get("/audit/?q=b.xlsx").content.decode()
    assert text.count('data-event="import"') == 1
    # Export to .xlsx: the rows of the filter, readable again.
    xlsx = client.get("/audit/export.xlsx?event=import")
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "用户", "事件")
    assert [r[2] for r in rows[1:]] == ["导入", "导入"]
    assert "1000 → 1200" in rows[1][6]


def test_audit_page_scope(client, demo):
    park, _ = demo
    other = Park.objects.get(code="DEMO2")
    from yuanqu.audit.services import audit_event

    audit_event(user=None, event="export", park=park, detail={"kind": "k1", "title": "本园"})
    audit_event(user=None, event="export", park=other, detail={"kind": "k2", "title": "他园"})

    login_client(client, "leader")
    html = client.get("/audit/").content.decode()
    assert "本园" in html and "他园" not in html
    assert client.get("/audit/?park=DEMO2").status_code == 404
    assert client.get("/audit/export.xlsx?park=DEMO2").status_code == 404

    for name in ("jingfa", "city", "qiye", "zhaoshang"):
        client.logout()
        login_client(client, name)
        r = client.get("/audit/")
        assert r.status_code == 403, name
        assert "只有系统管理员、园区领导和园区管理员可以查看" in r.content.decode()
        assert client.get("/audit/export.xlsx").status_code == 403

    client.logout()
    login_client(client, "admin")
    html = client.get("/audit/?park=DEMO2").content.decode()
    assert "他园" in html and "本园" not in html

    client.logout()
    assert client.get("/audit/").status_code == 302  # to the login page


def test_model_changes_have_before_and_after_and_survive_deletion(client, demo):
    from yuanqu.accounts.models import User
    from yuanqu.registry.models import Department

    park, _ = demo
    dept = Department.objects.create(park=park, code="TMP", name="临时部门", modules=["economy"])
    dept.name = "临时部门二"
    dept.save()
    entries = LogEntry.objects.get_for_object(dept).order_by("id")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries[1].changes["name"] == ["临时部门", "临时部门二"]
    assert entries[1].additional_data["park"] == "DEMO"
    pk = dept.pk
    dept.delete()
    kept = LogEntry.objects.filter(object_pk=str(pk), content_type__model="department")
    assert kept.count() == 3  # create, update, delete — all kept
    assert kept.order_by("id").last().object_repr == "临时部门二"

    # A user's password never enters the log.
    user = User.objects.get(username="jingfa")
    user.set_password("another-pass-123")
    user.display_name = "经发局甲"
    user.save()
    last = LogEntry.objects.get_for_object(user).order_by("id").last()
    assert "password" not in last.changes and "display_name" in last.changes

    # The leader sees the deleted department's history on the page.
    login_client(client, "leader")
    html = client.get("/audit/?q=临时部门").content.decode()
    assert html.count('data-event="delete"') == 1 and "临时部门 → 临时部门二" in html


def test_log_is_append_only(demo):
    from yuanqu.audit.services import audit_event

    entry = audit_event(user=None, event="export", park=demo[0], detail={"kind": "x"})
    entry.object_repr = "changed"
    # Each attempt in its own savepoint: a refused delete breaks the transaction it ran in.
    with pytest.raises(AuditLogIsAppendOnly), transaction.atomic():
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly), transaction.atomic():
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk, object_repr="示范工业园区").exists()


def test_admin_log_entries_are_read_only(client, demo):
    from yuanqu.audit.services import audit_event

    entry = audit_event(user=None, event="export", park=demo[0], detail={"kind": "x"})
    login_client(client, "admin")
    assert client.get("/admin/auditlog/logentry/").status_code == 200
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403
    r = client.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {"object_repr": "x"})
    assert r.status_code == 403
    assert client.get("/admin/auditlog/logentry/add/").status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
