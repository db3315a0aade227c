"""Scale data for the scale benchmarks (issue 16): a city over five years, a national slice, and
the growth series, written with COPY on PostgreSQL.

    uv run python benchmarks/make_scale_data.py --size city \\
        --database-url postgres://postgres@127.0.0.1:5432/yuanqu_scale_city
    uv run python benchmarks/make_scale_data.py --size national \\
        --database-url postgres://postgres@127.0.0.1:5432/yuanqu_scale_national
    uv run python benchmarks/make_scale_data.py --size growth --scale 4 \\
        --database-url postgres://postgres@127.0.0.1:5432/yuanqu_scale_g4
    # smoke / custom: --size custom --regions 1 --parks 2 --enterprises 20 --years 1

Sizes (the last year is 2022 unless --year; months 2–12 of each year are reported, January being
carried in February as in the demo and `citydata.py`, so a year is 11 report months):

- **city**: region 基准市 (BENCH-CITY), 50 parks × 2,000 enterprises, 2018–2022 (5 years,
  55 report months): ≈ 5.4 M enterprise reports.
- **national**: 31 provinces, 300 cities (the regions parks belong to; the city ranking is over
  a city's parks), 2,000 parks spread unevenly over the cities (1–32 a city), 470,000 enterprises
  spread unevenly over the parks (log-normal sizes, 20–3,176 a park, 235 on average), 2021–2022
  (22 report months): ≈ 10.2 M rows. PostgreSQL only.
- **growth --scale K**: city 1 = 50 parks × 200 enterprises, 2021–2022 (≈ 212,000 rows), the
  same at every K (park G0001 is the one measured); K − 1 more cities of the same rows each,
  10 parks × 1,000 enterprises. Other cities' rows are what grows. See BENCHMARKS.md for why
  the base is smaller than the city size.

What each park holds is `citydata.py`'s (one generator: its enterprise ratios, seasonal months,
report rows, released park indicators and targets), extended to any number of years: most
enterprises report every year with 上年同期 equal to last year's row; in the last year ~3 %
enter at the annual review, ~1 % are new plants entering during the year, ~2 % left after the
year before, ~1 % are late for December. The 规上 list of every year, every slice 已审核, the
released park indicators and targets of the last two years, and the economy summaries
(`summaries.rebuild_in_database`: one GROUP BY on PostgreSQL, `rebuild` elsewhere) of each
park inside its transaction. Logins `bench` (园区领导 of the first
park) and `benchcity` (市级用户 of the first city), password bench2022.

Deterministic: park p's data come from random.Random(SEED + p), whatever the database or order.
One transaction per park: an interrupted run resumes; a second run changes nothing. Prints the
rows, seconds and rows/s of each step.
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import citydata  # noqa: E402  (the city generator this extends)

SEED = citydata.SEED
YEAR = 2022


@dataclass(frozen=True)
class ParkSpec:
    number: int  # global, 1-based: the park's seed
    code: str
    region_code: str
    enterprises: int


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    division: str  # 6 digits: the enterprises' 统一社会信用代码 carry it
    parent: str | None = None


@dataclass
class Layout:
    name: str
    provinces: list[RegionSpec]
    regions: list[RegionSpec]
    parks: list[ParkSpec]
    years: int

    @property
    def enterprises(self) -> int:
        return sum(p.enterprises for p in self.parks)


def city_layout(parks: int = 50, enterprises: int = 2000, years: int = 5) -> Layout:
    region = RegionSpec(citydata.REGION_CODE, "基准市", citydata.DIVISION)
    specs = [
        ParkSpec(p, citydata.park_code(p), region.code, enterprises) for p in range(1, parks + 1)
    ]
    return Layout("city", [], [region], specs, years)


def growth_layout(scale: int, parks: int = 50, enterprises: int = 200, years: int = 2) -> Layout:
    """K units of data: city 1 (`parks` × `enterprises`, park G0001 the one measured) is the
    same at every K; each further unit is another city of the same number of rows held by
    fewer, larger parks (parks ÷ 5 parks × enterprises × 5) — the rows are what grows, and
    fewer parks keep the load short."""
    regions = [
        RegionSpec(f"GROWTH-{r:02d}", f"增长测试{r:02d}市", f"36{r:02d}00")
        for r in range(1, scale + 1)
    ]
    specs = [ParkSpec(k, f"G{k:04d}", regions[0].code, enterprises) for k in range(1, parks + 1)]
    big = max(1, parks // 5)
    for r in range(2, scale + 1):
        for k in range(1, big + 1):
            number = parks + (r - 2) * big + k
            specs.append(ParkSpec(number, f"G{number:04d}", regions[r - 1].code, enterprises * 5))
    return Layout(f"growth ×{scale}", [], regions, specs, years)


def national_layout(
    enterprises: int = 470_000, parks: int = 2000, cities: int = 300, provinces: int = 31
) -> Layout:
    """Provinces → cities → parks; uneven sizes, drawn once from a fixed seed."""
    rng = random.Random(SEED - 1)
    province_specs = [
        RegionSpec(f"PROV{q:02d}", f"示范{q:02d}省", f"{10 + q:02d}0000")
        for q in range(1, provinces + 1)
    ]
    city_specs = [
        RegionSpec(
            f"CITY{c:03d}",
            f"示范{c:03d}市",
            f"{10 + (c - 1) % provinces + 1:02d}{c:03d}0"[:6],
            province_specs[(c - 1) % provinces].code,
        )
        for c in range(1, cities + 1)
    ]
    # Every city has a park; the rest go to cities by a skewed weight (1–15 a city).
    weights = [math.exp(rng.gauss(0, 0.7)) for _ in city_specs]
    city_of = list(range(cities)) + rng.choices(range(cities), weights, k=parks - cities)
    counts = [0] * cities
    for c in city_of:
        counts[c] += 1
    sizes = [math.exp(rng.gauss(0, 0.9)) for _ in range(parks)]
    scale = enterprises / sum(sizes)
    per_park = [max(20, int(s * scale)) for s in sizes]
    per_park[0] += enterprises - sum(per_park)  # exactly `enterprises` in all
    specs: list[ParkSpec] = []
    p = 0
    for c, n in enumerate(counts):
        for _ in range(n):
            specs.append(ParkSpec(p + 1, f"N{p + 1:04d}", city_specs[c].code, per_park[p]))
            p += 1
    return Layout("national", province_specs, city_specs, specs, 2)


# ---------------------------------------------------------------------------------------------
# One park, in one transaction
# ---------------------------------------------------------------------------------------------


@dataclass
class Timings:
    """Rows and seconds of each step, summed over the parks loaded."""

    steps: dict[str, list[float]]

    def add(self, step: str, rows: int, seconds: float) -> None:
        s = self.steps.setdefault(step, [0, 0.0])
        s[0] += rows
        s[1] += seconds


def load_park(spec: ParkSpec, region: Any, *, year: int, years: int, timings: Timings) -> int:
    """Create the park with its departments, clusters, enterprises, 规上 lists, reports of
    `years` years to `year`, released indicators, targets, reviewed slices and summaries."""
    from yuanqu.core.bulk import insert_rows
    from yuanqu.core.uscc import make_uscc
    from yuanqu.demo.registry import INDUSTRY_CODES, NAME_HEADS
    from yuanqu.economy import summaries
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.imports.models import DataSlice, DataStatus
    from yuanqu.registry.models import Enterprise, EnterpriseScale
    from yuanqu.registry.services import enterprises_create_many

    t0 = time.perf_counter()
    p = spec.number
    rng = random.Random(SEED + p)
    park, clusters = citydata.create_park(
        p, code=spec.code, name=f"{region.name}第{p:04d}产业园区", region=region, rng=rng
    )
    first_year = year - years + 1
    n = spec.enterprises
    profiles = rng.choices(("both", "enters", "new", "leaves"), (94, 3, 1, 2), k=n)
    rows = []
    for i in range(n):
        cluster = clusters[i % len(clusters)]
        founded = (
            dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28))
            if profiles[i] == "new"
            else dt.date(rng.randint(1990, first_year - 3), rng.randint(1, 12), rng.randint(1, 28))
        )
        rows.append(
            {
                "credit_code": make_uscc(f"91{region.division_code}{p:04d}{i:05d}"),
                "name": f"{region.name}{NAME_HEADS[(p * 7 + i) % len(NAME_HEADS)]}"
                f"{cluster.name}{p}-{i}有限公司",
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
    made = enterprises_create_many(rows=rows, batch_size=2000)
    entry_month = {
        e.pk: rng.randint(3, 10) for e, pr in zip(made, profiles, strict=True) if pr == "new"
    }
    CONTINUING, ANNUAL, MONTHLY = (
        EnterpriseScale.Entry.CONTINUING,
        EnterpriseScale.Entry.ANNUAL,
        EnterpriseScale.Entry.MONTHLY,
    )
    scales: list[tuple[Any, ...]] = []
    for e, profile in zip(made, profiles, strict=True):
        if profile in ("both", "leaves"):
            scales += [(e.pk, y, True, CONTINUING, None, "") for y in range(first_year, year)]
        if profile == "both":
            scales.append((e.pk, year, True, CONTINUING, None, ""))
        elif profile == "enters":
            scales.append((e.pk, year, True, ANNUAL, None, ""))
        elif profile == "new":
            scales.append((e.pk, year, True, MONTHLY, entry_month[e.pk], ""))
        else:
            scales.append((e.pk, year, False, "", None, "主营业务收入低于2000万元"))
    fields = ("enterprise_id", "year", "is_above_scale", "entry", "entry_month", "exit_reason")
    insert_rows(EnterpriseScale, fields, scales)
    timings.add(
        "registry (park, enterprises, 规上 lists)", n + len(scales), time.perf_counter() - t0
    )

    t0 = time.perf_counter()
    park_growth = rng.uniform(0.98, 1.15)
    exporters = rng.uniform(0.1, 0.4)
    output = {y: 0 for y in range(first_year, year + 1)}
    anchors = set(rng.sample(range(n), min(3, n)))

    def reports() -> Any:
        for i, (e, profile) in enumerate(zip(made, profiles, strict=True)):
            f = citydata.firm(rng, exporters)
            if i in anchors:
                size = rng.uniform(800_000, 3_000_000)
            else:
                size = max(20_000.0, 30_000 * math.exp(rng.gauss(0, 0.9)))
            late = {12} if rng.random() < 0.01 else set()
            if profile in ("both", "leaves"):
                # Years first_year … year − 1 continuing, each grown from the one before.
                annual = size / (park_growth ** (years - 1))
                before = citydata.firm_year(rng, f, annual / park_growth)
                for y in range(first_year, year):
                    this = citydata.firm_year(rng, f, annual)
                    yield from citydata.report_rows(e.pk, park.pk, y, this, before, set())
                    output[y] += sum(this.month["output"].values())
                    before = this
                    annual *= park_growth * math.exp(rng.gauss(0, 0.1))
                last = before
            if profile == "both":
                this = citydata.firm_year(rng, f, size * park_growth * math.exp(rng.gauss(0, 0.1)))
                yield from citydata.report_rows(e.pk, park.pk, year, this, last, late)
            elif profile == "enters":
                declared = citydata.firm_year(rng, f, rng.uniform(12_500, 17_500))
                this = citydata.firm_year(rng, f, rng.uniform(26_000, 70_000))
                yield from citydata.report_rows(e.pk, park.pk, year, this, declared, late)
            elif profile == "new":
                first = entry_month[e.pk]
                this = citydata.firm_year(rng, f, size * (13 - first) / 12, first)
                yield from citydata.report_rows(
                    e.pk, park.pk, year, this, citydata.EMPTY_YEAR, late
                )
            if profile != "leaves":
                output[year] += sum(this.month["output"].values())

    n_rows = insert_rows(EnterpriseReport, citydata.REPORT_FIELDS, reports())
    timings.add("enterprise reports (COPY on PostgreSQL)", n_rows, time.perf_counter() - t0)

    t0 = time.perf_counter()
    if first_year == year:  # one year: last year's output for the targets, roughly
        output[year - 1] = round(output[year] / park_growth)
    citydata.park_figures(park, rng, year=year, output=output)
    DataSlice.objects.bulk_create(
        [
            DataSlice(kind=kind, park=park, year=y, month=m, status=DataStatus.REVIEWED)
            for kind in (citydata.REPORT_KIND, citydata.INDICATOR_KIND)
            for y in range(first_year, year + 1)
            for m in citydata.MONTHS
        ]
    )
    timings.add("park indicators, targets, slices", 0, time.perf_counter() - t0)

    t0 = time.perf_counter()
    written = summaries.rebuild_in_database([park.pk])
    timings.add("summaries (rebuild_in_database)", written, time.perf_counter() - t0)
    return n_rows


# ---------------------------------------------------------------------------------------------
# The whole layout
# ---------------------------------------------------------------------------------------------


def load(
    layout: Layout,
    *,
    year: int = YEAR,
    log: Callable[[str], None] = print,
    from_end: bool = False,
) -> dict[str, Any]:
    """Load the parks of `layout` not yet loaded (each in its own transaction), the regions and
    the two logins; return counts and step timings. Needs Django set up, database migrated.
    `from_end`: a second loader working from the last park back, stopping where it meets the
    first (two processes load a large layout in about half the time on two cores)."""
    from django.db import IntegrityError, connection, transaction

    from yuanqu.accounts.models import Role, User
    from yuanqu.accounts.services import user_create
    from yuanqu.imports.models import DataSlice
    from yuanqu.registry.models import Park, Region

    regions: dict[str, Region] = {}
    for spec in [*layout.provinces, *layout.regions]:
        regions[spec.code], _ = Region.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "level": Region.Level.CITY if spec in layout.regions else Region.Level.PROVINCE,
                "division_code": spec.division,
                "parent": regions.get(spec.parent) if spec.parent else None,
            },
        )
    done = set(
        DataSlice.objects.filter(kind=citydata.REPORT_KIND)
        .values_list("park__code", flat=True)
        .distinct()
    )
    timings = Timings({})
    rows, loaded, t0 = 0, 0, time.perf_counter()
    todo = [s for s in layout.parks if s.code not in done]
    if from_end:
        todo.reverse()
    for k, spec in enumerate(todo, 1):
        if from_end and Park.objects.filter(code=spec.code).exists():
            log(f"  {spec.code} is loaded by the loader from the start: stopping here")
            break
        try:
            with transaction.atomic():
                rows += load_park(
                    spec, regions[spec.region_code], year=year, years=layout.years, timings=timings
                )
        except IntegrityError:
            # Two loaders met: the other committed this park first (its code is unique).
            if not Park.objects.filter(code=spec.code).exists():
                raise
            log(f"  {spec.code} was just loaded by the other loader: stopping here")
            break
        loaded += 1
        if k == len(todo) or k % max(1, len(todo) // 20) == 0:
            elapsed = time.perf_counter() - t0
            log(
                f"  {k:,}/{len(todo):,} parks ({spec.code}): {rows:,} report rows in "
                f"{elapsed:,.0f} s ({rows / elapsed:,.0f} rows/s)"
            )
    first = Park.objects.get(code=layout.parks[0].code)
    logins = [
        dict(
            username=citydata.LEADER,
            role=Role.PARK_LEADER,
            display_name=f"园区领导（{first.name}）",
            park=first,
        ),
        dict(
            username=citydata.CITY_USER,
            role=Role.CITY,
            display_name=f"{first.region.name} 市级用户",
            region=first.region,
        ),
    ]
    for login in logins:
        if User.objects.filter(username=login["username"]).exists():
            continue
        try:
            with transaction.atomic():
                user_create(password=citydata.PASSWORD, **login)
        except IntegrityError:
            pass  # a second loader (--from-end) finishing at the same moment made it
    if loaded and connection.vendor == "postgresql":
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            # What autovacuum would do a little later: statistics of the new rows.
            cursor.execute("ANALYZE")
        timings.add("ANALYZE", 0, time.perf_counter() - t1)
    return {"parks_loaded": loaded, "report_rows": rows, "timings": timings.steps}


def layout_for(args: argparse.Namespace) -> Layout:
    if args.size == "city":
        return city_layout()
    if args.size == "national":
        return national_layout()
    if args.size == "growth":
        return growth_layout(args.scale)
    regions = [
        RegionSpec(f"SCALE-{r:02d}", f"规模测试{r:02d}市", f"37{r:02d}00")
        for r in range(1, args.regions + 1)
    ]
    specs = [
        ParkSpec(
            (r - 1) * args.parks + k,
            f"S{(r - 1) * args.parks + k:04d}",
            regions[r - 1].code,
            args.enterprises,
        )
        for r in range(1, args.regions + 1)
        for k in range(1, args.parks + 1)
    ]
    return Layout("custom", [], regions, specs, args.years)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("city", "national", "growth", "custom"), required=True)
    parser.add_argument("--scale", type=int, default=1, help="growth: K cities of the base")
    parser.add_argument("--regions", type=int, default=1, help="custom: cities")
    parser.add_argument("--parks", type=int, default=2, help="custom: parks per city")
    parser.add_argument("--enterprises", type=int, default=20, help="custom: per park")
    parser.add_argument("--years", type=int, default=1, help="custom: years to --year")
    parser.add_argument("--year", type=int, default=YEAR, help="the last year")
    parser.add_argument("--database-url", default=os.environ.get("YUANQU_DATABASE_URL"))
    parser.add_argument(
        "--from-end",
        action="store_true",
        help="a second loader beside a running one: from the last park back until they meet",
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url is required (or YUANQU_DATABASE_URL)")
    if args.size == "national" and not args.database_url.startswith("postgres"):
        parser.error("--size national is for PostgreSQL only")
    os.environ["YUANQU_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    layout = layout_for(args)
    print(
        f"scale data '{layout.name}': {len(layout.regions)} cities, {len(layout.parks):,} parks, "
        f"{layout.enterprises:,} enterprises, {layout.years} years to {args.year}",
        flush=True,
    )
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s", flush=True)
    result = load(
        layout, year=args.year, log=lambda m: print(m, flush=True), from_end=args.from_end
    )
    for step, (rows, seconds) in result["timings"].items():
        rate = f", {rows / seconds:,.0f} rows/s" if rows and seconds else ""
        print(f"step {step}: {int(rows):,} rows, {seconds:.1f} s{rate}")
    total = time.perf_counter() - t0
    print(
        f"scale data '{layout.name}': {result['parks_loaded']:,} parks loaded now, "
        f"{result['report_rows']:,} report rows, {total:.0f} s"
        + (
            f" ({result['report_rows'] / total:,.0f} rows/s overall)"
            if result["report_rows"]
            else ""
        )
    )


if __name__ == "__main__":
    main()
