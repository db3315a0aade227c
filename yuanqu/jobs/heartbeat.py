"""Heartbeats of the task workers.

django-tasks-db marks a task 运行中 when a worker claims it and never looks at it again: a
worker killed in the middle (out of memory, a reboot, SIGKILL) leaves the task 运行中 forever.
So every worker process beats: a daemon thread writes its `WorkerBeat` row every
YUANQU_TASK_HEARTBEAT_SECONDS, with the task it runs. `yuanqu tasks recover` finds tasks whose
worker stopped beating and puts them back in the queue (`yuanqu.jobs.services.tasks_recover`).

`yuanqu tasks worker` starts the beat when it starts. A plain `db_worker` (django-tasks-db's
own command) gets it too: the `task_started` signal starts the thread the first time the
process runs a task, so any worker of the database backend is covered. Beats are written in
short transactions of their own, on the thread's own connection; on SQLite a beat may wait
for another process's write transaction, which the import engine keeps to seconds.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

# Switched off by code that runs tasks inside another process's transaction (the tests'
# in-process worker, `yuanqu.jobs.services.run_queued`): a second connection would wait for it.
enabled = True

_beats: dict[str, Heartbeat] = {}
_beats_lock = threading.Lock()


def interval() -> float:
    return float(getattr(settings, "YUANQU_TASK_HEARTBEAT_SECONDS", 10))


class Heartbeat:
    """The beat of one worker (by its worker id) in this process."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.task_id = ""
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Heartbeat:
        if self._thread is None and interval() > 0:
            self._thread = threading.Thread(
                target=self._run, name=f"yuanqu-heartbeat-{self.worker_id[:8]}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(interval() + 5)

    def _run(self) -> None:
        while True:
            self.beat()
            connection.close()  # a fresh connection per beat: nothing idles for hours
            if self._stop.wait(interval()):
                break

    def beat(self) -> None:
        """Write the beat now (on the calling thread's connection); never raises."""
        now = timezone.now()
        fields: dict[str, Any] = {"beat_at": now, "task_id": self.task_id}
        try:
            if not type(self)._model().objects.filter(pk=self.worker_id).update(**fields):
                type(self)._model().objects.create(
                    worker_id=self.worker_id,
                    host=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=self.started_at,
                    **fields,
                )
        except IntegrityError:
            pass  # created by another thread of the same worker meanwhile: beats next time
        except DatabaseError:
            # Busy (SQLite write lock held too long) or the database is away: the next beat
            # tries again; recovery waits YUANQU_TASK_STALE_SECONDS before calling it dead.
            logger.warning("heartbeat of worker %s not written", self.worker_id, exc_info=True)

    @staticmethod
    def _model() -> Any:
        from yuanqu.jobs.models import WorkerBeat

        return WorkerBeat


def heartbeat_for(worker_id: str) -> Heartbeat:
    """This process's heartbeat of `worker_id`, its thread started."""
    with _beats_lock:
        beat = _beats.get(worker_id)
        if beat is None:
            beat = _beats[worker_id] = Heartbeat(worker_id)
    return beat.start()


def stop_all() -> None:
    with _beats_lock:
        beats = list(_beats.values())
        _beats.clear()
    for beat in beats:
        beat.stop()


def _database_backend(sender: Any) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(sender, type) and issubclass(sender, DatabaseBackend)


def _task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not enabled or not _database_backend(sender) or not task_result.worker_ids:
        return
    beat = heartbeat_for(task_result.worker_ids[-1])
    beat.task_id = str(task_result.id)
    beat.beat()  # at once: the task is known to be alive before its first periodic beat


def _task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not enabled or not _database_backend(sender) or not task_result.worker_ids:
        return
    beat = _beats.get(task_result.worker_ids[-1])
    if beat is not None:
        beat.task_id = ""
        beat.beat()


def connect() -> None:
    from django_tasks.signals import task_finished, task_started

    task_started.connect(_task_started, dispatch_uid="yuanqu.jobs.heartbeat.started")
    task_finished.connect(_task_finished, dispatch_uid="yuanqu.jobs.heartbeat.finished")
