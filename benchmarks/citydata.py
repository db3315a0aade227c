"""City-scale data for the page benchmark: 50 parks × 2,000 enterprises in one city, two years.

    uv run python benchmarks/citydata.py [--parks 50] [--enterprises 2000] [--year 2022]
        [--database-url postgres://postgres@127.0.0.1:5432/yuanqu_bench_city]

Migrates the database (default: var/bench-city.sqlite3), then fills it with what the economy
page, the indicators API and the reports page read, shaped like the demo (yuanqu/demo/economy.py)
but with no story to tell:

- region 基准市 (BENCH-CITY), parks CITY01 … CITY50, each with the demo's departments, four
  industry clusters and N enterprises (valid 统一社会信用代码, land area, founding date);
- the 规上 list (EnterpriseScale) of both years: most enterprises continue, ~3 % enter at the
  annual review of `year`, ~1 % are new plants entering during `year` (月度入库), ~2 % leave
  after `year - 1`;
- enterprise monthly reports for months 2..12 of `year - 1` and `year` (January is carried in
  February, as in the demo): 本月 and 1-本月 of B204-1, 1-本月 of B203, with 上年同期 —
  exactly last year's row for continuing enterprises, a declared figure below the threshold
  for annual entries, 0 for new plants. Amounts are whole 千元; 1-本月 never decreases (only
  profit may, in a loss-making year); ~1 % of enterprises are late for December of `year`, so
  报送率 is not 100 %;
- the bureaus' released park indicators (固定资产投资, 全口径税收, 一般公共预算收入, 实际使用外资,
  增加值增速) and annual targets for both years;
- every data slice (enterprise reports, park indicators) 已审核;
- logins `bench` (园区领导 of CITY01) and `benchcity` (市级用户 of 基准市), password bench2022.

Deterministic: park p's figures come from random.Random(SEED + p), whatever the database or
the order of loading. One transaction per park: an interrupted run resumes with the parks not
yet loaded; a second run changes nothing. Reports go through `yuanqu.core.bulk.insert_rows`
(the import engine's prepared INSERT; `bulk_create` prepares every decimal through its field and
is ~5× slower on this wide table); the rest through `bulk_create` and the registry's services.
At the default size: 100,000 enterprises, ~2.2 M report rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20260101
REGION_CODE = "BENCH-CITY"
DIVISION = "369800"  # made up, digits only as in GB/T 2260
PASSWORD = "bench2022"
LEADER = "bench"
CITY_USER = "benchcity"
CLUSTERS = (
    "金属智造",
    "新材料",
    "机械装备",
    "电子信息",
    "生物医药",
    "智能装备",
    "化工新材料",
    "装备制造",
    "食品加工",
    "包装印刷",
)
MONTHS = tuple(range(2, 13))  # January is carried in February (1-2月)
REPORT_KIND = "enterprise-reports"
INDICATOR_KIND = "park-indicators"

# Report columns written (insert_rows order); the value fields are computed per row below.
FLOW_MONTH = ("output", "sales", "export")  # B204-1: 本月 and 1-本月, with 上年同期
FLOW_YTD = ("revenue", "cost", "profit", "vat", "electricity", "tax_paid")  # B203: 1-本月
REPORT_FIELDS = (
    "enterprise_id",
    "park_id",
    "year",
    "month",
    "unit",
    *(f"{f}_{s}" for f in FLOW_MONTH for s in ("month", "ytd", "month_ly", "ytd_ly")),
    *(f"{f}_{s}" for f in FLOW_YTD for s in ("ytd", "ytd_ly")),
    "employees",
    "employees_ly",
)


def park_code(p: int) -> str:
    return f"CITY{p:02d}"


def default_database_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'bench-city.sqlite3'}"


# ---------------------------------------------------------------------------------------------
# One enterprise-year: its months' flows (pure Python, no database)
# ---------------------------------------------------------------------------------------------


@dataclass
class FirmYear:
    """Monthly flows of one enterprise in one year, month → value (whole 千元; electricity in
    tenths of 万千瓦时), first reported month first_month … 12."""

    first_month: int
    month: dict[str, dict[int, int]]
    employees: dict[int, int]

    def ytd(self, flow: str) -> dict[int, int]:
        total, out = 0, {}
        for m in MONTHS:
            total += self.month[flow].get(m, 0)
            out[m] = total
        return out


@dataclass
class Firm:
    """An enterprise's ratios (stable over the years; the year's figures vary around them)."""

    sales: float
    export: float
    revenue: float
    cost: float
    profit: float
    vat: float
    tax: float
    electricity: float
    productivity: float


SEASON = (0.070, 0.058, 0.082, 0.082, 0.084, 0.088, 0.080, 0.081, 0.086, 0.083, 0.090, 0.116)


def firm(rng: random.Random, exporter_share: float) -> Firm:
    cost = rng.uniform(0.80, 0.90)
    return Firm(
        sales=rng.uniform(0.955, 0.985),
        export=rng.uniform(0.06, 0.28) if rng.random() < exporter_share else 0.0,
        revenue=rng.uniform(1.01, 1.09),
        cost=cost,
        # 5 % of enterprises lose money (all year, so their 1-本月 profit falls month by month)
        profit=-rng.uniform(0.01, 0.06)
        if rng.random() < 0.05
        else 1 - cost - rng.uniform(0.03, 0.12),
        vat=rng.uniform(0.02, 0.045),
        tax=rng.uniform(0.03, 0.07),
        electricity=rng.uniform(0.004, 0.025),
        productivity=rng.uniform(600, 1800),
    )


def firm_year(rng: random.Random, f: Firm, annual: float, first_month: int = 2) -> FirmYear:
    """Split `annual` output (千元, the year's months from first_month) into months by a noisy
    seasonal shape, and derive every flow from each month's output."""
    raw = [w * max(0.5, 1 + rng.gauss(0, 0.05)) for w in SEASON]
    share = {2: raw[0] + raw[1]} | {m: raw[m - 1] for m in range(3, 13)}
    months = [m for m in MONTHS if m >= first_month]
    total = sum(share[m] for m in months)
    flows: dict[str, dict[int, int]] = {k: {} for k in (*FLOW_MONTH, *FLOW_YTD)}
    for m in months:
        out = annual * share[m] / total
        sales = round(out * f.sales)
        revenue = out * f.revenue
        flows["output"][m] = round(out)
        flows["sales"][m] = sales
        flows["export"][m] = round(sales * f.export)
        flows["revenue"][m] = round(revenue)
        flows["cost"][m] = round(revenue * f.cost)
        flows["profit"][m] = round(revenue * f.profit)
        flows["vat"][m] = round(revenue * f.vat)
        flows["electricity"][m] = round(out * f.electricity * 10)
        flows["tax_paid"][m] = round(revenue * f.tax)
    heads = max(5.0, annual / f.productivity * (12 / (13 - first_month)))
    employees = {m: max(5, round(heads * (1 + 0.01 * (m - 6)))) for m in months}
    return FirmYear(first_month, flows, employees)


EMPTY_YEAR = FirmYear(13, {k: {} for k in (*FLOW_MONTH, *FLOW_YTD)}, {})
TENTH = Decimal("0.1")


def report_rows(
    enterprise_id: int, park_id: int, year: int, fy: FirmYear, last: FirmYear, skip: set[int]
) -> list[tuple[Any, ...]]:
    """The report rows of one enterprise-year, in REPORT_FIELDS order (months in `skip` are
    left out: not reported yet)."""
    this_ytd = {k: fy.ytd(k) for k in (*FLOW_MONTH, *FLOW_YTD)}
    last_ytd = {k: last.ytd(k) for k in (*FLOW_MONTH, *FLOW_YTD)}
    rows = []
    for m in MONTHS:
        if m < fy.first_month or m in skip:
            continue
        values: list[Any] = [enterprise_id, park_id, year, m, "千元"]
        for k in FLOW_MONTH:
            values += [
                fy.month[k][m],
                this_ytd[k][m],
                last.month[k].get(m, 0),
                last_ytd[k][m] if m >= last.first_month else 0,
            ]
        for k in FLOW_YTD:
            this, ly = this_ytd[k][m], last_ytd[k][m] if m >= last.first_month else 0
            if k == "electricity":  # kept in tenths of 万千瓦时
                this, ly = Decimal(this) * TENTH, Decimal(ly) * TENTH
            values += [this, ly]
        values += [fy.employees[m], last.employees.get(m, 0)]
        rows.append(tuple(values))
    return rows


# ---------------------------------------------------------------------------------------------
# One park, in one transaction
# ---------------------------------------------------------------------------------------------


def create_park(
    p: int, *, code: str, name: str, region: Any, rng: random.Random
) -> tuple[Any, list[Any]]:
    """Park p with the demo's departments and four industry clusters (its area drawn from
    `rng`); returns the park and its clusters."""
    from yuanqu.demo.registry import DEPARTMENTS
    from yuanqu.registry.models import IndustryCluster, Park
    from yuanqu.registry.services import department_create

    names = [CLUSTERS[(p + k) % len(CLUSTERS)] for k in range(4)]
    park = Park.objects.create(
        code=code,
        name=name,
        level=Park.Level.PROVINCIAL if p % 5 == 0 else Park.Level.CITY,
        park_type=Park.ParkType.INDUSTRIAL,
        province="示范省",
        city_county=region.name,
        approved_area_ha=Decimal(rng.randint(300, 3000)),
        leading_industries="、".join(names),
        region=region,
        raw={"来源": "基准测试数据"},
    )
    departments: dict[str, Any] = {}
    for dept_code, dept_name, parent, areas in DEPARTMENTS:
        departments[dept_code] = department_create(
            park=park,
            code=dept_code,
            name=dept_name,
            parent=departments.get(parent) if parent else None,
            modules=areas,
        )
    clusters = IndustryCluster.objects.bulk_create(
        [IndustryCluster(park=park, name=n) for n in names]
    )
    return park, clusters


def load_park(p: int, *, enterprises: int, year: int, region: Any) -> int:
    """Create park p with its departments, clusters, enterprises, 规上 list, reports, released
    indicators, targets and reviewed slices; return the number of report rows."""
    from yuanqu.core.bulk import insert_rows
    from yuanqu.core.uscc import make_uscc
    from yuanqu.demo.registry import INDUSTRY_CODES, NAME_HEADS
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.imports.models import DataSlice, DataStatus
    from yuanqu.registry.models import Enterprise, EnterpriseScale
    from yuanqu.registry.services import enterprises_create_many

    rng = random.Random(SEED + p)
    park, clusters = create_park(
        p, code=park_code(p), name=f"基准市第{p:02d}产业园区", region=region, rng=rng
    )

    # Who is 规上 when: "both" years, "enters" at the annual review of `year`, "new" plant
    # entering during `year`, "leaves" after `year - 1`.
    profiles = rng.choices(("both", "enters", "new", "leaves"), (94, 3, 1, 2), k=enterprises)
    rows = []
    for i in range(enterprises):
        cluster = clusters[i % len(clusters)]
        founded = (
            dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28))
            if profiles[i] == "new"
            else dt.date(rng.randint(1995, year - 3), rng.randint(1, 12), rng.randint(1, 28))
        )
        rows.append(
            {
                "credit_code": make_uscc(f"91{DIVISION}MB{p:02d}{i:05d}"),
                "name": f"基准市{NAME_HEADS[(p * 7 + i) % len(NAME_HEADS)]}{cluster.name}{i}有限公司",
                "park": park,
                "cluster": cluster,
                "industry_code": INDUSTRY_CODES[cluster.name],
                "land_area_mu": Decimal(rng.randint(800, 30000)) / 100,
                "established_on": founded,
                "status": Enterprise.Status.SUSPENDED
                if profiles[i] == "leaves"
                else Enterprise.Status.OPERATING,
            }
        )
    made = enterprises_create_many(rows=rows)

    scales = []
    for e, profile in zip(made, profiles, strict=True):
        if profile in ("both", "leaves"):
            scales.append(
                EnterpriseScale(enterprise=e, year=year - 1, entry=EnterpriseScale.Entry.CONTINUING)
            )
        if profile == "both":
            scales.append(
                EnterpriseScale(enterprise=e, year=year, entry=EnterpriseScale.Entry.CONTINUING)
            )
        elif profile == "enters":
            scales.append(
                EnterpriseScale(enterprise=e, year=year, entry=EnterpriseScale.Entry.ANNUAL)
            )
        elif profile == "new":
            scales.append(
                EnterpriseScale(
                    enterprise=e,
                    year=year,
                    entry=EnterpriseScale.Entry.MONTHLY,
                    entry_month=rng.randint(3, 10),
                )
            )
        else:
            scales.append(
                EnterpriseScale(
                    enterprise=e,
                    year=year,
                    is_above_scale=False,
                    exit_reason="主营业务收入低于2000万元",
                )
            )
    EnterpriseScale.objects.bulk_create(scales, batch_size=2000)
    entry_month = {s.enterprise_id: s.entry_month for s in scales if s.entry_month}

    # Park-wide conditions: its growth and its share of exporters.
    park_growth = rng.uniform(0.98, 1.15)
    exporters = rng.uniform(0.1, 0.4)
    n_rows = 0
    output = {year - 1: 0, year: 0}  # Σ output 1-12月, 千元 (for targets and indicators)
    batch: list[tuple[Any, ...]] = []
    anchors = set(rng.sample(range(enterprises), min(3, enterprises)))
    for i, (e, profile) in enumerate(zip(made, profiles, strict=True)):
        f = firm(rng, exporters)
        if i in anchors:
            size = rng.uniform(800_000, 3_000_000)
        else:
            size = max(20_000.0, 30_000 * math.exp(rng.gauss(0, 0.9)))
        g_last = park_growth * math.exp(rng.gauss(0, 0.1))
        g_this = park_growth * math.exp(rng.gauss(0, 0.1))
        late = {12} if rng.random() < 0.01 else set()
        if profile in ("both", "leaves"):
            before = firm_year(rng, f, size / g_last)
            last = firm_year(rng, f, size)
            batch += report_rows(e.pk, park.pk, year - 1, last, before, set())
            output[year - 1] += sum(last.month["output"].values())
        if profile == "both":
            this = firm_year(rng, f, size * g_this)
            batch += report_rows(e.pk, park.pk, year, this, last, late)
        elif profile == "enters":
            # Declares last year's output below the 2,000万元 threshold (年度入库).
            declared = firm_year(rng, f, rng.uniform(12_500, 17_500))
            this = firm_year(rng, f, rng.uniform(26_000, 70_000))
            batch += report_rows(e.pk, park.pk, year, this, declared, late)
        elif profile == "new":
            first = entry_month[e.pk]
            this = firm_year(rng, f, size * (13 - first) / 12, first)
            batch += report_rows(e.pk, park.pk, year, this, EMPTY_YEAR, late)
        if profile != "leaves":
            output[year] += sum(this.month["output"].values())
        if len(batch) >= 10_000:
            n_rows += insert_rows(EnterpriseReport, REPORT_FIELDS, batch)
            batch = []
    n_rows += insert_rows(EnterpriseReport, REPORT_FIELDS, batch)

    park_figures(park, rng, year=year, output=output)
    DataSlice.objects.bulk_create(
        [
            DataSlice(kind=kind, park=park, year=y, month=m, status=DataStatus.REVIEWED)
            for kind in (REPORT_KIND, INDICATOR_KIND)
            for y in (year - 1, year)
            for m in MONTHS
        ]
    )
    return n_rows


