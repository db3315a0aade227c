from django.apps import AppConfig

PERM_CITY = "dashboard.city"


class DashboardConfig(AppConfig):
    name = "yuanqu.dashboard"
    label = "dashboard"
    verbose_name = "驾驶舱"

    def ready(self) -> None:
        import rules

        from yuanqu.accounts.models import Role

        # The navigation asks `has_perm(NavEntry.permission, park)`: the city view is for
        # readers of several parks (市级用户, 系统管理员); a park's own users have its cockpit.
        @rules.predicate
        def reads_a_region(user: object, obj: object = None) -> bool:
            return getattr(user, "role", None) in {Role.CITY, Role.ADMIN}

        rules.set_perm(PERM_CITY, reads_a_region)
