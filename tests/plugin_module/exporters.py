from __future__ import annotations

from typing import Any

from tests.plugin_module.importers import IMPORTED
from yuanqu.imports.workbooks import Export


def export(*, user: Any = None, **_: Any) -> Export:
    rows = [[r.get("credit_code"), r.get("tonnes")] for r in IMPORTED]
    return Export("企业碳排放", ["统一社会信用代码", "碳排放量(吨)"], rows)
