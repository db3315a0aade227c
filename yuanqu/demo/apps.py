from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yuanqu.demo"
    label = "demo"
    verbose_name = "演示数据"
