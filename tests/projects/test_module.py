"""重点项目 and 项目资金 through their interfaces: the annual report's 项目建设 paragraph, the CLI,
the API and the pages agree to the digit on DEMO 2022; the entry form stores YTD; photos are
served through the access policy; write rules and review status."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from yuanqu.core.periods import Period

PARAGRAPH = (
    "2022年，园区共有13个省市重点项目，其中省重点项目4个，市重点项目9个，总投资126.10亿元，"
    "年度计划投资35.00亿元，已全部按计划开工建设。全年完成投资38.00亿元，完成年度计划的108.6%，"
    "省重点项目完成投资26.35亿元，完成年度计划的109.8%。同时积极争取资金支持，今年获政府专项债"
    "2600万元，9月底前已全部支出完毕；申报了三个政策性开发性金融工具项目，申请资金4.00亿元；"
    "申报了6个地方政府专项债券项目，拟申请资金12.80亿元，其中2023年拟申报5.50亿元，"
    "为项目建设提供强力保障。"
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Registry, users and the 重点项目 demo part (no economy data: faster), rolled back."""
    from django.db import transaction
    from django.test import override_settings

    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users
    from yuanqu.projects.demo import load_projects

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        load_registry()
        load_users()
        load_projects()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def client_for(username: str) -> Client:
    from yuanqu.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def _cli(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_annual_report_paragraph_every_x_filled(demo):
    from yuanqu.registry.models import Park
    from yuanqu.reports.engine import build_report

    report = build_report(
        "annual",
        park=Park.objects.get(code="DEMO"),
        period=Period(2022, 12),
        title="t",
        subtitle="",
    )
    section = next(s for s in report.sections if s.key == "projects")
    assert section.paragraphs == [PARAGRAPH]
    assert "X" not in section.text
    # every figure of the paragraph is in the 数据来源 table
    assert {"13个", "126.10亿元", "2600万元", "9月", "5.50亿元"} <= {
        f.figure for f in section.figures
    }


@pytest.mark.django_db
def test_cli_api_page_and_report_agree(demo):
    data = json.loads(_cli("projects", park="DEMO", period="2022-12", json=True))
    key = next(level for level in data["levels"] if level["level"] == "key")
    assert (key["count"], key["total_investment_yi"], key["planned_yi"], key["completed_yi"]) == (
        "13",
        "126.10",
        "35.00",
        "38.00",
    )
    assert (key["completion_pct"], key["start_planned"], key["started"], key["start_rate_pct"]) == (
        "108.6",
        "7",
        "7",
        "100.0",
    )
    provincial = next(level for level in data["levels"] if level["level"] == "provincial")
    assert (provincial["completed_yi"], provincial["completion_pct"]) == ("26.35", "109.8")
    api = client_for("leader").get(
        "/api/v1/projects/summary", {"park": "DEMO", "period": "2022-12"}
    )
    assert api.status_code == 200
    assert api.json()["levels"] == data["levels"]
    page = (
        client_for("leader")
        .get("/projects/", {"park": "DEMO", "period": "2022-12"})
        .content.decode()
    )
    row = re.search(r"<td>省市重点</td>(.*?)</tr>", page).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row)[:5] == ["13", "126.10", "35.00", "38.00", "108.6"]
    funds = json.loads(_cli("funds", park="DEMO", year=2022, json=True))
    bond = next(t for t in funds["types"] if t["fund_type"] == "special_bond")
    assert (bond["received"], bond["spent"], bond["fully_spent_month"]) == ("2600", "2600", "9")
    bonds = next(a for a in funds["applications"] if a["fund_type"] == "special_bond")
    assert (bonds["projects"], bonds["amount_yi"], bonds["by_year"]["2023"]) == (
        "6",
        "12.80",
        "55000",
    )
    assert (
        client_for("caizheng")
        .get("/api/v1/funding/summary", {"park": "DEMO", "year": 2022})
        .json()["types"]
        == funds["types"]
    )
    ledger = (
        client_for("caizheng").get("/funding/", {"park": "DEMO", "year": 2022}).content.decode()
    )
    assert "9月底前" in ledger and "2600" in ledger


