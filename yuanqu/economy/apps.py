from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "yuanqu.economy"
    label = "economy"
    verbose_name = "经济运行"

    def ready(self) -> None:
        from yuanqu.economy import signals  # noqa: F401  (connects the summary receivers)
