"""Demo economy: enterprise monthly reports, bureau-released park indicators, targets, goals.

Deterministic (fixed seed). Every figure is made up, but shaped so the generated year-end report
can tell the story of the reference speech (2022, 示范工业园区): 率先实现工业总产值倍增 against
2019, 初步测算全年约85亿元, yet the year's target of 100亿元 was missed (经济指标未达预期).

Intended story (规上工业总产值 = Σ B204-1 1-12月 of the year's 规上 set, 亿元; ranks in 2022):

    park   2019  2020  2021  2022  2023  2022 target   2022 comparable growth, other 2022 facts
    DEMO   42    51    68    85    96    100 (missed)  ≈ +23%; 2022/2019 ≥ 2.0 (倍增); FAI 32亿
                                                       +15.1% (target 30亿 met); 税收 4.6亿
                                                       +12.2%; 增加值 +9.6%; 机械装备 cluster
                                                       slightly down in 2022 (a negative 拉动)
    DEMO2  29    33    40    55    63    50 (met)      1st on growth (≈ +40%) and on 亩均税收
    DEMO3  31    30.5  34.5  38    42    40 (missed)   1st on 固定资产投资 (36.2亿, +18.7%)
    DEMO4  14    14.6  16    18    19.5  17.5 (met)    1st on 利润率 and on 一般公共预算收入
                                                       growth (+19.4%); no foreign investment

Output ranks DEMO > DEMO2 > DEMO3 > DEMO4; growth ranks DEMO2 first. Months follow a seasonal
pattern (Spring Festival low in 1-2月, high in December; 2020 hit in February-March; a dip in
April-May 2022), the same shape in 2021 and 2022, so the seasonal-ratio projection at 2022-11
gives about 85亿元. January is never reported: February rows carry 1-2月.

Enterprise amounts are 千元 with one decimal; 上年同期 of an enterprise that reported last year is
exactly its own last-year figure; an enterprise entering the set (年度入库) declares a last-year
figure below the threshold; a new plant (月度入库, established the year before) declares 0.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from yuanqu.economy.models import (
    EnterpriseReport,
    Indicator,
    LongTermGoal,
    ParkIndicatorValue,
    Target,
)
from yuanqu.imports.models import DataSlice, DataStatus
from yuanqu.registry.models import Enterprise, EnterpriseScale, Park

SEED = 20221208
YEARS = (2019, 2020, 2021, 2022, 2023)
MONTHS = tuple(range(2, 13))  # January is carried in February (1-2月)
Q1 = Decimal("0.1")
ZERO = Decimal("0.0")

# Share of a year's output per calendar month (Jan … Dec); sums to 1.
SEASON = (0.070, 0.058, 0.082, 0.082, 0.084, 0.088, 0.080, 0.081, 0.086, 0.083, 0.090, 0.116)
# Year-specific shocks on the seasonal shape (renormalised): COVID in early 2020, April-May 2022.
SEASON_SHOCK = {
    2020: {1: 0.95, 2: 0.45, 3: 0.75, 4: 0.95, 9: 1.05, 10: 1.08, 11: 1.10, 12: 1.12},
    2022: {4: 0.92, 5: 0.95},
}
FAI_SEASON = (0.030, 0.035, 0.075, 0.080, 0.090, 0.110, 0.080, 0.085, 0.100, 0.085, 0.100, 0.130)
TAX_SEASON = (0.120, 0.070, 0.075, 0.090, 0.085, 0.080, 0.090, 0.070, 0.075, 0.085, 0.070, 0.090)

# 万千瓦时 per 千元 of output, by cluster.
ELECTRICITY = {
    "金属智造": (0.012, 0.025),
    "新材料": (0.010, 0.020),
    "化工新材料": (0.012, 0.022),
    "电子信息": (0.005, 0.010),
    "生物医药": (0.004, 0.009),
    "临港物流": (0.003, 0.007),
    "包装印刷": (0.008, 0.015),
}
ELECTRICITY_DEFAULT = (0.006, 0.012)

REPORT_KIND = "enterprise-reports"
INDICATOR_KIND = "park-indicators"
ENTERED = ("fixed_asset_investment", "tax_total", "budget_revenue", "fdi_actual")


@dataclass(frozen=True)
class ParkStory:
    code: str
    output: tuple[int, ...]  # Σ output 1-12月 of the year's set, 万元, 2019–2023
    growth_2019: float  # comparable growth of 2019 over the (unstored) 2018 figures
    cluster_growth: dict[str, tuple[float, ...]]  # continuing enterprises, 2019–2023
    anchors: tuple[int, ...]  # the biggest enterprises' 2019 output, 千元
    median_size: int  # typical 2019 output, 千元
    exporters: float  # share of enterprises with export delivery
    cost: tuple[float, float]  # 营业成本 / 营业收入
    expense: tuple[float, float]  # other costs / 营业收入 (profit = revenue × (1 − cost − expense))
    productivity: tuple[int, int]  # output per person a year, 千元
    tax_share: float  # share of the park's 全口径税收 paid by its 规上 industrial enterprises
    indicators: dict[str, tuple[int, ...]]  # released full-year values 2018–2023
    va_growth: tuple[float, ...]  # released 规上工业增加值增速 for the full year, 2019–2023
    targets: dict[str, tuple[float, ...]]  # 2019–2023


STORIES = (
    ParkStory(
        code="DEMO",
        output=(420_000, 510_000, 680_000, 850_000, 960_000),
        growth_2019=0.095,
        cluster_growth={
            "金属智造": (1.10, 1.12, 1.28, 1.34, 1.10),
            "新材料": (1.09, 1.14, 1.26, 1.38, 1.12),
            "机械装备": (1.08, 1.08, 1.22, 1.06, 1.08),
            "电子信息": (1.11, 1.10, 1.24, 1.24, 1.14),
        },
        anchors=(600_000, 460_000, 370_000, 300_000, 240_000),
        median_size=24_000,
        exporters=0.25,
        cost=(0.82, 0.90),
        expense=(0.04, 0.10),
        productivity=(700, 1500),
        tax_share=0.74,
        indicators={
            "fixed_asset_investment": (195_000, 215_000, 236_000, 278_000, 320_000, 352_000),
            "tax_total": (30_500, 33_000, 34_200, 41_000, 46_000, 50_500),
            "budget_revenue": (14_000, 15_200, 15_600, 18_100, 19_400, 21_000),
            "fdi_actual": (1_200, 1_350, 980, 1_600, 1_850, 2_050),
        },
        va_growth=(8.9, 4.6, 15.8, 9.6, 8.2),
        targets={
            "industrial_output": (400_000, 500_000, 650_000, 1_000_000, 1_000_000),
            "fixed_asset_investment": (200_000, 240_000, 260_000, 300_000, 360_000),
            "tax_total": (32_000, 36_000, 40_000, 48_000, 50_000),
            "budget_revenue": (15_000, 16_500, 17_500, 20_000, 20_500),
            "industrial_va_growth": (8.0, 6.0, 10.0, 8.0, 8.0),
        },
    ),
    ParkStory(
        code="DEMO2",
        output=(290_000, 330_000, 400_000, 550_000, 630_000),
        growth_2019=0.11,
        cluster_growth={
            "电子信息": (1.12, 1.12, 1.18, 1.38, 1.14),
            "生物医药": (1.10, 1.20, 1.15, 1.30, 1.12),
            "智能装备": (1.09, 1.08, 1.20, 1.33, 1.13),
        },
        anchors=(350_000, 260_000, 200_000),
        median_size=42_000,
        exporters=0.40,
        cost=(0.80, 0.88),
        expense=(0.06, 0.12),
        productivity=(600, 1400),
        tax_share=0.78,
        indicators={
            "fixed_asset_investment": (132_000, 150_000, 165_000, 185_000, 210_000, 235_000),
            "tax_total": (22_000, 24_500, 26_800, 31_000, 36_500, 40_000),
            "budget_revenue": (10_200, 11_300, 12_100, 13_900, 15_800, 17_200),
            "fdi_actual": (2_400, 2_800, 2_500, 3_300, 3_900, 4_200),
        },
        va_growth=(10.2, 6.8, 18.6, 13.5, 10.8),
        targets={
            "industrial_output": (280_000, 320_000, 380_000, 500_000, 650_000),
            "fixed_asset_investment": (140_000, 170_000, 180_000, 200_000, 240_000),
            "tax_total": (24_000, 28_000, 30_000, 35_000, 42_000),
            "budget_revenue": (11_000, 12_500, 13_500, 15_000, 17_000),
            "industrial_va_growth": (9.0, 8.0, 12.0, 10.0, 10.0),
        },
    ),
    ParkStory(
        code="DEMO3",
        output=(310_000, 305_000, 345_000, 380_000, 420_000),
        growth_2019=0.07,
        cluster_growth={
            "临港物流": (1.05, 0.96, 1.10, 1.08, 1.09),
            "化工新材料": (1.08, 1.02, 1.15, 1.12, 1.10),
            "装备制造": (1.07, 1.00, 1.12, 1.09, 1.10),
        },
        anchors=(300_000, 220_000),
        median_size=58_000,
        exporters=0.30,
        cost=(0.84, 0.90),
        expense=(0.05, 0.10),
        productivity=(900, 2000),
        tax_share=0.62,
        indicators={
            "fixed_asset_investment": (210_000, 240_000, 265_000, 305_000, 362_000, 390_000),
            "tax_total": (16_500, 17_800, 18_200, 20_100, 21_900, 23_500),
            "budget_revenue": (8_000, 8_600, 8_700, 9_500, 9_100, 9_800),
            "fdi_actual": (600, 750, 400, 820, 900, 1_000),
        },
        va_growth=(7.1, 2.3, 9.5, 6.1, 6.9),
        targets={
            "industrial_output": (320_000, 330_000, 335_000, 400_000, 410_000),
            "fixed_asset_investment": (230_000, 260_000, 290_000, 340_000, 400_000),
            "tax_total": (18_000, 19_000, 20_000, 22_500, 23_000),
            "budget_revenue": (8_500, 9_000, 9_300, 9_800, 9_600),
            "industrial_va_growth": (7.5, 5.0, 8.0, 7.0, 7.0),
        },
    ),
    ParkStory(
        code="DEMO4",
        output=(140_000, 146_000, 160_000, 180_000, 195_000),
        growth_2019=0.08,
        cluster_growth={
            "食品加工": (1.07, 1.04, 1.09, 1.12, 1.08),
            "农副产品": (1.08, 1.05, 1.08, 1.10, 1.07),
            "包装印刷": (1.06, 1.02, 1.10, 1.13, 1.09),
        },
        anchors=(120_000,),
        median_size=45_000,
        exporters=0.10,
        cost=(0.80, 0.85),
        expense=(0.04, 0.07),
        productivity=(500, 1000),
        tax_share=0.70,
        indicators={
            "fixed_asset_investment": (55_000, 60_000, 66_000, 75_000, 88_000, 95_000),
            "tax_total": (6_500, 7_100, 7_300, 8_000, 9_000, 9_800),
            "budget_revenue": (3_000, 3_250, 3_300, 3_600, 4_300, 4_600),
            "fdi_actual": (0, 0, 0, 0, 0, 0),
        },
        va_growth=(6.5, 3.1, 8.2, 7.4, 6.6),
        targets={
            "industrial_output": (135_000, 160_000, 155_000, 175_000, 200_000),
            "fixed_asset_investment": (58_000, 70_000, 72_000, 85_000, 100_000),
            "tax_total": (7_000, 7_800, 7_900, 8_800, 10_000),
            "budget_revenue": (3_200, 3_500, 3_500, 4_000, 4_500),
            "industrial_va_growth": (7.0, 5.0, 8.0, 7.0, 7.0),
        },
    ),
)

# Flows carried with 本月 and 1-本月 (B204-1), and the B203 figures carried 1-本月 only.
MONTH_FLOWS = ("output", "sales", "export")
YTD_FLOWS = ("revenue", "cost", "profit", "vat", "electricity", "tax_paid")
FLOWS = MONTH_FLOWS + YTD_FLOWS


def q(value: float) -> Decimal:
    """A float rounded half-up to one decimal, as a Decimal."""
    return Decimal(value).quantize(Q1, rounding=ROUND_HALF_UP)


def _weights(rng: random.Random, base: tuple[float, ...], shock: dict[int, float], noise: float):
    raw = [w * shock.get(m, 1.0) * max(0.5, 1 + rng.gauss(0, noise)) for m, w in enumerate(base, 1)]
    total = sum(raw)
    return [w / total for w in raw]


@dataclass
class FirmYear:
    """One enterprise's figures for one year: months first_month … 12 (2 = 1-2月)."""

    first_month: int
    month: dict[str, dict[int, Decimal]]  # flow → month → 本月 (for B203 flows, internal)
    ytd: dict[str, dict[int, Decimal]]  # flow → month → 1-本月
    employees: dict[int, Decimal]


