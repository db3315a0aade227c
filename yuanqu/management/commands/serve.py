from __future__ import annotations

import os
import signal
import sys
import threading

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "启动网页服务（waitress，静态文件随应用提供，无需外网）；--with-worker 同时启动后台任务进程"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("YUANQU_HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="同时启动一个后台任务进程（yuanqu tasks worker），随服务一起停止",
        )

    def handle(self, *args, port: int, host: str, threads: int, with_worker: bool, **options):
        serve(host=host, port=port, threads=threads, stdout=self.stdout, with_worker=with_worker)


def serve(
    *, host: str, port: int, threads: int = 8, stdout=None, with_worker: bool = False
) -> None:
    """Serve the app with waitress until Ctrl+C; with `with_worker`, a background worker
    (`yuanqu tasks worker`: imports, reports, periodic checks) runs beside it as a child
    process and is stopped with it."""
    from waitress import serve as waitress_serve

    from config.wsgi import application
    from yuanqu.jobs.worker import spawn_worker, stop_worker

    worker = spawn_worker(stdout=stdout) if with_worker else None
    if worker is not None and threading.current_thread() is threading.main_thread():
        # A service manager or `kill` stops us with SIGTERM: leave through `finally`, so the
        # worker stops with the web server as on Ctrl+C.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if stdout is not None:
            stdout.write(f"网页服务：http://{host}:{port}/  （Ctrl+C 停止）")
            stdout.flush()
        waitress_serve(application, host=host, port=port, threads=threads, ident="yuanqu")
    finally:
        if worker is not None:
            stop_worker(worker)
