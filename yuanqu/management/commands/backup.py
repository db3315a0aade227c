from __future__ import annotations

import gzip
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Everything the platform owns, in dependency order; sessions and caches are not data.
APPS = [
    "auth.group",
    "accounts",
    "registry",
    "imports",
    "economy",
    "projects",
    "funding",
    "service_requests",
    "supervision",
    "reports",
    "demo",
]


class Command(BaseCommand):
    help = "备份数据库到一个文件（.json.gz，与数据库类型无关，可在 SQLite 与 PostgreSQL 之间迁移）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="备份文件，如 backup-2022-12.json.gz")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            call_command(
                "dumpdata",
                *APPS,
                natural_foreign=True,
                indent=None,
                stdout=fh,
                exclude=["contenttypes", "auth.permission"],
            )
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size:,} 字节）")
