"""碳排放's import kind: found by the import engine through module.py."""

from __future__ import annotations

from typing import Any

from yuanqu.imports.engine import FieldSpec, Importer, Preview, register

# What the demo part and the tests read back (the test module has no tables of its own).
IMPORTED: list[dict[str, Any]] = []


@register
class CarbonImporter(Importer):
    kind = "carbon-emissions"
    label = "企业碳排放"
    fields = [
        FieldSpec("credit_code", "统一社会信用代码", required=True),
        FieldSpec("tonnes", "碳排放量(吨)", required=True, example="1200"),
    ]

    def clean(self, record: Any) -> Any | None:
        return dict(record.values)

    def plan(self, rows: list[Any], preview: Preview) -> Any:
        preview.new = len(rows)
        return rows

    def apply(self, plan: Any, preview: Preview, record: Any) -> None:
        IMPORTED.extend(plan)
