"""Login protection and the security settings (issue 9, item 13; offline API docs, item 14).

Lock-out after repeated failures on the login form, the admin and HTTP Basic (django-axes, by
username+IP); the 401's WWW-Authenticate; the password policy; the idle timeout; the CSP header;
SECRET_KEY refused or generated; `check --deploy` clean for docs/deploy.md's settings; the
Swagger UI served from our own static files, behind login.
"""

from __future__ import annotations

import base64
import os
import re
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.helpers import ROOT, login_client
from yuanqu.accounts.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "Yq-2024-secure"
WRONG_TRIES = 30
LOCKED_TEXT = "登录失败次数过多"


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user(
        username="wang",
        password=PASSWORD,
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )


def _cool_off_passes(username: str) -> None:
    """Time travel: the failures happened longer ago than the cool-off."""
    updated = AccessAttempt.objects.filter(username=username).update(
        attempt_time=timezone.now() - timedelta(minutes=31)
    )
    assert updated, "no failures were recorded"


def _basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


# Lock-out -------------------------------------------------------------------------------------


def test_login_form_locks_out_after_repeated_failures(client, staff):
    for _ in range(WRONG_TRIES):
        response = client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
        assert response.status_code in {200, 429}
        assert "_auth_user_id" not in client.session

    response = client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert LOCKED_TEXT in html and "30 分钟" in html
    # Inside the site's own layout, not axes' bare English text.
    assert "园区经济运行与项目管理平台" in html and 'href="/static/css/app.css"' in html
    assert response["Retry-After"] == "1800"

    _cool_off_passes("wang")
    response = client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_failure_limit_is_the_setting(client, staff):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    # Four failures (default limit 5): the right password still works, and resets the count.
    response = client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
    assert response.status_code == 302
    client.logout()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
    assert response.status_code == 429


