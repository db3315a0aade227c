from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.economy import presenters, selectors
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = "打印园区指标表（累计、本月、可比增速、目标完成、序时进度），或按企业/集群的拉动"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--park", required=True, help="园区代码")
        parser.add_argument("--period", required=True, help="报告期 YYYY-MM")
        parser.add_argument("--json", action="store_true", help="输出 JSON（DECISIONS.md 格式）")
        parser.add_argument("--exact", action="store_true", help="百分比与百分点不四舍五入")
        parser.add_argument("--nominal", action="store_true", help="另列名义增速（标明“名义”）")
        parser.add_argument("--by", choices=["enterprise", "cluster"], help="按企业或集群分解")
        parser.add_argument("--indicator", help="与 --by 一起使用的指标代码")
        parser.add_argument(
            "--include-submitted",
            action="store_true",
            help="同时计入“已提交”未审核的数据（结果会标明）",
        )

    def handle(self, *args, **o) -> None:
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        try:
            period = parse_period(o["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if o["by"]:
            self._parts(park, period, o)
            return
        rows = selectors.park_indicator_table(
            park=park, period=period, include_submitted=o["include_submitted"]
        )
        rate = selectors.reporting_rate(park=park, period=period)
        if o["json"]:
            # Computed indicators carry the period's 应报 / 已报 enterprises (DECISIONS.md).
            data = [
                presenters.indicator_json(
                    r, exact_=o["exact"], nominal=o["nominal"], reporting=rate
                )
                for r in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        title = f"{park.name}（{park.code}）主要指标  {period.label}"
        if o["include_submitted"]:
            title += "  【含未审核数据】"
        self.stdout.write(title)
        headers = ["指标", "单位", "1-本月", "本月", "同比(可比)%"]
        if o["nominal"]:
            headers.append("名义增速%")
        headers += ["目标", "完成%", "序时%", "超(慢)序时百分点", "状态"]
        table = []
        for r in rows:
            d = presenters.indicator_display(r)
            line = [d["name"], d["unit"], d["value"], d["month_value"], d["yoy_pct"]]
            if o["nominal"]:
                line.append(d["yoy_nominal_pct"])
            line += [
                d["target"],
                d["completion_pct"],
                d["time_progress_pct"],
                d["ahead_pp"],
                d["status"],
            ]
            table.append(line)
        self.stdout.write(_format_table(headers, table))
        self.stdout.write(f"企业报表{rate.sentence()}")

    def _parts(self, park, period, o) -> None:
        if not o["indicator"]:
            raise CommandError("--by 需要同时指定 --indicator（如 industrial_output）")
        try:
            parts = selectors.indicator_parts(
                park=park,
                period=period,
                code=o["indicator"],
                by=o["by"],
                include_submitted=o["include_submitted"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if o["json"]:
            data = [presenters.part_json(p, exact_=o["exact"]) for p in parts]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        headers = [
            "企业" if o["by"] == "enterprise" else "集群",
            "1-本月(万元)",
            "上年同期(万元)",
            "拉动(百分点)",
            "贡献率%",
        ]
        table = [
            [
                p.name,
                presenters.display_amount(p.value),
                presenters.display_amount(p.base),
                presenters.display_pct(p.pull_pp),
                presenters.display_pct(p.contribution_pct),
            ]
            for p in parts
        ]
        self.stdout.write(_format_table(headers, table))


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _format_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(str(c)) for c in col) for col in zip(headers, *rows, strict=False)]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = widths[i] - _width(str(cell))
            out.append(str(cell) + " " * pad if i < 2 else " " * pad + str(cell))
        return "  ".join(out)

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])
