"""`yuanqu report annual|monthly …`: write a report as Word, PDF or HTML."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.registry.models import Park
from yuanqu.reports import services
from yuanqu.reports.engine import Report, ReportError


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
        parser.add_argument(
            "--layout",
            choices=sorted(services.LAYOUTS),
            default="official",
            help="official 公文版式（默认）；speech 讲话稿（大字、宽行距、句子不跨页）",
        )
        parser.add_argument(
            "--no-sources", action="store_true", help="不附“数据来源”表（打印讲话稿时）"
        )
        parser.add_argument("--no-charts", action="store_true", help="不附各节图表")
        parser.add_argument(
            "--summary", action="store_true", help="只输出一页“数据摘要”（讲话稿用到的全部数字）"
        )
        # DECISIONS.md: `--version N` renders a saved version; it replaces Django's own
        # --version (the program's version), which `yuanqu --version` still answers.
        parser.conflict_handler = "resolve"
        parser._optionals.conflict_handler = "resolve"
        parser.add_argument(
            "--version", type=int, help="annual：输出已保存的第N版（定稿按保存时的文字与数据）"
        )
        parser.add_argument(
            "--save-version",
            action="store_true",
            help="annual：把当前草稿（数据+人工撰写文字）保存为新版本",
        )
        parser.add_argument("--final", action="store_true", help="与 --save-version 同用：作为定稿")
        parser.add_argument("--note", default="", help="与 --save-version 同用：版本说明")

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
        notice = ""
        try:
            if o["kind"] == "annual":
                if not o["year"]:
                    raise CommandError("年度工作总结需要 --year，例如 --year 2022")
                if o["period"]:
                    raise CommandError("年度工作总结用 --year 和 --as-of，不用 --period")
                report, notice = self._annual(park, o, include)
            else:
                if not o["period"]:
                    raise CommandError("月度经济运行分析需要 --period，例如 --period 2022-09")
                report = services.monthly_report(
                    park=park, period=parse_period(str(o["period"])), include_submitted=include
                )
            services.require_content(report)
            if o["summary"]:
                fmt, data = "docx", services.summary_docx(report)
            else:
                data = services.render(
                    report,
                    fmt,
                    layout=str(o["layout"]),
                    sources=not o["no_sources"],
                    charts=not o["no_charts"],
                    notice=notice,
                )
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
        if notice:
            self.stdout.write(f"  {notice}")
        for note in report.omitted:
            self.stdout.write(f"  注：{note}")

    def _annual(self, park: Park, o: dict[str, object], include: bool) -> tuple[Report, str]:
        """The park-year's draft (its officials' text with today's figures), a saved version
        (`--version N`, from what it stored; a 定稿 with the notice of changed data since), or
        a new version saved first (`--save-version [--final]`)."""
        from yuanqu.reports import drafts

        year = int(str(o["year"]))
        draft = drafts.draft_get(park=park, year=year)
        as_of = parse_period(str(o["as_of"])) if o["as_of"] else None
        if o["version"]:
            version = draft.versions.filter(number=int(str(o["version"]))).first()
            if version is None:
                numbers = "、".join(str(n) for n in draft.versions.values_list("number", flat=True))
                raise CommandError(
                    f"{park.name}{year}年度报告没有第{o['version']}版"
                    + (f"（已有：{numbers}）" if numbers else "（还没有保存的版本）")
                )
            notice = drafts.change_notice(drafts.version_changes(version)) if version.final else ""
            return drafts.version_report(version), notice
        if o["save_version"]:
            version = drafts.version_save(
                draft=draft, user=None, note=str(o["note"]), as_of=as_of, final=bool(o["final"])
            )
            self.stdout.write(f"已保存第{version.number}版{'（定稿）' if version.final else ''}")
            return drafts.version_report(version), ""
        report = services.annual_report(
            park=park,
            year=year,
            as_of=as_of,
            include_submitted=include,
            projection=str(o["projection"]),
            narrative=drafts.draft_blocks(draft),
        )
        return report, ""
