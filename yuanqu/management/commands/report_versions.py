"""`yuanqu report-versions --park CODE --year YYYY [--diff A B] [--final N] [--json]`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuanqu.registry.models import Park
from yuanqu.reports import drafts


class Command(BaseCommand):
    help = "年度工作总结的已保存版本：列表（定稿后数据是否变更）、两个版本的差异、定稿"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--park", required=True, help="园区代码，如 DEMO")
        parser.add_argument("--year", type=int, required=True, help="年度，如 2022")
        parser.add_argument(
            "--diff", nargs=2, type=int, metavar=("A", "B"), help="比较第A版和第B版"
        )
        parser.add_argument("--final", type=int, metavar="N", help="把第N版定稿")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: object, **o: object) -> None:
        park = Park.objects.filter(code=str(o["park"])).first()
        if park is None:
            raise CommandError(f"园区“{o['park']}”不存在")
        draft = drafts.draft_get(park=park, year=int(str(o["year"])))
        versions = {v.number: v for v in draft.versions.select_related("created_by")}

        def get(n: int):  # type: ignore[no-untyped-def]
            if n not in versions:
                raise CommandError(
                    f"没有第{n}版（已有：{'、'.join(map(str, sorted(versions))) or '无'}）"
                )
            return versions[n]

        if o["final"]:
            version = drafts.version_finalise(version=get(int(str(o["final"]))), user=None)
            self.stdout.write(f"第{version.number}版已定稿")
            return
        if o["diff"]:
            a, b = (get(int(n)) for n in o["diff"])  # type: ignore[union-attr]
            lines = [x for x in drafts.version_diff(a, b) if x.op != "same"]
            if o["json"]:
                self.stdout.write(
                    json.dumps([x.__dict__ for x in lines], ensure_ascii=False, indent=2)
                )
                return
            for x in lines:
                if x.op in ("changed", "removed"):
                    self.stdout.write(f"- {x.old}")
                if x.op in ("changed", "added"):
                    self.stdout.write(f"+ {x.new}")
            if not lines:
                self.stdout.write("两个版本的文字完全相同")
            return
        rows = []
        for n in sorted(versions):
            v = versions[n]
            changes = drafts.version_changes(v) if v.final else []
            rows.append(
                {
                    "number": v.number,
                    "created_by": str(v.created_by or "命令行"),
                    "created_at": v.created_at.isoformat(timespec="minutes"),
                    "note": v.note,
                    "as_of": v.as_of,
                    "final": v.final,
                    "changed_since_final": [c.sentence() for c in changes],
                }
            )
        if o["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("还没有保存的版本（yuanqu report annual … --save-version）")
        for r in rows:
            self.stdout.write(
                f"第{r['number']}版  {r['created_at']}  {r['created_by']}  数据截至{r['as_of']}"
                f"{'  定稿' if r['final'] else ''}  {r['note']}"
            )
            for c in r["changed_since_final"]:
                self.stdout.write(f"    定稿后数据已变更：{c}")
