from __future__ import annotations

from yuanqu.imports import status
from yuanqu.management.commands.review import Command as ReviewCommand


class Command(ReviewCommand):
    help = "解锁一个园区某期已锁定的数据（已锁定 → 已审核），须 --reason（记入修改历史）"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "reason":
                action.required = True
                action.help = "解锁原因（必填，记入修改历史）"

    def before(self, *, kind, park, period) -> None:
        return None

    def transition(self, *, kind, park, period, reason):
        return status.period_unlock(user=None, kind=kind, park=park, period=period, reason=reason)
