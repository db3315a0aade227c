"""Every write of 土地: importers, the demo, the pages and the admin call these.

A parcel's area is kept as entered and in exact 亩 (`formulas.area_mu`); its `status` follows
its latest event (`parcel_event_set`). Writes by the land department count at once (no review:
DECISIONS.md, "a module's records written by that module's own department count at once").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from yuanqu.core.history import furthest_step, step_entry_set
from yuanqu.land import formulas
from yuanqu.land.models import STATUS_ORDER, Parcel, ParcelEvent
from yuanqu.registry.models import Park


def parcel_upsert(*, park: Park, code: str, **values: Any) -> Parcel:
    """Create the park's parcel `code`, or update the given fields. `area` with `area_unit`
    ("mu" or "ha") sets the exact 亩 figure."""
    if "area" in values:
        values["area_mu"] = formulas.area_mu(Decimal(values["area"]), values.get("area_unit", "mu"))
    parcel, created = Parcel.objects.get_or_create(park=park, code=code, defaults=values)
    if not created and values:
        changed = [k for k, v in values.items() if getattr(parcel, k) != v]
        for k in changed:
            setattr(parcel, k, values[k])
        if changed:
            parcel.save(update_fields=[*changed, "updated_at"])
    return parcel


@transaction.atomic
def parcel_event_set(*, parcel: Parcel, status: str, date: dt.date, note: str = "") -> ParcelEvent:
    """Record that the parcel reached `status` on `date` (one date per status; a second call
    corrects it) and move the parcel's `status` to its furthest event."""
    event = step_entry_set(ParcelEvent, parcel, status, date, note)
    parcel_status_refresh(parcel=parcel)
    return event


def parcel_event_delete(*, parcel: Parcel, status: str) -> None:
    ParcelEvent.objects.filter(parcel=parcel, status=status).delete()
    parcel_status_refresh(parcel=parcel)


def parcel_status_refresh(*, parcel: Parcel) -> Parcel:
    """The parcel's status = its furthest event in lifecycle order (拟收储 without events)."""
    statuses = set(ParcelEvent.objects.filter(parcel=parcel).values_list("status", flat=True))
    furthest = furthest_step(statuses, STATUS_ORDER)
    if parcel.status != furthest:
        parcel.status = furthest
        parcel.save(update_fields=["status", "updated_at"])
    return parcel
