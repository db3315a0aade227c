"""Reads of 土地: parcels at a date and the year's figures of the speech's (五).

Everything the pages, the API, `yuanqu land`, the reports, the cockpit and the supervision
rule show comes from `land_summary` / `parcel_rows`, so they agree to the digit. A parcel's
status *at a date* is read from its events (its furthest event dated on or before it), so a
report of 2022 sees 2022's land. Definitions (DECISIONS.md, "(五)"): 新增收储 = area whose
收储协议 was signed in the year; 征收 = area 征收中 at the date; 成熟可供用地 = unsold 净地 at
the date (已收储, 组卷, 挂牌); X宗出让材料 = parcels whose dossier event is in the year, 其中N宗
已出让 the subset sold by the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from yuanqu.land import formulas
from yuanqu.land.models import STATUS_ORDER, Parcel, ParcelEvent, ParcelStatus
from yuanqu.registry.models import Park

AVAILABLE = (ParcelStatus.RESERVED, ParcelStatus.DOSSIER, ParcelStatus.LISTED)
SOLD_OR_LATER = (ParcelStatus.SOLD, ParcelStatus.HANDED_OVER, ParcelStatus.STARTED)


def today() -> dt.date:
    """The date "now" for pages without an explicit date: `YUANQU_TODAY` (setting or
    environment, YYYY-MM-DD) when set — the demo's pinned day — else the server's date."""
    import os

    from django.conf import settings

    pinned = getattr(settings, "YUANQU_TODAY", "") or os.environ.get("YUANQU_TODAY", "")
    try:
        return dt.date.fromisoformat(str(pinned)) if pinned else dt.date.today()
    except ValueError:
        return dt.date.today()


def parcels_for(*, park: Park) -> QuerySet[Parcel]:
    return (
        Parcel.objects.filter(park=park)
        .select_related("enterprise", "project")
        .prefetch_related(Prefetch("events", queryset=ParcelEvent.objects.order_by("date", "id")))
    )


def event_dates(parcel: Parcel) -> dict[str, dt.date]:
    """status → date of a parcel's events (prefetched)."""
    return {e.status: e.date for e in parcel.events.all()}


def status_at(parcel: Parcel, at: dt.date) -> str:
    """The parcel's furthest status reached on or before `at` (拟收储 when none yet)."""
    reached = [s for s, d in event_dates(parcel).items() if d <= at]
    return max(reached, key=STATUS_ORDER.index) if reached else ParcelStatus.PROPOSED.value


@dataclass
class ParcelRow:
    parcel: Parcel
    status: str  # at the date
    dates: dict[str, dt.date]
    unit_price: Decimal | None
    idle: bool
    idle_from: dt.date | None

    @property
    def status_label(self) -> str:
        return ParcelStatus(self.status).label

    @property
    def sold_on(self) -> dt.date | None:
        return self.dates.get(ParcelStatus.SOLD)

    @property
    def started_on(self) -> dt.date | None:
        return self.dates.get(ParcelStatus.STARTED)


def parcel_row(parcel: Parcel, at: dt.date) -> ParcelRow:
    dates = event_dates(parcel)
    start = parcel.start_contracted
    return ParcelRow(
        parcel=parcel,
        status=status_at(parcel, at),
        dates=dates,
        unit_price=formulas.unit_price_wan_per_mu(parcel.price, parcel.area_mu),
        idle=formulas.is_idle(
            sold_on=dates.get(ParcelStatus.SOLD),
            start_contracted=start,
            started_on=dates.get(ParcelStatus.STARTED),
            at=at,
        ),
        idle_from=formulas.idle_from(start) if start else None,
    )


def parcel_rows(*, park: Park, at: dt.date, status: str = "") -> list[ParcelRow]:
    """Every parcel of the park at the date (`status`: only those in that status then;
    "idle": only 闲置 ones)."""
    rows = [parcel_row(p, at) for p in parcels_for(park=park)]
    if status == "idle":
        return [r for r in rows if r.idle]
    if status:
        return [r for r in rows if r.status == status]
    return rows


@dataclass
class Group:
    count: int = 0
    area_mu: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    parcels: list[ParcelRow] = field(default_factory=list)

    def add(self, row: ParcelRow) -> None:
        self.count += 1
        self.area_mu += row.parcel.area_mu
        self.amount += row.parcel.price or Decimal(0)
        self.parcels.append(row)


@dataclass
class LandSummary:
    park: Park
    year: int
    at: dt.date
    reserved: Group  # 收储协议 signed in the year
    expropriating: Group  # 征收中 at the date
    available: Group  # unsold 净地 at the date
    dossiers: Group  # 出让材料组卷 in the year
    dossiers_sold: Group  # of those, sold by the date
    sold: Group  # every parcel sold in the year
    idle: Group  # 闲置 at the date
    by_status: dict[str, Group]
    target_reserved_mu: Decimal | None


def _in_year(d: dt.date | None, year: int, at: dt.date) -> bool:
    return d is not None and d.year == year and d <= at


def year_end(year: int, at: dt.date | None = None) -> dt.date:
    end = dt.date(year, 12, 31)
    return min(end, at) if at else end


def land_summary(*, park: Park, year: int, at: dt.date | None = None) -> LandSummary:
    """The year's land figures of a park, as seen at `at` (default: 31 December)."""
    from yuanqu.investment.selectors import module_target

    at = year_end(year, at)
    s = LandSummary(
        park=park,
        year=year,
        at=at,
        reserved=Group(),
        expropriating=Group(),
        available=Group(),
        dossiers=Group(),
        dossiers_sold=Group(),
        sold=Group(),
        idle=Group(),
        by_status={k: Group() for k in STATUS_ORDER},
        target_reserved_mu=module_target(park=park, year=year, code="land_reserved_area"),
    )
    for row in parcel_rows(park=park, at=at):
        d = row.dates
        s.by_status[row.status].add(row)
        if _in_year(d.get(ParcelStatus.AGREEMENT), year, at):
            s.reserved.add(row)
        if row.status == ParcelStatus.EXPROPRIATING:
            s.expropriating.add(row)
        if row.status in AVAILABLE:
            s.available.add(row)
        if _in_year(d.get(ParcelStatus.DOSSIER), year, at):
            s.dossiers.add(row)
            if row.status in SOLD_OR_LATER:
                s.dossiers_sold.add(row)
        if _in_year(d.get(ParcelStatus.SOLD), year, at):
            s.sold.add(row)
        if row.idle:
            s.idle.add(row)
    return s


def land_area_by_enterprise(enterprise_ids: list[int]) -> dict[int, Decimal]:
    """Each enterprise's land in 亩: the parcels sold to it (已出让 or later), for 亩均. An
    enterprise without such a parcel is absent (economy keeps its registry figure)."""
    found: dict[int, Decimal] = {}
    rows = Parcel.objects.filter(
        enterprise_id__in=enterprise_ids, status__in=SOLD_OR_LATER
    ).values_list("enterprise_id", "area_mu")
    for enterprise_id, area in rows:
        found[enterprise_id] = found.get(enterprise_id, Decimal(0)) + area
    return found
