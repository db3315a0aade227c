"""Under a long import on SQLite, other requests wait or get a friendly 503 — never a 500 —
and logging in works (issue 9, item 11).

The lock is real: a subprocess works on a SQLite *file* (the test database is in memory,
where locking differs), holds the write lock from a second connection with ``BEGIN
IMMEDIATE`` — what an import's transaction does — and requests pages through Django's test
client in the same process, with the busy timeout lowered to one second to keep it quick.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from tests.helpers import ROOT
from yuanqu.core.middleware import BUSY_MESSAGE, DatabaseBusyMiddleware, is_database_busy

SCRIPT = r"""
import json, sqlite3, sys
import django
from django.conf import settings
django.setup()
settings.DATABASES["default"]["OPTIONS"]["timeout"] = 1  # before the first connection
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from yuanqu.accounts.models import Role, User

call_command("migrate", verbosity=0)
User.objects.create_superuser("busy", "", "pw-12345", role=Role.ADMIN)
out = {}
holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
holder.execute("BEGIN IMMEDIATE")  # the write lock, as an import's transaction holds it
holder.execute("UPDATE accounts_user SET first_name = 'held'")
client = Client(raise_request_exception=False)
login = client.post("/accounts/login/", {"username": "busy", "password": "pw-12345"})
out["login"] = [login.status_code, login.get("Location")]
out["last_login_while_locked"] = User.objects.get(username="busy").last_login is not None
home = client.get("/")
out["home"] = home.status_code
upload = client.post(
    "/imports/upload/",
    {"file": SimpleUploadedFile("a.csv", "园区代码,园区名称\nX,甲\n".encode()), "kind": "parks"},
)
out["upload"] = [upload.status_code, upload.get("Retry-After"), upload.content.decode()]
holder.execute("ROLLBACK")
again = Client().post("/accounts/login/", {"username": "busy", "password": "pw-12345"})
out["login_after"] = again.status_code
out["last_login_after"] = User.objects.get(username="busy").last_login is not None
print(json.dumps(out, ensure_ascii=False))
"""


def test_login_works_and_a_write_gets_503_while_the_lock_is_held(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "YUANQU_VAR_DIR": str(tmp_path),
        "YUANQU_DATABASE_URL": f"sqlite:///{tmp_path / 'busy.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # Logged in (302 to the home page) although last_login could not be written.
    assert out["login"] == [302, "/"]
    assert out["last_login_while_locked"] is False
    assert out["home"] == 200  # reads go on (WAL)
    status, retry_after, body = out["upload"]
    assert (status, retry_after) == (503, "10")
    assert BUSY_MESSAGE in body
    # Once the lock is released, logging in records last_login again.
    assert out["login_after"] == 302 and out["last_login_after"] is True


def _raise_locked(request):
    raise OperationalError("database is locked")


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        (
            "/api/v1/economy/reports",
            "application/json",
            '{"detail": "系统正在写入数据，请稍后重试"}',
        ),
        ("/economy/", "text/html; charset=utf-8", "<h1>系统正在写入数据，请稍后重试</h1>"),
    ],
)
def test_the_middleware_answers_503_json_for_the_api_and_a_page_otherwise(path, content_type, body):
    middleware = DatabaseBusyMiddleware(_raise_locked)
    request = RequestFactory().get(path)
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response is not None and response.status_code == 503
    assert response["Content-Type"] == content_type and response["Retry-After"] == "10"
    assert body in response.content.decode()


def test_other_operational_errors_are_left_alone() -> None:
    assert not is_database_busy(OperationalError("no such table: x"))
    assert is_database_busy(OperationalError("database table is locked"))
    middleware = DatabaseBusyMiddleware(_raise_locked)
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, OperationalError("no such table: x")) is None


def test_a_nul_character_in_a_parameter_is_a_400_in_chinese(client) -> None:
    """PostgreSQL text cannot hold NUL: without this, ?park=%00 was a DataError (500) there."""
    response = client.get("/api/v1/parks?q=%00")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求参数中含有空字符（%00），无法处理：请检查链接"}
    assert client.get("/economy/?park=a%00b").status_code == 400
