from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from yuanqu.registry.models import Park
from yuanqu.service_requests import presenters


class Command(BaseCommand):
    help = "打印企业诉求与惠企政策兑现汇总（受理、办结、按期办结率、满意度、兑现金额、惠及企业，督办按部门）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--park", required=True, help="园区代码")
        parser.add_argument("--year", required=True, type=int, help="年度 YYYY")
        parser.add_argument("--as-of", dest="as_of", help="截至月份 YYYY-MM（默认全年）")
        parser.add_argument("--json", action="store_true", help="输出 JSON（数字均为字符串）")
        parser.add_argument("--exact", action="store_true", help="百分比不四舍五入")

    def handle(self, *args, **o) -> None:
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        year, month = o["year"], 12
        if not 2000 <= year <= 2100:
            raise CommandError("年度应为四位年份，如 2022")
        if o["as_of"]:
            try:
                y, m = (int(x) for x in o["as_of"].split("-"))
            except ValueError as exc:
                raise CommandError("--as-of 应写成 YYYY-MM") from exc
            if y != year or not 1 <= m <= 12:
                raise CommandError("--as-of 应为该年度内的月份")
            month = m
        data = presenters.service_summary(park=park, year=year, month=month, exact=o["exact"])
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        r, b = data["requests"], data["benefits"]
        w = self.stdout.write
        w(f"{park.name}（{park.code}）企业诉求与惠企政策  {year}年（截至{data['at']}）")
        w(
            f"受理诉求{r['received']}件，办结{r['closed']}件；到期{r['due']}件，按期办结{r['on_time']}件，"
            f"按期办结率{r['on_time_rate_pct'] or '—'}%；办结用时中位数{r['median_days'] or '—'}天；"
            f"平均满意度{r['satisfaction_avg'] or '—'}分，满意率{r['satisfied_pct'] or '—'}%；"
            f"逾期未办结{r['overdue_now']}件"
        )
        for s in r["by_category"]:
            w(
                f"  {s['name']}：受理{s['received']}，办结{s['closed']}，按期办结率{s['on_time_rate_pct'] or '—'}%"
            )
        w(f"兑现惠企政策资金{b['amount_wan']}万元，{b['payments']}笔，惠及企业{b['enterprises']}家")
        for g in b["by_kind"]:
            w(f"  {g['name']}：{g['amount_wan']}万元，{g['enterprises']}家")
        if "supervision" in data:
            s = data["supervision"]
            w(
                f"督办事项：到期{s['due']}项，按期办结{s['on_time']}项，逾期{s['late']}项，"
                f"按期办结率{s['on_time_rate_pct'] or '—'}%；在办{s['open']}项，已逾期{s['overdue']}项"
            )
            for dpt in s["by_department"]:
                w(
                    f"  {dpt['name']}：按期{dpt['on_time']}，逾期{dpt['late']}（其中逾期办结{dpt['done_late']}），"
                    f"在办{dpt['open']}，已逾期{dpt['overdue']}"
                )
