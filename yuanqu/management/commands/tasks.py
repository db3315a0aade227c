from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "后台任务：worker 运行任务进程；recover 找回已中断的任务；periodic 运行到期的定时命令；status 查看状态"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        worker = sub.add_parser("worker", help="运行后台任务进程（心跳、定时命令），直到 Ctrl+C")
        worker.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）"
        )
        worker.add_argument("--no-periodic", action="store_true", help="不运行定时命令")
        worker.add_argument("--worker-id", default="", help="进程标识（默认随机）")
        sub.add_parser("run", help="在本进程内运行队列中的全部任务，然后退出")
        sub.add_parser("recover", help="把工作进程已中断（心跳超时）的任务重新排队")
        periodic = sub.add_parser("periodic", help="运行到期的定时命令（供 cron 每几分钟调用）")
        periodic.add_argument(
            "--force", nargs="*", default=[], help="立即运行这些命令，不论是否到期"
        )
        periodic.add_argument("--list", action="store_true", help="只列出定时命令")
        prune = sub.add_parser("prune", help="清理已完成的旧任务记录")
        prune.add_argument("--days", type=int, default=14)
        sub.add_parser("status", help="工作进程、队列和定时命令的状态")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        getattr(self, f"do_{action}")(**opts)

    def do_worker(self, *, interval: float, no_periodic: bool, worker_id: str, **_: Any) -> None:
        from yuanqu.jobs.worker import run_worker

        run_worker(interval=interval, periodic=not no_periodic, worker_id=worker_id)

    def do_run(self, **_: Any) -> None:
        from yuanqu.jobs.services import run_queued

        self.stdout.write(f"已运行 {run_queued()} 个任务")

    def do_recover(self, **_: Any) -> None:
        from yuanqu.jobs.services import tasks_recover

        done = tasks_recover()
        for pk in done.requeued:
            self.stdout.write(f"已重新排队：{pk}")
        for pk in done.abandoned:
            self.stdout.write(f"已放弃（多次中断）：{pk}")
        if not (done.requeued or done.abandoned):
            self.stdout.write("没有中断的任务")

    def do_periodic(self, *, force: list[str], list: bool, **_: Any) -> None:
        from yuanqu.core.modules import periodic_commands
        from yuanqu.jobs.services import periodic_run_due

        if list:
            for name, c in sorted(periodic_commands().items()):
                self.stdout.write(
                    f"{name:<16} 每 {_every(c.every)}  yuanqu {' '.join(c.args)}  {c.label}"
                )
            return
        try:
            outcomes = periodic_run_due(force=force)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        failed = []
        for o in outcomes:
            if not o.ran:
                self.stdout.write(f"{o.name:<16} 未到期")
                continue
            self.stdout.write(f"{o.name:<16} {'完成' if o.ok else '失败'}")
            if not o.ok:
                failed.append(o.name)
                self.stderr.write(o.output[-2000:])
        if failed:
            raise CommandError(f"定时命令失败：{'、'.join(failed)}")

    def do_prune(self, *, days: int, **_: Any) -> None:
        from yuanqu.jobs.services import tasks_prune

        results, beats = tasks_prune(days=days)
        self.stdout.write(f"已删除 {results} 条任务记录、{beats} 条工作进程心跳（{days} 天前）")

    def do_status(self, **_: Any) -> None:
        from yuanqu.core.modules import periodic_commands
        from yuanqu.jobs.models import PeriodicRun, WorkerBeat
        from yuanqu.jobs.services import queue_counts, stale_after

        now = timezone.now()
        self.stdout.write("工作进程：")
        beats = list(WorkerBeat.objects.all()[:20])
        if not beats:
            self.stdout.write("  （无）后台任务进程未运行：请启动 yuanqu tasks worker")
        for b in beats:
            age = (now - b.beat_at).total_seconds()
            state = "运行中" if now - b.beat_at <= stale_after() else "已停止"
            task = f"，任务 {b.task_id}" if b.task_id else ""
            self.stdout.write(
                f"  {b.worker_id[:12]} {b.host}:{b.pid} {state}（{age:.0f} 秒前心跳{task}）"
            )
        counts = queue_counts()
        labels = {"READY": "待执行", "RUNNING": "运行中", "FAILED": "失败", "SUCCESSFUL": "已完成"}
        self.stdout.write(
            "任务：" + "，".join(f"{labels.get(k, k)} {v}" for k, v in counts.items())
        )
        self.stdout.write("定时命令：")
        runs = {r.name: r for r in PeriodicRun.objects.all()}
        for name, c in sorted(periodic_commands().items()):
            r = runs.get(name)
            if r is None or r.started_at is None:
                last = "从未运行"
            else:
                outcome = {True: "成功", False: "失败", None: "运行中"}[r.ok]
                last = f"{timezone.localtime(r.started_at):%Y-%m-%d %H:%M} {outcome}"
            self.stdout.write(f"  {name:<16} 每 {_every(c.every)}  上次：{last}")


def _every(delta: Any) -> str:
    seconds = int(delta.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400} 天"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} 小时"
    if seconds % 60 == 0:
        return f"{seconds // 60} 分钟"
    return f"{seconds} 秒"
