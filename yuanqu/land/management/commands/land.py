"""`yuanqu land --park CODE --year YYYY [--as-of YYYY-MM-DD] [--json]`: 新增收储, 征收中, 成熟
可供用地, 出让材料组卷 and the parcels sold, idle land (`land.selectors.land_summary`, the
figures of the report)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu.land import presenters, selectors
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = "打印土地汇总（新增收储、征收中、成熟可供用地、出让材料组卷与已出让、闲置土地）"

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
        data = presenters.summary_json(selectors.land_summary(park=park, year=o["year"], at=at))
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        w = self.stdout.write
        w(
            f"{park.name}（{park.code}）土地  {o['year']}年（截至{data['as_of']}）  面积：亩  金额：万元"
        )
        w(
            f"新增收储：{data['reserved']['count']}宗 {data['reserved']['area_mu']}亩"
            f"（目标{data['target_reserved_mu'] or '—'}亩）"
        )
        w(f"征收中：{data['expropriating']['count']}宗 {data['expropriating']['area_mu']}亩")
        w(f"成熟可供用地（净地）：{data['available']['count']}宗 {data['available']['area_mu']}亩")
        ds = data["dossiers_sold"]
        w(
            f"出让材料组卷：{data['dossiers']['count']}宗，其中已出让{ds['count']}宗，"
            f"面积{ds['area_mu']}亩，成交金额{ds['amount']}万元"
        )
        w(
            f"本年出让：{data['sold']['count']}宗 {data['sold']['area_mu']}亩 "
            f"{data['sold']['amount']}万元"
        )
        w(f"闲置土地：{data['idle']['count']}宗 {data['idle']['area_mu']}亩")
        for p in data["idle"]["parcels"]:
            w(f"  {p['code']} {p['name']} {p['area_mu']}亩，{p['idle_from']}起闲置")
