"""Issue 9, the read side: no leak to enterprise users through any export, API route, report or
page; the region ranking is one table on the page, the API and the monthly report; 本企业; the
Chinese error pages."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from tests.helpers import login_client
from yuanqu.accounts.models import User
from yuanqu.economy.models import EnterpriseReport

pytestmark = pytest.mark.django_db

EXPORT_KINDS = [
    "parks",
    "enterprises",
    "enterprise-scale",
    "enterprise-reports",
    "park-indicators",
    "targets",
    "enterprise-summary",
    "import-log",
]
PARK_WIDE = {"park-indicators", "targets", "enterprise-summary"}
Q = "park=DEMO&period=2022-12&year=2022"


@pytest.fixture
def qiye(client, demo_db):
    return login_client(client, "qiye")


def _own():
    user = User.objects.get(username="qiye")
    return user.enterprise


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _codes_in(ws) -> set[str]:
    """Every 18-character USCC in the sheet."""
    found = set()
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if isinstance(v, str) and re.fullmatch(r"[0-9A-Z]{18}", v):
                found.add(v)
    return found


@pytest.mark.parametrize("prefix", ["/imports/export/", "/api/v1/export/"])
def test_enterprise_user_exports_only_its_own_rows(qiye, prefix):
    own = _own()
    for kind in EXPORT_KINDS:
        response = qiye.get(f"{prefix}{kind}.xlsx?{Q}")
        if kind in PARK_WIDE:
            assert response.status_code == 404, kind
            continue
        assert response.status_code == 200, kind
        ws = _sheet(response.content)
        assert _codes_in(ws) <= {own.credit_code}, kind
        if kind == "enterprise-reports":
            rows = list(ws.iter_rows(min_row=3, values_only=True))
            assert rows and {r[0] for r in rows} == {own.credit_code}
            assert (
                len(rows)
                == EnterpriseReport.objects.filter(enterprise=own, year=2022, month=12).count()
            )


def test_staff_exports_every_kind(client, demo_db):
    login_client(client, "jingfa")
    for kind in EXPORT_KINDS:
        response = client.get(f"/api/v1/export/{kind}.xlsx?{Q}")
        assert response.status_code == 200, kind
    ws = _sheet(client.get(f"/imports/export/enterprise-summary.xlsx?{Q}").content)
    assert ws.max_row > 100  # every 规上 enterprise of the park
    # Another region's or another park's summary stays out of the park user's scope.
    assert client.get("/imports/export/targets.xlsx?park=DEMO2").status_code == 404


API_PARK_WIDE = [
    "/api/v1/economy/indicators?park=DEMO&period=2022-12",
    "/api/v1/economy/parts?park=DEMO&period=2022-12&by=enterprise",
    "/api/v1/economy/ranking?park=DEMO&period=2022-12",
    "/api/v1/economy/ranking?region=DEMO-CITY&period=2022-12",
    "/api/v1/economy/series?park=DEMO&year=2022",
    "/api/v1/economy/mujun?park=DEMO&year=2022",
    "/api/v1/economy/park-indicators?park=DEMO",
    "/api/v1/economy/targets?park=DEMO",
    "/api/v1/reports/annual?park=DEMO&year=2022",
    "/api/v1/reports/annual.docx?park=DEMO&year=2022",
    "/api/v1/reports/monthly?park=DEMO&period=2022-09",
]


def test_enterprise_user_is_refused_every_park_wide_api_route(qiye):
    for url in API_PARK_WIDE:
        assert qiye.get(url).status_code == 404, url
    own = _own()
    reports = qiye.get("/api/v1/economy/reports?park=DEMO&period=2022-12&limit=1000").json()
    assert {r["credit_code"] for r in reports["items"]} == {own.credit_code}
    everything = qiye.get("/api/v1/economy/reports?limit=1000").json()
    assert everything["count"] == EnterpriseReport.objects.filter(enterprise=own).count()
    enterprises = qiye.get("/api/v1/enterprises?limit=1000").json()["items"]
    assert [e["credit_code"] for e in enterprises] == [own.credit_code]
    parks = qiye.get("/api/v1/parks").json()["items"]
    assert [p["code"] for p in parks] == ["DEMO"] and parks[0]["enterprise_count"] is None
    assert qiye.get("/api/v1/imports").json()["count"] == 0  # none of the park's imports


def test_staff_read_the_same_api_routes(client, demo_db):
    login_client(client, "jingfa")
    for url in API_PARK_WIDE:
        if url.endswith(".docx?park=DEMO&year=2022"):
            continue  # the file route is the JSON route rendered; keep the suite quick
        assert client.get(url).status_code == 200, url


def test_enterprise_user_pages_lead_to_its_own_and_refuse_the_park(qiye):
    own = _own()
    for url in ["/", "/mine/"]:
        page = qiye.get(url).content.decode()
        assert own.name in page and "月度数据" in page, url
    for url in ["/economy/", "/economy/?park=DEMO&period=2022-12", "/reports/"]:
        response = qiye.get(url)
        assert response.status_code == 302 and response["Location"] == "/mine/", url
    for url in [
        "/economy/ranking/?park=DEMO",
        "/economy/export.xlsx?park=DEMO&period=2022-12&table=parts",
        "/reports/download/?park=DEMO&kind=annual&year=2022",
        "/park/DEMO/",
    ]:
        assert qiye.get(url).status_code == 404, url


def test_mine_shows_own_figures_growth_status_and_class_only(qiye):
    own = _own()
    page = qiye.get("/mine/?year=2022").content.decode()
    report = EnterpriseReport.objects.get(enterprise=own, year=2022, month=12)
    from yuanqu.economy import formulas, presenters
    from yuanqu.economy.selectors import to_wan

    ytd = to_wan(report.output_ytd, report.unit)
    row = re.search(r'<tr data-period="2022-12".*?</tr>', page, re.S).group(0)
    assert presenters.display_amount(ytd, 2) in row
    growth = formulas.comparable_growth_pct(
        [formulas.Part(ytd, to_wan(report.output_ytd_ly, report.unit))]
    )
    assert f'data-field="output_growth">{presenters.display_pct(growth)}<' in row
    assert "已审核" in row or "已锁定" in row
    chart = json.loads(
        re.search(
            r'<script id="mine-series" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert chart["kind"] == "series" and chart["this_label"] == "2022年"
    assert re.search(r'id="mujun-class">[ABCD]类', page)
    for word in ["拉动", "贡献率", "得分", "基准", "中位"]:
        assert word not in page, word
    # No inline script: the chart is drawn by the static economy.js from the JSON block.
    assert not re.search(r"<script>(?!\s*</script>)", page)


def test_staff_are_sent_home_from_mine(client, demo_db):
    login_client(client, "jingfa")
    response = client.get("/mine/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "只供企业用户使用" in response.content.decode()


# -- rankings as a city publishes them ------------------------------------------------------


def _page_rows(client, url):
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    rows = re.findall(
        r'<tr data-code="([^"]+)".*?data-field="rank">([^<]*)<.*?data-field="yoy_pct">([^<]*)<'
        r'.*?data-field="completion_pct">([^<]*)<',
        html,
        re.S,
    )
    return [(code, rank, yoy, completion) for code, rank, yoy, completion in rows]


@pytest.mark.parametrize("login", ["leader", "jingfa", "city"])
def test_region_ranking_is_one_table_on_page_api_and_report(client, demo_db, login):
    login_client(client, login)
    api = client.get("/api/v1/economy/ranking?park=DEMO&period=2022-12").json()
    assert [r["park"] for r in api] and {r["park"] for r in api} == {
        "DEMO",
        "DEMO2",
        "DEMO3",
        "DEMO4",
    }
    page = _page_rows(client, "/economy/ranking/?park=DEMO&period=2022-12")
    assert [(c, str(r)) for c, r, _, _ in page] == [(r["park"], str(r["rank"])) for r in api]
    assert [y for _, _, y, _ in page] == [r["yoy_pct"] or "—" for r in api]
    assert [c for _, _, _, c in page] == [r["completion_pct"] or "—" for r in api]
    by_region = client.get("/api/v1/economy/ranking?region=DEMO-CITY&period=2022-12").json()
    assert by_region == api
    report = client.get("/api/v1/reports/monthly?park=DEMO&period=2022-12").json()
    table = next(
        t
        for s in report["sections"]
        for t in s["tables"]
        if t["caption"].endswith("各园区规上工业总产值")
    )
    names = {r["park"]: r["name"] for r in api}
    assert [row[0] for row in table["rows"]] == [names[r["park"]] for r in api]
    assert [row[2] for row in table["rows"]] == [r["yoy_pct"] or "—" for r in api]
    assert [row[4] for row in table["rows"]] == [str(r["rank"]) for r in api]


def test_ranking_never_shows_another_parks_enterprises(client, demo_db):
    login_client(client, "leader")
    html = client.get("/economy/ranking/?park=DEMO&period=2022-12").content.decode()
    other = EnterpriseReport.objects.filter(park__code="DEMO2").select_related("enterprise")[0]
    assert other.enterprise.name not in html and other.enterprise.credit_code not in html
    assert client.get("/api/v1/economy/ranking?park=DEMO2&period=2022-12").status_code == 404


# -- error pages ----------------------------------------------------------------------------


def test_error_pages_are_chinese_inside_the_layout(client, demo_db):
    login_client(client, "jingfa")
    page = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in page and "Not Found" not in page and 'class="sidenav"' in page
    from django.test import RequestFactory

    from yuanqu.dashboard import errors

    request = RequestFactory().get("/x")
    request.user = User.objects.get(username="jingfa")
    request.session = {}
    denied = errors.permission_denied(request, PermissionError("只有经发局可以导入"))
    assert denied.status_code == 403 and "只有经发局可以导入" in denied.content.decode()
    failed = errors.server_error(request)
    assert failed.status_code == 500 and "服务器出错了" in failed.content.decode()


def test_every_link_an_enterprise_user_sees_works(qiye):
    seen: set[str] = set()
    for start in ["/", "/mine/", "/imports/"]:
        html = qiye.get(start).content.decode()
        for href in re.findall(r'href="(/[^"]*)"', html):
            href = href.replace("&amp;", "&")
            if href in seen or href.startswith("/static/") or href.startswith("/admin/"):
                continue
            seen.add(href)
            response = qiye.get(href, follow=True)
            assert response.status_code == 200, href
    assert "/mine/" in seen or "/" in seen


def test_import_logs_and_error_workbooks_are_the_uploaders_own(client, demo_db, tmp_path):
    from yuanqu.imports.models import ImportRecord

    jingfa = User.objects.get(username="jingfa")
    bad = tmp_path / "bad.csv"
    bad.write_text("统一社会信用代码,企业名称\nX,Y\n", encoding="utf-8")
    record = ImportRecord.objects.create(
        kind="enterprise-reports",
        file_name="park-month.xlsx",
        sha256="0" * 64,
        user=jingfa,
        park=jingfa.park,
        stored_file=str(bad),
        issues=[{"level": "error", "row": 2, "column": "A", "message": "坏"}],
    )
    login_client(client, "qiye")
    for url in [
        f"/imports/{record.pk}/",
        f"/imports/{record.pk}/errors.xlsx",
        f"/imports/{record.pk}/progress/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/imports").json()["count"] == 0
    ws = _sheet(client.get("/imports/export/import-log.xlsx").content)
    assert ws.max_row == 1  # the header only
    client.logout()
    login_client(client, "jingfa")
    assert client.get(f"/imports/{record.pk}/").status_code == 200
    assert client.get(f"/imports/{record.pk}/errors.xlsx").status_code == 200
