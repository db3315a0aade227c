from __future__ import annotations

from yuanqu.imports import status
from yuanqu.management.commands.review import Command as ReviewCommand


class Command(ReviewCommand):
    help = "锁定一个园区某期已审核的数据（已审核 → 已锁定）；--unlock 加 --reason 解锁"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--unlock", action="store_true", help="解锁（需 --reason）")

    def handle(self, *args, **o) -> None:
        self.unlock = o["unlock"]
        super().handle(*args, **o)

    def before(self, *, kind, park, period) -> None:
        return None

    def transition(self, *, kind, park, period, reason):
        if self.unlock:
            return status.period_unlock(
                user=None, kind=kind, park=park, period=period, reason=reason
            )
        return status.period_lock(user=None, kind=kind, park=park, period=period)
