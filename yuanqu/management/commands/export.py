from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.imports.engine import kind_label
from yuanqu.imports.workbooks import (
    EXPORTERS,
    export_label,
    load_exporters,
    run_export,
    template_workbook,
)


class Command(BaseCommand):
    help = "导出数据为 .xlsx（与导入模板同表头，可再导入）；--template 生成空白导入模板"

    def add_arguments(self, parser) -> None:
        load_exporters()
        parser.add_argument(
            "kind", help="、".join(f"{k}（{export_label(k)}）" for k in sorted(EXPORTERS))
        )
        parser.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
        parser.add_argument("--park", help="园区代码")
        parser.add_argument("--period", help="报告期 YYYY-MM")
        parser.add_argument("--year", type=int, help="年度")
        parser.add_argument(
            "--template", action="store_true", help="只生成导入模板（含示例行与下拉选项）"
        )

    def handle(self, *args, **o) -> None:
        out = Path(o["output"])
        try:
            if o["template"]:
                data = template_workbook(o["kind"])
                out.write_bytes(data)
                self.stdout.write(f"已生成“{kind_label(o['kind'])}”导入模板：{out}")
                return
            export, data = run_export(o["kind"], park=o["park"], period=o["period"], year=o["year"])
        except (KeyError, ValueError) as exc:
            raise CommandError(str(exc).strip("'\"")) from exc
        out.write_bytes(data)
        self.stdout.write(f"已导出“{export.title}”：{out}")
