"""Every demo role in a real browser: log in, open every navigation entry and, from each, the
list and detail pages its links lead to (tests/e2e/crawl.py: depth 2, a bounded number of URL
patterns per role), with no console error, no script error, no failed request (the page or its
own subresources, htmx requests included) and every chart an ECharts instance with data. Then an
Excel upload through the import page reaches the preview and commits, and a report downloads.

The demo is loaded once for all roles (one test looping over them): a load costs ~10 s.
Every role is crawled on SQLite; on PostgreSQL one role's crawl runs as a smoke (the whole
suite runs on both in CI: .ci/run). Skips without Chromium, fails under YUANQU_REQUIRE_ALL=1.
"""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from django.conf import settings

from tests.e2e.crawl import WatchedPage, crawl, login

pytestmark = [pytest.mark.browser]

# Decided before the demo is loaded (a skip inside the test would load it first, ~15 s).
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
MAX_PATTERNS = 40  # distinct URL patterns per role (the crawl's bound)


def _roles() -> list[str]:
    from yuanqu.demo.users import LOGINS

    return [login.username for login in LOGINS]


def _crawl_role(browser, base: str, role: str) -> tuple[list[str], str]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        watched = WatchedPage(context, base)
        login(watched, role)
        t0 = time.monotonic()
        visits, nav = crawl(watched, max_patterns=MAX_PATTERNS)
        failures = [f"{role} {v.url}: {p}" for v in visits for p in v.problems]
        failures += [f"{role} {v.url}: HTTP {v.status}" for v in visits if v.status >= 400]
        visited = {u.split("?")[0] for v in visits for u in (v.url, v.requested) if u}
        failures += [
            f"{role}: nav entry {u} not opened" for u in nav if u.split("?")[0] not in visited
        ]
        charts = sum(v.charts for v in visits)
        seconds = time.monotonic() - t0
        summary = (
            f"{role}: {len(nav)} nav entries, {len(visits)} pages, {charts} charts, {seconds:.1f} s"
        )
        if os.environ.get("YUANQU_CRAWL_LOG"):
            summary += "".join(
                f"\n  {v.status} {v.charts} {v.seconds:.2f}s {v.url}" for v in visits
            )
        return failures, summary
    finally:
        context.close()


@pytest.mark.skipif(
    ON_POSTGRES, reason="every role is crawled on SQLite; PostgreSQL runs the one-role smoke"
)
@pytest.mark.django_db(transaction=True)
def test_every_role_crawls_without_errors(browser, demo_live):
    failures: list[str] = []
    summaries: list[str] = []
    for role in _roles():
        role_failures, summary = _crawl_role(browser, demo_live.url, role)
        failures += role_failures
        summaries.append(summary)
    print("\n".join(summaries))
    assert failures == [], "\n".join(failures + summaries)


@pytest.mark.skipif(
    not ON_POSTGRES, reason="the PostgreSQL smoke runs when YUANQU_DATABASE_URL is postgres"
)
@pytest.mark.django_db(transaction=True)
def test_crawl_smoke_on_postgresql(browser, demo_live):
    failures, summary = _crawl_role(browser, demo_live.url, "leader")
    assert failures == [], "\n".join([*failures, summary])


