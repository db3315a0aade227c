"""The demo economy tells the story it promises, and its rows obey the reporting rules.

Expectations are computed straight from the rows with plain Decimal sums, never through the
product's selectors. The demo is loaded once for the module (inside a transaction rolled back at
the end), because loading takes a few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction

from yuanqu.demo.loader import load_demo
from yuanqu.economy.models import (
    EnterpriseReport,
    LongTermGoal,
    ParkIndicatorValue,
    Target,
)
from yuanqu.imports.models import DataSlice
from yuanqu.registry.models import EnterpriseScale

PARKS = ("DEMO", "DEMO2", "DEMO3", "DEMO4")
MONTH_FLOWS = ("output", "sales", "export")
YTD_ONLY = ("revenue", "cost", "profit", "vat", "electricity", "tax_paid")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(log=lambda m: None)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def rows(loaded, django_db_blocker):
    with django_db_blocker.unblock():
        return list(
            EnterpriseReport.objects.select_related("park", "enterprise__cluster").order_by(
                "enterprise_id", "year", "month"
            )
        )


@pytest.fixture(scope="module")
def by_key(rows):
    return {(r.enterprise_id, r.year, r.month): r for r in rows}


def totals(rows, year: int, month: int = 12, field: str = "output_ytd") -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r.year == year and r.month == month:
            out[r.park.code] += getattr(r, field)
    return out


def growth(rows, year: int, month: int = 12) -> dict[str, Decimal]:
    now = totals(rows, year, month)
    base = totals(rows, year, month, "output_ytd_ly")
    return {p: now[p] / base[p] - 1 for p in now}


def test_demo_doubles_output_but_misses_the_2022_target(rows):
    y2019 = totals(rows, 2019)["DEMO"] / 10  # 千元 → 万元
    y2022 = totals(rows, 2022)["DEMO"] / 10
    y2023 = totals(rows, 2023)["DEMO"] / 10
    assert Decimal(820_000) <= y2022 <= Decimal(880_000)
    assert y2022 / y2019 >= 2
    assert y2022 < y2023
    target = Target.objects.get(
        park__code="DEMO", indicator__code="industrial_output", year=2022
    ).value
    assert target == Decimal(1_000_000)
    assert y2022 < target
    goals = {
        g.kind: g
        for g in LongTermGoal.objects.filter(park__code="DEMO").select_related("indicator")
    }
    assert goals["doubling"].base_year == 2019
    assert goals["doubling"].indicator.code == "industrial_output"
    assert goals["hundred_yi"].target_value == Decimal(1_000_000)
    assert goals["hundred_yi"].target_year == 2023


def test_demo_comparable_growth_positive_every_year_and_one_cluster_falls_in_2022(rows):
    for year in range(2019, 2024):
        assert growth(rows, year)["DEMO"] > 0, year
    now: dict[str, Decimal] = defaultdict(Decimal)
    base: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r.park.code == "DEMO" and r.year == 2022 and r.month == 12:
            now[r.enterprise.cluster.name] += r.output_ytd
            base[r.enterprise.cluster.name] += r.output_ytd_ly
    rates = {c: now[c] / base[c] - 1 for c in now}
    assert set(rates) == {"金属智造", "新材料", "机械装备", "电子信息"}
    assert sum(1 for v in rates.values() if v < 0) == 1
    assert min(rates.values()) > Decimal("-0.08")  # slightly negative, not a collapse


def test_speech_projection_at_november_is_about_85_yi(rows):
    nov22 = totals(rows, 2022, 11)["DEMO"]
    full21 = totals(rows, 2021, 12)["DEMO"]
    nov21 = totals(rows, 2021, 11)["DEMO"]
    projected_yi = nov22 * full21 / nov21 / 100_000
    assert Decimal(82) <= projected_yi <= Decimal(88)
    # Behind time progress at mid-year against the 100亿 target.
    june = totals(rows, 2022, 6)["DEMO"] / 10
    assert june / Decimal(1_000_000) < Decimal("0.5")


def test_parks_rank_differently_on_output_and_growth(rows):
    out = totals(rows, 2022)
    g = growth(rows, 2022)
    by_output = sorted(PARKS, key=lambda p: -out[p])
    by_growth = sorted(PARKS, key=lambda p: -g[p])
    assert by_output[0] == "DEMO"
    assert by_growth[0] == "DEMO2"
    assert by_output != by_growth
    margin = {
        p: totals(rows, 2022, 12, "profit_ytd")[p] / totals(rows, 2022, 12, "revenue_ytd")[p]
        for p in PARKS
    }
    assert max(PARKS, key=margin.get) == "DEMO4"
    land: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r.year == 2022 and r.month == 12:
            land[r.park.code] += r.enterprise.land_area_mu
    tax = totals(rows, 2022, 12, "tax_paid_ytd")
    assert max(PARKS, key=lambda p: tax[p] / land[p]) == "DEMO2"


def test_no_january_units_and_one_decimal(rows):
    assert rows
    assert not EnterpriseReport.objects.filter(month=1).exists()
    assert not ParkIndicatorValue.objects.filter(month=1).exists()
    assert {r.unit for r in rows} == {"千元"}
    assert {r.park.code for r in rows} == set(PARKS)
    assert min(r.year for r in rows) == 2019 and max(r.year for r in rows) == 2023
    for r in rows[::37]:
        for f in ("output_month", "sales_ytd", "revenue_ytd", "tax_paid_ytd", "output_ytd_ly"):
            value = getattr(r, f)
            assert value == value.quantize(Decimal("0.1")), (r, f)


def test_ytd_is_cumulative_and_sales_and_export_bounded(rows, by_key):
    for r in rows:
        prev = by_key.get((r.enterprise_id, r.year, r.month - 1))
        for f in MONTH_FLOWS:
            ytd, month = getattr(r, f"{f}_ytd"), getattr(r, f"{f}_month")
            if prev is None:
                assert ytd == month, (r, f)  # 1-2月, or a new plant's first month
            else:
                assert ytd == getattr(prev, f"{f}_ytd") + month, (r, f)
        if prev is not None:
            for f in ("revenue", "cost", "electricity", "tax_paid"):
                assert getattr(r, f"{f}_ytd") >= getattr(prev, f"{f}_ytd"), (r, f)
        assert r.export_ytd <= r.sales_ytd and r.export_month <= r.sales_month
        assert r.sales_ytd <= r.output_ytd
        assert r.output_ytd > 0 and r.employees > 0
    # Seasonality: the average month in 1-2月 is lower than December.
    feb = totals(rows, 2021, 2, "output_month")["DEMO"] / 2
    dec = totals(rows, 2021, 12, "output_month")["DEMO"]
    assert feb < dec * Decimal("0.7")


def test_last_year_columns_are_the_enterprises_own_figures(rows, by_key):
    checked = 0
    for r in rows:
        last = by_key.get((r.enterprise_id, r.year - 1, r.month))
        if last is None:
            continue
        checked += 1
        for f in MONTH_FLOWS:
            assert getattr(r, f"{f}_month_ly") == getattr(last, f"{f}_month"), (r, f)
            assert getattr(r, f"{f}_ytd_ly") == getattr(last, f"{f}_ytd"), (r, f)
        for f in YTD_ONLY:
            assert getattr(r, f"{f}_ytd_ly") == getattr(last, f"{f}_ytd"), (r, f)
        assert r.employees_ly == last.employees
    assert checked > 8000


def test_only_the_years_set_reports_and_entrants_declare_last_year(rows):
    reported: dict[tuple[int, int], set[int]] = defaultdict(set)
    ly_at_12: dict[tuple[int, int], EnterpriseReport] = {}
    for r in rows:
        reported[r.enterprise_id, r.year].add(r.month)
        if r.month == 12:
            ly_at_12[r.enterprise_id, r.year] = r
    scales = EnterpriseScale.objects.filter(enterprise__park__code__in=PARKS).select_related(
        "enterprise"
    )
    kinds = defaultdict(int)
    for s in scales:
        months = reported.get((s.enterprise_id, s.year), set())
        if not s.is_above_scale:
            assert not months, s  # an exiting enterprise reports nothing that year
            continue
        first = s.entry_month if s.entry == EnterpriseScale.Entry.MONTHLY else 2
        assert months == set(range(max(2, first), 13)), s
        dec = ly_at_12[s.enterprise_id, s.year]
        if s.entry == EnterpriseScale.Entry.ANNUAL:
            kinds["annual"] += 1
            assert 0 < dec.output_ytd_ly and dec.revenue_ytd_ly < 20_000  # below 2000万元
        elif s.entry == EnterpriseScale.Entry.MONTHLY:
            kinds["monthly"] += 1
            assert dec.output_ytd_ly == 0 and dec.revenue_ytd_ly == 0
        elif s.year == 2019:
            assert dec.output_ytd_ly > 0
    assert kinds["annual"] > 10 and kinds["monthly"] > 10


def test_park_indicators_targets_and_data_status():
    def value(park, code, year, month=12, basis="statistics"):
        return ParkIndicatorValue.objects.get(
            park__code=park, indicator__code=code, year=year, month=month, basis=basis
        )

    fai = value("DEMO", "fixed_asset_investment", 2022)
    assert Decimal(300_000) <= fai.value <= Decimal(340_000)
    assert Decimal(12) <= fai.yoy_pct <= Decimal(18)
    assert fai.yoy_pct == fai.yoy_pct.quantize(Decimal("0.1"))
    last = value("DEMO", "fixed_asset_investment", 2021)
    expected = (fai.value / last.value - 1) * 100
    assert abs(fai.yoy_pct - expected) <= Decimal("0.05")
    target = Target.objects.get(
        park__code="DEMO", indicator__code="fixed_asset_investment", year=2022
    )
    assert fai.value >= target.value  # FAI target met
    tax = value("DEMO", "tax_total", 2022)
    assert Decimal(42_000) <= tax.value <= Decimal(50_000)
    va = value("DEMO", "industrial_va_growth", 2022)
    assert va.value == Decimal("9.6") and va.yoy_pct is None
    va_target = Target.objects.get(
        park__code="DEMO", indicator__code="industrial_va_growth", year=2022
    )
    assert va_target.kind == Target.Kind.GROWTH
    assert value("DEMO4", "fdi_actual", 2022).value == 0
    assert value("DEMO2", "fdi_actual", 2022).value > 0
    # Ranks differ by indicator: DEMO3 leads investment, DEMO4 budget-revenue growth.
    fai_by_park = {p: value(p, "fixed_asset_investment", 2022).value for p in PARKS}
    assert max(PARKS, key=fai_by_park.get) == "DEMO3"
    budget = {p: value(p, "budget_revenue", 2022).yoy_pct for p in PARKS}
    assert max(PARKS, key=budget.get) == "DEMO4"
    # 调度数 kept beside 统计数, labelled, a little higher.
    dispatch = ParkIndicatorValue.objects.filter(park__code="DEMO", basis="dispatch")
    assert dispatch.exists()
    for d in dispatch:
        stat = value("DEMO", "fixed_asset_investment", d.year, d.month)
        assert d.value > stat.value
    # Every park has every indicator every month Feb–Dec 2019–2023.
    for p in PARKS:
        assert ParkIndicatorValue.objects.filter(park__code=p, basis="statistics").count() == (
            5 * 5 * 11
        )
        # Economy's own targets (module targets — 招商, 土地 — are their modules' demo data).
        economy_targets = Target.objects.filter(park__code=p).exclude(indicator__source="module")
        assert economy_targets.count() == 25
    statuses = defaultdict(set)
    for s in DataSlice.objects.filter(park__code__in=PARKS).select_related("park"):
        statuses[s.kind, s.year < 2023].add(s.status)
        if s.year == 2023 and s.status == "submitted":
            assert (s.park.code, s.month) == ("DEMO4", 12)
    for kind in ("enterprise-reports", "park-indicators"):
        assert statuses[kind, True] == {"locked"}
        assert statuses[kind, False] == {"reviewed", "submitted"}


def test_a_second_load_changes_nothing():
    models = (EnterpriseReport, ParkIndicatorValue, Target, LongTermGoal, DataSlice)
    before = [m.objects.count() for m in models]
    assert load_demo(log=lambda m: None) == []
    assert [m.objects.count() for m in models] == before
