"""Summary tables kept in step with the data: the extension point and the one notification.

A module that keeps summaries (park × period totals a page reads instead of the rows) declares
them in its `MODULE.summaries` (`SummarySpec`): the data kinds it follows, and dotted paths of
three functions — `refresh(change)` (called inside the transaction of the write), `rebuild(park_ids)`
(everything again, for `yuanqu summaries rebuild`) and `check(park_ids)` (differences between the
summaries and a full recomputation, for `yuanqu summaries check` and the tests).

Every write path that changes data a summary sums calls `notify(Change(...))` inside its
transaction: the period-data base does it for each import (`imports.status.slices_touch`), the
status transitions for review / return / lock / unlock, the registry for its changes. A summary
that does not depend on what changed ignores the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

SliceKey = tuple[int, int, int]  # (park_id, year, month)


@dataclass(frozen=True)
class Change:
    """What a write changed: rows of data `kind` in these slices, enterprises, parks, years."""

    kind: str
    # "import" (rows written or deleted), "status" (review, return, lock, unlock),
    # "registry" (enterprises, clusters, the 规上 list).
    event: str = "import"
    slices: frozenset[SliceKey] = frozenset()
    enterprise_ids: frozenset[int] = frozenset()
    park_ids: frozenset[int] = frozenset()
    years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SummarySpec:
    key: str
    label: str
    kinds: tuple[str, ...]
    refresh: str  # "package.module:function", called with a Change
    rebuild: str  # called with park_ids (None: all); returns the rows written
    check: str  # called with park_ids (None: all); returns a list of differences (Chinese)
    events: tuple[str, ...] = field(default=("import", "registry"))


def _resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    fn: Callable[..., Any] = getattr(import_module(module), name)
    return fn


def specs() -> list[SummarySpec]:
    from yuanqu.core.modules import modules

    return [s for m in modules() for s in m.summaries]


@cache
def resolve(path: str) -> Callable[..., Any]:
    return _resolve(path)


def notify(change: Change) -> None:
    """Bring every summary that follows `change.kind` in step (call inside the transaction)."""
    from yuanqu.core import versions

    versions.changed()
    for spec in specs():
        if change.kind in spec.kinds and change.event in spec.events:
            resolve(spec.refresh)(change)


def rebuild(park_ids: Iterable[int] | None = None) -> dict[str, int]:
    from yuanqu.core import versions

    versions.changed()
    ids = list(park_ids) if park_ids is not None else None
    return {spec.key: int(resolve(spec.rebuild)(ids)) for spec in specs()}


def check(park_ids: Iterable[int] | None = None) -> dict[str, list[str]]:
    ids = list(park_ids) if park_ids is not None else None
    return {spec.key: list(resolve(spec.check)(ids)) for spec in specs()}