def test_lock_out_is_per_username_and_address(client, staff):
    for _ in range(WRONG_TRIES):
        client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    # The same user from another address is not locked out …
    response = client.post(
        "/accounts/login/",
        {"username": "wang", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    client.logout()
    # … nor another user from the attacker's address.
    User.objects.create_user(username="li", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "li", "password": PASSWORD})
    assert response.status_code == 302


def test_forged_forwarded_for_does_not_reset_the_count(client, staff):
    for i in range(WRONG_TRIES):
        client.post(
            "/accounts/login/",
            {"username": "wang", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    response = client.post(
        "/accounts/login/",
        {"username": "wang", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429


def test_admin_login_locks_out(client, staff):
    for _ in range(WRONG_TRIES):
        client.post("/admin/login/", {"username": "wang", "password": "wrong", "next": "/admin/"})
    response = client.post(
        "/admin/login/", {"username": "wang", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still not logged in

    _cool_off_passes("wang")
    response = client.post(
        "/admin/login/", {"username": "wang", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_http_basic_locks_out(client, staff):
    statuses = set()
    for _ in range(WRONG_TRIES):
        response = client.get("/api/v1/parks", **_basic("wang", "wrong"))
        statuses.add(response.status_code)
    assert statuses == {401, 429}

    response = client.get("/api/v1/parks", **_basic("wang", PASSWORD))
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert LOCKED_TEXT in response.json()["detail"]

    _cool_off_passes("wang")
    response = client.get("/api/v1/parks", **_basic("wang", PASSWORD))
    assert response.status_code == 200
    assert "items" in response.json()


def test_axes_reset_unlocks(client, staff):
    from axes.utils import reset

    for _ in range(WRONG_TRIES):
        client.get("/api/v1/parks", **_basic("wang", "wrong"))
    assert client.get("/api/v1/parks", **_basic("wang", PASSWORD)).status_code == 429
    reset(username="wang")
    assert client.get("/api/v1/parks", **_basic("wang", PASSWORD)).status_code == 200


def test_authentication_backends():
    from django.conf import settings

    assert settings.AUTHENTICATION_BACKENDS == [
        "yuanqu.accounts.axes.AxesBackend",
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


# 401 ------------------------------------------------------------------------------------------


def test_api_401_asks_for_basic_in_chinese(client, staff):
    for headers in ({}, _basic("wang", "wrong"), {"HTTP_AUTHORIZATION": "Digest nonsense"}):
        response = client.get("/api/v1/parks", **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="yuanqu", charset="UTF-8"'
        detail = response.json()["detail"]
        assert "HTTP Basic" in detail and "登录" in detail and "API 令牌" in detail
    # A Bearer token is checked as a token: what is wrong with it (tests/accounts/test_tokens.py).
    response = client.get("/api/v1/parks", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="yuanqu", error="invalid_token"'
    assert response.json()["detail"].startswith("API 令牌无效")


# Password policy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1!x", "至少"),  # too short
        ("abcdefghij", "3 类字符"),  # one class
        ("abcdefgh12", "3 类字符"),  # two classes
        ("Password1", "太常见"),  # common
        ("wangwei2024!", "相似"),  # like the username
    ],
)
def test_password_policy_refuses(password, message):
    user = User(username="wangwei", display_name="王伟")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password(password, user=user)
    assert any(message in m for m in exc.value.messages), exc.value.messages


@pytest.mark.parametrize("password", ["Zx9#kq7!Lm", "kq7!lm#zx9", "园区Zx9kq7Lm", "ZXKQ7LM9!"])
def test_password_policy_accepts_three_classes(password):
    validate_password(password, user=User(username="wangwei"))


def test_demo_users_keep_demo2022(client, demo_registry):
    # demo2022 fails the policy (two classes) but is set with set_password, not validated.
    with pytest.raises(ValidationError):
        validate_password("demo2022")
    response = client.post("/accounts/login/", {"username": "admin", "password": "demo2022"})
    assert response.status_code == 302


# Idle session timeout -------------------------------------------------------------------------


def _later(minutes: float):
    """Every clock the session reads (signing's timestamp check, the idle middleware) moved
    `minutes` ahead."""
    from unittest import mock

    now = time.time()
    return mock.patch("time.time", return_value=now + minutes * 60)


def test_session_expires_after_idle_minutes(client, staff, settings):
    # Signed-cookie sessions (no database write to log in): the cookie's signature carries
    # its time, and a cookie older than SESSION_COOKIE_AGE is refused.
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    login_client(client, "wang", PASSWORD)
    assert client.get("/").status_code == 200
    with _later(29):
        assert client.get("/").status_code == 200  # renewed: signed again at +29 minutes
    with _later(29 + 31):
        # Idle past the timeout: the next request is sent to the login page.
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_activity_renews_the_session(client, staff):
    login_client(client, "wang", PASSWORD)
    with _later(20):
        assert client.get("/").status_code == 200  # renewed at +20 minutes
    with _later(45):  # 45 minutes after login, 25 after the renewal
        assert client.get("/").status_code == 200
    with _later(45 + 0.5):  # renewed less than a minute ago: no new cookie, still valid
        assert client.get("/").status_code == 200


# Content-Security-Policy ----------------------------------------------------------------------


def test_pages_carry_a_strict_csp(client, staff):
    login_client(client, "wang", PASSWORD)
    for url in ["/accounts/login/", "/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = {}
        for part in policy.split(";"):
            name, _, value = part.strip().partition(" ")
            directives[name] = value
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert "unsafe" not in directives["style-src-elem"]
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
    html = client.get("/").content.decode()
    # htmx must not inject its indicator <style> (blocked by the policy): the rule is in app.css.
    assert '"includeIndicatorStyles":false' in html.replace(" ", "")
    assert ".htmx-indicator" in (ROOT / "yuanqu/static/css/app.css").read_text()
    # No inline event handler left in any template: the policy blocks them.
    for template in (ROOT / "yuanqu").rglob("templates/**/*.html"):
        text = template.read_text()
        assert not re.search(r"\son[a-z]+\s*=", text), f"inline handler in {template}"
        for tag in re.findall(r"<style[^>]*>", text):
            if template.name != "standalone.html":  # a downloaded file, not served with the CSP
                assert "csp_nonce" in tag, f"<style> without the CSP nonce in {template}"


# SECRET_KEY and check --deploy ----------------------------------------------------------------


def _run(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: none of ours, and not DJANGO_ALLOW_ASYNC_UNSAFE, which the browser
    # tests' conftest sets for the whole session (check --deploy rightly refuses it).
    base = {k: v for k, v in os.environ.items() if not k.startswith(("YUANQU_", "DJANGO_"))}
    base.update({"YUANQU_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)


def test_default_secret_key_is_refused_without_debug(tmp_path):
    from django.conf import settings

    result = _run(SETUP, {"YUANQU_SECRET_KEY": settings.INSECURE_SECRET_KEY}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "YUANQU_SECRET_KEY" in result.stderr and "请设置环境变量" in result.stderr
    assert "Refusing to start with the default SECRET_KEY" in result.stderr

    result = _run(SETUP, {"YUANQU_SECRET_KEY": "django-insecure-abc"}, tmp_path)
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr

    # Development (YUANQU_DEBUG=1) may use it.
    result = _run(
        SETUP,
        {"YUANQU_SECRET_KEY": settings.INSECURE_SECRET_KEY, "YUANQU_DEBUG": "1"},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr


def test_fresh_clone_generates_a_private_key_file_once(tmp_path):
    key_file = tmp_path / "secret_key"
    first = _run(SETUP, {}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50 and first.stdout.strip() == key
    second = _run(SETUP, {}, tmp_path)
    assert second.stdout.strip() == key  # kept: sessions survive a restart
    # The environment wins over the file.
    env_key = "e" * 20 + "nv-key-for-production-1234567890abcdef"
    assert _run(SETUP, {"YUANQU_SECRET_KEY": env_key}, tmp_path).stdout.strip() == env_key


def test_unwritable_var_dir_is_refused_with_a_message(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    tmp_path.chmod(0o500)
    try:
        result = _run(SETUP, {}, tmp_path)
    finally:
        tmp_path.chmod(0o700)
    assert result.returncode != 0 and "YUANQU_SECRET_KEY" in result.stderr


# docs/deploy.md's production settings.
PRODUCTION_ENV = {
    "YUANQU_SECRET_KEY": "Zq8" + "x7Lm-p4Rt9_vW2sK5nB8cD1fG6hJ3kY0uE" + "aQ7wS2eR5tY8uI1oP4",
    "YUANQU_ALLOWED_HOSTS": "yuanqu.example.gov.cn",
    "YUANQU_HTTPS": "1",
    "YUANQU_BEHIND_PROXY": "1",
    "YUANQU_CSRF_TRUSTED_ORIGINS": "https://yuanqu.example.gov.cn",
}
CHECK = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_check_deploy_is_clean_for_the_documented_production_settings(tmp_path):
    result = _run(CHECK, {**PRODUCTION_ENV, "YUANQU_HSTS_PRELOAD": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_without_preload_warns_only_w021(tmp_path):
    # docs/deploy.md: preload is left to the domain's owner; W021 is the one accepted warning.
    result = _run(CHECK, PRODUCTION_ENV, tmp_path)
    ids = set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", result.stderr + result.stdout))
    assert ids == {"security.W021"}, result.stderr


def test_check_deploy_warns_about_a_generated_key_and_http(tmp_path):
    env = {
        k: v for k, v in PRODUCTION_ENV.items() if k not in {"YUANQU_SECRET_KEY", "YUANQU_HTTPS"}
    }
    result = _run(CHECK, env, tmp_path)
    ids = set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", result.stderr + result.stdout))
    assert {"yuanqu.W001", "security.W004", "security.W008", "security.W012"} <= ids


# Offline API docs -----------------------------------------------------------------------------


def test_api_docs_need_login(client):
    for url in ["/api/v1/docs", "/api/v1/openapi.json"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/api/v1/")


def test_api_docs_use_local_swagger_assets(client, staff):
    login_client(client, "wang", PASSWORD)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '/static/ninja/swagger-ui-bundle.js"' in html
    assert '/static/ninja/swagger-ui.css"' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "a URL to another host"
    assert '"validatorUrl": null' in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/v1/openapi.json").json()["info"]["version"] == "1"


def test_openapi_json_with_basic_auth(client, staff):
    response = client.get("/api/v1/openapi.json", **_basic("wang", PASSWORD))
    assert response.status_code == 200 and "/api/v1/parks" in response.json()["paths"]
    response = client.get("/api/v1/openapi.json", **_basic("wang", "wrong"))
    assert response.status_code == 302
