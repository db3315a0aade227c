from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "yuanqu.funding"
    label = "funding"
    verbose_name = "项目资金"
