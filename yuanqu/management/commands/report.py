"""`yuanqu report annual|monthly …`: write a report as Word, PDF or HTML."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.registry.models import Park
from yuanqu.reports import services
from yuanqu.reports.engine import ReportError


class Command(BaseCommand):
    help = "生成报告：annual（年度工作总结）或 monthly（月度经济运行分析），输出 Word/PDF/HTML"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["annual", "monthly"], help="报告类型")
        parser.add_argument("--park", required=True, help="园区代码，如 DEMO")
        parser.add_argument("--year", type=int, help="年度（annual），如 2022")
        parser.add_argument(
            "--as-of",
            help="annual：按某月所见写全年（全年数为预计/初步测算），如 2022-11；"
            "不给时取该年最后一个已审核月份",
        )
        parser.add_argument(
            "--projection",
            choices=sorted(services.PROJECTION_METHODS),
            default="seasonal",
            help="预计全年的方法：seasonal 季节比例法（默认）或 linear 线性外推",
        )
        parser.add_argument("--period", help="报告期（monthly），如 2022-09")
        parser.add_argument("-o", "--output", required=True, help="输出文件，如 报告.docx")
        parser.add_argument(
            "--format", choices=list(services.FORMATS), help="docx、pdf 或 html；默认按 -o 的扩展名"
        )
        parser.add_argument(
            "--include-submitted",
            action="store_true",
            help="计入已提交但未审核的数据（报告中注明）",
        )

    def handle(self, *args: object, **o: object) -> None:
        code = str(o["park"])
        park = Park.objects.filter(code=code).first()
        if park is None:
            raise CommandError(f"园区“{code}”不存在（用 yuanqu demo 查看演示园区代码）")
        out = Path(str(o["output"]))
        suffix = out.suffix.lstrip(".").lower()
        fmt = str(o["format"] or suffix or "docx")
        if fmt not in services.FORMATS:
            raise CommandError(
                f"不支持的格式“{fmt}”：可选 docx、pdf、html（用 --format 指定或改 -o 的扩展名）"
            )
        if not out.parent.exists():
            raise CommandError(f"输出目录“{out.parent}”不存在")
        include = bool(o["include_submitted"])
        if fmt == "pdf":
            from yuanqu.reports.pdf import PDF_UNAVAILABLE_MESSAGE, soffice_available

            if not soffice_available():
                raise CommandError(f"{PDF_UNAVAILABLE_MESSAGE}（可改用 -o 报告.docx）")
        try:
            if o["kind"] == "annual":
                if not o["year"]:
                    raise CommandError("年度工作总结需要 --year，例如 --year 2022")
                if o["period"]:
                    raise CommandError("年度工作总结用 --year 和 --as-of，不用 --period")
                report = services.annual_report(
                    park=park,
                    year=int(str(o["year"])),
                    as_of=parse_period(str(o["as_of"])) if o["as_of"] else None,
                    include_submitted=include,
                    projection=str(o["projection"]),
                )
            else:
                if not o["period"]:
                    raise CommandError("月度经济运行分析需要 --period，例如 --period 2022-09")
                report = services.monthly_report(
                    park=park, period=parse_period(str(o["period"])), include_submitted=include
                )
            services.require_content(report)
            data = services.render(report, fmt)
        except (PeriodError, ReportError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            from yuanqu.reports.pdf import PdfConversionError, PdfUnavailable

            if isinstance(exc, PdfUnavailable | PdfConversionError):
                raise CommandError(f"{exc}（可改用 -o 报告.docx）") from exc
            raise
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入“{out}”：{exc.strerror or exc}") from exc
        stats = services.speech_stats(report.text())
        self.stdout.write(
            f"已生成“{report.title}”：{out}（{fmt}；{stats.characters}字，"
            f"讲话约{stats.speaking_minutes}分钟，阅读约{stats.reading_minutes}分钟；"
            f"数据来源{len(report.figures)}项）"
        )
        if include:
            self.stdout.write("  注意：计入了已提交但未审核的数据。")
        for note in report.omitted:
            self.stdout.write(f"  注：{note}")
