"""The `yuanqu` console script: Django's manage.py, with our own commands listed first.

`yuanqu --help` prints the platform's commands (Chinese descriptions); every other
Django command still works (`yuanqu migrate`, `yuanqu createsuperuser`).
"""

from __future__ import annotations

import os
import sys

OUR_APPS = ("yuanqu",)


def _print_help() -> None:
    from django.core.management import get_commands, load_command_class

    print("用法: yuanqu <命令> [选项]   （每个命令也可用 python manage.py <命令>）\n")
    print("园区平台命令：")
    commands = get_commands()
    for name in sorted(commands):
        app = commands[name]
        if app not in OUR_APPS and not app.startswith("yuanqu."):
            continue
        try:
            help_text = load_command_class(app, name).help.strip().splitlines()[0]
        except Exception:  # a broken command must not break --help
            help_text = ""
        print(f"  {name.replace('_', '-'):<14} {help_text}")
    print("\n其他 Django 命令（migrate、createsuperuser、shell …）同样可用；")
    print("`yuanqu help <命令>` 查看某个命令的选项。")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        _print_help()
        return
    from django.core.management import execute_from_command_line

    argv[0] = "yuanqu"
    if not argv[1].startswith("-"):
        # Commands are spelled with hyphens (`yuanqu check-data`); Django's modules cannot be.
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
