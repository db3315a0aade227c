from __future__ import annotations

import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网页服务（waitress，静态文件随应用提供，无需外网）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("YUANQU_HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, port: int, host: str, threads: int, **options) -> None:
        serve(host=host, port=port, threads=threads, stdout=self.stdout)


def serve(*, host: str, port: int, threads: int = 8, stdout=None) -> None:
    from waitress import serve as waitress_serve

    from config.wsgi import application

    if stdout is not None:
        stdout.write(f"网页服务：http://{host}:{port}/  （Ctrl+C 停止）")
        stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="yuanqu")
