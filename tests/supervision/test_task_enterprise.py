"""涉及企业: a 督办 task names the enterprise it concerns from every way a task is made — the
交办 form and the 修改 form on the task's page, the API (`enterprise_credit_code`), the import
column 统一社会信用代码 — and the export writes it back, so an export imports back unchanged.
Another park's enterprise (or an unknown code) is refused with a Chinese message and nothing is
saved; the task then shows on the enterprise's page (一企一档)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from yuanqu.accounts.models import Role, User
from yuanqu.imports.engine import run_import
from yuanqu.registry.models import Department
from yuanqu.supervision import services
from yuanqu.supervision.models import SupervisionTask, TaskUpdate

pytestmark = pytest.mark.django_db

d = dt.date
HEADERS = ["督办编号", "来源", "督办事项", "责任部门", "交办日期", "办结时限", "统一社会信用代码"]


@pytest.fixture
def world(db, settings):
    settings.YUANQU_TODAY = "2024-03-15"
    park = make_park("TE", "涉企园区")
    other = make_park("TO", "邻近园区")
    dzb = Department.objects.create(park=park, code="DZB", name="党政办", modules=["supervision"])
    xmb = Department.objects.create(park=park, code="XMB", name="项目办", modules=["projects"])
    ours = make_enterprise(park, 8201, "甲公司")
    theirs = make_enterprise(other, 8202, "邻园公司")
    staff = User.objects.create_user(
        username="te_dzb", password="x", role=Role.DEPARTMENT, park=park
    )
    staff.departments.set([dzb])
    dept = User.objects.create_user(
        username="te_xmb", password="x", role=Role.DEPARTMENT, park=park
    )
    dept.departments.set([xmb])
    c = Client()
    c.force_login(staff)
    return {
        "park": park,
        "dzb": dzb,
        "ours": ours,
        "theirs": theirs,
        "client": c,
        "staff": staff,
        "dept": dept,
    }


def _create(c: Client, **extra: str):
    body = {
        "source": "meeting",
        "title": "督促企业竣工验收",
        "department": "XMB",
        "assigned_on": "2024-03-01",
        "deadline": "2024-03-31",
        **extra,
    }
    return c.post("/supervision/new/?park=TE", body, follow=True)


def _enterprise_page(c: Client, enterprise) -> str:
    response = c.get(reverse("investment:enterprise", args=[enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


# -- the web forms ---------------------------------------------------------------------------
def test_form_without_an_enterprise(world) -> None:
    c = world["client"]
    board = c.get("/supervision/", {"park": "TE"}).content.decode()
    assert 'name="enterprise_credit_code"' in board and world["ours"].credit_code in board
    assert world["theirs"].credit_code not in board  # only the park's enterprises are offered
    page = _create(c).content.decode()
    task = SupervisionTask.objects.get(title="督促企业竣工验收")
    assert task.enterprise is None
    assert 'id="task-enterprise">—' in page


def test_form_with_an_enterprise_shows_it_and_links_the_enterprise_page(world) -> None:
    c, ours = world["client"], world["ours"]
    page = _create(c, enterprise_credit_code=ours.credit_code.lower()).content.decode()
    task = SupervisionTask.objects.get(title="督促企业竣工验收")
    assert task.enterprise == ours
    assert reverse("investment:enterprise", args=[ours.pk]) in page and "甲公司" in page
    # The board's card names it; the enterprise's page lists the task with its link.
    assert (
        "涉及甲公司" in c.get("/supervision/", {"park": "TE", "at": "2024-03-15"}).content.decode()
    )
    html = _enterprise_page(c, ours)
    assert "督促企业竣工验收" in html
    assert reverse("supervision:detail", args=[task.pk]) in html


def test_form_refuses_another_parks_enterprise_and_saves_nothing(world) -> None:
    c, theirs = world["client"], world["theirs"]
    page = _create(c, enterprise_credit_code=theirs.credit_code).content.decode()
    assert not SupervisionTask.objects.exists()
    assert f"涉及企业的统一社会信用代码“{theirs.credit_code}”不是涉企园区的企业" in page
    assert "邻园公司" not in page  # another park's enterprise is not named
    page = _create(c, enterprise_credit_code="91350100MA00000000").content.decode()
    assert not SupervisionTask.objects.exists() and "不是涉企园区的企业" in page


def test_edit_form_sets_changes_and_clears_the_enterprise(world) -> None:
    c, ours, theirs = world["client"], world["ours"], world["theirs"]
    task = services.task_create(
        park=world["park"],
        source="meeting",
        title="园区道路修缮",
        assigned_on=d(2024, 3, 1),
        deadline=d(2024, 3, 31),
        department=world["dzb"],
    )
    act = f"/supervision/tasks/{task.pk}/act/"
    form = {"action": "edit", "title": "园区道路修缮", "department": "DZB"}
    page = c.get(f"/supervision/tasks/{task.pk}/").content.decode()
    assert 'id="task-edit"' in page and ours.credit_code in page
    page = c.post(
        act, {**form, "enterprise_credit_code": theirs.credit_code}, follow=True
    ).content.decode()
    task.refresh_from_db()
    assert task.enterprise is None and "不是涉企园区的企业" in page
    c.post(act, {**form, "enterprise_credit_code": ours.credit_code})
    task.refresh_from_db()
    assert task.enterprise == ours
    assert TaskUpdate.objects.filter(task=task, kind="edit", text="修改涉及企业").exists()
    assert "园区道路修缮" in _enterprise_page(c, ours)
    c.post(act, {**form, "enterprise_credit_code": ""})
    task.refresh_from_db()
    assert task.enterprise is None
    # The responsible department reports progress but does not edit.
    other = Client()
    other.force_login(world["dept"])
    assert other.post(act, {**form, "enterprise_credit_code": ours.credit_code}).status_code == 403


# -- the API ---------------------------------------------------------------------------------
def test_api_create_and_update_by_credit_code(world) -> None:
    c, ours, theirs = world["client"], world["ours"], world["theirs"]
    body = {
        "source": "领导批示",
        "title": "协调甲公司用电增容",
        "department": "项目办",
        "assigned_on": "2024-03-01",
        "deadline": "2024-03-31",
        "enterprise_credit_code": ours.credit_code,
    }
    url = "/api/v1/supervision/tasks?park=TE"
    r = c.post(url, body, content_type="application/json")
    assert r.status_code == 200, r.content
    out = r.json()
    assert (out["enterprise_credit_code"], out["enterprise"], out["source"]) == (
        ours.credit_code,
        "甲公司",
        "领导批示",
    )
    got = c.get(f"/api/v1/supervision/tasks/{out['id']}").json()
    assert got["enterprise_credit_code"] == ours.credit_code
    listed = c.get("/api/v1/supervision/tasks", {"park": "TE"}).json()
    assert [t["enterprise_credit_code"] for t in listed] == [ours.credit_code]
    # Another park's enterprise, an unknown code: 422 naming the field, nothing saved.
    for code in (theirs.credit_code, "91350100MA00000000"):
        r = c.post(url, {**body, "enterprise_credit_code": code}, content_type="application/json")
        assert r.status_code == 422
        assert r.json()["detail"].startswith("enterprise_credit_code：涉及企业的统一社会信用代码")
    assert SupervisionTask.objects.count() == 1
    # A missing field is named in Chinese; a body that is no JSON object is a 400.
    r = c.post(url, {"title": "x"}, content_type="application/json")
    assert r.status_code == 422 and "缺少参数 source" in r.json()["detail"]
    assert c.post(url, "[]", content_type="application/json").status_code == 400
    # PATCH: only the fields given change; "" clears the enterprise.
    patch = f"/api/v1/supervision/tasks/{out['id']}"
    r = c.patch(patch, {"enterprise_credit_code": theirs.credit_code}, "application/json")
    assert r.status_code == 422 and "enterprise_credit_code" in r.json()["detail"]
    r = c.patch(patch, {"enterprise_credit_code": ""}, "application/json")
    assert r.status_code == 200 and r.json()["enterprise_credit_code"] == ""
    assert r.json()["title"] == "协调甲公司用电增容"
    r = c.patch(patch, {"enterprise_credit_code": ours.credit_code}, "application/json")
    assert r.json()["enterprise"] == "甲公司"
    assert "协调甲公司用电增容" in _enterprise_page(c, ours)
    # Who may not write gets 403 naming who may; another park's reader 404.
    dept = Client()
    dept.force_login(world["dept"])
    r = dept.patch(patch, {"enterprise_credit_code": ""}, "application/json")
    assert r.status_code == 403 and "党政办" in r.json()["detail"]


def test_api_writes_from_a_browser_session_need_the_csrf_token(world) -> None:
    """The API's writes by session (a page's script) are checked for CSRF like a form; a token
    or a password (scripts) needs none."""
    c = Client(enforce_csrf_checks=True)
    c.force_login(world["staff"])
    body = {
        "source": "会议",
        "title": "无令牌的交办",
        "assigned_on": "2024-03-01",
        "deadline": "2024-03-31",
    }
    r = c.post("/api/v1/supervision/tasks?park=TE", body, content_type="application/json")
    assert r.status_code in (401, 403)
    assert not SupervisionTask.objects.filter(title="无令牌的交办").exists()
    c.get("/supervision/?park=TE")  # a page sets the csrftoken cookie
    token = c.cookies["csrftoken"].value
    r = c.post(
        "/api/v1/supervision/tasks?park=TE",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert r.status_code == 200, r.content
    assert SupervisionTask.objects.filter(title="无令牌的交办").count() == 1


# -- import and export -------------------------------------------------------------------------
def _cli(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_import_column_and_a_bad_code_row(world, tmp_path) -> None:
    ours, theirs = world["ours"], world["theirs"]
    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        HEADERS,
        [
            [
                "DB8001",
                "会议",
                "督促甲公司投产",
                "项目办",
                "2024-03-01",
                "2024-03-31",
                ours.credit_code,
            ],
            [
                "DB8002",
                "会议",
                "邻园事项",
                "项目办",
                "2024-03-01",
                "2024-03-31",
                theirs.credit_code,
            ],
        ],
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import", str(bad), kind="supervision-tasks", park="TE", stdout=out)
    assert not SupervisionTask.objects.exists()  # all or nothing
    text = out.getvalue()
    assert "文件：bad.xlsx" in text
    assert (
        f"工作表“Sheet1”，第3行，G列（统一社会信用代码）：统一社会信用代码“{theirs.credit_code}”"
        "不是本园区的企业：请先导入企业名录，或检查代码，不涉及企业的事项留空"
    ) in text, text
    good = write_xlsx(
        tmp_path / "good.xlsx",
        ["督办编号", "来源", "督办事项", "责任部门", "交办日期", "办结时限", "涉及企业"],
        [
            [
                "DB8001",
                "会议",
                "督促甲公司投产",
                "项目办",
                "2024-03-01",
                "2024-03-31",
                ours.credit_code,
            ],
            ["DB8003", "会议", "园区道路修缮", "项目办", "2024-03-01", "2024-03-31", ""],
        ],
    )
    assert "新增 2" in _cli("import", str(good), kind="supervision-tasks", park="TE")
    assert SupervisionTask.objects.get(code="DB8001").enterprise == ours
    assert SupervisionTask.objects.get(code="DB8003").enterprise is None
    # A file without the column leaves the links alone.
    old = write_xlsx(
        tmp_path / "old.xlsx",
        HEADERS[:-1],
        [["DB8001", "会议", "督促甲公司投产", "项目办", "2024-03-01", "2024-03-31"]],
    )
    assert "新增 0，变更 0，不变 1" in _cli("import", str(old), kind="supervision-tasks", park="TE")
    assert SupervisionTask.objects.get(code="DB8001").enterprise == ours
    assert "督促甲公司投产" in _enterprise_page(world["client"], ours)


def test_export_imports_back_unchanged(world, tmp_path) -> None:
    ours = world["ours"]
    for n, enterprise in ((1, ours), (2, None)):
        services.task_create(
            park=world["park"],
            source="meeting",
            title=f"事项{n}",
            assigned_on=d(2024, 3, n),
            deadline=d(2024, 3, 31),
            department=world["dzb"],
            enterprise=enterprise,
        )
    out = tmp_path / "export.xlsx"
    call_command("export", "supervision-tasks", "-o", str(out), "--park", "TE")
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    col = header.index("统一社会信用代码")
    assert [row[col].value for row in ws.iter_rows(min_row=2)] == [ours.credit_code, None]
    back = run_import(out, kind="supervision-tasks", park=world["park"])
    assert (back.new, back.changed, back.unchanged) == (0, 0, 2), [i.text() for i in back.issues]
    assert SupervisionTask.objects.get(title="事项1").enterprise == ours
    # Cleared in the file: the import clears it.
    ws.cell(2, col + 1).value = None
    cleared = tmp_path / "cleared.xlsx"
    ws.parent.save(cleared)
    assert run_import(cleared, kind="supervision-tasks", park=world["park"]).changed == 1
    assert SupervisionTask.objects.get(title="事项1").enterprise is None
