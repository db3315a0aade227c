"""One JSON shape of the land figures for `yuanqu land --json`, the API and the pages:
numbers are strings, areas exact in 亩, money exact in 万元."""

from __future__ import annotations

from typing import Any

from yuanqu.investment.presenters import num
from yuanqu.land.models import ParcelStatus
from yuanqu.land.selectors import Group, LandSummary, ParcelRow


def parcel_json(r: ParcelRow) -> dict[str, Any]:
    p = r.parcel
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "location": p.location,
        "area": num(p.area),
        "area_unit": p.get_area_unit_display(),
        "area_mu": num(p.area_mu),
        "use": p.get_use_display(),
        "status": r.status,
        "status_label": r.status_label,
        "supply_method": p.get_supply_method_display() if p.supply_method else "",
        "price": num(p.price),
        "unit_price": num(r.unit_price),
        "buyer": p.enterprise.name if p.enterprise_id else p.buyer_name,
        "project": p.project.code if p.project_id else None,
        "start_contracted": str(p.start_contracted) if p.start_contracted else None,
        "idle": r.idle,
        "idle_from": str(r.idle_from) if r.idle_from else None,
        "events": {k: str(v) for k, v in r.dates.items()},
    }


def group_json(g: Group, *, parcels: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "count": str(g.count),
        "area_mu": num(g.area_mu),
        "amount": num(g.amount),
    }
    if parcels:
        out["parcels"] = [parcel_json(r) for r in g.parcels]
    return out


def summary_json(s: LandSummary) -> dict[str, Any]:
    return {
        "park": s.park.code,
        "year": str(s.year),
        "as_of": str(s.at),
        "target_reserved_mu": num(s.target_reserved_mu),
        "reserved": group_json(s.reserved),
        "expropriating": group_json(s.expropriating),
        "available": group_json(s.available),
        "dossiers": group_json(s.dossiers),
        "dossiers_sold": group_json(s.dossiers_sold, parcels=True),
        "sold": group_json(s.sold),
        "idle": group_json(s.idle, parcels=True),
        "by_status": {
            k: {"label": ParcelStatus(k).label, **group_json(g)} for k, g in s.by_status.items()
        },
    }
