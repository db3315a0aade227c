from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yuanqu.core import summaries
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = "汇总表：check 与按企业数据重算的结果比对；rebuild 全部重建（一个事务）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=("check", "rebuild"), help="check 或 rebuild")
        parser.add_argument("--park", action="append", help="园区代码（可重复；默认全部园区）")
        parser.add_argument("--json", action="store_true", help="JSON 输出")

    def handle(self, *args: Any, **o: Any) -> None:
        park_ids = None
        if o["park"]:
            parks = {p.code: p.pk for p in Park.objects.filter(code__in=o["park"])}
            unknown = sorted(set(o["park"]) - set(parks))
            if unknown:
                raise CommandError(f"园区代码不存在：{'、'.join(unknown)}")
            park_ids = list(parks.values())
        started = time.perf_counter()
        if o["action"] == "rebuild":
            with transaction.atomic():
                written = summaries.rebuild(park_ids)
            seconds = time.perf_counter() - started
            if o["json"]:
                self.stdout.write(json.dumps({"rows": written, "seconds": round(seconds, 3)}))
            else:
                for key, rows in written.items():
                    self.stdout.write(f"{key}：重建 {rows} 行")
                self.stdout.write(f"用时 {seconds:.1f} 秒")
            return
        found = summaries.check(park_ids)
        if o["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False))
        problems = sum(len(v) for v in found.values())
        if not o["json"]:
            for key, lines in found.items():
                for line in lines[:50]:
                    self.stdout.write(f"[{key}] {line}")
                if len(lines) > 50:
                    self.stdout.write(f"[{key}] …… 共 {len(lines)} 处不一致")
        if problems:
            raise CommandError(
                f"汇总表与按企业数据重算的结果有 {problems} 处不一致：运行 yuanqu summaries "
                "rebuild 重建（并请报告此问题：汇总表本应随每次写入更新）"
            )
        if not o["json"]:
            self.stdout.write(f"汇总表与重算结果一致（{', '.join(found) or '无汇总表'}）。")