@pytest.mark.django_db
def test_list_filters_board_and_october_lights(demo):
    c = client_for("jianshe")
    rows = c.get(
        "/api/v1/projects/list", {"park": "DEMO", "period": "2022-10", "light": "yellow"}
    ).json()
    # 职业技能实训基地: 5,400 × 0.84 = 4,536 of 6,000 after October: 75.6% vs 83.3% → 7.7 behind
    assert [(r["code"], r["completed"], r["completion_pct"], r["ahead_pp"]) for r in rows] == [
        ("XM0013", "4536", "75.6", "-7.7")
    ]
    page = c.get("/projects/", {"park": "DEMO", "period": "2022-10", "level": "provincial"})
    assert page.status_code == 200 and page.content.decode().count('class="light-') == 4
    board = c.get("/projects/board/", {"park": "DEMO", "period": "2023-10"}).content.decode()
    red = board[board.index('id="board-red"') : board.index('id="board-yellow"')]
    assert "电子元器件产业园二期" in red  # its milestone was due 2023-09-30
    assert c.get("/api/v1/projects/list", {"park": "DEMO", "period": "2022-13"}).status_code == 422
    assert (
        c.get(
            "/api/v1/projects/list", {"park": "DEMO", "period": "2022-10", "level": "x"}
        ).status_code
        == 422
    )


@pytest.mark.django_db
def test_entry_form_stores_ytd_and_photo_is_served_through_the_policy(demo, tmp_path, settings):
    from yuanqu.projects.models import Project, ProjectProgress

    settings.MEDIA_ROOT = tmp_path
    project = Project.objects.get(park__code="DEMO", code="XM0013")
    url = f"/projects/{project.pk}/entry/"
    # the form shows the previous month beside: 2023-11 YTD = 6,300 × 0.92 = 5,796
    c = client_for("jianshe")
    ProjectProgress.objects.filter(project=project, year=2023, month=12).delete()
    form = c.get(url, {"period": "2023-12"})
    assert form.status_code == 200 and "5796" in form.content.decode()
    photo = SimpleUploadedFile("p.gif", b"GIF89a\x01\x00\x01\x00", content_type="image/gif")
    r = c.post(
        url,
        {"period": "2023-12", "month_investment": "504", "image_progress": "竣工", "photo": photo},
    )
    assert r.status_code == 302
    assert ProjectProgress.objects.get(project=project, year=2023, month=12).ytd_investment == D(
        6300
    )
    pic = project.photos.get()
    assert c.get(f"/projects/photos/{pic.pk}/").status_code == 200
    assert client_for("qiye").get(f"/projects/photos/{pic.pk}/").status_code == 404
    # 财政局 reads the project but may not fill its 调度
    assert (
        client_for("caizheng").post(url, {"period": "2023-12", "month_investment": "1"}).status_code
        == 403
    )
    assert c.post(url, {"period": "2023-12", "month_investment": "1e5"}).status_code == 422


@pytest.mark.django_db
def test_monthly_section_names_red_projects(demo):
    from yuanqu.registry.models import Park
    from yuanqu.reports.engine import build_report

    report = build_report(
        "monthly",
        park=Park.objects.get(code="DEMO"),
        period=Period(2023, 10),
        title="t",
        subtitle="",
    )
    text = next(s for s in report.sections if s.key == "projects").text
    assert text.startswith(
        "2023年1-10月，园区13个省市重点项目完成投资33.52亿元，完成年度计划的87.1%，超序时进度3.7个百分点"
    )
    assert "红灯项目1个：电子元器件产业园二期" in text


