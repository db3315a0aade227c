"""The Content-Security-Policy in a real browser: the pages a person uses most load, draw their
ECharts charts and run their behaviours (park switcher, htmx ranking, tooltips) without a single
CSP violation, and the API docs' Swagger UI renders from our own static files.

Violations are caught twice: Chromium's console message ("…violates the following Content
Security Policy directive…") and the page's `securitypolicyviolation` events.
Skips without Chromium, fails under YUANQU_REQUIRE_ALL=1 (CI).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile));
"""


@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_csp_without_violations(browser, demo_live):
    base = demo_live.url
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    violations: list[str] = []

    def collect() -> None:
        violations.extend(page.evaluate("() => window.__csp || []"))

    response = page.goto(f"{base}/accounts/login/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    page.fill("#id_username", "admin")
    page.fill("#id_password", "demo2022")
    page.click("button[type=submit]")
    page.wait_for_selector('table.data a:has-text("示范工业园区")')
    collect()

    page.goto(f"{base}/economy/?park=DEMO&period=2022-12")
    page.wait_for_selector("#chart-series canvas")
    page.wait_for_selector("#chart-ranking canvas", timeout=20_000)  # loaded by htmx
    # A tooltip: ECharts writes markup with style attributes (allowed by style-src-attr).
    box = page.locator("#chart-series canvas").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    # The page's own <style> carries the nonce, so its rules apply (h1 small: 400, not bold).
    weight = "() => getComputedStyle(document.querySelector('.econ h1 small')).fontWeight"
    assert page.evaluate(weight) == "400"
    # data-autosubmit instead of onchange="…": the top bar's park switcher moves the page.
    collect()
    with page.expect_navigation():
        page.select_option("#park-select", "DEMO2")
    assert "（DEMO2）" in page.locator("h1").inner_text()
    page.wait_for_selector("#chart-series canvas")
    collect()

    page.goto(f"{base}/imports/")
    page.wait_for_selector("form.upload-form[data-busy]")
    collect()

    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .info .title", timeout=20_000)
    assert "园区经济运行与项目管理平台 API" in page.locator("#swagger-ui .info .title").inner_text()
    collect()

    csp_messages = [m for m in console if "Content Security Policy" in m]
    assert csp_messages == [], csp_messages
    assert violations == [], violations
    assert errors == [], errors
    host = urlsplit(base).hostname
    outside = [
        u for u in requests if not u.startswith(("data:", "blob:")) and urlsplit(u).hostname != host
    ]
    assert outside == [], outside
    page.close()
