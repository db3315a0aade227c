from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from yuanqu.imports.engine import kind_label
from yuanqu.imports.models import ImportRecord


class Command(BaseCommand):
    help = "导入记录：谁、何时、哪个文件（SHA-256）、结果与计数（最新的在前）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=20, help="最多列出多少条（默认 20）")
        parser.add_argument("--kind", help="只列出这一数据类型")
        parser.add_argument("--park", help="只列出这一园区（园区代码）")
        parser.add_argument("--json", action="store_true", help="输出 JSON 数组")

    def handle(self, *args, **opts) -> None:
        qs = ImportRecord.objects.select_related("user", "park")
        if opts["kind"]:
            qs = qs.filter(kind=opts["kind"])
        if opts["park"]:
            qs = qs.filter(park__code=opts["park"])
        records = list(qs[: max(opts["limit"], 0)])
        rows = [
            {
                "id": r.pk,
                "time": timezone.localtime(r.created_at).isoformat(timespec="seconds"),
                "user": r.user.username if r.user else "命令行",
                "kind": r.kind,
                "kind_label": kind_label(r.kind),
                "park": r.park.code if r.park else "",
                "period": r.period,
                "file": r.file_name,
                "sha256": r.sha256,
                "status": r.status,
                "status_label": r.get_status_display(),
                "counts": r.counts,
            }
            for r in records
        ]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("没有导入记录")
            return
        for row in rows:
            c = row["counts"] or {}
            self.stdout.write(
                f"#{row['id']} {row['time'][:19].replace('T', ' ')} {row['user']} {row['kind_label']} "
                f"{row['park']} {row['period']} "
                f"{row['file']} sha256:{row['sha256'][:12]} {row['status_label']} "
                f"（读取 {c.get('rows', 0)}，新增 {c.get('new', 0)}，变更 {c.get('changed', 0)}，"
                f"不变 {c.get('unchanged', 0)}，删除 {c.get('deleted', 0)}，"
                f"错误 {c.get('errors', 0)}，警告 {c.get('warnings', 0)}）"
            )