ZERO_YEAR = FirmYear(13, {f: {} for f in FLOWS}, {f: {} for f in FLOWS}, {})


@dataclass
class Params:
    sales: float
    export: float
    revenue: float
    cost: float
    profit: float
    vat: float
    tax: float
    electricity: float
    productivity: float
    drift: float


def _build_year(
    annual: float,
    run_rate: float,
    weights: list[float],
    first_month: int,
    p: Params,
    tax_factor: float,
) -> FirmYear:
    """Split an annual output into reported months and derive every flow from it."""
    share = {2: weights[0] + weights[1]} | {m: weights[m - 1] for m in range(3, 13)}
    months = [m for m in MONTHS if m >= first_month]
    frac = sum(share[m] for m in months)
    month: dict[str, dict[int, Decimal]] = {f: {} for f in FLOWS}
    for m in months:
        out = annual * share[m] / frac
        o = q(out)
        s = q(out * p.sales)
        rev = q(out * p.revenue)
        month["output"][m] = o
        month["sales"][m] = s
        month["export"][m] = (s * Decimal(p.export)).quantize(Q1, rounding=ROUND_DOWN)
        month["revenue"][m] = rev
        month["cost"][m] = q(out * p.revenue * p.cost)
        month["profit"][m] = q(out * p.revenue * p.profit)
        month["vat"][m] = q(out * p.revenue * p.vat)
        month["electricity"][m] = q(out * p.electricity)
        month["tax_paid"][m] = q(out * p.revenue * p.tax * tax_factor)
    ytd: dict[str, dict[int, Decimal]] = {f: {} for f in FLOWS}
    for f in FLOWS:
        total = ZERO
        for m in months:
            total += month[f][m]
            ytd[f][m] = total
    heads = [run_rate / p.productivity * (1 + p.drift * (m - 6.5) / 12) for m in range(1, 13)]
    start = 0 if first_month == 2 else first_month - 1
    employees = {}
    for m in months:
        counted = heads[start:m]
        employees[m] = Decimal(max(5, round(sum(counted) / len(counted))))
    return FirmYear(first_month, month, ytd, employees)


