"""`yuanqu investment --park CODE --year YYYY [--as-of YYYY-MM-DD] [--json]`: the year's
signings against the targets, sizes, clusters, the reserve, the cohort's rates, 到位资金 and
stage conversion (`investment.selectors.investment_summary`, the figures of the report)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.wording import yi_yuan
from yuanqu.investment import presenters, selectors
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = (
        "打印招商引资汇总（签约项目与年度目标、亿元以上项目、储备项目、履约/开工/投产率、到位资金）"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--park", required=True, help="园区代码")
        parser.add_argument("--year", required=True, type=int, help="年度 YYYY")
        parser.add_argument("--as-of", dest="as_of", default="", help="截至日期 YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="输出 JSON（数字均为字符串）")

    def handle(self, *args: Any, **o: Any) -> None:
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        if not 1990 <= o["year"] <= 2100:
            raise CommandError("年度应为四位年份")
        try:
            at = dt.date.fromisoformat(o["as_of"]) if o["as_of"] else None
        except ValueError as exc:
            raise CommandError("截至日期应写成 YYYY-MM-DD") from exc
        s = selectors.investment_summary(park=park, year=o["year"], at=at)
        data = presenters.summary_json(s)
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        w = self.stdout.write
        t = data["targets"]
        w(f"{park.name}（{park.code}）招商引资  {o['year']}年（截至{s.at}）  金额单位：万元")
        w(
            f"签约项目：{s.signed_count}个，协议总投资{data['signed']['amount']}万元"
            f"（{yi_yuan(s.signed_amount)}）"
        )
        w(
            f"年度目标：{t['count'] or '—'}个 / {t['amount'] or '—'}万元；"
            f"个数目标达成日{t['count_reached_on'] or '未达成'}，金额目标达成日{t['amount_reached_on'] or '未达成'}"
        )
        sizes = data["sizes"]
        largest = sizes["largest"]
        w(
            f"亿元以上{sizes['large_count']}个，十亿元以上{sizes['huge_count']}个；最大"
            f"{largest['name'] + ' ' + largest['amount'] + '万元' if largest else '—'}；"
            f"招大引强要求{sizes['required_size']}万元：{'已达到' if s.required_reached else '未达到'}"
        )
        for c in data["by_cluster"]:
            w(f"  {c['name']}：签约{c['count']}个，{c['amount']}万元")
        r = data["reserve"]
        w(f"储备（意向）项目：{r['count']}个，计划总投资{r['amount']}万元")
        for c in r["by_cluster"]:
            w(f"  {c['name']}：{c['count']}个，{c['amount']}万元")
        c = data["cohort"]
        w(
            f"本年签约项目 履约率{c['fulfilment_pct'] or '—'}% 开工率{c['start_pct'] or '—'}% "
            f"投产率{c['production_pct'] or '—'}%"
        )
        f = data["funds"]
        w(
            f"到位资金（本年）：固定资产{f['fixed_assets']}万元，流动资金{f['working_capital']}万元；"
            f"本年签约项目资金到位率{f['arrival_pct'] or '—'}%"
        )
        for line in data["stages"]:
            w(
                f"  {line['label']}→下一阶段：{line['went_on']}/{line['reached']}"
                f"（{line['conversion_pct'] or '—'}%），中位天数{line['median_days'] or '—'}"
            )