@pytest.mark.django_db
def test_owner_enterprise_submits_its_projects_progress_for_review(demo):
    from yuanqu.accounts.models import User
    from yuanqu.imports.models import DataSlice
    from yuanqu.projects import selectors
    from yuanqu.projects.models import Project, ProjectProgress

    qiye = User.objects.get(username="qiye")
    project = Project.objects.get(park__code="DEMO", code="XM0011")
    project.enterprise = qiye.enterprise
    project.save()
    url = f"/projects/{project.pk}/submit/"
    c = client_for("qiye")
    # 2023-12 was entered by the 项目办 (已审核): closed to the enterprise
    assert c.post(url, {"period": "2023-12", "month_investment": "1"}).status_code == 422
    assert c.post(url, {"period": "2024-01", "month_investment": "100"}).status_code == 302
    assert ProjectProgress.objects.get(project=project, year=2024, month=1).ytd_investment == D(100)
    slice_ = DataSlice.objects.get(kind="project-progress", park=project.park, year=2024, month=1)
    assert slice_.status == "submitted"
    park = project.park
    # not counted while 已提交
    before = selectors.project_rows(park=park, period=Period(2024, 1), only_planned=False)
    assert [r.ytd for r in before if r.project.pk == project.pk] == [D(0)]
    # the 项目办 (or the operator) reviews the month: it counts
    _cli("review", park="DEMO", period="2024-01", kind="project-progress")
    rows = selectors.project_rows(park=park, period=Period(2024, 1), only_planned=False)
    assert [r.ytd for r in rows if r.project.pk == project.pk] == [D(100)]
    # other users: the 项目办 uses its own form; another enterprise's user never sees it
    assert client_for("jianshe").get(url).status_code == 403


@pytest.mark.django_db
def test_own_projects_page_leads_the_owner_enterprise_to_its_submission_form(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yuanqu.accounts.models import User
    from yuanqu.projects.models import Project

    qiye = User.objects.get(username="qiye")
    own = list(Project.objects.filter(enterprise=qiye.enterprise).order_by("code"))
    assert own, "the demo's enterprise user owns at least one key project"
    c = client_for("qiye")
    home = c.get("/").content.decode()
    assert 'href="/projects/mine/"' in home and "本企业项目" in home
    with CaptureQueriesContext(connection) as queries:
        page = c.get("/projects/mine/")
    assert page.status_code == 200
    text = page.content.decode()
    for project in own:
        assert project.name in text
        assert f"/projects/{project.pk}/submit/?period=" in text
    others = Project.objects.filter(park=qiye.enterprise.park).exclude(enterprise=qiye.enterprise)
    assert not any(p.name in text for p in others)
    assert len(queries) <= 8, [q["sql"] for q in queries.captured_queries]
    # staff read the park's list instead; nobody else's projects here
    assert client_for("jianshe").get("/projects/mine/")["Location"] == "/projects/"


@pytest.mark.django_db
def test_the_project_office_upload_counts_at_once_an_enterprise_submission_does_not(demo, tmp_path):
    """DECISIONS: a module's records written by its own department count at once; other
    department users' and enterprises' uploads land 已提交."""
    from tests.projects.dispatch import write_dispatch_xlsx
    from yuanqu.accounts.models import User
    from yuanqu.imports.models import DataSlice
    from yuanqu.imports.services import submit_only_for, web_import
    from yuanqu.registry.models import Park

    park = Park.objects.get(code="DEMO")
    jianshe = User.objects.get(username="jianshe")  # 规划建设局兼项目办
    jingfa = User.objects.get(username="jingfa")  # 经发局: reviews economy, not projects
    qiye = User.objects.get(username="qiye")
    assert submit_only_for(jianshe, "project-progress", park) is False
    assert submit_only_for(jingfa, "project-progress", park) is True
    assert submit_only_for(qiye, "project-progress", park) is True
    assert submit_only_for(jingfa, "enterprise-reports", park) is True  # economy: reviewed
    # a new park's 项目办 uploads its first 调度表 (no kind chosen: told from the header)
    from tests.economy.factories import make_park
    from yuanqu.registry.models import Department

    new = make_park("XP", "新园区")
    office = Department.objects.create(park=new, code="XMB", name="项目办", modules=["projects"])
    clerk = User.objects.create_user(
        "xmb-clerk", password="x", role="department", park=new, region=new.region
    )
    clerk.departments.add(office)
    path = write_dispatch_xlsx(tmp_path / "调度表.xlsx")
    preview = web_import(
        user=clerk,
        path=path,
        kind=None,
        park=new,
        period=Period(2022, 10),
        mode="merge",
        dry_run=False,
    )
    assert preview.ok and preview.committed, [i.text() for i in preview.issues]
    status = DataSlice.objects.get(kind="project-progress", park=new, year=2022, month=10).status
    assert status == "reviewed"
