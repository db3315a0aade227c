"""`make demo` runs a worker beside the web server: `yuanqu demo` serves with a worker child
process, which beats, runs the periodic commands when it starts, and stops with the server."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from io import StringIO

import pytest

from tests.helpers import ROOT


def _rows(db, sql):
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []  # not migrated yet
    finally:
        con.close()


def test_the_demo_worker_beats_runs_the_periodic_commands_and_stops(tmp_path, monkeypatch):
    from yuanqu.jobs.worker import spawn_worker, stop_worker

    db = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("YUANQU_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("YUANQU_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("YUANQU_TASK_HEARTBEAT_SECONDS", "0.3")
    migrate = subprocess.run(
        [sys.executable, "-m", "yuanqu.cli", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    out = StringIO()
    worker = spawn_worker(stdout=out)
    try:
        assert f"进程号 {worker.pid}" in out.getvalue()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            beats = _rows(db, "SELECT pid FROM jobs_workerbeat")
            runs = dict(_rows(db, "SELECT name, ok FROM jobs_periodicrun"))
            if beats and runs.get("tasks-recover") == 1:
                break
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.2)
        else:
            pytest.fail("the worker never beat or never ran its periodic commands")
        assert beats == [(worker.pid,)]
    finally:
        stop_worker(worker, grace=60)
    assert worker.returncode == 0  # stopped cleanly by SIGTERM


@pytest.mark.django_db
def test_demo_serves_with_a_worker_unless_asked_not_to(monkeypatch):
    from django.core.management import call_command

    from yuanqu.management.commands import demo

    calls = []
    monkeypatch.setattr(demo, "load_demo", lambda log: False)
    monkeypatch.setattr(
        "yuanqu.management.commands.serve.serve", lambda **kw: calls.append(kw["with_worker"])
    )
    monkeypatch.setattr(demo, "call_command", lambda *a, **kw: None)  # no migrate
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    call_command("demo", "--no-worker", stdout=StringIO(), stderr=StringIO())
    assert calls == [True, False]
