"""The worker process: django-tasks-db's `db_worker` loop, plus a heartbeat and a schedule.

`yuanqu tasks worker` runs the tasks of the queue one after the other (several workers may run
side by side, on one machine or several sharing the database). Beside the loop, two daemon
threads: the heartbeat (`yuanqu.jobs.heartbeat`) and the schedule, which runs the periodic
commands that are due (`yuanqu.jobs.services.periodic_run_due`) every
YUANQU_PERIODIC_CHECK_SECONDS — at start first, so a worker started after a crash puts the
tasks of the dead worker back in the queue at once. `make demo` starts one beside the web
server (`spawn_worker`).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from typing import IO

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils.crypto import get_random_string

from yuanqu.jobs import heartbeat

logger = logging.getLogger(__name__)


def schedule_interval() -> float:
    return float(getattr(settings, "YUANQU_PERIODIC_CHECK_SECONDS", 60))


class Schedule:
    """A daemon thread running the due periodic commands every `schedule_interval()`."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="yuanqu-schedule", daemon=True)

    def start(self) -> Schedule:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        from yuanqu.jobs.services import periodic_run_due

        while not self._stop.is_set():
            try:
                periodic_run_due()
            except Exception:
                logger.exception("periodic commands failed")
            finally:
                connection.close()
            if self._stop.wait(schedule_interval()):
                break


def run_worker(*, interval: float = 1.0, periodic: bool = True, worker_id: str = "") -> None:
    """Run the worker until SIGTERM / SIGINT (the task in hand is finished first)."""
    worker_id = worker_id or get_random_string(32)
    beat = heartbeat.heartbeat_for(worker_id)
    schedule = Schedule().start() if periodic else None
    try:
        call_command(
            "db_worker",
            "--queue-name",
            "*",
            "--worker-id",
            worker_id,
            "--interval",
            str(interval),
            "--no-reload",
            "--no-startup-delay",
        )
    finally:
        if schedule is not None:
            schedule.stop()
        beat.stop()


def spawn_worker(*, stdout: IO[str] | None = None) -> subprocess.Popen[bytes]:
    """Start `yuanqu tasks worker` as a child process (the demo's worker), in a session of its
    own: Ctrl+C in the terminal reaches the web server only, which then stops the worker
    (`stop_worker`) once."""
    process = subprocess.Popen(
        [sys.executable, "-m", "yuanqu.cli", "tasks", "worker"],
        start_new_session=True,
        env=os.environ.copy(),
    )
    if stdout is not None:
        stdout.write(f"后台任务进程：已启动（yuanqu tasks worker，进程号 {process.pid}）")
        stdout.flush()
    return process


def stop_worker(process: subprocess.Popen[bytes], *, grace: float = 15.0) -> None:
    """SIGTERM (the worker finishes the task in hand), then SIGKILL after `grace` seconds; a
    task killed that way is found and run again by the next worker (`tasks recover`)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
