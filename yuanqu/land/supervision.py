"""土地's supervision rule (督办, issue 10's app consumes it): 闲置土地 at a date.

`idle_land(park, date)` yields one `Cause` per parcel that is 闲置 at `date` (sold, not
started one year after its contracted start; `land.formulas.is_idle`). A cause is a plain
frozen dataclass:

- `key`: stable across runs while the cause lasts — "land-idle:<park code>:<parcel code>" —
  so the supervision app raises one task per open cause and knows when it has cleared;
- `title`: the task's title in Chinese, naming the parcel, its buyer and since when;
- `url`: the parcel's page;
- `object`: the `Parcel` itself (for the task's link to its object).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from yuanqu.land import selectors
from yuanqu.registry.models import Park


@dataclass(frozen=True)
class Cause:
    key: str
    title: str
    url: str
    object: Any


def idle_land(park: Park, date: dt.date) -> Iterator[Cause]:
    for row in selectors.parcel_rows(park=park, at=date, status="idle"):
        p = row.parcel
        buyer = p.enterprise.name if p.enterprise_id else (p.buyer_name or "受让人")
        yield Cause(
            key=f"land-idle:{park.code}:{p.code}",
            title=(
                f"闲置土地：宗地{p.code}（{p.name}，{p.area_mu.normalize():f}亩）{buyer}"
                f"自{row.idle_from}起超过约定开工日期一年未开工"
            ),
            url=reverse("land:parcel", args=[p.pk]),
            object=p,
        )
