"""The web shell: login, navigation, park list, static assets served locally, CLI help."""

import re
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.helpers import ROOT, login_client
from yuanqu.demo.models import DemoLoad
from yuanqu.registry.models import Enterprise, EnterpriseScale, Park

pytestmark = pytest.mark.django_db


def test_login_page_then_home_lists_the_demo_parks(client, demo_registry):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "登录" in page.content.decode()
    response = client.post("/accounts/login/", {"username": "admin", "password": "demo2022"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    for code in ["DEMO", "DEMO2", "DEMO3", "DEMO4"]:
        assert f">{code}<" in html
    for label in ["经济运行", "重点项目", "项目资金", "招商引资", "土地", "报告", "数据导入"]:
        assert label in html
    # Modules not installed yet are not in the navigation (no 建设中 placeholders).
    assert "营商环境" not in html and "建设中" not in html
    assert "/static/vendor/echarts.min.js" in html and "/static/vendor/htmx.min.js" in html
    # Nothing loaded from another host (parks' intranets are offline: no CDN). Not a search for
    # "cdn" in the page: the CSRF token in hx-headers is random text and may contain it.
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)


def test_park_page_lists_enterprises_with_pagination(client, demo_registry):
    login_client(client, "leader")
    html = client.get("/park/DEMO/").content.decode()
    assert "示范工业园区" in html and "企业（150）" in html and "下一页" in html
    assert client.get("/park/DEMO2/").status_code == 404


def test_static_assets_are_served_by_the_app(client, demo_registry):
    for name in ["vendor/echarts.min.js", "vendor/htmx.min.js", "css/app.css"]:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name


def test_demo_is_idempotent(db):
    from yuanqu.demo.loader import load_demo

    load_demo(log=lambda m: None)
    counts = (Park.objects.count(), Enterprise.objects.count(), EnterpriseScale.objects.count())
    assert counts[0] == 4 and 140 <= Enterprise.objects.filter(park__code="DEMO").count() <= 160
    assert load_demo(log=lambda m: None) == []
    assert (
        Park.objects.count(),
        Enterprise.objects.count(),
        EnterpriseScale.objects.count(),
    ) == counts
    assert DemoLoad.objects.filter(part="registry").exists()


def test_demo_enterprises_have_valid_codes_and_scale_history(db):
    from yuanqu.core.uscc import is_valid_uscc
    from yuanqu.demo.registry import load_registry

    load_registry()
    assert all(is_valid_uscc(c) for c in Enterprise.objects.values_list("credit_code", flat=True))
    entries = set(EnterpriseScale.objects.values_list("entry", flat=True))
    assert {"annual", "monthly", "continuing"} <= entries
    assert EnterpriseScale.objects.filter(is_above_scale=False).exclude(exit_reason="").exists()
    assert all(e.land_area_mu and e.land_area_mu > 0 for e in Enterprise.objects.all())


def test_cli_help_lists_our_commands():
    out = subprocess.run(
        [sys.executable, "-m", "yuanqu.cli", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    for command in ["demo", "serve", "import", "indicators", "review", "lock"]:
        assert f"  {command} " in out


def test_demo_command_no_serve_prints_logins(capsys):
    call_command("demo", "--no-serve", "--port", "8765")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8765/" in out
    for login in ["admin", "leader", "jingfa", "city", "qiye"]:
        assert login in out
    for code in ["DEMO ", "DEMO2", "DEMO3", "DEMO4"]:
        assert code in out


def test_park_switcher_overrides_a_park_in_the_return_url(client, demo_registry):
    login_client(client, "admin")
    response = client.post(
        "/park/switch/", {"park": "DEMO2", "next": "/economy/?park=DEMO&period=2022-12&x=1"}
    )
    assert response["Location"] == "/economy/?x=1"
    assert client.session["park"] == "DEMO2"
    response = client.post("/park/switch/", {"park": "DEMO3", "next": "https://example.com/"})
    assert response["Location"] == "/"
