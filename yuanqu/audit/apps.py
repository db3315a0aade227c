from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yuanqu.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from yuanqu.audit import registration, signals

        registration.register_models()
        signals.connect()
