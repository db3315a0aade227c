from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "yuanqu.investment"
    label = "investment"
    verbose_name = "招商引资"