def load_economy() -> None:
    """Create the demo economy of the four demo parks (run once by the demo loader)."""
    rng = random.Random(SEED)
    indicators = {i.code: i for i in Indicator.objects.all()}
    reports: list[EnterpriseReport] = []
    values: list[ParkIndicatorValue] = []
    targets: list[Target] = []
    slices: list[DataSlice] = []
    for story in STORIES:
        park = Park.objects.get(code=story.code)
        reports += _park_reports(park, story, rng)
        values += _park_indicators(park, story, rng, indicators)
        targets += [
            Target(
                park=park,
                indicator=indicators[code],
                year=year,
                kind=Target.Kind.GROWTH
                if indicators[code].kind == Indicator.Kind.RATE
                else Target.Kind.LEVEL,
                value=Decimal(str(value)),
            )
            for code, per_year in story.targets.items()
            for year, value in zip(YEARS, per_year, strict=True)
        ]
        for kind in (REPORT_KIND, INDICATOR_KIND):
            for year in YEARS:
                for m in MONTHS:
                    if year < 2023:
                        status = DataStatus.LOCKED
                    elif story.code == "DEMO4" and m == 12:
                        status = DataStatus.SUBMITTED
                    else:
                        status = DataStatus.REVIEWED
                    slices.append(
                        DataSlice(kind=kind, park=park, year=year, month=m, status=status)
                    )
    demo = Park.objects.get(code="DEMO")
    goals = [
        LongTermGoal(
            park=demo,
            indicator=indicators["industrial_output"],
            kind=LongTermGoal.Kind.DOUBLING,
            base_year=2019,
            name="工业总产值倍增计划",
        ),
        LongTermGoal(
            park=demo,
            indicator=indicators["industrial_output"],
            kind=LongTermGoal.Kind.HUNDRED_YI,
            target_value=Decimal(1_000_000),
            target_year=2023,
            name="百亿工业园区",
        ),
    ]
    # ignore_conflicts: rows someone already imported for a slice are left as they are.
    EnterpriseReport.objects.bulk_create(reports, batch_size=500, ignore_conflicts=True)
    ParkIndicatorValue.objects.bulk_create(values, ignore_conflicts=True)
    Target.objects.bulk_create(targets, ignore_conflicts=True)
    LongTermGoal.objects.bulk_create(goals, ignore_conflicts=True)
    DataSlice.objects.bulk_create(slices, ignore_conflicts=True)
    # Written in bulk, not through an import: bring the parks' summaries in step.
    from yuanqu.economy.summaries import rebuild

    rebuild(sorted({r.park_id for r in reports} | {s.park_id for s in slices}))


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def _park_reports(park: Park, story: ParkStory, rng: random.Random) -> list[EnterpriseReport]:
    enterprises = sorted(
        Enterprise.objects.filter(park=park).select_related("cluster"),
        key=lambda e: e.credit_code,  # in Python: the same order on every database
    )
    scales: dict[int, dict[int, EnterpriseScale]] = {e.pk: {} for e in enterprises}
    for s in EnterpriseScale.objects.filter(enterprise__park=park):
        scales[s.enterprise_id][s.year] = s

    # Membership: year → first reported month, for the years an enterprise is 规上.
    member: dict[int, dict[int, int]] = {}
    for e in enterprises:
        member[e.pk] = {}
        for year in YEARS:
            s = scales[e.pk].get(year)
            if s is None or not s.is_above_scale:
                continue
            first = 2
            if s.entry == EnterpriseScale.Entry.MONTHLY and s.entry_month:
                first = max(2, min(12, s.entry_month))
            member[e.pk][year] = first

    in_all = [e for e in enterprises if len(member[e.pk]) == len(YEARS)]
    chosen = rng.sample(in_all, len(story.anchors))
    anchors = {e.pk: size for e, size in zip(chosen, story.anchors, strict=True)}

    # Levels: an enterprise's full-year output run-rate before the park-year calibration.
    level: dict[int, dict[int, float]] = {}
    for e in enterprises:
        years = sorted(member[e.pk])
        level[e.pk] = {}
        if not years:
            continue
        growth = story.cluster_growth.get(_cluster(e)) or _mean_growth(story)
        first_year = years[0]
        if e.pk in anchors:
            size = float(anchors[e.pk])
        elif first_year == 2019:
            size = max(21_000.0, _lognormal(rng, story.median_size, 0.65))
        elif member[e.pk][first_year] > 2 or _is_new(e, first_year):
            size = max(30_000.0, _lognormal(rng, story.median_size * 1.2, 0.6))
        else:
            size = rng.uniform(26_000, 70_000)
        level[e.pk][first_year] = size
        if first_year == 2019:
            level[e.pk][2018] = size / (growth[0] * _lognormal(rng, 1, 0.06))
        for year in years[1:]:
            g = growth[year - 2019] * _lognormal(rng, 1, 0.07)
            if member[e.pk].get(year - 1, 2) > 2:  # ramping up after a monthly entry
                g *= rng.uniform(1.15, 1.5)
            if year + 1 <= YEARS[-1] and year + 1 not in member[e.pk]:
                g *= rng.uniform(0.72, 0.92)  # about to leave the set
            level[e.pk][year] = level[e.pk][year - 1] * g

    # Per enterprise-year monthly shapes and ratios.
    weights: dict[tuple[int, int], list[float]] = {}
    params: dict[tuple[int, int], Params] = {}
    for e in enterprises:
        if not member[e.pk]:
            continue
        base = _firm_params(e, story, rng)
        for year in [2018, *YEARS]:
            weights[e.pk, year] = _weights(rng, SEASON, SEASON_SHOCK.get(year, {}), 0.05)
            params[e.pk, year] = _year_params(base, story, rng)

    def frac(pk: int, year: int) -> float:
        w = weights[pk, year]
        first = member[pk][year]
        return sum(w[m - 1] for m in range(1 if first == 2 else first, 13))

    # Calibrate each year so the set's total output is the story's figure.
    scale: dict[int, float] = {}
    for i, year in enumerate(YEARS):
        raw = sum(level[e.pk][year] * frac(e.pk, year) for e in enterprises if year in member[e.pk])
        scale[year] = story.output[i] * 10 / raw
    base_2018 = sum(level[e.pk][2018] for e in enterprises if 2019 in member[e.pk])
    scale[2018] = story.output[0] * 10 / (1 + story.growth_2019) / base_2018

    def annual(pk: int, year: int) -> float:
        if year == 2018:
            return level[pk][2018] * scale[2018]
        return level[pk][year] * scale[year] * frac(pk, year)

    # Declared last-year output of enterprises entering the set (年度入库): below the threshold.
    declared: dict[tuple[int, int], float] = {}
    for e in enterprises:
        for year, first in member[e.pk].items():
            if year > 2019 and year - 1 not in member[e.pk]:
                if first == 2 and not _is_new(e, year):
                    declared[e.pk, year - 1] = rng.uniform(12_500, 17_500)

    # Tax: the set's 实缴税收 is a share of the park's released 全口径税收.
    tax_factor: dict[int, float] = {}
    for i, year in enumerate([2018, *YEARS]):
        set_year = 2019 if year == 2018 else year
        raw = sum(
            annual(e.pk, year) * params[e.pk, year].revenue * params[e.pk, year].tax
            for e in enterprises
            if set_year in member[e.pk]
        )
        tax_factor[year] = story.tax_share * story.indicators["tax_total"][i] * 10 / raw

    # Build every year's figures in order, then the rows with their 上年同期.
    figures: dict[tuple[int, int], FirmYear] = {}
    rows: list[EnterpriseReport] = []
    for e in enterprises:
        years = sorted(member[e.pk])
        if not years:
            continue
        if years[0] == 2019:
            value = annual(e.pk, 2018)
            figures[e.pk, 2018] = _build_year(
                value, value, weights[e.pk, 2018], 2, params[e.pk, 2018], tax_factor[2018]
            )
        for year in years:
            if (e.pk, year - 1) in declared:
                value = declared[e.pk, year - 1]
                figures[e.pk, year - 1] = _build_year(
                    value,
                    value,
                    weights[e.pk, year - 1],
                    2,
                    params[e.pk, year - 1],
                    tax_factor[year - 1],
                )
            first = member[e.pk][year]
            fy = _build_year(
                annual(e.pk, year),
                level[e.pk][year] * scale[year],
                weights[e.pk, year],
                first,
                params[e.pk, year],
                tax_factor[year],
            )
            figures[e.pk, year] = fy
            last = figures.get((e.pk, year - 1), ZERO_YEAR)
            rows += [_report(e, park, year, m, fy, last) for m in MONTHS if m >= first]
    return rows


