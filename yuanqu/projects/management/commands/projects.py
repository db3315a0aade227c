from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.projects import presenters, selectors
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = (
        "打印重点项目汇总（按级别：个数、总投资、年度计划、完成、完成率、序时、超慢序时、红黄绿灯）"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--park", required=True, help="园区代码")
        parser.add_argument("--period", required=True, help="报告期 YYYY-MM")
        parser.add_argument("--json", action="store_true", help="输出 JSON（数字均为字符串）")
        parser.add_argument("--exact", action="store_true", help="百分比与百分点不四舍五入")
        parser.add_argument("--projects", action="store_true", help="另列每个项目")
        parser.add_argument(
            "--include-submitted", action="store_true", help="同时计入“已提交”未审核的调度数据"
        )

    def handle(self, *args, **o) -> None:
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        try:
            period = parse_period(o["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        summary = selectors.project_summary(
            park=park, period=period, include_submitted=o["include_submitted"]
        )
        levels = [t for t in summary["levels"] if t.count or t.key in ("key", "all")]
        if o["json"]:
            data = {
                "park": park.code,
                "period": str(period),
                "levels": [presenters.totals_json(t, exact=o["exact"]) for t in levels],
            }
            if o["projects"]:
                data["projects"] = [
                    presenters.row_json(r, exact=o["exact"]) for r in summary["rows"]
                ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{park.name}（{park.code}）重点项目  {period.label}  单位：亿元")
        headers = [
            "级别",
            "个数",
            "总投资",
            "年度计划",
            "完成",
            "完成率%",
            "序时%",
            "超(慢)序时",
            "红/黄/绿",
        ]
        rows = []
        for t in levels:
            d = presenters.totals_json(t, exact=o["exact"])
            rows.append(
                [
                    d["name"],
                    d["count"],
                    d["total_investment_yi"],
                    d["planned_yi"],
                    d["completed_yi"],
                    d["completion_pct"] or "—",
                    d["time_progress_pct"],
                    presenters.ahead_text(t.ahead_pp),
                    "/".join(d["lights"][k] for k in ("red", "yellow", "green")),
                ]
            )
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        for line in [headers, *rows]:
            self.stdout.write("  ".join(str(v).ljust(widths[i]) for i, v in enumerate(line)))
        if o["projects"]:
            for r in summary["rows"]:
                d = presenters.row_json(r, exact=o["exact"])
                self.stdout.write(
                    f"{d['code']} {d['name']} [{d['level']}] 计划{d['planned'] or '—'} 完成{d['completed']}"
                    f" 完成率{d['completion_pct'] or '—'}% {d['light_label']}"
                )
