"""What a reviewer trying the demo as each user found, fixed (issue 9): each test is one finding."""

from __future__ import annotations

import pytest

from tests.helpers import login_client
from yuanqu.economy.models import EnterpriseReport
from yuanqu.economy.summaries import refresh_slices
from yuanqu.registry.models import Park

pytestmark = pytest.mark.django_db


def test_ranking_api_defaults_to_the_readers_park(client, demo_db):
    login_client(client, "leader")
    rows = client.get("/api/v1/economy/ranking?period=2023-12").json()
    # The region's four demo parks (those with figures ranked from 1), no parameter but the period.
    assert {r["park"] for r in rows} == {"DEMO", "DEMO2", "DEMO3", "DEMO4"}
    ranks = sorted(r["rank"] for r in rows if r["rank"] is not None)
    assert ranks == list(range(1, len(ranks) + 1)) and ranks


def test_api_refusals_and_validation_errors_are_chinese(client, demo_db):
    login_client(client, "qiye")
    response = client.get("/api/v1/economy/indicators?park=DEMO&period=2023-12")
    assert response.status_code == 404
    assert response.json()["detail"] == "企业用户不能查看园区汇总数据"
    client.logout()
    login_client(client, "leader")
    body = client.get("/api/v1/economy/mujun?park=DEMO&year=2023&month=13").json()
    assert body["detail"] == "请求参数有误：month 应小于或等于 12"


def test_park_leader_sees_failed_logins_on_its_users(client, demo_db):
    for _ in range(2):
        client.post("/accounts/login/", {"username": "caizheng", "password": "wrong"})
    login_client(client, "leader")
    page = client.get("/audit/?event=login_failed").content.decode()
    assert page.count("caizheng") >= 2


def test_template_controls_only_for_who_may_write_them(client, demo_db):
    login_client(client, "leader")
    page = client.get("/reports/?park=DEMO").content.decode()
    assert "上传模板" not in page and "模板由党政办（或系统管理员）上传和删除" in page
    client.logout()
    login_client(client, "dangzheng")
    assert "上传模板" in client.get("/reports/?park=DEMO").content.decode()


def test_incomplete_month_is_said_before_its_figures(client, demo_db):
    login_client(client, "jingfa")
    url = "/economy/?park=DEMO&period=2023-11"
    assert 'id="incomplete"' not in client.get(url).content.decode()
    dropped = list(
        EnterpriseReport.objects.filter(park__code="DEMO", year=2023, month=11)
        .order_by("enterprise__credit_code")
        .values_list("pk", flat=True)[:10]
    )
    EnterpriseReport.objects.filter(pk__in=dropped).delete()
    # Deleted behind the services' back: bring the summaries in step as a write path would.
    park = Park.objects.get(code="DEMO")
    refresh_slices({(park.pk, 2023, 11)})
    page = client.get(url).content.decode()
    warning = page.index('id="incomplete"')
    assert "未报 10 户" in page[warning : warning + 300]
    assert warning < page.index('id="headline"')


def test_administrators_have_no_mine_entry(client, demo_db):
    login_client(client, "admin")
    assert 'href="/mine/"' not in client.get("/").content.decode()
    client.logout()
    login_client(client, "qiye")
    assert 'href="/mine/"' in client.get("/").content.decode()


def test_audit_changes_read_as_people_write_them(client, demo_db):
    login_client(client, "leader")
    page = client.get("/audit/?q=企业用户").content.decode()
    # The demo's users, as auditlog logged their creation: choices by label, flags as 是/否,
    # empty fields of a new object left out.
    assert "— → 企业用户" in page and "— → 否" in page
    assert "→ False" not in page and "→ enterprise" not in page and "名字：— →<" not in page
