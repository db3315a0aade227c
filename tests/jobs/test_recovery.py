"""`yuanqu tasks recover`: tasks whose worker stopped beating go back to the queue (or, after
too many deaths, are given up), and an import's record follows (排队中 again, or failed)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yuanqu.imports.models import ImportRecord, ProgressStage
from yuanqu.jobs import heartbeat
from yuanqu.jobs.models import WorkerBeat
from yuanqu.jobs.services import tasks_recover
from yuanqu.jobs.signals import task_requeued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stale(settings):
    settings.YUANQU_TASK_STALE_SECONDS = 120
    settings.YUANQU_TASK_MAX_ATTEMPTS = 3


def running_task(*, workers=("w1",), started_ago=timedelta(minutes=5), record=None):
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        args_kwargs={"args": [], "kwargs": {"record_id": record.pk if record else 0}},
        task_path="yuanqu.imports.tasks.import_upload",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - timedelta(hours=1),
        status="RUNNING",
        started_at=timezone.now() - started_ago,
        worker_ids=list(workers),
    )


def beat(worker_id, ago, task=None):
    now = timezone.now()
    return WorkerBeat.objects.create(
        worker_id=worker_id,
        started_at=now - timedelta(hours=1),
        beat_at=now - ago,
        task_id=str(task.pk) if task else "",
    )


def test_a_task_of_a_silent_worker_goes_back_to_the_queue_the_others_stay():
    dead = running_task(workers=("w-dead",))
    beat("w-dead", timedelta(minutes=3), dead)
    alive = running_task(workers=("w-alive",))
    beat("w-alive", timedelta(seconds=5), alive)
    just_claimed = running_task(workers=("w-new",), started_ago=timedelta(seconds=30))
    never_beat = running_task(workers=("w-mute",), started_ago=timedelta(minutes=3))
    moved_on = running_task(workers=("w-restarted",), started_ago=timedelta(minutes=10))
    beat("w-restarted", timedelta(seconds=1))  # beating, but not for this task, for long

    done = tasks_recover()
    assert sorted(done.requeued) == sorted(str(t.pk) for t in (dead, never_beat, moved_on))
    assert done.abandoned == []
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[never_beat.pk] == statuses[moved_on.pk] == "READY"
    assert statuses[alive.pk] == statuses[just_claimed.pk] == "RUNNING"
    assert DBTaskResult.objects.get(pk=dead.pk).started_at is None
    assert tasks_recover().requeued == []  # nothing left to do: idempotent


def test_requeued_and_abandoned_imports_update_their_record(demo_registry):
    from yuanqu.imports import tasks  # noqa: F401  (its receivers)

    record = ImportRecord.objects.create(
        kind="enterprise-reports",
        file_name="f.xlsx",
        status=ImportRecord.Status.RUNNING,
        progress_stage=ProgressStage.READING,
        attempt="a1",
    )
    first = running_task(workers=("w1",), record=record)
    seen = []
    task_requeued.connect(lambda sender, **kw: seen.append(sender), weak=False, dispatch_uid="t")
    try:
        tasks_recover()
    finally:
        task_requeued.disconnect(dispatch_uid="t")
    assert seen == ["yuanqu.imports.tasks.import_upload"]
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.RUNNING
    assert record.progress_stage == ProgressStage.QUEUED

    # Its third worker dies too: given up, and the record fails with a message.
    DBTaskResult.objects.filter(pk=first.pk).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=5),
        worker_ids=["w1", "w2", "w3"],
    )
    done = tasks_recover()
    assert done.abandoned == [str(first.pk)]
    task = DBTaskResult.objects.get(pk=first.pk)
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerDied")
    assert "中断 3 次" in task.traceback
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.FAILED
    assert "多次中断" in record.issues[0]["message"] and record.counts["errors"] == 1


def test_recover_command_says_what_it_did():
    from io import StringIO

    out = StringIO()
    call_command("tasks", "recover", stdout=out)
    assert out.getvalue().strip() == "没有中断的任务"
    dead = running_task(workers=("w9",))
    out = StringIO()
    call_command("tasks", "recover", stdout=out)
    assert out.getvalue().strip() == f"已重新排队：{dead.pk}"


def test_heartbeat_writes_the_worker_and_its_task(settings):
    from django_tasks_db import DatabaseBackend

    settings.YUANQU_TASK_HEARTBEAT_SECONDS = 0  # no thread: beats only when asked
    task = running_task(workers=("w-beat",), started_ago=timedelta(0))
    result = task.task_result
    heartbeat._task_started(DatabaseBackend, task_result=result)
    row = WorkerBeat.objects.get(pk="w-beat")
    assert row.task_id == str(task.pk) and row.pid > 0 and row.host
    first = row.beat_at
    heartbeat._task_finished(DatabaseBackend, task_result=result)
    row.refresh_from_db()
    assert row.task_id == "" and row.beat_at >= first
    # Another backend (the immediate one runs tasks inside requests) has no worker to beat.
    from django_tasks.backends.immediate import ImmediateBackend

    WorkerBeat.objects.all().delete()
    heartbeat._task_started(ImmediateBackend, task_result=result)
    assert not WorkerBeat.objects.exists()
    heartbeat.stop_all()
