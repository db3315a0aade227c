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

        # Every committed write to the data raises the data version (core.versions).
        from django.db.models.signals import post_delete, post_save

        from yuanqu.core.versions import on_write

        post_save.connect(on_write, dispatch_uid="yuanqu_data_version_save")
        post_delete.connect(on_write, dispatch_uid="yuanqu_data_version_delete")
