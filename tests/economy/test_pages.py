"""The 经济运行 page: the same figures as the API and the CLI to the digit, charts' payloads, the
include-submitted toggle, .xlsx exports reopened, scopes, empty states and a query bound.

The demo is loaded once for the module (`demo_db`, rolled back at the end)."""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.economy.factories import make_park
from tests.helpers import login_client
from yuanqu.core.periods import Period
from yuanqu.core.wording import convert_amount, fmt_decimal
from yuanqu.economy import presenters, selectors
from yuanqu.registry.models import Enterprise, Park, Region

pytestmark = pytest.mark.django_db

PAGE = "/economy/?park=DEMO&period=2022-12"


@pytest.fixture
def leader(client, demo_db):
    return login_client(client, "leader")


@pytest.fixture
def admin(client, demo_db):
    return login_client(client, "admin")


def get(client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def row_html(page: str, code: str, table: str = "indicator-table") -> str:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    match = re.search(rf'<tr data-code="{re.escape(code)}"[^>]*>(.*?)</tr>', body, re.S)
    assert match, f"no row {code} in {table}"
    return match.group(1)


def cell(page: str, code: str, field: str, table: str = "indicator-table") -> str:
    match = re.search(rf'data-field="{field}">(.*?)</td>', row_html(page, code, table), re.S)
    assert match, f"no {field} in row {code}"
    return html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def payload(page: str, element_id: str):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S
    )
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


def cli_json(capsys, *args: str) -> list[dict]:
    capsys.readouterr()
    call_command("indicators", *args, "--json")
    return json.loads(capsys.readouterr().out)


