from django.apps import AppConfig


class CarbonConfig(AppConfig):
    name = "tests.plugin_module"
    label = "plugin_module"
    verbose_name = "碳排放（测试模块）"
