from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from yuanqu.core.backup import write_backup


class Command(BaseCommand):
    help = (
        "备份全部数据和上传的文件（项目照片、报告模板等）到一个 .tar.gz 文件；"
        "与数据库类型无关，可在 SQLite 与 PostgreSQL 之间迁移"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="备份文件，如 backup-2022-12.tar.gz")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        included, missing = write_backup(path)
        self.stdout.write(
            f"已备份到 {path}（{path.stat().st_size:,} 字节，含上传文件 {included} 个）"
        )
        if missing:
            self.stderr.write(f"注意：有 {missing} 个上传文件在磁盘上找不到，未能备份")
