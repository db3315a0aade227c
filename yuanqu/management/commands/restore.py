from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.backup import restore_backup


class Command(BaseCommand):
    help = "从 yuanqu backup 生成的文件恢复数据和上传的文件（先清空现有数据；整体成功或不变）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="不询问，直接清空并恢复")

    def handle(self, *args, file: str, yes: bool, **options) -> None:
        path = Path(file)
        if not path.exists():
            raise CommandError(f"备份文件不存在：{path}")
        if not yes:
            answer = input("恢复将清空当前数据库中的全部数据，确认请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消")
        try:
            files = restore_backup(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {path} 恢复（上传文件 {files} 个）")
