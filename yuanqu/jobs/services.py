"""Background work: finding tasks whose worker died, the periodic commands, the queue's state.

Tasks run through Django's Tasks API (the `django-tasks` backport) on the database backend of
`django-tasks-db` (settings.TASKS): nothing to install or start beyond `yuanqu tasks worker`.
What that backend lacks — heartbeats, recovery, a schedule — is here and in `heartbeat`.
Every task of the platform is idempotent (a second run of a finished import does nothing), so
running a task again after its worker died is always safe.
"""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yuanqu.core.modules import PeriodicCommand, periodic_commands
from yuanqu.jobs import heartbeat
from yuanqu.jobs.models import PeriodicRun, WorkerBeat
from yuanqu.jobs.signals import task_abandoned, task_requeued

logger = logging.getLogger(__name__)


class WorkerDied(Exception):
    """Recorded as the error of a task given up after its worker died too many times."""


def stale_after() -> timedelta:
    """A worker silent for this long is dead (YUANQU_TASK_STALE_SECONDS)."""
    return timedelta(seconds=float(getattr(settings, "YUANQU_TASK_STALE_SECONDS", 120)))


def max_attempts() -> int:
    return int(getattr(settings, "YUANQU_TASK_MAX_ATTEMPTS", 3))


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)


def tasks_recover(*, now: datetime | None = None) -> Recovery:
    """Put back in the queue every task 运行中 whose worker died.

    A task is its worker's while the worker that claimed it last (the last of `worker_ids`)
    beats: it is dead when that worker has not beaten for `stale_after()`, when it never beat
    and the task started longer ago than that, or when it has been beating for another task
    for longer than that since this one started (a worker restarted under the same id). Such
    a task goes back to 待执行 for the next free worker, or — claimed `max_attempts()` times
    already — is marked failed (`WorkerDied`). Each change is one conditional UPDATE on the
    claim's `started_at`, so two recoveries at once never both act on one task.
    """
    now = now or timezone.now()
    stale = stale_after()
    running = list(DBTaskResult.objects.running())
    ids = {r.worker_ids[-1] for r in running if r.worker_ids}
    beats = {b.worker_id: b for b in WorkerBeat.objects.filter(worker_id__in=ids)}
    done = Recovery()
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if _alive(beats.get(worker), result, now, stale):
            continue
        claimed = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= max_attempts():
            changed = claimed.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
                traceback=(
                    f"工作进程中断 {len(result.worker_ids)} 次（{', '.join(result.worker_ids)}），"
                    "任务已放弃。 / The worker died with this task "
                    f"{len(result.worker_ids)} times; given up."
                ),
                return_value=None,
            )
            if changed:
                done.abandoned.append(str(result.pk))
                _send(task_abandoned, result)
        else:
            changed = claimed.update(status=TaskResultStatus.READY, started_at=None)
            if changed:
                done.requeued.append(str(result.pk))
                _send(task_requeued, result)
        if changed:
            logger.warning(
                "task %s (%s) of dead worker %s %s",
                result.pk,
                result.task_path,
                worker or "?",
                "abandoned" if str(result.pk) in done.abandoned else "requeued",
            )
    return done


def _alive(
    beat: WorkerBeat | None, result: DBTaskResult[Any, Any], now: datetime, stale: timedelta
) -> bool:
    started = result.started_at or now
    if beat is None:
        return now - started <= stale
    if now - beat.beat_at > stale:
        return False
    if beat.task_id != str(result.pk) and beat.beat_at - started > stale:
        return False  # beating for another task long after this one started
    return True


def _send(signal: Any, result: DBTaskResult[Any, Any]) -> None:
    try:
        task_result = result.task_result
    except Exception:  # the task's code is gone (a module removed): nobody to tell
        logger.warning("task %s: %s cannot be loaded", result.pk, result.task_path)
        return
    for _receiver, outcome in signal.send_robust(sender=result.task_path, task_result=task_result):
        if isinstance(outcome, Exception):
            logger.error("task %s: receiver failed", result.pk, exc_info=outcome)


# -- periodic commands ------------------------------------------------------------------------


@dataclass
class PeriodicOutcome:
    name: str
    ran: bool
    ok: bool | None = None
    output: str = ""


