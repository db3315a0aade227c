"""`yuanqu demo`: load every module's demo data once; a second run changes nothing.

Each module adds a part here (registry, users, economy, …). A part is loaded in one
transaction and marked in `DemoLoad`; a part already marked is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.db import transaction

from yuanqu.demo.models import DemoLoad

# (part, version, "module:function"), in dependency order.
PARTS: list[tuple[str, str, str]] = [
    ("registry", "1", "yuanqu.demo.registry:load_registry"),
    ("users", "1", "yuanqu.demo.users:load_users"),
    ("economy", "1", "yuanqu.demo.economy:load_economy"),
]


def _resolve(target: str) -> Callable[[], object]:
    module, func = target.split(":")
    return getattr(import_module(module), func)


def load_demo(*, log: Callable[[str], None] = print) -> list[str]:
    """Load the parts not yet loaded; return the names of those loaded now."""
    loaded = []
    for part, version, target in PARTS:
        if DemoLoad.objects.filter(part=part, version=version).exists():
            continue
        with transaction.atomic():
            log(f"加载演示数据：{part} …")
            _resolve(target)()
            DemoLoad.objects.update_or_create(part=part, defaults={"version": version})
        loaded.append(part)
    return loaded
