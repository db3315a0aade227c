from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yuanqu.registry"
    label = "registry"
    verbose_name = "主体名录"
