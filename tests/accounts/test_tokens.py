"""API tokens (issue 10, deliverable 3): made on the page or the CLI, shown once, stored as a
SHA-256 digest, accepted as `Authorization: Bearer …` by the API only, acting exactly as the
owner (same scope), refused with a Chinese 401 when wrong, revoked or expired; last use
recorded at most once a minute; creation and revocation in the audit log."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.helpers import login_client
from yuanqu.accounts import tokens
from yuanqu.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db

PARKS = "/api/v1/parks"
DEMO_PASSWORD = "demo2022"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def basic(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    value = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {value}"}


def make(username: str, name: str = "脚本", **kw) -> tuple[ApiToken, str]:
    return tokens.token_create(
        actor=None, owner=User.objects.get(username=username), name=name, **kw
    )


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# -- the API --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [PARKS, "/api/v1/parks/DEMO", "/api/v1/enterprises?park=DEMO", "/api/v1/economy/dictionary"],
)
def test_a_token_returns_what_basic_returns_for_the_same_user(client, demo_registry, url):
    _token, secret = make("jingfa")
    with_basic = client.get(url, **basic("jingfa"))
    with_token = Client().get(url, **bearer(secret))
    assert with_basic.status_code == with_token.status_code == 200
    assert with_token.json() == with_basic.json()


def test_a_city_token_reads_the_parks_of_its_region(client, demo_registry):
    _token, secret = make("city")
    codes = sorted(p["code"] for p in client.get(PARKS, **bearer(secret)).json()["items"])
    assert codes == ["DEMO", "DEMO2", "DEMO3", "DEMO4"]


def test_an_enterprise_users_token_sees_only_its_enterprise(client, demo_registry):
    qiye = User.objects.get(username="qiye")
    _token, secret = make("qiye")
    rows = client.get("/api/v1/enterprises?park=DEMO", **bearer(secret)).json()["items"]
    assert [r["credit_code"] for r in rows] == [qiye.enterprise.credit_code]
    other = qiye.enterprise.park.enterprises.exclude(pk=qiye.enterprise_id).order_by("pk").first()
    assert (
        client.get(f"/api/v1/enterprises/{other.credit_code}", **bearer(secret)).status_code == 404
    )
    # Park-wide figures: 404 with the reason, as for the user's own login.
    for url in (
        "/api/v1/economy/indicators?park=DEMO&period=2022-12",
        "/api/v1/economy/park-indicators?park=DEMO&year=2022",
        "/api/v1/economy/targets?park=DEMO&year=2022",
    ):
        response = client.get(url, **bearer(secret))
        assert response.status_code == 404, url
        assert response.json()["detail"] == "企业用户不能查看园区汇总数据"


def _refused(response, *words: str) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="yuanqu", error="invalid_token"'
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail


def test_wrong_revoked_and_expired_tokens_are_401_in_chinese(client, demo_registry):
    token, secret = make("jingfa", "市平台对接")
    prefix = f"yq_{token.prefix}_"
    _refused(client.get(PARKS, **bearer(prefix + "x" * 43)), "API 令牌无效")
    _refused(client.get(PARKS, **bearer("yq_ZZZZZZZZ_" + "x" * 43)), "API 令牌无效")
    assert client.get(PARKS, **bearer(secret)).status_code == 200

    tokens.token_revoke(actor=None, token=token)
    _refused(client.get(PARKS, **bearer(secret)), "市平台对接", "已于", "吊销")

    expired, expired_secret = make("jingfa", "过期的")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    _refused(client.get(PARKS, **bearer(expired_secret)), "过期的", "过期")


def test_a_presented_token_wins_over_the_session(client, demo_registry):
    token, secret = make("qiye")
    login_client(client, "admin")
    # The token's owner, not the session's: an enterprise user sees no park-wide figures.
    url = "/api/v1/economy/park-indicators?park=DEMO&year=2022"
    assert client.get(url).status_code == 200
    assert client.get(url, **bearer(secret)).status_code == 404
    tokens.token_revoke(actor=None, token=token)
    _refused(client.get(PARKS, **bearer(secret)), "吊销")


def test_the_owner_deactivated_stops_its_tokens(client, demo_registry):
    _token, secret = make("zhaoshang")
    User.objects.filter(username="zhaoshang").update(is_active=False)
    _refused(client.get(PARKS, **bearer(secret)), "账号已停用")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "yq_",
        "yq_abc",
        "yq_AAAAAAAA_",
        "yq_AAAA\x00AAA_secret",
        "yq_ÄÄÄÄÄÄÄÄ_secret",
        "yq_AAAAAAAA_" + "x" * 5000,
        "Basic",
        "%00",
        "'; DROP TABLE accounts_apitoken; --",
    ],
)
def test_hostile_tokens_are_401_never_500(client, demo_registry, value):
    response = client.get(PARKS, **bearer(value))
    assert response.status_code == 401
    assert "detail" in response.json()


def test_the_expiry_date_is_valid_through_that_day(client, demo_registry):
    today = timezone.localdate()
    token, secret = make("jingfa", expires_at=tokens.expiry_from_date(today))
    assert timezone.localtime(token.expires_at).date() == today + timedelta(days=1)
    assert timezone.localtime(token.expires_at).hour == 0
    assert client.get(PARKS, **bearer(secret)).status_code == 200
    with pytest.raises(tokens.TokenError, match="有效期必须晚于当前时间"):
        make("jingfa", expires_at=tokens.expiry_from_date(today - timedelta(days=1)))


def test_the_secret_is_not_stored_only_its_digest(client, demo_registry):
    token, secret = make("jingfa", "市平台对接")
    assert re.fullmatch(r"yq_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}", secret)
    part = secret.split("_", 2)[2]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["secret_hash"] == hashlib.sha256(part.encode()).hexdigest()
    assert row["prefix"] == secret[3:11]
    for value in row.values():
        assert part not in str(value)
    # Nor in the audit log.
    for entry in LogEntry.objects.all():
        assert part not in json.dumps(entry.additional_data or {}) + str(entry.changes or "")


def test_last_use_is_recorded_at_most_once_a_minute(client, demo_registry):
    token, secret = make("jingfa")
    assert token.last_used_at is None
    client.get(PARKS, **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and token.last_used_ip == "127.0.0.1"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PARKS, **bearer(secret)).status_code == 200
    assert not [q for q in queries if "UPDATE" in q["sql"] and "apitoken" in q["sql"]]
    token.refresh_from_db()
    assert token.last_used_at == first
    # A minute later it is written again, with the new address.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    client.get(PARKS, REMOTE_ADDR="10.1.2.3", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first and token.last_used_ip == "10.1.2.3"


def test_a_token_does_not_log_in_to_web_pages(client, demo_registry):
    _token, secret = make("admin")
    for url in ("/", "/economy/?park=DEMO", "/accounts/tokens/", "/admin/"):
        response = client.get(url, **bearer(secret))
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_token_failures_do_not_lock_out_the_password(client, demo_registry):
    token, secret = make("jingfa")
    for _ in range(30):
        assert client.get(PARKS, **bearer(f"yq_{token.prefix}_wrong")).status_code == 401
    assert not AccessAttempt.objects.exists()
    assert client.get(PARKS, **basic("jingfa")).status_code == 200
    assert client.get(PARKS, **bearer(secret)).status_code == 200


def test_a_refused_known_token_is_audited_once_a_minute(client, demo_registry):
    from django.core.cache import cache

    token, _secret = make("jingfa", "旧脚本")
    cache.delete(f"yuanqu:token-refused:{token.pk}")
    tokens.token_revoke(actor=None, token=token)
    for _ in range(5):
        client.get(PARKS, **bearer(f"yq_{token.prefix}_whatever"))
    refused = [
        e
        for e in LogEntry.objects.all()
        if (e.additional_data or {}).get("event") == "token_refused"
    ]
    assert len(refused) == 1
    assert refused[0].additional_data["park"] == "DEMO"
    assert refused[0].additional_data["status"] == "密钥不符"
    cache.delete(f"yuanqu:token-refused:{token.pk}")


def test_openapi_documents_the_bearer_scheme_and_accepts_a_token(client, demo_registry):
    _token, secret = make("city")
    response = client.get("/api/v1/openapi.json", **bearer(secret))
    assert response.status_code == 200
    schemes = response.json()["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerAuth"].items()
    assert schemes["BasicAuth"]["scheme"] == "basic"
    security = response.json()["paths"]["/api/v1/parks"]["get"]["security"]
    assert {"BearerAuth": []} in security
    # A refused token is no way in either: the login page.
    assert client.get("/api/v1/openapi.json", **bearer("yq_nonsense")).status_code == 302


# -- the page -------------------------------------------------------------------------------------
def _create_on_page(client: Client, **data: str):
    return client.post("/accounts/tokens/new/", data)


def test_page_creates_a_token_shown_once(client, demo_registry):
    login_client(client, "jingfa")
    response = _create_on_page(client, name="市平台对接", expires="")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    secret = re.search(r'value="(yq_[^"]+)"', html).group(1)
    assert "只显示这一次" in html
    assert f'curl -H "Authorization: Bearer {secret}" http://testserver/api/v1/parks' in html
    token = ApiToken.objects.get()
    assert token.owner.username == "jingfa" and token.created_by.username == "jingfa"
    assert Client().get(PARKS, **bearer(secret)).status_code == 200
    # The list shows the prefix, never the secret.
    listing = client.get("/accounts/tokens/").content.decode()
    assert token.display_prefix in listing and "市平台对接" in listing
    assert secret not in listing and secret.split("_", 2)[2] not in listing
    assert "API 令牌" in client.get("/").content.decode()  # in the navigation


def test_page_refuses_an_empty_name_and_a_bad_date(client, demo_registry):
    login_client(client, "jingfa")
    response = _create_on_page(client, name="  ", expires="")
    assert response.status_code == 200 and "请填写令牌用途" in response.content.decode()
    response = _create_on_page(client, name="脚本", expires="2025-13-40")
    assert "有效期请填写日期" in response.content.decode()
    response = _create_on_page(client, name="脚本", expires="2001-01-01")
    assert "有效期必须晚于当前时间" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "脚\x00本"}, "控制字符"),
        ({"name": "脚本", "owner": "ad\x00min"}, "空字符"),
        ({"name": "脚本", "expires": "2030-01-01\x00"}, "有效期请填写日期"),
        ({"name": "x" * 101}, "最多 100 个字符"),
        ({"name": "脚本", "expires": "9999-12-31"}, "有效期不能晚于 2199-12-31"),
    ],
)
def test_page_refuses_hostile_input_without_a_500(client, demo_registry, data, message):
    login_client(client, "admin")
    response = _create_on_page(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_page_with_an_expiry_date(client, demo_registry):
    login_client(client, "jingfa")
    day = timezone.localdate() + timedelta(days=30)
    _create_on_page(client, name="临时", expires=day.isoformat())
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at).date() == day + timedelta(days=1)


def test_page_revokes_own_token_with_confirmation(client, demo_registry):
    login_client(client, "jingfa")
    token, secret = make("jingfa", "旧脚本")
    listing = client.get("/accounts/tokens/").content.decode()
    assert (
        f'action="/accounts/tokens/{token.pk}/revoke/" data-confirm="确定吊销令牌“旧脚本”'
        in listing
    )
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by.username == "jingfa"
    assert Client().get(PARKS, **bearer(secret)).status_code == 401
    assert "已吊销" in client.get("/accounts/tokens/").content.decode()
    # Twice is harmless.
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    # GET does not revoke.
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405


def test_a_user_cannot_revoke_or_see_another_users_token(client, demo_registry):
    token, secret = make("zhaoshang", "招商脚本")
    login_client(client, "jingfa")
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert "招商脚本" not in client.get("/accounts/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get(PARKS, **bearer(secret)).status_code == 200
    # Nor make one for another user.
    response = _create_on_page(client, name="冒名", owner="zhaoshang")
    assert "不存在或不由您管理" in response.content.decode()
    assert not ApiToken.objects.filter(name="冒名").exists()


def test_park_admin_manages_the_tokens_of_its_parks_users(client, demo_registry):
    theirs, _ = make("jingfa", "经发局脚本")
    admins, _ = make("admin", "管理员脚本")
    login_client(client, "guanli")
    listing = client.get("/accounts/tokens/").content.decode()
    assert "我管理的用户的令牌" in listing and "经发局脚本" in listing
    assert "管理员脚本" not in listing
    # Another park's user, a city user, an administrator: out of its reach (404).
    assert client.post(f"/accounts/tokens/{admins.pk}/revoke/").status_code == 404
    city, _ = make("city", "市级脚本")
    assert client.post(f"/accounts/tokens/{city.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_by.username == "guanli"
    # It may make one for a user of its park (the secret is shown to it, once).
    response = _create_on_page(client, name="代建", owner="zhaoshang")
    assert response.status_code == 200 and "只显示这一次" in response.content.decode()
    made = ApiToken.objects.get(name="代建")
    assert made.owner.username == "zhaoshang" and made.created_by.username == "guanli"
    response = _create_on_page(client, name="越权", owner="admin")
    assert "不存在或不由您管理" in response.content.decode()


def test_administrator_revokes_anyones_token(client, demo_registry):
    token, _ = make("qiye", "企业脚本")
    login_client(client, "admin")
    listing = client.get("/accounts/tokens/?q=qiye").content.decode()
    assert "企业脚本" in listing
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by.username == "admin"


def test_anonymous_users_are_sent_to_log_in(client, demo_registry):
    token, _ = make("jingfa")
    for method, url in (
        ("get", "/accounts/tokens/"),
        ("post", "/accounts/tokens/new/"),
        ("post", f"/accounts/tokens/{token.pk}/revoke/"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    token.refresh_from_db()
    assert token.revoked_at is None


def test_creation_and_revocation_are_audited(client, demo_registry):
    login_client(client, "guanli")
    _create_on_page(client, name="代建", owner="jingfa")
    token = ApiToken.objects.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    entries = {
        e.additional_data["event"]: e
        for e in LogEntry.objects.select_related("actor")
        if (e.additional_data or {}).get("event", "").startswith("token_")
    }
    assert set(entries) == {"token_create", "token_revoke"}
    for entry in entries.values():
        assert entry.actor.username == "guanli"
        assert entry.additional_data["park"] == "DEMO"
        assert entry.additional_data["owner"] == "jingfa"
        assert entry.additional_data["token"] == token.display_prefix
        assert entry.remote_addr == "127.0.0.1"
    # The park's leader reads them on the audit page, in Chinese.
    login_client(client, "leader")
    page = client.get("/audit/?event=token_create").content.decode()
    assert "创建API令牌" in page and "所属用户：jingfa" in page


# -- the CLI --------------------------------------------------------------------------------------
def test_cli_round_trip(client, demo_registry):
    day = timezone.localdate() + timedelta(days=10)
    secret = cli("create", "--user", "city", "--name", "市平台对接", "--expires", day.isoformat())
    secret = secret.strip()
    assert secret.startswith("yq_")
    assert client.get(PARKS, **bearer(secret)).status_code == 200

    rows = json.loads(cli("list", "--user", "city", "--json"))
    assert len(rows) == 1
    row = rows[0]
    assert row["owner"] == "city" and row["name"] == "市平台对接"
    assert row["status"] == "active" and row["status_label"] == "有效"
    assert row["prefix"] == f"yq_{secret[3:11]}…"
    assert row["expires_at"].startswith((day + timedelta(days=1)).isoformat())
    assert row["last_used_ip"] == "127.0.0.1" and row["created_by"] is None
    assert secret.split("_", 2)[2] not in json.dumps(rows)
    assert "市平台对接" in cli("list")

    assert "已吊销" in cli("revoke", str(row["id"]))
    assert client.get(PARKS, **bearer(secret)).status_code == 401
    assert json.loads(cli("list", "--json"))[0]["status_label"] == "已吊销"
    assert "此前已吊销" in cli("revoke", str(row["id"]))


def test_cli_create_json_and_errors(demo_registry):
    from django.core.management.base import CommandError

    made = json.loads(cli("create", "--user", "jingfa", "--name", "脚本", "--json"))
    assert made["token"].startswith("yq_") and made["expires_at"] is None
    assert tokens.token_authenticate(made["token"]).username == "jingfa"
    for args, message in (
        (("create", "--user", "nobody", "--name", "x"), "用户“nobody”不存在"),
        (
            ("create", "--user", "jingfa", "--name", "x", "--expires", "31/12/2030"),
            "不是 YYYY-MM-DD",
        ),
        (("create", "--user", "jingfa", "--name", " "), "请填写令牌用途"),
        (("create", "--user", "jingfa", "--name", "x", "--expires", "9999-12-31"), "不能晚于"),
        (("revoke", "99999"), "令牌 #99999 不存在"),
    ):
        with pytest.raises(CommandError, match=message):
            cli(*args)


# -- every API route: a token answers as its owner's session does ----------------------------------
def _api_get_routes():
    from tests.matrix.routes import discover

    return [r for r in discover() if r.kind == "api" and r.methods == ("GET",)]


@pytest.mark.parametrize("username", ["qiye", "city", "jingfa"])
def test_every_api_route_answers_a_token_as_the_owners_session(demo_registry, username):
    owner = User.objects.get(username=username)
    _token, secret = make(username)
    session = Client()
    session.force_login(owner)
    own = User.objects.get(username="qiye").enterprise
    values = {
        "code": "DEMO",
        "credit_code": own.credit_code,
        "kind": "enterprises",
        "fmt": "html",
        "project_id": "999999",  # none in the registry-only fixture: both answer 404
        "request_id": "999999",
        "task_id": "999999",
        "lead_id": "999999",
        "parcel_id": "999999",
    }
    query = {"park": "DEMO", "period": "2022-12", "year": "2022", "indicator": "industrial_output"}
    checked = 0
    for route in _api_get_routes():
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route.path)
        with_session = session.get(path, query)
        with_token = Client().get(path, query, **bearer(secret))
        assert with_token.status_code == with_session.status_code, (username, route.id)
        assert with_token.status_code != 401, (username, route.id)
        if with_session["Content-Type"].startswith("application/json"):
            assert with_token.json() == with_session.json(), (username, route.id)
        checked += 1
    assert checked >= 20


# -- a busy SQLite ---------------------------------------------------------------------------------
BUSY_SCRIPT = r"""
import json, sqlite3
import django
from django.conf import settings
django.setup()
settings.DATABASES["default"]["OPTIONS"]["timeout"] = 1  # before the first connection
from django.core.management import call_command
from django.test import Client
from yuanqu.accounts import tokens
from yuanqu.accounts.models import ApiToken, Role, User

