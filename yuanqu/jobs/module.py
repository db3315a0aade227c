"""后台任务: the module's declaration (yuanqu.core.modules) — the periodic commands the worker
runs (and cron, in a deployment). Other modules add theirs in their own `module.py`."""

from datetime import timedelta

from yuanqu.core.modules import ModuleSpec, PeriodicCommand

MODULE = ModuleSpec(
    key="jobs",
    label="后台任务",
    periodic_commands=(
        PeriodicCommand(
            "tasks-recover",
            "找回工作进程已中断的任务并重新排队",
            ("tasks", "recover"),
            timedelta(minutes=1),
        ),
        PeriodicCommand(
            "tasks-prune",
            "清理 14 天前已完成的任务记录",
            ("tasks", "prune"),
            timedelta(days=1),
        ),
        PeriodicCommand(
            "check-data",
            "扫描无法读取的数值和超出范围的报告期（只报告，不修改）",
            ("check-data",),
            timedelta(days=1),
        ),
    ),
)
