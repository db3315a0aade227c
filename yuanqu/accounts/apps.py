from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yuanqu.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from yuanqu.accounts.policy import register_rules

        register_rules()
        # Registers the deploy checks and the login signal receiver.
        from yuanqu.accounts import checks, middleware  # noqa: F401
