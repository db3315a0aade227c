"""What the task queue (django-tasks-db's `DBTaskResult`) does not keep: which workers are
alive, and when each periodic command last ran."""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """A worker process's heartbeat: written every YUANQU_TASK_HEARTBEAT_SECONDS by a thread of
    the worker (`yuanqu.jobs.heartbeat`). A task still 运行中 whose worker stopped beating
    longer than YUANQU_TASK_STALE_SECONDS ago was running on a worker that died: `yuanqu tasks
    recover` puts it back in the queue."""

    worker_id = models.CharField("工作进程", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)
    started_at = models.DateTimeField("启动时间")
    beat_at = models.DateTimeField("最近心跳", db_index=True)
    # The task it runs now ("" between tasks).
    task_id = models.CharField("当前任务", max_length=64, blank=True)

    class Meta:
        verbose_name = "工作进程心跳"
        verbose_name_plural = "工作进程心跳"
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.host}:{self.pid}"


class PeriodicRun(models.Model):
    """The last run of one periodic command (`yuanqu.core.modules.PeriodicCommand`). Claimed by
    one conditional UPDATE of `started_at`, so two workers, or a worker and cron, never start
    the same command twice within its interval."""

    name = models.CharField("命令", max_length=64, primary_key=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    ok = models.BooleanField("成功", null=True)
    output = models.TextField("输出（末尾）", blank=True)

    class Meta:
        verbose_name = "定时命令"
        verbose_name_plural = "定时命令"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
