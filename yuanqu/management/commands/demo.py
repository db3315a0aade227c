from __future__ import annotations

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from yuanqu.demo.loader import load_demo
from yuanqu.demo.users import login_table
from yuanqu.registry.models import Park


class Command(BaseCommand):
    help = (
        "创建/迁移数据库，加载演示园区（可重复运行，不重复写入），打印网址和演示账号，"
        "启动网页服务和后台任务进程"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("YUANQU_HOST", "127.0.0.1"))
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务进程（大文件导入将排队等待）"
        )

    def handle(
        self, *args, port: int, host: str, no_serve: bool, no_worker: bool, **options
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_demo(log=lambda msg: self.stderr.write(msg))
        if not loaded:
            self.stderr.write("演示数据已存在，未作改动。")
        self.stdout.write("")
        self.stdout.write("演示园区（示范市 DEMO-CITY）：")
        for park in Park.objects.filter(region__code="DEMO-CITY").order_by("code"):
            self.stdout.write(f"  {park.code:<6} {park.name}")
        self.stdout.write("")
        self.stdout.write("演示账号（用户名 / 密码 / 角色）：")
        for username, password, label in login_table():
            self.stdout.write(f"  {username:<10} {password:<10} {label}")
        self.stdout.write("")
        url = f"http://{host}:{port}/"
        self.stdout.write(f"网址：{url}")
        self.stdout.flush()
        if not no_serve:
            from yuanqu.management.commands.serve import serve

            # The worker beside the web server runs large imports, reports and the periodic
            # checks (yuanqu.jobs); it stops with the server.
            serve(host=host, port=port, stdout=self.stdout, with_worker=not no_worker)