def _cluster(e: Enterprise) -> str:
    return e.cluster.name if e.cluster else ""


def _mean_growth(story: ParkStory) -> tuple[float, ...]:
    paths = list(story.cluster_growth.values())
    return tuple(sum(p[i] for p in paths) / len(paths) for i in range(len(YEARS)))


def _is_new(e: Enterprise, year: int) -> bool:
    """A genuinely new plant: established the year before entering the set, or that year."""
    return bool(e.established_on and e.established_on.year >= year - 1)


@dataclass
class FirmBase:
    sales: float
    export: float
    revenue: float
    cost: float
    expense: float
    vat: float
    tax: float
    electricity: float
    productivity: float


def _firm_params(e: Enterprise, story: ParkStory, rng: random.Random) -> FirmBase:
    el = ELECTRICITY.get(_cluster(e), ELECTRICITY_DEFAULT)
    return FirmBase(
        sales=rng.uniform(0.955, 0.985),
        export=rng.uniform(0.06, 0.28) if rng.random() < story.exporters else 0.0,
        revenue=rng.uniform(1.01, 1.09),
        cost=rng.uniform(*story.cost),
        expense=rng.uniform(*story.expense),
        vat=rng.uniform(0.02, 0.045),
        tax=rng.uniform(0.6, 1.4),
        electricity=rng.uniform(*el),
        productivity=rng.uniform(*story.productivity),
    )


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _year_params(b: FirmBase, story: ParkStory, rng: random.Random) -> Params:
    cost = _clamp(b.cost + rng.gauss(0, 0.008), 0.80, 0.90)
    profit = 1 - cost - _clamp(b.expense + rng.gauss(0, 0.01), 0.02, 0.15)
    if rng.random() < 0.05:  # a loss-making year
        profit = -rng.uniform(0.01, 0.06)
    return Params(
        sales=_clamp(b.sales + rng.gauss(0, 0.005), 0.95, 0.99),
        export=_clamp(b.export * rng.uniform(0.85, 1.15), 0.05, 0.30) if b.export else 0.0,
        revenue=_clamp(b.revenue + rng.gauss(0, 0.01), 1.0, 1.1),
        cost=cost,
        profit=profit,
        vat=_clamp(b.vat + rng.gauss(0, 0.003), 0.015, 0.05),
        tax=b.tax,
        electricity=b.electricity * rng.uniform(0.95, 1.05),
        productivity=b.productivity,
        drift=rng.uniform(-0.04, 0.08),
    )


