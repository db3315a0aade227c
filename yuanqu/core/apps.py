from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # A login must not fail while an import holds SQLite's write lock: record last_login
        # when the lock is free, skip it otherwise (yuanqu.core.middleware).
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from yuanqu.core.middleware import update_last_login_tolerant

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login_tolerant, dispatch_uid="update_last_login")
