"""`yuanqu check-data [--fix] [--json]`: find stored values the code cannot read."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.integrity import find_problems, quarantine


class Command(BaseCommand):
    help = "检查数据库中无法读取的数值（超出精度的金额、NaN、超出范围的报告期）；--fix 隔离"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="把问题值移入隔离表（core.QuarantinedValue）：可空字段置空，否则删除整行",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **o: Any) -> None:
        problems = find_problems()
        if o["fix"] and problems:
            quarantine(problems)
        left = [p for p in problems if not p.fixed]
        if o["json"]:
            body = {
                "found": len(problems),
                "fixed": len(problems) - len(left),
                "problems": [p.as_dict() for p in problems],
            }
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
        else:
            for p in problems:
                where = f"{p.table} #{p.pk} {p.column}"
                park = f"（园区 {p.park}）" if p.park else ""
                done = f" → {p.fix}" if p.fix else ""
                self.stdout.write(f"{where}{park}：值 {p.value}，{p.problem}{done}")
            if not problems:
                self.stdout.write("未发现问题：所有金额与报告期均可正常读取。")
            else:
                self.stderr.write(
                    f"共发现 {len(problems)} 处问题，已处理 {len(problems) - len(left)} 处。"
                )
        if left:
            hint = "" if o["fix"] else "；运行 yuanqu check-data --fix 可将其移入隔离表"
            raise CommandError(f"有 {len(left)} 处问题未处理{hint}")
