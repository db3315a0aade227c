"""API 令牌 in a real browser: create a token, copy it with the button (static tokens.js, no
inline script under the CSP), use it on the API, and revoke it through the data-confirm dialog —
cancelled first (nothing happens), then accepted."""

from __future__ import annotations

import pytest

from tests.helpers import watched_page

pytestmark = [pytest.mark.browser]


@pytest.fixture
def registry_live(live_server, settings):
    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_registry()
    load_users()
    return live_server


@pytest.mark.django_db(transaction=True)
def test_create_copy_use_and_revoke_a_token(browser, registry_live):
    from yuanqu.accounts.models import ApiToken

    base = registry_live.url
    page, _requests, errors = watched_page(browser)
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="username"]', "jingfa")
    page.fill('input[name="password"]', "demo2022")
    page.click('button[type="submit"]')
    page.click("nav.sidenav >> text=API 令牌")
    page.fill('input[name="name"]', "浏览器测试")
    page.click("text=创建令牌")
    secret = page.input_value("#token-secret")
    assert secret.startswith("yq_")
    page.click("button[data-copy]")
    page.wait_for_selector("[data-copy-status]:not([hidden])")
    # A context of its own: no session cookie, only the token.
    script = browser.new_context().request
    response = script.get(f"{base}/api/v1/parks", headers={"Authorization": f"Bearer {secret}"})
    assert response.status == 200 and response.json()["items"][0]["code"] == "DEMO"

    page.click("text=返回 API 令牌")
    questions: list[str] = []

    def refuse(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.click("tr[data-status=active] >> text=吊销")
    assert "确定吊销令牌“浏览器测试”" in questions[0]
    assert ApiToken.objects.get().revoked_at is None
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("tr[data-status=active] >> text=吊销")
    page.wait_for_selector("tr[data-status=revoked]")
    assert "已吊销令牌“浏览器测试”" in page.content()
    assert ApiToken.objects.get().revoked_at is not None
    response = script.get(f"{base}/api/v1/parks", headers={"Authorization": f"Bearer {secret}"})
    assert response.status == 401
    assert errors == []
