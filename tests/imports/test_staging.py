"""Nobody is locked out while a large import runs (issue 10, item 4).

The engine reads, checks and stages the whole file with no write transaction open, then writes
in one short transaction. Here a real import runs in a subprocess on a real database (a SQLite
file; a fresh PostgreSQL database), in chunks of 500 rows. At two points a second thread —
another connection — reads a page, logs in (last_login is written) and fails a login (django-
axes writes the attempt): while the rows are staged (the engine's "staging" checkpoint), and
inside the write transaction once two chunks are written. Every connection has no patience
for locks (SQLite busy timeout 0, PostgreSQL lock_timeout 2 s): a held lock shows at once as a
refused write, not as a wait.

- SQLite: while staging, everything works; inside the write transaction reads still work (WAL)
  but writes are refused — which is why that transaction is kept short.
- PostgreSQL: the import reads, checks and writes in one pass inside its transaction
  (issue 16), and everything works throughout: the write blocks neither readers nor other
  writers (MVCC; the only row the import locks is its own import record, at the end).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.economy.factories import uscc, write_xlsx
from tests.helpers import ROOT
from tests.imports.test_killed_import import _drop_postgres, _postgres_url

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(1-本月)",
    "工业总产值上年同期(1-本月)",
]

SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    import django
    from django.conf import settings
    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db["OPTIONS"]["timeout"] = 0  # before the first connection: never wait for a lock
    else:
        db["OPTIONS"] = {**db.get("OPTIONS", {}), "options": "-c lock_timeout=2000"}
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from axes.models import AccessAttempt
    from django.db import connection, connections
    from django.test import Client
    from yuanqu.accounts.models import Role, User
    from yuanqu.economy.importers import EnterpriseReportImporter
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.imports import engine
    from yuanqu.registry.models import Park

    park = Park.objects.create(code="ST", name="暂存测试园区")
    for name in ("staging", "writing"):
        User.objects.create_superuser(name, "", "pw-" + name + "-1", role=Role.ADMIN)
    EnterpriseReportImporter.chunk_size = 500

    def probe(username):
        # Another connection: a page, a login, a failed login — as another user would.
        seen = {"importer_in_transaction": connection.in_atomic_block}

        def work():
            try:
                client = Client(raise_request_exception=False)
                login = client.post(
                    "/accounts/login/", {"username": username, "password": "pw-" + username + "-1"}
                )
                seen["login"] = [login.status_code, login.get("Location")]
                seen["last_login_written"] = (
                    User.objects.get(username=username).last_login is not None
                )
                seen["page"] = client.get("/imports/").status_code
                wrong = Client(raise_request_exception=False).post(
                    "/accounts/login/", {"username": username, "password": "wrong"}
                )
                seen["failed_login"] = wrong.status_code
                seen["attempts_written"] = AccessAttempt.objects.filter(username=username).count()
                seen["reports_visible"] = EnterpriseReport.objects.count()
            except Exception as exc:
                seen["error"] = repr(exc)
            finally:
                connections.close_all()

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()  # the import waits here: the barrier
        return seen

    out = {}

    def at_staging(record):
        if "staging" not in out:
            out["staging"] = probe("staging")

    engine.CHECKPOINTS["staging"].append(at_staging)
    real = EnterpriseReportImporter.feed
    written = []

    def feed(self, rows, preview, *, write):
        real(self, rows, preview, write=write)
        if write:
            written.append(len(rows))
            if len(written) == 2:  # inside the write transaction, 1,000 rows written
                out["writing"] = probe("writing")

    EnterpriseReportImporter.feed = feed
    preview = engine.run_import(sys.argv[1], kind="enterprise-reports", park=park)
    out["committed"] = preview.committed
    out["reports"] = EnterpriseReport.objects.count()
    print(json.dumps(out))
    """
)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_others_read_and_log_in_while_a_large_import_is_staged(backend, tmp_path):
    url = f"sqlite:///{tmp_path / 'staging.sqlite3'}" if backend == "sqlite" else _postgres_url()
    rows = [[uscc(i), f"企业{i}", "2022-05", 100 + i, 90] for i in range(1, 3001)]
    path = write_xlsx(tmp_path / "大文件.xlsx", HEADERS, rows, unit_line="单位：千元")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "YUANQU_VAR_DIR": str(tmp_path),
        "YUANQU_DATABASE_URL": url,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        if backend == "postgres":
            _drop_postgres(url)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["committed"] is True and out["reports"] == 3000

    everything_works = {
        "login": [302, "/"],
        "last_login_written": True,
        "page": 200,
        "failed_login": 200,  # the form again, with its error
        "attempts_written": 1,
        "reports_visible": 0,  # nothing committed yet
    }
    # While 3,000 rows are read, checked and staged: nobody is kept out. On SQLite with no
    # transaction open; PostgreSQL writes each chunk as it is checked, inside the import's
    # one transaction (engine._import_in_one_pass), which MVCC keeps from blocking anyone.
    assert out["staging"] == {
        "importer_in_transaction": backend == "postgres",
        **everything_works,
    }
    if backend == "postgres":
        # Inside the write transaction: readers and other writers go on.
        assert out["writing"] == {"importer_in_transaction": True, **everything_works}
    else:
        # Inside the write transaction SQLite refuses every other writer: the login goes
        # through without its bookkeeping, a failed login is a 503 (try again) — for the
        # seconds of the write, no longer the minutes of the whole import.
        assert out["writing"] == {
            "importer_in_transaction": True,
            **everything_works,
            "last_login_written": False,
            "failed_login": 503,
            "attempts_written": 0,
        }
