from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.audit.services import audit_import
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.imports.engine import IMPORTERS, kinds_text, load_kinds, run_import
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = "导入 Excel/CSV/WPS 文件：校验全部行 → 预览 → 无错误才整体写入（否则不写入任何数据）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="要导入的文件（.xlsx .xls .et .ods .csv）")
        parser.add_argument("--kind", help="数据类型；不指定时按表头判断")
        parser.add_argument("--park", help="园区代码（企业、报表类数据需要）")
        parser.add_argument("--period", help="报告期，如 2022-09（文件中没有报告期列时使用）")
        parser.add_argument(
            "--mode",
            choices=["replace", "merge"],
            default="replace",
            help="replace：替换文件中出现的（类型、园区、报告期）；merge：只增改不删除",
        )
        parser.add_argument("--dry-run", action="store_true", help="只校验并预览，不写入")
        parser.add_argument("--submit-only", action="store_true", help="作为“已提交”导入（待审核）")
        parser.add_argument("--reason", default="", help="修改已锁定期间的原因")
        parser.add_argument(
            "--allow-deletions",
            action="store_true",
            help="允许替换导入删除超过 YUANQU_REPLACE_GUARD_PCT（默认 20%%）的某期已入库数据",
        )
        parser.add_argument("--show", type=int, default=50, help="最多打印多少条错误/警告")

    def handle(self, *args, **opts) -> None:
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        load_kinds()
        if opts["kind"] and opts["kind"] not in IMPORTERS:
            raise CommandError(f"未知的数据类型“{opts['kind']}”；可用：{kinds_text()}")
        park = None
        if opts["park"]:
            park = Park.objects.filter(code=opts["park"]).first()
            if park is None:
                raise CommandError(f"园区“{opts['park']}”不存在")
        period = None
        if opts["period"]:
            try:
                period = parse_period(opts["period"])
            except PeriodError as exc:
                raise CommandError(str(exc)) from exc
        progress = _progress_bar(path)
        preview = run_import(
            path,
            kind=opts["kind"],
            park=park,
            period=period,
            mode=opts["mode"],
            dry_run=opts["dry_run"],
            submit_only=opts["submit_only"],
            allow_deletions=opts["allow_deletions"],
            reason=opts["reason"],
            progress=progress,
        )
        if progress is not None:
            progress.close()
        audit_import(user=None, preview=preview, park=park, source="cli")
        self.stdout.write(f"文件：{path.name}（{preview.kind or '未识别'}）")
        # Errors first: they are what stops the import.
        ordered = preview.errors + preview.warnings
        for issue in ordered[: opts["show"]]:
            self.stdout.write(f"  {issue.text()}")
        total = preview.total_errors + preview.total_warnings
        if total > opts["show"]:
            self.stdout.write(f"  …… 另有 {total - opts['show']} 条未显示")
        if preview.sample:
            # What the import does row by row (first rows of each action), as on the web page.
            self.stdout.write("变更预览（每类最多前 20 行）：")
            names = {"new": "新增", "changed": "变更", "deleted": "删除"}
            for s in preview.sample[: max(opts["show"], 0)]:
                where = f"第{s['row']}行 " if s.get("row") else ""
                changes = "；".join(
                    f"{name} {old or '—'} → {new or '—'}"
                    if s["action"] == "changed"
                    else f"{name} {new or old}"
                    for name, old, new in s["changes"]
                )
                self.stdout.write(
                    f"  [{names.get(s['action'], s['action'])}] {where}{s['label']}"
                    + (f"：{changes}" if changes else "")
                )
        for r in preview.checks.get("reporting", []):
            missing = "、".join(m["name"] for m in r["missing"][:10])
            more = "等" if r["missing_count"] > 10 else ""
            self.stdout.write(
                f"报送率 {r['park']} {r['period']}：{r['sentence']}"
                + (f"；未报：{missing}{more}" if missing else "")
            )
        self.stdout.write(preview.summary())
        if preview.total_errors:
            raise CommandError(f"导入失败：{preview.total_errors} 个错误，未写入任何数据")


def _progress_bar(path: Path):
    # A bar only for files big enough to wait for, on stderr so stdout stays parseable.
    if path.stat().st_size < 2_000_000:
        return None
    from tqdm import tqdm

    bar = tqdm(desc="读取行", unit="行", file=sys.stderr, mininterval=0.5)

    class Progress:
        last = 0

        def __call__(self, rows: int, estimate: int | None = None) -> None:
            if estimate and bar.total != estimate:
                bar.total = estimate
                bar.refresh()
            bar.update(rows - self.last)
            self.last = rows

        def close(self) -> None:
            bar.close()

    return Progress()
