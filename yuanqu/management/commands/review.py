from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.imports import status
from yuanqu.registry.models import Park


def review_kinds() -> list[str]:
    """Every registered data kind that keeps a status (each module's `data_kinds`)."""
    from yuanqu.core.modules import data_kinds

    return sorted(data_kinds())


class Command(BaseCommand):
    help = "审核一个园区某期的数据（已提交 → 已审核）；企业报表先打印报送率"
    action = "review"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--park", required=True)
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument(
            "--kind", help=f"只处理一种数据（默认全部：{'、'.join(review_kinds())}）"
        )
        parser.add_argument("--reason", default="", help="解锁时必填")
        parser.add_argument(
            "--confirm-incomplete",
            action="store_true",
            help="企业报表未报齐（报送率不足 100%%）时仍审核",
        )

    def handle(self, *args, **o) -> None:
        kinds = review_kinds()
        if o["kind"] and o["kind"] not in kinds:
            raise CommandError(f"未知的数据类型“{o['kind']}”；可用：{'、'.join(kinds)}")
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        try:
            period = parse_period(o["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        self.options = o
        done = 0
        for kind in [o["kind"]] if o["kind"] else kinds:
            self.before(kind=kind, park=park, period=period)
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

    def before(self, *, kind, park, period) -> None:
        if kind != "enterprise-reports":
            return
        from yuanqu.economy.selectors import reporting_rate

        rate = reporting_rate(park=park, period=period)
        if not rate.expected and not rate.reported:
            return
        self.stdout.write(f"{park.code} {period} 报送率：{rate.sentence()}（应报按{rate.basis}）")
        if rate.missing:
            names = "、".join(f"{m.name}（{m.credit_code}）" for m in rate.missing[:20])
            more = f" 等 {len(rate.missing)} 户" if len(rate.missing) > 20 else ""
            self.stdout.write(f"  未报：{names}{more}")

    def transition(self, *, kind, park, period, reason):
        return status.period_review(
            user=None,
            kind=kind,
            park=park,
            period=period,
            confirm_incomplete=self.options["confirm_incomplete"],
        )
