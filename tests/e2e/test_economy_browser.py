"""What only a browser shows: the 经济运行 charts really render (ECharts canvases, the htmx-loaded
ranking), the month chart toggles, charts follow a resize, tables scroll on a phone, and no
request leaves 127.0.0.1 (no CDN, no web font: parks' intranets have no internet).

Playwright drives Debian's Chromium (/usr/bin/chromium); `playwright install` is never run.
Skips without Chromium, fails under YUANQU_REQUIRE_ALL=1 (CI).

Screenshots: the economy page goes to /tmp/economy.png; the home page after login to
/tmp/screenshot-home.png, or to docs/screenshot-home.png (the README's) when
YUANQU_UPDATE_SCREENSHOTS=1 — a test run does not rewrite a tracked file by default.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import ROOT, watched_page

ECONOMY_PNG = Path("/tmp/economy.png")
HOME_PNG = (
    ROOT / "docs" / "screenshot-home.png"
    if os.environ.get("YUANQU_UPDATE_SCREENSHOTS") == "1"
    else Path("/tmp/screenshot-home.png")
)

CHARTS_RENDERED = """() => Array.from(document.querySelectorAll('.chart')).map(el => ({
  id: el.id,
  canvas: !!el.querySelector('canvas'),
  instance: !!echarts.getInstanceByDom(el),
}))"""

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_economy_page_renders_its_charts_offline(browser, demo_live):
    base = demo_live.url
    host = urlsplit(base).hostname
    page, requests, errors = watched_page(browser)

    # Log in through the login page, as a person would.
    page.goto(f"{base}/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "demo2022")
    page.click("button[type=submit]")
    page.wait_for_selector('table.data a:has-text("示范工业园区")')
    HOME_PNG.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(HOME_PNG))  # the viewport: 1280×800

    page.goto(f"{base}/economy/?park=DEMO&period=2022-12")
    page.wait_for_selector("#chart-series canvas")
    page.wait_for_selector("#chart-ranking canvas", timeout=20_000)  # loaded by htmx
    charts = page.evaluate(CHARTS_RENDERED)
    assert [c["id"] for c in charts] == [
        "chart-series",
        "chart-share",
        "chart-pull",
        "chart-ranking",
    ]
    assert all(c["canvas"] and c["instance"] for c in charts), charts
    assert page.locator("#indicator-table tr[data-code]").count() == 10
    assert (
        page.locator('tr[data-code="industrial_output"] td[data-field="yoy_pct"]').inner_text()
        == "23.2"
    )

    # 当月值 → 累计值 redraws the month chart with YTD bars.
    page.click('button[data-series-mode="ytd"]')
    names = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-series'))"
        ".getOption().series.map(s => s.name)"
    )
    assert names[0] == "2022年累计" and names[1] == "2021年累计"

    # The ranking panel re-ranks by growth through htmx, and the new chart is drawn.
    with page.expect_response(lambda r: "/economy/ranking/" in r.url):
        page.select_option('#ranking select[name="metric"]', "yoy")
    page.wait_for_function(
        "() => { const el = document.getElementById('chart-ranking');"
        " const c = el && echarts.getInstanceByDom(el);"
        " return c && c.getOption().xAxis[0].data[0] === '示范高新技术产业园区'; }"
    )
    page.evaluate("() => window.scrollTo(0, 0)")  # the tab bar is sticky: shoot from the top
    page.screenshot(path=str(ECONOMY_PNG), full_page=True)

    # A phone: the charts follow the window, the tables scroll sideways.
    before = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-series')).getWidth()"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(
        f"() => echarts.getInstanceByDom(document.getElementById('chart-series')).getWidth() < {before}"
    )
    after = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-series')).getWidth()"
    )
    assert after <= 390
    scrolls = page.evaluate(
        "() => { const w = document.querySelector('#indicators .scroll-x');"
        " return w.scrollWidth > w.clientWidth && getComputedStyle(w).overflowX === 'auto'; }"
    )
    assert scrolls
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 400
    page.screenshot(path=str(ECONOMY_PNG.with_name("economy-mobile.png")), full_page=True)

    # The top bar's park switcher moves the page to the chosen park (and its latest period).
    with page.expect_navigation():
        page.select_option("#park-select", "DEMO2")
    assert "（DEMO2）" in page.locator("h1").inner_text()
    page.wait_for_selector("#chart-series canvas")

    outside = [
        u for u in requests if not u.startswith(("data:", "blob:")) and urlsplit(u).hostname != host
    ]
    assert host == "localhost" or host == "127.0.0.1"
    assert outside == [], outside
    assert errors == [], errors
    page.close()
