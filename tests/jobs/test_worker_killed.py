"""A worker killed in the middle of a background import: another worker finds the task (the
dead worker's heartbeat stops), runs it again, and the import ends up committed exactly once.

Real processes on a real database — a SQLite file, and a fresh PostgreSQL database on
127.0.0.1:5432: a web upload's import is queued (`web_import_start`); the first worker is
django-tasks-db's own `db_worker`, made to stop inside the import's write transaction after two
chunks were written (chunks of 500 rows), where the test kills it with SIGKILL; the second is
`yuanqu tasks worker`, whose schedule runs `tasks recover` every second. Heartbeats every 0.3 s,
a worker silent for 3 s is dead. Nothing is timed: the test waits for each state with a
generous deadline.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.economy.factories import uscc, write_xlsx
from tests.helpers import ROOT
from tests.imports.test_killed_import import _drop_postgres, _postgres_url

ROWS = 2000
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(1-本月)",
    "工业总产值上年同期(1-本月)",
]

PRELUDE = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    """
)

SETUP = PRELUDE + textwrap.dedent(
    """
    from pathlib import Path
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from yuanqu.accounts.models import User
    from yuanqu.imports.services import web_import_start
    from yuanqu.registry.models import Park
    park = Park.objects.create(code="KW", name="中断测试园区")
    user = User.objects.create_superuser("op", password="pw-op-12345")
    record = web_import_start(user=user, path=Path(sys.argv[1]), kind="enterprise-reports",
                              park=park, period=None, mode="replace", dry_run=False)
    print(record.pk)
    """
)

# django-tasks-db's own worker, stopping inside the write transaction once two chunks are
# written: it writes its pid to the marker file and waits to be killed.
FIRST_WORKER = PRELUDE + textwrap.dedent(
    """
    import time
    from pathlib import Path
    from yuanqu.economy.importers import EnterpriseReportImporter
    EnterpriseReportImporter.chunk_size = 500
    real = EnterpriseReportImporter.feed
    written = []

    def feed(self, rows, preview, *, write):
        real(self, rows, preview, write=write)
        if write:
            written.append(len(rows))
            if len(written) == 2:
                Path(sys.argv[1]).write_text(str(os.getpid()))
                time.sleep(3600)

    EnterpriseReportImporter.feed = feed
    from yuanqu.cli import main
    main(["yuanqu", "db_worker", "--worker-id", "first", "--interval", "0.2",
          "--no-reload", "--no-startup-delay"])
    """
)

STATE = PRELUDE + textwrap.dedent(
    """
    import json
    from django_tasks_db.models import DBTaskResult
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.imports.models import DataSliceEvent, ImportRecord
    from yuanqu.registry.models import Enterprise
    reports = sorted(
        [c, y, m, format(v.normalize(), "f")]
        for c, y, m, v in EnterpriseReport.objects.values_list(
            "enterprise__credit_code", "year", "month", "output_ytd"))
    print(json.dumps({
        "reports": reports,
        "enterprises": Enterprise.objects.count(),
        "records": list(ImportRecord.objects.values("pk", "status", "dry_run", "counts")),
        "tasks": [[t.status, t.worker_ids, t.return_value] for t in DBTaskResult.objects.all()],
        "slice_events": list(DataSliceEvent.objects.values_list("action", flat=True)),
    }))
    """
)


def _env(url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "YUANQU_DATABASE_URL": url,
        "YUANQU_VAR_DIR": str(tmp_path),
        "YUANQU_TASK_HEARTBEAT_SECONDS": "0.3",
        "YUANQU_TASK_STALE_SECONDS": "3",
        "YUANQU_PERIODIC_CHECK_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }


def _run(env: dict[str, str], code: str, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()[-1]


def _status(url: str, record_id: int) -> str:
    """The record's status, read straight from the database (no Django start-up per poll)."""
    sql = "SELECT status FROM imports_importrecord WHERE id = %s"
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        try:
            return con.execute(sql.replace("%s", "?"), (record_id,)).fetchone()[0]
        finally:
            con.close()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as con:
        return con.execute(sql, (record_id,)).fetchone()[0]


def _wait(condition, what: str, process: subprocess.Popen | None = None, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker exited ({process.returncode}) before {what}")
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_killed_worker_s_import_is_finished_once_by_another(backend, tmp_path):
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}" if backend == "sqlite" else _postgres_url()
    env = _env(url, tmp_path)
    rows = [[uscc(i), f"企业{i}", "2022-05", 100 + i, 90] for i in range(1, ROWS + 1)]
    path = write_xlsx(tmp_path / "大文件.xlsx", HEADERS, rows, unit_line="单位：千元")
    first = second = None
    try:
        record_id = int(_run(env, SETUP, str(path)))
        assert _status(url, record_id) == "running"

        marker = tmp_path / "paused"
        first = subprocess.Popen(
            [sys.executable, "-c", FIRST_WORKER, str(marker)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait(marker.exists, "the first worker to write two chunks", first)
        # Inside the write transaction: 1,000 rows written, none committed.
        state = json.loads(_run(env, STATE))
        assert state["reports"] == [] and state["enterprises"] == 0
        assert state["tasks"] == [["RUNNING", ["first"], None]]
        os.kill(int(marker.read_text()), signal.SIGKILL)
        first.wait(60)
        assert first.returncode == -signal.SIGKILL
        assert _status(url, record_id) == "running"

        second = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from yuanqu.cli import main; main(sys.argv)",
                "tasks",
                "worker",
                "--worker-id",
                "second",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait(lambda: _status(url, record_id) != "running", "the import to finish", second)
        _stop(second)

        state = json.loads(_run(env, STATE))
        assert state["records"] == [
            {
                "pk": record_id,
                "status": "committed",
                "dry_run": False,
                "counts": {
                    "rows": ROWS,
                    "new": ROWS,
                    "changed": 0,
                    "unchanged": 0,
                    "deleted": 0,
                    "errors": 0,
                    "warnings": state["records"][0]["counts"]["warnings"],
                },
            }
        ]
        # Exactly the file's rows, each once; each new enterprise created once.
        assert state["reports"] == sorted(
            [uscc(i), 2022, 5, str(100 + i)] for i in range(1, ROWS + 1)
        )
        assert state["enterprises"] == ROWS
        assert len(state["slice_events"]) == 1, state["slice_events"]  # the slice changed once
        [[status, workers, value]] = state["tasks"]
        assert status == "SUCCESSFUL" and workers == ["first", "second"]
        assert value == {"record": record_id, "status": "committed", "committed": True}
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(30)
        if backend == "postgres":
            _drop_postgres(url)
