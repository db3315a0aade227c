from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yuanqu.reports"
    label = "reports"
    verbose_name = "报告"