call_command("migrate", verbosity=0)
owner = User.objects.create_user("script", password="pw-12345", role=Role.ADMIN, is_superuser=True)
token, secret = tokens.token_create(actor=None, owner=owner, name="脚本")
old, old_secret = tokens.token_create(actor=None, owner=owner, name="旧脚本")
tokens.token_revoke(actor=None, token=old)
out = {}
holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
holder.execute("BEGIN IMMEDIATE")  # the write lock, as an import's transaction holds it
holder.execute("UPDATE accounts_user SET first_name = 'held'")
client = Client(raise_request_exception=False)
good = client.get("/api/v1/parks", HTTP_AUTHORIZATION=f"Bearer {secret}")
out["good"] = good.status_code
out["recorded_while_locked"] = ApiToken.objects.get(pk=token.pk).last_used_at is not None
revoked = client.get("/api/v1/parks", HTTP_AUTHORIZATION=f"Bearer {old_secret}")
out["revoked"] = [revoked.status_code, revoked.json()["detail"]]
holder.execute("ROLLBACK")
after = client.get("/api/v1/parks", HTTP_AUTHORIZATION=f"Bearer {secret}")
out["after"] = after.status_code
out["recorded_after"] = ApiToken.objects.get(pk=token.pk).last_used_at is not None
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.mark.django_db(databases=[])
def test_a_busy_sqlite_skips_the_last_use_but_answers(tmp_path):
    import os
    import subprocess
    import sys

    from tests.helpers import ROOT

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "YUANQU_VAR_DIR": str(tmp_path),
        "YUANQU_DATABASE_URL": f"sqlite:///{tmp_path / 'busy.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", BUSY_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["good"] == 200  # the read is answered; its last use is not written
    assert out["recorded_while_locked"] is False
    status, detail = out["revoked"]
    assert status == 401 and "旧脚本" in detail and "吊销" in detail
    assert out["after"] == 200 and out["recorded_after"] is True