def _report(
    e: Enterprise, park: Park, year: int, m: int, fy: FirmYear, last: FirmYear
) -> EnterpriseReport:
    fields: dict[str, Decimal | None] = {}
    for f in MONTH_FLOWS:
        fields[f"{f}_month"] = fy.month[f][m]
        fields[f"{f}_ytd"] = fy.ytd[f][m]
        fields[f"{f}_month_ly"] = last.month[f].get(m, ZERO)
        fields[f"{f}_ytd_ly"] = last.ytd[f].get(m, ZERO)
    for f in YTD_FLOWS:
        fields[f"{f}_ytd"] = fy.ytd[f][m]
        fields[f"{f}_ytd_ly"] = last.ytd[f].get(m, ZERO)
    fields["employees"] = fy.employees[m]
    fields["employees_ly"] = last.employees.get(m, Decimal(0))
    return EnterpriseReport(enterprise=e, park=park, year=year, month=m, unit="千元", **fields)


def _park_indicators(
    park: Park, story: ParkStory, rng: random.Random, indicators: dict[str, Indicator]
) -> list[ParkIndicatorValue]:
    rows: list[ParkIndicatorValue] = []
    for code in ENTERED:
        annuals = story.indicators[code]
        ytd: dict[int, dict[int, Decimal]] = {}
        for i, year in enumerate([2018, *YEARS]):
            if code == "fdi_actual":
                w = _fdi_weights(rng)
            else:
                base = FAI_SEASON if code == "fixed_asset_investment" else TAX_SEASON
                w = _weights(rng, base, {}, 0.08)
            cum = {2: w[0] + w[1]}
            for m in range(3, 13):
                cum[m] = cum[m - 1] + w[m - 1]
            ytd[year] = {m: q(annuals[i] * cum[m]) for m in MONTHS}
            ytd[year][12] = Decimal(annuals[i]).quantize(Q1)
        for year in YEARS:
            for m in MONTHS:
                value = ytd[year][m]
                base_value = ytd[year - 1][m]
                rows.append(
                    ParkIndicatorValue(
                        park=park,
                        indicator=indicators[code],
                        year=year,
                        month=m,
                        value=value,
                        month_value=value - ytd[year][m - 1] if m > 2 else value,
                        yoy_pct=_growth(value, base_value),
                    )
                )
        if story.code == "DEMO" and code == "fixed_asset_investment":
            for m in (6, 9, 11, 12):
                rows.append(
                    ParkIndicatorValue(
                        park=park,
                        indicator=indicators[code],
                        year=2022,
                        month=m,
                        basis=ParkIndicatorValue.Basis.DISPATCH,
                        value=q(float(ytd[2022][m]) * rng.uniform(1.03, 1.07)),
                        note="园区调度数（项目单位报送，含尚未入统项目）",
                    )
                )
    for i, year in enumerate(YEARS):
        final = story.va_growth[i]
        if year == 2020:
            start = -rng.uniform(15, 22)
        elif year == 2021:
            start = rng.uniform(30, 40)
        else:
            start = final + rng.uniform(-2, 2.5)
        for m in MONTHS:
            rate = final + (start - final) * ((12 - m) / 10) ** 1.5
            if m < 12:
                rate += rng.uniform(-0.3, 0.3)
            rows.append(
                ParkIndicatorValue(
                    park=park,
                    indicator=indicators["industrial_va_growth"],
                    year=year,
                    month=m,
                    value=q(rate),
                )
            )
    return rows


def _fdi_weights(rng: random.Random) -> list[float]:
    """Foreign capital arrives in a few lump sums; one always by February."""
    months = {rng.choice((1, 2)), *rng.sample(range(3, 13), rng.randint(3, 6))}
    raw = [rng.uniform(0.5, 1.5) if m in months else 0.0 for m in range(1, 13)]
    total = sum(raw)
    return [w / total for w in raw]


def _growth(value: Decimal, base: Decimal) -> Decimal | None:
    """Released growth in %, one decimal, half up; none without a positive base."""
    if base <= 0:
        return None
    return ((value / base - 1) * 100).quantize(Q1, rounding=ROUND_HALF_UP)