def periodic_run_due(
    *,
    force: Sequence[str] = (),
    now: datetime | None = None,
    runner: Callable[[PeriodicCommand], tuple[bool, str]] | None = None,
) -> list[PeriodicOutcome]:
    """Run each periodic command (`ModuleSpec.periodic_commands`) whose interval has passed
    since it last started — or named in `force` — and record the outcome (`PeriodicRun`).

    What `yuanqu tasks periodic` (cron) and the worker's schedule thread both call. A command
    is claimed before it runs by one conditional UPDATE of its `started_at`, so one started by
    another worker (or by cron) in its interval is skipped here. A failing command is logged
    and recorded; the others still run.
    """
    now = now or timezone.now()
    run = runner or run_command
    outcomes: list[PeriodicOutcome] = []
    commands = periodic_commands()
    unknown = sorted(set(force) - commands.keys())
    if unknown:
        raise ValueError(
            f"未知的定时命令：{'、'.join(unknown)}；可用：{'、'.join(sorted(commands))}"
        )
    for name, command in sorted(commands.items()):
        if not _claim(command, now, forced=name in force):
            outcomes.append(PeriodicOutcome(name, ran=False))
            continue
        ok, output = run(command)
        PeriodicRun.objects.filter(name=name).update(
            finished_at=timezone.now(), ok=ok, output=output[-4000:]
        )
        if not ok:
            logger.warning("periodic command %s failed: %s", name, output[-1000:])
        outcomes.append(PeriodicOutcome(name, ran=True, ok=ok, output=output))
    return outcomes


def _claim(command: PeriodicCommand, now: datetime, *, forced: bool) -> bool:
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=command.name)
    except IntegrityError:
        pass  # created by another worker at the same moment
    due = PeriodicRun.objects.filter(name=command.name)
    if not forced:
        due = due.filter(Q(started_at__isnull=True) | Q(started_at__lte=now - command.every))
    return bool(due.update(started_at=now, finished_at=None, ok=None))


def run_command(command: PeriodicCommand) -> tuple[bool, str]:
    """Run `yuanqu <args>` in this process; (succeeded, what it printed)."""
    out = io.StringIO()
    name, *args = command.args
    try:
        call_command(name.replace("-", "_"), *args, stdout=out, stderr=out)
    except SystemExit as exc:
        return exc.code in (0, None), out.getvalue()
    except Exception:
        return False, out.getvalue() + traceback.format_exc()
    return True, out.getvalue()


# -- the queue --------------------------------------------------------------------------------


def tasks_prune(*, days: int = 14) -> tuple[int, int]:
    """Delete task results finished more than `days` ago, and the beats of workers silent
    for as long; returns (results, beats) deleted."""
    cutoff = timezone.now() - timedelta(days=days)
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    beats, _ = WorkerBeat.objects.filter(beat_at__lt=cutoff).delete()
    return results, beats


def workers_alive(*, now: datetime | None = None) -> list[WorkerBeat]:
    """Workers that beat within `stale_after()`."""
    now = now or timezone.now()
    return list(WorkerBeat.objects.filter(beat_at__gte=now - stale_after()))


def queue_counts() -> dict[str, int]:
    """Tasks per status (READY, RUNNING, FAILED, SUCCESSFUL)."""
    counts = {str(status.value): 0 for status in TaskResultStatus}
    for row in DBTaskResult.objects.values("status").order_by().annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def run_queued(*, max_tasks: int | None = None) -> int:
    """Run the queued tasks in this process, one after the other, until the queue is empty
    (or `max_tasks` ran); returns how many ran.

    For tests and `yuanqu tasks run`: the same claim and run as django-tasks-db's worker, but
    without its loop, which closes the database connection between tasks (it would roll back a
    caller's transaction), and without the heartbeat thread (a second connection would wait
    for that transaction).
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    was = heartbeat.enabled
    heartbeat.enabled = False
    ran = 0
    try:
        while max_tasks is None or ran < max_tasks:
            with exclusive_transaction():
                task = DBTaskResult.objects.ready().get_locked()
                if task is not None:
                    task.claim(worker.worker_id)
            if task is None:
                break
            worker.run_task(task)
            ran += 1
    finally:
        heartbeat.enabled = was
    return ran
