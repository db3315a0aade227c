from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.registry.models import Park
from yuanqu.reports import services


class Command(BaseCommand):
    help = "生成报告：annual（年度工作总结）或 monthly（月度经济运行分析），输出 docx/pdf/html"

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=["annual", "monthly"])
        parser.add_argument("--park", required=True)
        parser.add_argument("--year", type=int, help="年度（annual）")
        parser.add_argument("--as-of", help="annual：按某月所见写全年（预计/初步测算），如 2022-11")
        parser.add_argument("--period", help="报告期（monthly），如 2022-09")
        parser.add_argument("-o", "--output", required=True, help="输出文件")
        parser.add_argument("--format", choices=["docx", "pdf", "html"], help="默认按 -o 的扩展名")
        parser.add_argument("--include-submitted", action="store_true", help="计入未审核数据")

    def handle(self, *args, **o) -> None:
        park = Park.objects.filter(code=o["park"]).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        out = Path(o["output"])
        fmt = o["format"] or out.suffix.lstrip(".").lower() or "docx"
        if fmt not in {"docx", "pdf", "html"}:
            raise CommandError(f"不支持的格式“{fmt}”：可选 docx、pdf、html")
        try:
            if o["kind"] == "annual":
                if not o["year"]:
                    raise CommandError("年度报告需要 --year")
                as_of = parse_period(o["as_of"]) if o["as_of"] else None
                report = services.annual_report(
                    park=park, year=o["year"], as_of=as_of, include_submitted=o["include_submitted"]
                )
            else:
                if not o["period"]:
                    raise CommandError("月度分析需要 --period")
                report = services.monthly_report(
                    park=park,
                    period=parse_period(o["period"]),
                    include_submitted=o["include_submitted"],
                )
            if not report.sections:
                raise CommandError("该期间没有可用（已审核）数据，未生成报告")
            data = services.render(report, fmt)
        except (PeriodError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            from yuanqu.reports.pdf import PdfConversionError, PdfUnavailable

            if isinstance(exc, PdfUnavailable | PdfConversionError):
                raise CommandError(str(exc)) from exc
            raise
        out.write_bytes(data)
        stats = services.speech_stats(report.text())
        self.stdout.write(
            f"已生成“{report.title}”：{out}（{stats.characters}字，讲话约{stats.speaking_minutes}分钟）"
        )
        for note in report.omitted:
            self.stdout.write(f"  注：{note}")
