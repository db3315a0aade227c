from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core import partitioning


class Command(BaseCommand):
    help = (
        "PostgreSQL：把月度大表转换为按年分区表（每年一个分区，另有今明两年与 DEFAULT 分区），"
        "或补建新年度的分区；一个事务，可重复运行"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="只检查不修改：列出要做的事，有待做之事时退出码非零",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            if o["check"]:
                self._check()
            else:
                partitioning.partition_all(log=self.stdout.write)
        except partitioning.PartitionError as exc:
            raise CommandError(str(exc)) from exc

    def _check(self) -> None:
        pending = 0
        for table in partitioning.tables():
            state = partitioning.table_state(table)
            if state.blockers:
                pending += 1
                self.stdout.write(f"{table}：无法分区：{'；'.join(state.blockers)}")
            elif not state.partitioned:
                pending += 1
                self.stdout.write(
                    f"{table}：未分区，将按年分区（{partitioning.years_text(state.missing)}，"
                    "另有 DEFAULT 分区）"
                )
            elif not state.up_to_date:
                pending += 1
                waiting = partitioning.years_text(state.years_to_move)
                self.stdout.write(
                    f"{table}：缺少分区 {partitioning.years_text(state.missing)}"
                    + ("" if state.has_default else "、DEFAULT")
                    + (f"（DEFAULT 分区中有 {waiting} 的数据）" if state.years_to_move else "")
                )
            else:
                self.stdout.write(
                    f"{table}：已按年分区（{partitioning.years_text(state.partitions)}）"
                )
        if pending:
            raise CommandError(f"{pending} 张表需要运行 yuanqu partition")
