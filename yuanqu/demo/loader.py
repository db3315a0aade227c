"""`yuanqu demo`: load every module's demo data once; a second run changes nothing.

Each module declares its parts (`ModuleSpec.demo_parts`: name, version, target, order); they
load in `order` across modules. A part is loaded in one transaction and marked in `DemoLoad`;
a part already marked at its version is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from yuanqu.core import versions
from yuanqu.core.modules import demo_parts, resolve
from yuanqu.demo.models import DemoLoad


def load_demo(*, log: Callable[[str], None] = print) -> list[str]:
    """Load the parts not yet loaded; return the names of those loaded now."""
    loaded = []
    for part in demo_parts():
        if DemoLoad.objects.filter(part=part.name, version=part.version).exists():
            continue
        with transaction.atomic():
            log(f"加载演示数据：{part.name} …")
            resolve(part.target)()
            DemoLoad.objects.update_or_create(part=part.name, defaults={"version": part.version})
            # Parts write in bulk (no signals): say the data changed (core.versions).
            versions.changed()
        loaded.append(part.name)
    return loaded
