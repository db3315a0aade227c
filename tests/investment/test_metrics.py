"""Every 招商引资 metric on hand-made leads, with the expected figures worked out by hand:
a terminated lead (before and after signing), a USD lead converted at its signing-date rate,
targets reached early (and one not reached), the cohort's rates, 到位率, conversion and the
median days in a stage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.economy.factories import make_park
from yuanqu.economy.models import Indicator, Target
from yuanqu.investment import formulas, selectors, services
from yuanqu.registry.models import IndustryCluster

pytestmark = pytest.mark.django_db


def test_formulas_by_hand():
    assert formulas.to_cny_wan(D(1500), "USD", D("6.7")) == D(10050)
    assert formulas.to_cny_wan(D(1500), "USD", None) is None
    assert formulas.to_cny_wan(D(8000), "CNY", None) == D(8000)
    s = [(dt.date(2022, 3, 1), D(1)), (dt.date(2022, 5, 10), D(1)), (dt.date(2022, 8, 20), D(1))]
    assert formulas.target_reached_on(s, D(2)) == dt.date(2022, 5, 10)
    assert formulas.target_reached_on(s, D(4)) is None
    assert formulas.ahead_of_year(dt.date(2022, 12, 30), 2022)
    assert not formulas.ahead_of_year(dt.date(2022, 12, 31), 2022)
    assert formulas.exceeded(D(4), D(3)) and not formulas.exceeded(D(3), D(3))
    assert formulas.count_at_least([D(10000), D("9999.99"), None, D(200000)], D(10000)) == 2
    assert formulas.median_days([10, 20]) == D(15) and formulas.median_days([]) is None
    assert formulas.funds_arrival_rate_pct(D(500), D(2000)) == D(25)
    assert formulas.rate_of_cohort(1, 3) == D(100) / 3


def _world():
    park = make_park()
    metal = IndustryCluster.objects.create(park=park, name="金属智造")
    material = IndustryCluster.objects.create(park=park, name="新材料")
    for code in ("investment_signed_count", "investment_signed_amount"):
        assert Indicator.objects.filter(code=code, source="module").exists()
    count = Indicator.objects.get(code="investment_signed_count")
    amount = Indicator.objects.get(code="investment_signed_amount")
    Target.objects.create(park=park, indicator=count, year=2022, value=D(3))
    Target.objects.create(park=park, indicator=amount, year=2022, value=D(50000))

    def lead(code, stages, amount=None, currency="CNY", rate=None, cluster=metal, planned=0):
        obj = services.lead_upsert(
            park=park,
            code=code,
            name=f"项目{code}",
            cluster=cluster,
            currency=currency,
            usd_rate=rate,
            planned_investment=D(planned),
            agreement_amount=None if amount is None else D(amount),
        )
        for stage, date, *note in stages:
            services.lead_stage_set(lead=obj, stage=stage, date=date, note=note[0] if note else "")
        return obj

    d = dt.date
    # A: CNY 20,000, signed 3-01, started 6-01, producing 11-15.
    a = lead(
        "A",
        [
            ("clue", d(2021, 12, 1)),
            ("talks", d(2022, 1, 10)),
            ("signed", d(2022, 3, 1)),
            ("started", d(2022, 6, 1)),
            ("producing", d(2022, 11, 15)),
        ],
        20000,
    )
    # B: USD 1,500万美元 at 6.7 (signing date 5-10) = 10,050万元; funds 1,005 in July.
    b = lead("B", [("talks", d(2022, 2, 1)), ("signed", d(2022, 5, 10))], 1500, "USD", "6.7")
    services.lead_fund_set(lead=b, year=2022, month=7, fixed_assets=D(805), working_capital=D(200))
    # C: 新材料, 25,000, signed 8-20 then terminated 10-01: a signing, not 履约.
    lead(
        "C",
        [
            ("talks", d(2022, 4, 1)),
            ("signed", d(2022, 8, 20)),
            ("terminated", d(2022, 10, 1), "投资方资金链断裂"),
        ],
        25000,
        cluster=material,
    )
    # D: terminated while in talks: never a signing.
    lead("D", [("talks", d(2022, 3, 1)), ("terminated", d(2022, 4, 1), "选址外地")], 90000)
    # E, F: reserve (意向) at year end; E 30,000 metal, F 12,000 新材料 (planned amounts).
    lead("E", [("talks", d(2022, 6, 1)), ("intent", d(2022, 9, 1))], planned=30000)
    lead("F", [("intent", d(2022, 10, 1))], planned=12000, cluster=material)
    # G: signed in 2023: not this year's.
    lead("G", [("talks", d(2022, 11, 1)), ("signed", d(2023, 2, 1))], 5000)
    return park, a, b


def test_signings_targets_and_sizes():
    park, _a, _b = _world()
    s = selectors.investment_summary(park=park, year=2022)
    # A 20,000 + B 10,050 + C 25,000 = 55,050万元, 3 signings (D terminated before signing).
    assert [r.lead.code for r in s.signings] == ["A", "B", "C"]
    assert s.signed_count == 3 and s.signed_amount == D(55050)
    # Count target 3 reached with C on 8-20 (early, not exceeded); amount 50,000 reached by C too.
    assert s.count_reached_on == dt.date(2022, 8, 20) and s.count_ahead and not s.count_exceeded
    assert s.amount_reached_on == dt.date(2022, 8, 20) and s.amount_ahead and s.amount_exceeded
    assert (s.large_count, s.huge_count) == (3, 0)
    assert s.largest.lead.code == "C" and s.largest.amount == D(25000)
    assert not s.required_reached and s.required_size == D(100000)
    assert [(c.name, c.count, c.amount) for c in s.by_cluster] == [
        ("金属智造", 2, D(30050)),
        ("新材料", 1, D(25000)),
    ]
    # Reserve at year end: E and F, 42,000万元.
    assert [r.lead.code for r in s.reserve] == ["E", "F"] and s.reserve_amount == D(42000)
    assert [(c.name, c.count) for c in s.reserve_by_cluster] == [("金属智造", 1), ("新材料", 1)]


def test_cohort_rates_funds_and_conversion():
    park, _a, _b = _world()
    s = selectors.investment_summary(park=park, year=2022)
    # 履约: A (started) and B (funds); C terminated → 2 of 3; 开工 1 of 3; 投产 1 of 3.
    assert (s.fulfilled, s.started, s.producing) == (2, 1, 1)
    assert s.fulfilment_pct == D(200) / 3 and s.start_pct == D(100) / 3
    # 到位 1,005 of 55,050 agreed.
    assert s.cohort_funds == D(1005) and s.funds_fixed == D(805) and s.funds_working == D(200)
    assert s.funds_rate_pct == D(1005) / D(55050) * 100
    talks = next(line for line in s.stages if line.stage == "talks")
    # Reached 洽谈 (or beyond) by year end: A B C D E (F went straight to 意向 → reached too),
    # G (talks 11-01) = 7; went on: A B C (signed), E F (intent) = 5.
    assert (talks.reached, talks.went_on) == (7, 5)
    # Days 洽谈 → 意向 recorded only for E (6-01 → 9-01 = 92 days).
    assert talks.median_days == D(92)
    signed = next(line for line in s.stages if line.stage == "signed")
    assert (signed.reached, signed.went_on, signed.median_days) == (3, 1, D(92))
    # As seen at 6-30: only A and B signed; the count target not yet reached.
    mid = selectors.investment_summary(park=park, year=2022, at=dt.date(2022, 6, 30))
    assert mid.signed_count == 2 and mid.count_reached_on is None and not mid.count_ahead


def test_usd_without_rate_is_not_added():
    park = make_park()
    lead = services.lead_upsert(
        park=park, code="U", name="美元项目", currency="USD", agreement_amount=D(100)
    )
    services.lead_stage_set(lead=lead, stage="signed", date=dt.date(2022, 4, 1))
    s = selectors.investment_summary(park=park, year=2022)
    assert s.signed_count == 1 and s.signed_amount == 0 and len(s.unconverted) == 1
