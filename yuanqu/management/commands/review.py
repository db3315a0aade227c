from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.imports import status
from yuanqu.registry.models import Park

KINDS = ("enterprise-reports", "park-indicators")


class Command(BaseCommand):
    help = "审核一个园区某期的数据（已提交 → 已审核）"
    action = "review"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--park", required=True)
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--kind", choices=KINDS, help="只处理一种数据（默认两种都处理）")
        parser.add_argument("--reason", default="", help="解锁时必填")

    def handle(self, *args, **o) -> None:
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        try:
            period = parse_period(o["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        done = 0
        for kind in [o["kind"]] if o["kind"] else KINDS:
            try:
                s = self.transition(kind=kind, park=park, period=period, reason=o["reason"])
            except status.StatusError as exc:
                if o["kind"]:
                    raise CommandError(str(exc)) from exc
                self.stderr.write(str(exc))
                continue
            done += 1
            self.stdout.write(f"{park.code} {period} {kind}：{s.get_status_display()}")
        if not done:
            raise CommandError("没有可处理的数据")

    def transition(self, *, kind, park, period, reason):
        return status.slice_review(kind=kind, park=park, year=period.year, month=period.month)
