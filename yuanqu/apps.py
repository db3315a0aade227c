from django.apps import AppConfig


class YuanquConfig(AppConfig):
    """The project package itself: holds the `yuanqu` management commands."""

    name = "yuanqu"
    verbose_name = "园区平台"