def workbook(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert ".xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


def sheet_rows(ws) -> tuple[list[str], list[list]]:
    """Headers (row 1) and the data rows (up to the first empty row; notes follow it)."""
    headers = [c.value for c in ws[1]]
    rows = []
    for values in ws.iter_rows(min_row=2, values_only=True):
        if all(v is None for v in values):
            break
        rows.append(list(values))
    return headers, rows


def as_decimal(value) -> Decimal:
    return Decimal(str(value))


# ---------------------------------------------------------------------------------------------
# The indicator table agrees with the presenters, the API and the CLI
# ---------------------------------------------------------------------------------------------


def test_table_shows_the_presenters_figures_equal_to_api_and_cli(leader, capsys):
    page = get(leader, PAGE)
    park = Park.objects.get(code="DEMO")
    rows = selectors.park_indicator_table(park=park, period=Period(2022, 12))
    api = {
        r["code"]: r
        for r in leader.get("/api/v1/economy/indicators?park=DEMO&period=2022-12").json()
    }
    cli = {r["code"]: r for r in cli_json(capsys, "--park", "DEMO", "--period", "2022-12")}
    assert api == cli
    assert len(rows) == len(api) == 10
    for row in rows:
        shown = presenters.indicator_display(row)
        for field in ["value", "month_value", "yoy_pct", "completion_pct", "ahead_pp"]:
            assert cell(page, row.code, field) == shown[field], (row.code, field)
        assert cell(page, row.code, "time_progress_pct") == shown["time_progress_pct"]
        assert cell(page, row.code, "status") == shown["status"]
        assert cell(page, row.code, "target").removesuffix("%") == shown["target"]
        # The API's rounded growth is the page's, digit for digit.
        assert cell(page, row.code, "yoy_pct") == (api[row.code]["yoy_pct"] or "—")
        assert cell(page, row.code, "completion_pct") == (api[row.code]["completion_pct"] or "—")
        assert cell(page, row.code, "ahead_pp") == (api[row.code]["ahead_pp"] or "—")
        if api[row.code]["value"] is not None and row.kind == "level":
            exact = Decimal(api[row.code]["value"])
            assert cell(page, row.code, "value") == fmt_decimal(exact, 2, thousands=True)
    # The demo's story (DECISIONS.md): 85亿元, +23.2% comparable, 85.0% of the 100亿 target.
    assert cell(page, "industrial_output", "value") == "849,999.95"
    assert cell(page, "industrial_output", "yoy_pct") == "23.2"
    assert cell(page, "industrial_output", "completion_pct") == "85.0"
    assert cell(page, "industrial_output", "ahead_pp") == "-15.0"
    assert "规上工业总产值85.00亿元，同比增长23.2%（可比口径），完成年度目标的85.0%" in page
    assert "慢于序时进度15.0个百分点" in page
    # Growth coloured the Chinese way; missing values as "—"; status as a badge.
    assert 'class="num up" data-field="yoy_pct">23.2<' in row_html(page, "industrial_output")
    assert cell(page, "industrial_va_growth", "yoy_pct") == "—"
    assert '<span class="badge locked">已锁定</span>' in row_html(page, "industrial_output")
    assert "可比口径" in page and "序时进度</strong> = 月份 ÷ 12" in page
    # Nominal growth only on request, in its own labelled column.
    assert "名义增速%" not in page and 'data-field="yoy_nominal_pct"' not in page


def test_nominal_growth_is_a_separate_labelled_column(leader):
    page = get(leader, PAGE + "&nominal=1")
    api = {
        r["code"]: r
        for r in leader.get("/api/v1/economy/indicators?park=DEMO&period=2022-12&nominal=1").json()
    }
    assert "名义增速%" in page
    for code, row in api.items():
        assert cell(page, code, "yoy_nominal_pct") == (row["yoy_nominal_pct"] or "—")
    assert cell(page, "industrial_output", "yoy_pct") == "23.2"


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def test_charts_payloads_come_from_the_selectors(leader):
    page = get(leader, PAGE)
    assert page.count('class="chart"') == 3  # the fourth, the ranking, arrives by htmx
    assert "/static/js/economy.js" in page and "/static/vendor/echarts.min.js" in page
    series = payload(page, "economy-series")
    assert series["months"][0] == "1-2月" and len(series["months"]) == 11
    api = leader.get("/api/v1/economy/series?park=DEMO&year=2022").json()
    last = leader.get("/api/v1/economy/series?park=DEMO&year=2021").json()
    for i, point in enumerate(api):
        assert series["growth"][i] == point["yoy_pct"]
        wan = Decimal(point["value"])
        assert series["ytd"]["this"][i] == fmt_decimal(convert_amount(wan, "万元", "亿元"), 2)
        month = Decimal(point["month_value"])
        assert series["month"]["this"][i] == fmt_decimal(convert_amount(month, "万元", "亿元"), 2)
        assert series["ytd"]["last"][i] == fmt_decimal(
            convert_amount(Decimal(last[i]["value"]), "万元", "亿元"), 2
        )
    assert series["ytd"]["this"][-1] == "85.00" and series["unit"] == "亿元"

    clusters = leader.get(
        "/api/v1/economy/parts?park=DEMO&period=2022-12&by=cluster&indicator=industrial_output"
    ).json()
    pull = payload(page, "economy-pull")
    assert {i["name"]: i["pull"] for i in pull["items"]} == {
        c["name"]: c["pull_pp"] for c in clusters
    }
    assert pull["total"] == "23.2"
    assert any(Decimal(i["pull"]) < 0 for i in pull["items"])  # 机械装备 pulls down in 2022
    share = payload(page, "economy-share")
    assert {i["name"] for i in share["items"]} == {c["name"] for c in clusters}
    assert abs(sum(Decimal(i["share"]) for i in share["items"]) - 100) <= Decimal("0.2")


def test_ranking_panel_ranks_the_region_like_the_api(admin):
    fragment = get(admin, "/economy/ranking/?park=DEMO&period=2022-12", HTTP_HX_REQUEST="true")
    assert "<html" not in fragment  # an htmx fragment
    chart = payload(fragment, "economy-ranking")
    api = admin.get(
        "/api/v1/economy/ranking?region=DEMO-CITY&period=2022-12&indicator=industrial_output"
    ).json()
    assert [i["code"] for i in chart["items"]] == [r["park"] for r in api]
    assert chart["items"][0]["name"] == "示范工业园区" and chart["items"][0]["metric"] == "85.00"
    for r in api:
        assert cell(fragment, r["park"], "rank", "ranking-table") == str(r["rank"])
        assert cell(fragment, r["park"], "yoy_pct", "ranking-table") == r["yoy_pct"]
    growth = get(
        admin,
        "/economy/ranking/?park=DEMO&period=2022-12&metric=yoy",
        HTTP_HX_REQUEST="true",
    )
    by_growth = admin.get(
        "/api/v1/economy/ranking?region=DEMO-CITY&period=2022-12&metric=yoy"
    ).json()
    items = payload(growth, "economy-ranking")["items"]
    assert items[0]["code"] == "DEMO2"
    assert [i["metric"] for i in items] == [r["metric"] for r in by_growth]
    # Without htmx the panel is a page of its own (works without JavaScript).
    assert "<html" in get(admin, "/economy/ranking/?park=DEMO&period=2022-12")


def test_ranking_shows_the_whole_region_to_a_park_user(leader):
    # Rankings are published (DECISIONS.md): a park leader sees its region's parks ranked,
    # park totals only, never another park's enterprise rows.
    fragment = get(leader, "/economy/ranking/?park=DEMO&period=2022-12", HTTP_HX_REQUEST="true")
    codes = [i["code"] for i in payload(fragment, "economy-ranking")["items"]]
    assert sorted(codes) == ["DEMO", "DEMO2", "DEMO3", "DEMO4"]
    assert "示范高新技术产业园区" in fragment


# ---------------------------------------------------------------------------------------------
# Parts and 亩均
# ---------------------------------------------------------------------------------------------


def test_parts_top_and_bottom_enterprises_and_by_cluster(leader):
    page = get(leader, PAGE)
    api = leader.get(
        "/api/v1/economy/parts?park=DEMO&period=2022-12&by=enterprise&indicator=industrial_output"
    ).json()
    assert len(api) > 20
    for part in api[:10]:
        assert cell(page, part["key"], "pull_pp", "parts-top") == part["pull_pp"]
        assert cell(page, part["key"], "contribution_pct", "parts-top") == (
            part["contribution_pct"] or "—"
        )
    with_pull = [p for p in api if p["pull_pp"] is not None]
    for part in with_pull[-10:]:
        assert cell(page, part["key"], "pull_pp", "parts-bottom") == part["pull_pp"]
    by_cluster = get(leader, PAGE + "&by=cluster")
    clusters = leader.get(
        "/api/v1/economy/parts?park=DEMO&period=2022-12&by=cluster&indicator=industrial_output"
    ).json()
    for c in clusters:
        assert cell(by_cluster, c["key"], "pull_pp", "parts-all") == c["pull_pp"]
    assert 'class="num down" data-field="pull_pp">-' in row_html(
        by_cluster, "机械装备", "parts-all"
    )


def test_mujun_section_counts_classes_and_pages(leader):
    # The page loads the section as its own request (it reads every enterprise's report).
    shell = get(leader, PAGE)
    assert 'hx-get="/economy/mujun/?park=DEMO&amp;period=2022-12"' in shell
    page = get(leader, "/economy/mujun/?park=DEMO&period=2022-12", HTTP_HX_REQUEST="true")
    assert "<html" not in page
    rows, _ = selectors.mu_jun_evaluation(park=Park.objects.get(code="DEMO"), year=2022)
    counts = {g: sum(1 for r in rows if r.grade == g) for g in "ABCD"}
    for grade, n in counts.items():
        assert re.search(
            rf'data-grade="{grade}"><span class="grade">{grade}类</span><span class="count">{n}<',
            page,
        )
    first = rows[0]
    assert cell(page, first.credit_code, "score", "mujun-table") == presenters.display_pct(
        first.score
    )
    assert 'hx-get="/economy/mujun/?park=DEMO&amp;period=2022-12&amp;mpage=2"' in get(
        leader, PAGE + "&mpage=2"
    )
    second_page = get(leader, "/economy/mujun/?park=DEMO&period=2022-12&mpage=2")
    assert "<html" in second_page  # without htmx: a page of its own
    assert cell(second_page, rows[20].credit_code, "grade", "mujun-table").startswith(
        rows[20].grade
    )


# ---------------------------------------------------------------------------------------------
# Data status
# ---------------------------------------------------------------------------------------------


def test_include_submitted_toggle_changes_what_is_counted(admin, capsys):
    off = get(admin, "/economy/?park=DEMO4&period=2023-12")
    assert 'id="economy-empty"' in off and "尚在审核中" in off
    assert 'id="indicator-table"' not in off and "【含未审核数据】" not in off
    assert "include_submitted=1" in off  # a link to look at it anyway

    on = get(admin, "/economy/?park=DEMO4&period=2023-12&include_submitted=1")
    assert "【含未审核数据】" in on and 'id="submitted-label"' in on
    cli = {
        r["code"]: r
        for r in cli_json(capsys, "--park", "DEMO4", "--period", "2023-12", "--include-submitted")
    }
    output = cli["industrial_output"]
    assert output["status"] == "submitted"
    assert cell(on, "industrial_output", "value") == fmt_decimal(
        Decimal(output["value"]), 2, thousands=True
    )
    assert cell(on, "industrial_output", "yoy_pct") == output["yoy_pct"]
    assert '<span class="badge submitted">已提交</span>' in row_html(on, "industrial_output")

    ws = workbook(
        admin, "/economy/export.xlsx?park=DEMO4&period=2023-12&table=indicators&include_submitted=1"
    )
    assert "含未审核" in ws.title
    notes = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any("含未审核数据" in n for n in notes)


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------


def test_indicator_export_has_chinese_headers_and_the_pages_numbers(leader):
    page = get(leader, PAGE)
    headers, rows = sheet_rows(
        workbook(leader, "/economy/export.xlsx?park=DEMO&period=2022-12&table=indicators")
    )
    assert headers[:5] == ["指标", "单位", "1-本月", "本月", "同比(可比)%"]
    assert headers[5:10] == ["目标", "完成%", "序时%", "超(慢)序时(百分点)", "数据状态"]
    codes = [
        r.code
        for r in selectors.park_indicator_table(
            park=Park.objects.get(code="DEMO"), period=Period(2022, 12)
        )
    ]
    assert len(rows) == len(codes)
    for code, row in zip(codes, rows, strict=True):
        for col, field in [(2, "value"), (4, "yoy_pct"), (6, "completion_pct"), (8, "ahead_pp")]:
            shown = cell(page, code, field).replace(",", "")
            if shown == "—":
                assert row[col] is None, (code, field)
            else:
                assert as_decimal(row[col]) == Decimal(shown), (code, field)
    assert rows[0][0] == "规上工业总产值" and rows[0][9] == "已锁定"


def test_parts_mujun_and_ranking_exports(admin):
    api = admin.get(
        "/api/v1/economy/parts?park=DEMO&period=2022-12&by=enterprise&indicator=industrial_output"
    ).json()
    headers, rows = sheet_rows(
        workbook(admin, "/economy/export.xlsx?park=DEMO&period=2022-12&table=parts")
    )
    assert headers[:5] == ["企业名称", "统一社会信用代码", "产业集群", "拉动(百分点)", "贡献率%"]
    assert len(rows) == len(api)
    for part, row in zip(api, rows, strict=True):
        assert row[1] == part["key"]
        assert (row[3] is None and part["pull_pp"] is None) or as_decimal(row[3]) == Decimal(
            part["pull_pp"]
        )

    headers, rows = sheet_rows(
        workbook(admin, "/economy/export.xlsx?park=DEMO&period=2022-12&table=mujun")
    )
    assert headers[:3] == ["排名", "企业名称", "统一社会信用代码"] and "评价类别" in headers
    grade = headers.index("评价类别")
    assert {r[grade] for r in rows} == {"A", "B", "C", "D"}

    headers, rows = sheet_rows(
        workbook(admin, "/economy/export.xlsx?park=DEMO&period=2022-12&table=ranking")
    )
    assert headers[:3] == ["名次", "园区代码", "园区名称"]
    assert [r[1] for r in rows] == ["DEMO", "DEMO2", "DEMO3", "DEMO4"]

    assert admin.get("/economy/export.xlsx?park=DEMO&table=nonsense").status_code == 400


def test_export_neutralises_text_that_looks_like_a_formula(admin):
    e = Enterprise.objects.filter(park__code="DEMO", reports__year=2022).first()
    e.name = '=HYPERLINK("http://example.invalid","点我")'
    e.save(update_fields=["name"])
    ws = workbook(admin, "/economy/export.xlsx?park=DEMO&period=2022-12&table=parts")
    _, rows = sheet_rows(ws)
    names = [r[0] for r in rows if r[1] == e.credit_code]
    assert names == [e.name]  # the value as written …
    cell = next(c for c in ws["A"] if c.value == e.name)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)  # … as text, never a formula


