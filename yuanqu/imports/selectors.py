"""Scoped reads of the import log."""

from __future__ import annotations

from typing import TypedDict

from django.db.models import Q, QuerySet

from yuanqu.accounts.models import Role, User
from yuanqu.accounts.scopes import is_global, parks_for
from yuanqu.imports.models import DataSlice, DataSliceEvent, ImportRecord
from yuanqu.registry.models import Park


def import_list_for(*, user: User) -> QuerySet[ImportRecord]:
    """Imports the user may see: everything for administrators, its park's for park users,
    its own uploads for enterprise users."""
    qs = ImportRecord.objects.select_related("user", "park")
    if is_global(user):
        return qs
    if user.role == Role.ENTERPRISE:
        return qs.filter(user=user)
    return qs.filter(Q(park__in=parks_for(user)) | Q(user=user))


def import_get_for(*, user: User, pk: int) -> ImportRecord | None:
    return import_list_for(user=user).filter(pk=pk).first()


class ReviewSlice(TypedDict):
    """One row of the review page."""

    slice: DataSlice
    kind_label: str
    rows: int  # stored rows of the slice
    events: list[DataSliceEvent]  # its review / lock history


def review_slices(*, park: Park, year: int) -> list[ReviewSlice]:
    """The (kind, period) slices of a park and year with status, row counts and history, for
    the review page: every registered data kind (`core.modules.data_kinds`)."""
    from django.db.models import Count

    from yuanqu.core.modules import data_kinds
    from yuanqu.imports.engine import IMPORTERS, load_kinds

    load_kinds()
    kinds = data_kinds()
    counts: dict[tuple[str, int], int] = {}
    for kind in kinds:
        model = getattr(IMPORTERS.get(kind), "slice_model", None)
        if model is None:
            continue
        for month, n in (
            model.objects.filter(park=park, year=year)
            .values_list("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        ):
            counts[(kind, month)] = n
    slices = (
        DataSlice.objects.filter(park=park, year=year, kind__in=list(kinds))
        .prefetch_related("events__user")
        .order_by("-month", "kind")
    )
    return [
        {
            "slice": s,
            "kind_label": kinds[s.kind].label,
            "rows": counts.get((s.kind, s.month), 0),
            "events": list(s.events.all()),
        }
        for s in slices
    ]
