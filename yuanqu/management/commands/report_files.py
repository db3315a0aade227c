from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "清理后台生成的报告文件（默认 7 天前的）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        from yuanqu.reports.jobs import prune_files

        self.stdout.write(f"已删除 {prune_files(days=days)} 个报告文件（{days} 天前）")
