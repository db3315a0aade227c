from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from yuanqu.funding import presenters, selectors
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = "打印项目资金台账汇总（按资金类型：申报、下达、到位、支出、支出进度；拟申报项目）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--park", required=True, help="园区代码")
        parser.add_argument("--year", required=True, type=int, help="年度 YYYY")
        parser.add_argument("--month", type=int, default=12, help="截至月份（默认12）")
        parser.add_argument("--json", action="store_true", help="输出 JSON（数字均为字符串）")

    def handle(self, *args, **o) -> None:
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        if not 1990 <= o["year"] <= 2100 or not 1 <= o["month"] <= 12:
            raise CommandError("年度应为四位年份，月份为1-12")
        summary = selectors.fund_summary(park=park, year=o["year"], month=o["month"])
        types = [presenters.type_json(t) for t in summary["types"] if t.count]
        apps = presenters.applications_json(summary["applications"])
        if o["json"]:
            data = {
                "park": park.code,
                "year": str(o["year"]),
                "types": types,
                "funds": [presenters.fund_json(r) for r in summary["rows"]],
                "applications": apps,
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{park.name}（{park.code}）项目资金  {o['year']}年  单位：万元")
        for t in types:
            done = f"，{t['fully_spent_month']}月底前已全部支出" if t["fully_spent_month"] else ""
            self.stdout.write(
                f"{t['name']}：{t['funds']}笔（{t['projects']}个项目），申报{t['applied']}，下达{t['approved']}，"
                f"到位{t['received']}，支出{t['spent']}，支出进度{t['spending_pct'] or '—'}%{done}"
            )
        for a in apps:
            years = "，".join(f"{y}年{v}" for y, v in a["by_year"].items())
            self.stdout.write(f"拟申报{a['name']}：{a['projects']}个项目，{a['amount']}（{years}）")
