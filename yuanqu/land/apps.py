from django.apps import AppConfig


class LandConfig(AppConfig):
    name = "yuanqu.land"
    label = "land"
    verbose_name = "土地"