FAI_SEASON = (0.030, 0.035, 0.075, 0.080, 0.090, 0.110, 0.080, 0.085, 0.100, 0.085, 0.100, 0.130)
TAX_SEASON = (0.120, 0.070, 0.075, 0.090, 0.085, 0.080, 0.090, 0.070, 0.075, 0.085, 0.070, 0.090)
# Released full-year value as a share of the park's 规上 output, and its seasonal shape.
ENTERED = {
    "fixed_asset_investment": (0.20, FAI_SEASON),
    "tax_total": (0.045, TAX_SEASON),
    "budget_revenue": (0.02, TAX_SEASON),
    "fdi_actual": (0.003, None),  # lump sums
}


def park_figures(park: Any, rng: random.Random, *, year: int, output: dict[int, int]) -> None:
    """Released park indicators (万元, 1-本月, with 本月 and 同比) and annual targets."""
    from yuanqu.economy.models import Indicator, ParkIndicatorValue, Target

    indicators = {i.code: i for i in Indicator.objects.all()}
    q1 = Decimal("0.1")
    values: list[ParkIndicatorValue] = []
    targets: list[Target] = []
    for code, (share, season) in ENTERED.items():
        annual_this = output[year] / 10 * share * rng.uniform(0.8, 1.2)  # 千元 → 万元
        annual = {
            year - 2: annual_this / rng.uniform(1.0, 1.3) / rng.uniform(0.95, 1.2),
            year - 1: annual_this / rng.uniform(0.95, 1.2),
            year: annual_this,
        }
        ytd: dict[int, dict[int, Decimal]] = {}
        for y, total in annual.items():
            if season is None:
                lumps = [rng.uniform(0.5, 1.5) if rng.random() < 0.4 else 0.0 for _ in range(12)]
                lumps[1] = lumps[1] or 1.0  # one always by February
                weights = [w / sum(lumps) for w in lumps]
            else:
                raw = [w * max(0.5, 1 + rng.gauss(0, 0.08)) for w in season]
                weights = [w / sum(raw) for w in raw]
            cum, ytd[y] = 0.0, {}
            for m in range(1, 13):
                cum += weights[m - 1]
                if m >= 2:
                    ytd[y][m] = Decimal(total * cum).quantize(q1)
        for y in (year - 1, year):
            for m in MONTHS:
                value, base = ytd[y][m], ytd[y - 1][m]
                values.append(
                    ParkIndicatorValue(
                        park=park,
                        indicator=indicators[code],
                        year=y,
                        month=m,
                        value=value,
                        month_value=value - ytd[y][m - 1] if m > 2 else value,
                        yoy_pct=((value / base - 1) * 100).quantize(q1) if base > 0 else None,
                    )
                )
            targets.append(
                Target(
                    park=park,
                    indicator=indicators[code],
                    year=y,
                    value=Decimal(round(annual[y] * rng.uniform(0.95, 1.1))),
                )
            )
    for y in (year - 1, year):
        final = rng.uniform(4, 12)
        for m in MONTHS:
            values.append(
                ParkIndicatorValue(
                    park=park,
                    indicator=indicators["industrial_va_growth"],
                    year=y,
                    month=m,
                    value=Decimal(final + (12 - m) * rng.uniform(-0.3, 0.3)).quantize(q1),
                )
            )
        targets += [
            Target(
                park=park,
                indicator=indicators["industrial_output"],
                year=y,
                value=Decimal(round(output[y] / 10 * rng.uniform(0.95, 1.1))),
            ),
            Target(
                park=park,
                indicator=indicators["industrial_va_growth"],
                year=y,
                kind=Target.Kind.GROWTH,
                value=Decimal(rng.choice((6, 7, 8, 9))),
            ),
        ]
    ParkIndicatorValue.objects.bulk_create(values)
    Target.objects.bulk_create(targets)


