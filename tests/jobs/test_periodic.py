"""Periodic commands: declared by modules (`ModuleSpec.periodic_commands`), run when due by the
worker's schedule or cron's `yuanqu tasks periodic`, never twice within their interval."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from yuanqu.core.modules import PeriodicCommand, periodic_commands
from yuanqu.jobs.models import PeriodicRun
from yuanqu.jobs.services import periodic_run_due

pytestmark = pytest.mark.django_db


def test_the_platform_declares_recovery_and_its_checks():
    commands = periodic_commands()
    assert commands["tasks-recover"].args == ("tasks", "recover")
    assert commands["tasks-recover"].every == timedelta(minutes=1)
    assert commands["tasks-prune"].every == timedelta(days=1)
    assert commands["check-data"].args == ("check-data",)
    assert commands["report-files"].args == ("report-files", "--days", "7")  # reports module


def test_due_commands_run_once_per_interval_and_failures_are_recorded():
    ran: list[str] = []

    def runner(command: PeriodicCommand) -> tuple[bool, str]:
        ran.append(command.name)
        return command.name != "check-data", f"{command.name} output"

    now = timezone.now()
    outcomes = {o.name: o for o in periodic_run_due(now=now, runner=runner)}
    assert sorted(ran) == [
        "check-data",
        "report-files",
        "supervise",
        "tasks-prune",
        "tasks-recover",
    ]
    assert outcomes["check-data"].ok is False and outcomes["tasks-recover"].ok is True
    run = PeriodicRun.objects.get(name="check-data")
    assert run.ok is False and run.output == "check-data output" and run.finished_at

    # Thirty seconds later nothing is due; after a minute and a half only the recovery.
    ran.clear()
    periodic_run_due(now=now + timedelta(seconds=30), runner=runner)
    assert ran == []
    periodic_run_due(now=now + timedelta(seconds=90), runner=runner)
    assert ran == ["tasks-recover"]
    # Forced: run whatever the schedule says.
    ran.clear()
    periodic_run_due(now=now + timedelta(seconds=91), runner=runner, force=["tasks-prune"])
    assert ran == ["tasks-prune"]
    with pytest.raises(ValueError, match="未知的定时命令：nope"):
        periodic_run_due(force=["nope"], runner=runner)


def test_periodic_command_runs_the_real_commands_and_lists_them():
    out = StringIO()
    call_command("tasks", "periodic", "--force", "tasks-recover", stdout=out)
    text = out.getvalue()
    assert "tasks-recover    完成" in text
    assert PeriodicRun.objects.get(name="tasks-recover").output.strip() == "没有中断的任务"
    out = StringIO()
    call_command("tasks", "periodic", "--list", stdout=out)
    assert "tasks-recover    每 1 分钟  yuanqu tasks recover" in out.getvalue()
    with pytest.raises(CommandError, match="未知的定时命令"):
        call_command("tasks", "periodic", "--force", "nope", stdout=StringIO())


def test_status_shows_workers_queue_and_schedule():
    from yuanqu.jobs.models import WorkerBeat

    out = StringIO()
    call_command("tasks", "status", stdout=out)
    text = out.getvalue()
    assert "后台任务进程未运行" in text and "待执行 0" in text and "从未运行" in text
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="abc", host="h", pid=7, started_at=now, beat_at=now)
    out = StringIO()
    call_command("tasks", "status", stdout=out)
    assert "abc h:7 运行中" in out.getvalue()