@pytest.mark.django_db(transaction=True)
def test_upload_previews_and_commits_and_a_report_downloads(browser, demo_live, tmp_path):
    from tests.economy.factories import write_xlsx
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.registry.models import Enterprise

    enterprises = list(Enterprise.objects.filter(park__code="DEMO").order_by("credit_code")[:3])
    file = write_xlsx(
        tmp_path / "企业月报.xlsx",
        ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)"],
        [[e.credit_code, e.name, "2024-02", 1000 + i] for i, e in enumerate(enterprises)],
        unit_line="单位：千元",
    )
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True
    )
    watched = WatchedPage(context, demo_live.url)
    page = watched.page
    page.on("dialog", lambda d: d.accept())  # 确认写入？
    login(watched, "jingfa")
    page.goto(f"{demo_live.url}/imports/")
    form = page.locator("form.upload-form")
    form.locator("input[name=file]").set_input_files(str(file))
    form.locator("select[name=kind]").select_option("enterprise-reports")
    form.locator("select[name=park]").select_option("DEMO")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_selector("button:has-text('确认导入')")  # the preview
    assert "已预览" in page.locator("dl.facts").inner_text()
    with page.expect_navigation():
        page.click("button:has-text('确认导入')")
    page.wait_for_selector("dl.facts dd:has-text('已导入')")
    assert EnterpriseReport.objects.filter(year=2024, month=2).count() == 3
    assert watched.problems == [], watched.problems
    context.close()

    # A report downloads from the reports page (park leader; the report rendered in the request).
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True
    )
    watched = WatchedPage(context, demo_live.url)
    page = watched.page
    login(watched, "leader")
    page.goto(f"{demo_live.url}/reports/?park=DEMO&kind=annual&year=2022")
    page.wait_for_selector("a:has-text('下载 Word')")
    with page.expect_download(timeout=120_000) as info:
        page.click("a:has-text('下载 Word')")
    download = info.value
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    data = (tmp_path / "report.docx").write_bytes(download.path().read_bytes())
    assert data > 10_000
    with zipfile.ZipFile(io.BytesIO(download.path().read_bytes())) as docx:
        document = docx.read("word/document.xml").decode()
    assert "示范工业园区" in document
    assert [p for p in watched.problems if "net::ERR_ABORTED" not in p] == []
    context.close()


BROKEN = """<!doctype html><html><head><script src="/static/vendor/echarts.min.js"></script></head>
<body><main>
  <div class="chart" id="drawn" style="width:300px;height:200px"></div>
  <div class="chart" id="empty" style="width:300px;height:200px"></div>
  <div class="chart" id="never" style="width:300px;height:200px"></div>
  <img src="/missing.png" alt="">
  <a href="/next/">next</a> <a href="/export.xlsx">file</a> <a href="https://example.org/">out</a>
</main>
<script>
  echarts.init(document.getElementById('drawn')).setOption(
    {xAxis: {data: ['a']}, yAxis: {}, series: [{type: 'bar', data: [1]}]});
  echarts.init(document.getElementById('empty')).setOption(
    {xAxis: {data: []}, yAxis: {}, series: [{type: 'bar', data: []}]});
  console.error('boom');
  undefinedFunction();
</script></body></html>"""


def test_the_checks_catch_what_they_must(browser):
    """The crawl's own checks, on a page made to fail each of them (no server, no database):
    a chart with no data, a `.chart` that is not an ECharts instance, a missing image, a
    console error and a script error; and only same-origin, non-download links are followed."""
    from tests.e2e.crawl import followable
    from tests.helpers import ROOT

    echarts = ROOT / "yuanqu" / "static" / "vendor" / "echarts.min.js"
    context = browser.new_context()
    watched = WatchedPage(context, "http://testserver")
    page = watched.page
    page.route(
        "http://testserver/broken/", lambda r: r.fulfill(body=BROKEN, content_type="text/html")
    )
    page.route("**/static/vendor/echarts.min.js", lambda r: r.fulfill(path=str(echarts)))
    page.route("http://testserver/missing.png", lambda r: r.fulfill(status=404, body=""))
    visit = watched.open("http://testserver/broken/")
    problems = "\n".join(visit.problems)
    assert "chart empty: no data" in problems
    assert "chart never: not an ECharts instance" in problems
    assert "chart drawn" not in problems
    assert "HTTP 404: http://testserver/missing.png" in problems
    assert "console: boom" in problems
    assert "pageerror: " in problems and "undefinedFunction" in problems
    assert visit.charts == 2
    links = [u for u in watched.links() if followable(u, "http://testserver")]
    assert links == ["http://testserver/next/"]
    context.close()
