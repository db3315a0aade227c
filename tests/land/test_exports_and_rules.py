"""Exports in the import layouts import back unchanged (leads, investment-funds, parcels,
parcel-events); every kind has a template; the idle-land supervision rule yields one cause
per idle parcel with a stable key, on the day it becomes idle and not the day before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.economy.factories import make_enterprise, make_park
from yuanqu.core.modules import supervision_rules
from yuanqu.imports.engine import run_import
from yuanqu.imports.workbooks import run_export, template_workbook
from yuanqu.investment import services as investment
from yuanqu.land import services as land

pytestmark = pytest.mark.django_db
d = dt.date


def _world():
    park = make_park()
    e = make_enterprise(park, 1, "受让企业一")
    p = land.parcel_upsert(
        park=park,
        code="GY-1",
        name="一号地",
        area=D("4.2"),
        area_unit="ha",
        supply_method="listing",
        price=D(1512),
        enterprise=e,
        contract_signed_on=d(2022, 3, 28),
        start_contracted=d(2022, 5, 1),
    )
    for status, date in (("reserved", d(2021, 10, 8)), ("sold", d(2022, 3, 28))):
        land.parcel_event_set(parcel=p, status=status, date=date)
    lead = investment.lead_upsert(
        park=park,
        code="ZS1",
        name="外资项目",
        currency="USD",
        usd_rate=D("6.701"),
        planned_investment=D(1200),
        agreement_amount=D(1200),
        parcel=p,
        enterprise=e,
    )
    investment.lead_stage_set(lead=lead, stage="talks", date=d(2022, 3, 3))
    investment.lead_stage_set(lead=lead, stage="signed", date=d(2022, 6, 8))
    investment.lead_fund_set(lead=lead, year=2022, month=7, fixed_assets=D(800))
    return park, p


@pytest.mark.parametrize("kind", ["leads", "investment-funds", "parcels", "parcel-events"])
def test_export_imports_back_unchanged(tmp_path: Path, kind: str) -> None:
    park, _ = _world()
    _export, data = run_export(kind, park=park.code)
    out = tmp_path / f"{kind}.xlsx"
    out.write_bytes(data)
    again = run_import(out, kind=kind, park=park)
    assert again.ok, [i.text() for i in again.issues]
    assert (again.new, again.changed) == (0, 0) and again.unchanged >= 1
    assert template_workbook(kind)[:2] == b"PK"


def test_idle_land_rule() -> None:
    park, parcel = _world()
    rule = next(r for r in supervision_rules() if r.key == "land-idle")
    from yuanqu.core.modules import resolve

    check = resolve(rule.target)
    assert list(check(park, d(2023, 4, 30))) == []
    causes = list(check(park, d(2023, 5, 1)))
    assert [c.key for c in causes] == [f"land-idle:{park.code}:GY-1"]
    assert causes[0].object == parcel and causes[0].url == f"/land/parcels/{parcel.pk}/"
    assert "63亩" in causes[0].title and "2023-05-01" in causes[0].title
    land.parcel_event_set(parcel=parcel, status="started", date=d(2023, 6, 1))
    assert list(check(park, d(2023, 6, 1))) == []