# ---------------------------------------------------------------------------------------------
# The whole city
# ---------------------------------------------------------------------------------------------


def load_city(
    *, parks: int, enterprises: int, year: int, log: Callable[[str], None] = print
) -> dict[str, int]:
    """Load the parks not yet loaded (each in its own transaction) and the two logins; return
    counts. Needs Django set up on the target database, migrated."""
    from django.db import transaction

    from yuanqu.accounts.models import Role, User
    from yuanqu.accounts.services import user_create
    from yuanqu.imports.models import DataSlice
    from yuanqu.registry.models import Park, Region

    region, _ = Region.objects.get_or_create(
        code=REGION_CODE,
        defaults={"name": "基准市", "level": Region.Level.CITY, "division_code": DIVISION},
    )
    done = set(
        DataSlice.objects.filter(park__region=region, kind=REPORT_KIND)
        .values_list("park__code", flat=True)
        .distinct()
    )
    rows, loaded, t0 = 0, 0, time.perf_counter()
    for p in range(1, parks + 1):
        if park_code(p) in done:
            continue
        with transaction.atomic():
            rows += load_park(p, enterprises=enterprises, year=year, region=region)
        loaded += 1
        elapsed = time.perf_counter() - t0
        log(
            f"{park_code(p)}: {rows:,} report rows in {elapsed:.0f} s "
            f"({rows / elapsed:,.0f} rows/s)"
        )
    first = Park.objects.get(code=park_code(1))
    if not User.objects.filter(username=LEADER).exists():
        user_create(
            username=LEADER,
            password=PASSWORD,
            role=Role.PARK_LEADER,
            display_name=f"园区领导（{first.name}）",
            park=first,
        )
    if not User.objects.filter(username=CITY_USER).exists():
        user_create(
            username=CITY_USER,
            password=PASSWORD,
            role=Role.CITY,
            display_name="基准市 市级用户",
            region=region,
        )
    if loaded:
        from django.db import connection

        if connection.vendor == "postgresql":
            # What autovacuum would do a little later anyway: the planner's statistics of the
            # new rows, so the first benchmark run is not planned on an empty table's.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return {"parks_loaded": loaded, "report_rows": rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=50)
    parser.add_argument("--enterprises", type=int, default=2000, help="per park")
    parser.add_argument("--year", type=int, default=2022, help="this year; last year also")
    parser.add_argument("--database-url", default=os.environ.get("YUANQU_DATABASE_URL"))
    args = parser.parse_args(argv)
    if not 1 <= args.parks <= 99 or not 1 <= args.enterprises <= 99_999:
        parser.error("--parks 1..99, --enterprises 1..99999")
    os.environ["YUANQU_DATABASE_URL"] = args.database_url or default_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    result = load_city(
        parks=args.parks,
        enterprises=args.enterprises,
        year=args.year,
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )
    print(
        f"city data: {result['parks_loaded']} parks loaded now "
        f"({args.parks} × {args.enterprises} enterprises, {args.year - 1}–{args.year}), "
        f"{result['report_rows']:,} report rows, {time.perf_counter() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
