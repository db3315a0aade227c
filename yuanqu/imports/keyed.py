"""A reusable plan/apply for kinds that upsert one model row per file row, keyed by a code.

Registry-style kinds (parks, enterprises, …) have no period slice: a row is new when its key
is unknown, changed when any mapped value differs, unchanged otherwise. Rows absent from the
file are never deleted for these kinds (a catalogue file may be partial).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from yuanqu.imports.engine import Importer, Preview, iter_chunks


@dataclass
class KeyedRow:
    key: str
    values: dict[str, Any]
    record: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class KeyedPlan:
    create: list[KeyedRow]
    update: list[tuple[models.Model, KeyedRow]]


class KeyedImporter(Importer):
    model: type[models.Model]
    key_field: str = "code"
    key_label: str = "代码"

    def check_all(self, rows: list[KeyedRow]) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            if row.key in seen:
                self.err(
                    row.record,
                    self.key_field,
                    f"{self.key_label}“{row.key}”在文件中重复（第{seen[row.key]}行已出现）：请删除重复行",
                )
            else:
                seen[row.key] = row.record.row

    def existing(self, keys: list[str]) -> dict[str, models.Model]:
        found: dict[str, models.Model] = {}
        for chunk in iter_chunks(keys, 900):
            for obj in self.model.objects.filter(**{f"{self.key_field}__in": chunk}):
                found[getattr(obj, self.key_field)] = obj
        return found

    def plan(self, rows: list[KeyedRow], preview: Preview) -> KeyedPlan:
        current = self.existing([r.key for r in rows])
        plan = KeyedPlan(create=[], update=[])
        labels = {f.name: f.label for f in self.fields}
        for row in rows:
            obj = current.get(row.key)
            where = {
                "sheet": getattr(row.record, "sheet", ""),
                "row": getattr(row.record, "row", None),
            }
            if obj is None:
                plan.create.append(row)
                shown = [
                    (labels.get(k, k), "", v) for k, v in row.values.items() if v not in ("", None)
                ]
                preview.add_sample("new", row.key, shown[:4], **where)
                continue
            diff = [
                (labels.get(k, k), getattr(obj, k), v)
                for k, v in row.values.items()
                if getattr(obj, k) != v
            ]
            if diff:
                plan.update.append((obj, row))
                preview.add_sample("changed", row.key, diff, **where)
            else:
                preview.unchanged += 1
        preview.new = len(plan.create)
        preview.changed = len(plan.update)
        return plan

    def build(self, row: KeyedRow) -> models.Model:
        return self.model(**{self.key_field: row.key}, **row.values)

    def apply(self, plan: KeyedPlan, preview: Preview, record: Any) -> None:
        self.model.objects.bulk_create([self.build(r) for r in plan.create], batch_size=500)
        if plan.update:
            names = sorted({k for _, r in plan.update for k in r.values})
            for obj, row in plan.update:
                for k, v in row.values.items():
                    setattr(obj, k, v)
            self.model.objects.bulk_update([o for o, _ in plan.update], names, batch_size=500)
