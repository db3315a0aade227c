from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "从 yuanqu backup 生成的文件恢复数据库（先清空现有数据；整体成功或不变）"

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
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / "backup.json"
            with (
                gzip.open(path, "rt", encoding="utf-8") as src,
                plain.open("w", encoding="utf-8") as dst,
            ):
                dst.write(src.read())
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(plain), verbosity=0)
        self.stdout.write(f"已从 {path} 恢复")