# ---------------------------------------------------------------------------------------------
# Scopes, defaults, empty states, queries
# ---------------------------------------------------------------------------------------------


def test_enterprise_users_and_out_of_scope_parks_get_404(client, demo_db):
    login_client(client, "qiye")
    for url in ["/economy/", "/economy/?park=DEMO&period=2022-12"]:
        # The page an enterprise user may follow leads to its own figures (本企业).
        assert client.get(url)["Location"] == "/mine/", url
    for url in [
        "/economy/ranking/?park=DEMO",
        "/economy/mujun/?park=DEMO",
        "/economy/export.xlsx?park=DEMO&period=2022-12&table=parts",
    ]:
        assert client.get(url).status_code == 404, url
    client.logout()
    login_client(client, "leader")
    assert client.get("/economy/?park=DEMO2").status_code == 404
    assert client.get("/economy/export.xlsx?park=DEMO2&period=2022-12").status_code == 404
    assert client.get("/economy/").status_code == 200


def test_defaults_to_the_current_park_and_its_latest_period(leader):
    page = get(leader, "/economy/")
    latest = selectors.latest_period(park=Park.objects.get(code="DEMO"))
    assert latest == Period(2023, 12)
    assert "示范工业园区（DEMO） · 2023年1-12月" in page
    assert '<option value="2023-12" selected>' in page
    bad = get(leader, "/economy/?park=DEMO&period=2022-13")
    assert "无法识别" in bad and "2023年1-12月" in bad


def test_a_park_without_data_says_so_and_links_to_imports(client, demo_db):
    login_client(client, "admin")
    make_park("EMPTY", "空白园区", region=Region.objects.get(code="DEMO-CITY"))
    page = get(client, "/economy/?park=EMPTY")
    assert 'id="economy-empty"' in page and 'href="/imports/"' in page
    assert "还没有经济运行数据" in page
    future = get(client, "/economy/?park=DEMO&period=2025-06")
    assert 'id="economy-empty"' in future and 'href="/imports/"' in future


def test_page_query_count_is_bounded(leader, django_assert_max_num_queries):
    # One ReportCache serves the table, the month series, the parts and the charts; the
    # region ranking is a request of its own (loaded by htmx).
    with django_assert_max_num_queries(30):
        get(leader, PAGE)
    with django_assert_max_num_queries(30):
        get(leader, PAGE + "&by=cluster&nominal=1&indicator=revenue")
