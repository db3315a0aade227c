"""Deployment checks (`manage.py check --deploy`) for what Django's own do not know."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_from_env(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[CheckMessage]:
    # The generated key file is per machine: behind a load balancer each app server would sign
    # sessions and CSRF tokens with its own key and users would be logged out at random.
    if getattr(settings, "SECRET_KEY_FROM_FILE", False):
        return [
            Warning(
                "SECRET_KEY 来自自动生成的密钥文件，未由 YUANQU_SECRET_KEY 设置。",
                hint=(
                    "生产环境请设置 YUANQU_SECRET_KEY（多台应用服务器须相同），见 docs/deploy.md。"
                    " / Set YUANQU_SECRET_KEY in production (the same on every app server)."
                ),
                id="yuanqu.W001",
            )
        ]
    return []
