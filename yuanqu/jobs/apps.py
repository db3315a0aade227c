from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "yuanqu.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from yuanqu.jobs import heartbeat

        heartbeat.connect()
