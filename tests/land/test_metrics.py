"""Every 土地 metric on hand-made parcels: a parcel entered in 公顷 (stored exactly, shown in
亩), the year's 收储 / 征收 / 净地 / 组卷 / 出让 figures as of a date, and idle land on the day
it becomes idle and the day before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.economy.factories import make_enterprise, make_park
from yuanqu.land import formulas, selectors, services

pytestmark = pytest.mark.django_db
d = dt.date


def test_area_and_idle_formulas():
    assert formulas.area_mu(D("2.3456"), "ha") == D("35.1840")
    assert formulas.area_mu(D("35.5"), "mu") == D("35.5")
    assert formulas.unit_price_wan_per_mu(D(900), D(45)) == D(20)
    assert formulas.idle_from(d(2020, 2, 29)) == d(2021, 3, 1)
    kw = {"sold_on": d(2022, 1, 10), "start_contracted": d(2022, 3, 15), "started_on": None}
    assert not formulas.is_idle(**kw, at=d(2023, 3, 14))
    assert formulas.is_idle(**kw, at=d(2023, 3, 15))
    assert not formulas.is_idle(**{**kw, "started_on": d(2023, 3, 14)}, at=d(2023, 3, 15))


def _world():
    park = make_park()
    e = make_enterprise(park, 1, "受让企业一")

    def parcel(code, area, unit, events, **extra):
        p = services.parcel_upsert(park=park, code=code, area=D(area), area_unit=unit, **extra)
        for status, date in events:
            services.parcel_event_set(parcel=p, status=status, date=date)
        return p

    # P1: 3 公顷 = 45 亩; agreement 2022-03, expropriating since 2022-05.
    p1 = parcel("P1", "3", "ha", [("agreement", d(2022, 3, 1)), ("expropriating", d(2022, 5, 1))])
    # P2: 120.5 亩, agreement 2022-02, reserved 2022-09 (净地, available).
    parcel("P2", "120.5", "mu", [("agreement", d(2022, 2, 1)), ("reserved", d(2022, 9, 1))])
    # P3: 60 亩 reserved 2021, dossier 2022-04, sold 2022-06-20 for 1,800万元, contracted
    # start 2022-09-01, not started: idle from 2023-09-01.
    parcel(
        "P3",
        "60",
        "mu",
        [("reserved", d(2021, 10, 1)), ("dossier", d(2022, 4, 1)), ("sold", d(2022, 6, 20))],
        price=D(1800),
        enterprise=e,
        start_contracted=d(2022, 9, 1),
    )
    # P4: 2.1 公顷 = 31.5 亩, dossier 2022-11, listed 2022-12 (unsold, available).
    parcel(
        "P4",
        "2.1",
        "ha",
        [("reserved", d(2021, 5, 1)), ("dossier", d(2022, 11, 1)), ("listed", d(2022, 12, 5))],
    )
    return park, p1, e


def test_year_figures_as_of_year_end():
    park, p1, e = _world()
    p1.refresh_from_db()
    assert (p1.area, p1.area_unit, p1.area_mu, p1.status) == (D(3), "ha", D(45), "expropriating")
    s = selectors.land_summary(park=park, year=2022)
    assert (s.reserved.count, s.reserved.area_mu) == (2, D("165.5"))  # P1 45 + P2 120.5
    assert s.expropriating.area_mu == D(45)
    assert (s.available.count, s.available.area_mu) == (2, D(152))  # P2 120.5 + P4 31.5
    assert s.dossiers.count == 2 and s.dossiers_sold.count == 1
    assert (s.dossiers_sold.area_mu, s.dossiers_sold.amount) == (D(60), D(1800))
    assert s.idle.count == 0
    # As of 2022-08-31: P2 still 收储协议签订 (not available), P4 净地 since 2021 and not yet
    # in a dossier (available), P3 sold.
    mid = selectors.land_summary(park=park, year=2022, at=d(2022, 8, 31))
    assert [r.parcel.code for r in mid.available.parcels] == ["P4"] and mid.dossiers.count == 1
    assert selectors.land_area_by_enterprise([e.pk]) == {e.pk: D(60)}


def test_cockpit_card_is_the_land_at_the_month_end():
    from yuanqu.core.periods import Period
    from yuanqu.land.cockpit import land_card

    park, _, _ = _world()
    card = land_card(park, Period(2022, 8))
    # A stock at a date: "2022年8月末" (P4 only), not the YTD label "2022年1-8月末".
    assert card is not None and card["label"] == "成熟可供用地（2022年8月末）"
    assert (card["value"], card["unit"]) == ("32", "亩")  # 31.5 亩, rounded half up
    assert land_card(park, Period(2022, 12))["value"] == "152"


def test_idle_on_the_day_and_not_the_day_before():
    park, _, _ = _world()
    assert selectors.land_summary(park=park, year=2023, at=d(2023, 8, 31)).idle.count == 0
    s = selectors.land_summary(park=park, year=2023, at=d(2023, 9, 1))
    assert [r.parcel.code for r in s.idle.parcels] == ["P3"]
    assert [
        r.parcel.code for r in selectors.parcel_rows(park=park, at=d(2023, 9, 1), status="idle")
    ] == ["P3"]
