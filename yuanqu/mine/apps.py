from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from yuanqu.accounts.models import AuthUser


class MineConfig(AppConfig):
    name = "yuanqu.mine"
    label = "mine"
    verbose_name = "本企业"

    def ready(self) -> None:
        import rules

        from yuanqu.mine.selectors import is_enterprise_user

        # The navigation asks `has_perm(NavEntry.permission, park)`: 本企业 is an enterprise
        # user's page only (staff read the park's pages instead).
        @rules.predicate
        def own_enterprise(user: AuthUser, obj: object = None) -> bool:
            return is_enterprise_user(user)

        rules.set_perm(PERM_VIEW, own_enterprise)


PERM_VIEW = "mine.view"
