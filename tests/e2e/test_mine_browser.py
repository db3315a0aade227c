"""本企业 in a real browser: the enterprise user's own month chart renders from the static
economy.js (no inline script), toggles to 累计值, and the page loads nothing off the server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.helpers import watched_page

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_enterprise_home_draws_its_own_chart(browser, demo_live):
    base = demo_live.url
    host = urlsplit(base).hostname
    page, requests, errors = watched_page(browser)
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="username"]', "qiye")
    page.fill('input[name="password"]', "demo2022")
    page.click('button[type="submit"]')
    page.wait_for_selector("#chart-mine canvas", timeout=20_000)
    assert page.evaluate("() => !!echarts.getInstanceByDom(document.getElementById('chart-mine'))")
    page.click('[data-series-mode="ytd"]')
    assert page.get_attribute("#chart-mine", "data-mode") == "ytd"
    assert page.locator("#mine-table tbody tr").count() > 12
    page.goto(f"{base}/economy/")
    assert urlsplit(page.url).path == "/mine/"
    assert errors == []
    assert all(urlsplit(u).hostname in (host, None) for u in requests if u.startswith("http"))
