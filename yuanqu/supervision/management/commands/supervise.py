from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from yuanqu.registry.models import Park
from yuanqu.service_requests.clock import today
from yuanqu.supervision import reminders, services


class Command(BaseCommand):
    help = "督办检查：按各模块的督办规则自动生成、销号督办事项，并发送提醒（可每几分钟运行一次）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="检查日期 YYYY-MM-DD（默认今天；演示库为 2023-12-31）")
        parser.add_argument("--park", action="append", help="只检查这些园区（可重复）")
        parser.add_argument("--no-remind", action="store_true", help="不发送提醒")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **o) -> None:
        try:
            at = dt.date.fromisoformat(o["date"]) if o["date"] else today()
        except ValueError as exc:
            raise CommandError(f"日期“{o['date']}”应为 YYYY-MM-DD") from exc
        parks = None
        if o["park"]:
            parks = list(Park.objects.filter(code__in=o["park"]).order_by("code"))
            missing = set(o["park"]) - {p.code for p in parks}
            if missing:
                raise CommandError(f"园区“{'、'.join(sorted(missing))}”不存在")
        result = services.supervise_run(at=at, parks=parks)
        sent = {} if o["no_remind"] else reminders.remind(at=at, parks=parks)
        if o["json"]:
            data = {
                "date": at.isoformat(),
                "raised": [t.code for t in result.raised],
                "closed": [t.code for t in result.closed],
                "cleared": str(result.cleared),
                "kept": str(result.kept),
                "reminders": {k: str(v) for k, v in sent.items()},
                "errors": result.errors,
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"督办检查（{at:%Y-%m-%d}）：新生成{len(result.raised)}项，自动销号{len(result.closed)}项，"
                f"持续{result.kept}项"
            )
            for t in result.raised:
                self.stdout.write(f"  新生成 {t.park.code} {t.code} {t.title}")
            for t in result.closed:
                self.stdout.write(f"  已销号 {t.park.code} {t.code} {t.title}")
            for channel, n in sent.items():
                self.stdout.write(
                    f"  提醒（{reminders.CHANNEL_LABELS.get(channel, channel)}）：{n}条"
                )
        if result.errors:
            for e in result.errors:
                self.stderr.write(f"督办规则出错：{e}")
            raise CommandError("部分督办规则运行出错（见上），其余规则已完成")
