"""One base for period data: rows sliced by (kind, park, period), replaced or merged.

Enterprise reports and park indicators (and later project progress, fund flows, 到位资金) keep
rows per (park, year, month) with a data status per slice (`imports.status`). What every such
kind does the same way lives here, so a new kind writes only its rows:

- **replace / merge**: `replacing` says whether rows of a slice missing from the file are
  deleted. An enterprise user's own submission always merges (DECISIONS.md, Import).
- **the lock check**: `slice_change(key)` is called for every row that would change a slice;
  a locked slice needs the lock permission and a reason (`status.locked_change`).
- **submit-only**: enterprise users never change or delete rows of a reviewed or locked slice
  (`slice_change(..., existing=True)` reports an error naming the row and the period).
- **the deletion guard**: `guard_deletions` refuses a replace that would delete more than
  YUANQU_REPLACE_GUARD_PCT percent of a slice's stored rows unless the import allows
  deletions (CLI `--allow-deletions`, the web's typed confirmation); the preview keeps the
  slices in `preview.checks["guard"]`.
- **data status**: `slices_commit` records the import in each touched slice's history.
- **the preview's table**: `sample_deleted` puts what a replace deletes, with names.

The base works for both engine paths: streaming kinds call it from `feed` / `finish`, small
kinds from `plan` / `apply`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Count, Model

from yuanqu.accounts import policy
from yuanqu.imports.engine import Importer, Issue, Preview
from yuanqu.imports.models import DataSlice, DataStatus
from yuanqu.imports.status import StatusError, locked_change, locked_slices, slices_touch

SliceKey = tuple[int, int, int]  # (park_id, year, month)


def guard_pct() -> int:
    return int(getattr(settings, "YUANQU_REPLACE_GUARD_PCT", 20))


def period_text(year: int, month: int) -> str:
    return f"{year}-{month:02d}" if month else f"{year}年"


class PeriodSliceImporter(Importer):
    """Base of kinds whose rows are sliced by (park, period); see the module docstring."""

    # The stored model: it has park (FK), year and month.
    slice_model: ClassVar[type[Model]]
    # How messages name the data of one slice: "园区X 2023-11 的{slice_label}".
    slice_label: ClassVar[str] = "数据"
    write_area = "economy"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.submit_only_user = policy.is_submit_only(ctx.user)
        self.slice_keys: set[SliceKey] = set()  # every slice the file names
        self.locked: set[SliceKey] = set()
        self.reviewed: set[SliceKey] = set()  # 已审核 or 已锁定: closed to submit-only users
        self.lock_reported: set[SliceKey] = set()
        self.touched: set[SliceKey] = set()  # slices this import changes
        self._parks: dict[int, Any] = {}

    # -- which slices -------------------------------------------------------------------------
    @property
    def replacing(self) -> bool:
        """Rows of a slice missing from the file are deleted: replace mode, never for an
        enterprise's own submission (it merges into its own rows)."""
        return self.ctx.mode == "replace" and not self.submit_only_user

    def note_slices(self, keys: Iterable[SliceKey]) -> None:
        """The file names these slices: learn their status once."""
        fresh = set(keys) - self.slice_keys
        if not fresh:
            return
        self.slice_keys |= fresh
        self.locked |= locked_slices(kind=self.kind, keys=fresh)
        if self.submit_only_user:
            parks = {k[0] for k in fresh}
            years = {k[1] for k in fresh}
            rows = DataSlice.objects.filter(
                kind=self.kind,
                park_id__in=parks,
                year__in=years,
                status__in=(DataStatus.REVIEWED, DataStatus.LOCKED),
            ).values_list("park_id", "year", "month")
            self.reviewed |= {r for r in rows if r in fresh}

    def slice_park(self, park_id: int) -> Any:
        if park_id not in self._parks:
            from yuanqu.registry.models import Park

            self._parks[park_id] = Park.objects.filter(pk=park_id).first()
        return self._parks[park_id]

    def slice_what(self, key: SliceKey) -> str:
        park_id, year, month = key
        park = self.slice_park(park_id)
        name = park.name if park is not None else str(park_id)
        return f"园区{name} {period_text(year, month)} 的{self.slice_label}"

    def slice_change(
        self,
        key: SliceKey,
        *,
        existing: bool = False,
        record: Any = None,
        label: str = "",
    ) -> bool:
        """A row changes slice `key` (new, changed or — `existing` — a stored row changed or
        deleted). Notes the slice and reports lock and submit-only refusals; False when the
        change is refused."""
        self.touched.add(key)
        if self.submit_only_user and existing and key in self.reviewed:
            status = "已锁定" if key in self.locked else "已审核"
            message = (
                f"{self.slice_what(key)}{status}，企业报送不能修改或删除已审核、已锁定的数据"
                + (f"（{label}）" if label else "")
                + "：如需更正，请联系经发局退回或代为更正"
            )
            if record is not None:
                self.ctx.error(message, sheet=record.sheet, row=record.row)
            else:
                self.ctx.error(message)
            return False
        if key not in self.locked or key in self.lock_reported:
            return True
        self.lock_reported.add(key)
        ctx = self.ctx
        found = locked_change(
            user=ctx.user,
            reason=ctx.reason,
            dry_run=ctx.dry_run,
            what=self.slice_what(key),
            park=self.slice_park(key[0]),
            kind=self.kind,
        )
        if found:
            ctx.add(Issue(found[0], found[1]))
            return found[0] != "error"
        return True

    # -- the deletion guard ------------------------------------------------------------------
    def stored_counts(self, keys: Iterable[SliceKey]) -> dict[SliceKey, int]:
        """Rows stored per slice before this import."""
        keys = set(keys)
        if not keys:
            return {}
        rows = (
            self.slice_model.objects.filter(
                park_id__in={k[0] for k in keys}, year__in={k[1] for k in keys}
            )
            .values_list("park_id", "year", "month")
            .annotate(n=Count("pk"))
        )
        return {(p, y, m): n for p, y, m, n in rows if (p, y, m) in keys}

    def guard_deletions(
        self, preview: Preview, deleted: dict[SliceKey, int], stored: dict[SliceKey, int]
    ) -> None:
        """Refuse (or, on a preview, flag) a replace deleting more than the guard's share of a
        slice's stored rows. The slices go to `preview.checks["guard"]` for the page."""
        pct = guard_pct()
        over = []
        for key in sorted(deleted):
            gone, held = deleted[key], stored.get(key, 0)
            if not gone or not held or Decimal(gone) * 100 <= Decimal(held) * pct:
                continue
            over.append(
                {
                    "slice": self.slice_what(key),
                    "park_id": key[0],
                    "period": period_text(key[1], key[2]),
                    "deleted": gone,
                    "stored": held,
                }
            )
        if not over:
            return
        preview.checks["guard"] = over
        preview.checks["guard_pct"] = pct
        if self.ctx.allow_deletions:
            return
        detail = "；".join(
            f"{g['slice']}已入库 {g['stored']} 行，将删除 {g['deleted']} 行" for g in over
        )
        message = (
            f"替换导入将删除超过 {pct}% 的已入库数据（{detail}）：如确需删除，请在网页上输入"
            "删除行数或“确认删除”后导入，命令行加 --allow-deletions；只想增改请改为合并导入"
            "（--mode merge）"
        )
        self.ctx.add(Issue("warning" if self.ctx.dry_run else "error", message))

    # -- the preview's table ------------------------------------------------------------------
    @staticmethod
    def sample_deleted(preview: Preview, label: str, changes: list[tuple[str, Any, Any]]) -> None:
        preview.add_sample("deleted", label, changes)

    # -- data status --------------------------------------------------------------------------
    def slices_commit(self, record: Any, keys: Iterable[SliceKey] | None = None) -> None:
        """Record the import in the history of each slice it changed (inside the commit)."""
        try:
            slices_touch(
                kind=self.kind,
                keys=set(self.touched if keys is None else keys),
                user=self.ctx.user,
                submit_only=self.ctx.submit_only,
                reason=self.ctx.reason,
                import_record=record,
            )
        except StatusError as exc:  # pragma: no cover - slice_change() refused it already
            raise ValueError(str(exc)) from exc
