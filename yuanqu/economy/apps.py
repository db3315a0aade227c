from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "yuanqu.economy"
    label = "economy"
    verbose_name = "经济运行"
