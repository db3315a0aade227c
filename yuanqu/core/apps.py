from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    label = "core"
    verbose_name = "基础"
