"""Scale benchmarks (issue 16): the park table and city ranking against DuckDB, the cost of keeping
summaries current, the annual report, and the growth of one park's cost with others' data.

    # (a) park table + city ranking through the product's selectors, against DuckDB over the
    #     same rows exported to Parquet (var/scale/), and the indicators API beside
    uv run python benchmarks/scale_bench.py table \\
        --database-url postgres://postgres@127.0.0.1:5432/yuanqu_scale_city [--park CITY01]
    # (b) what an import adds to keep the summaries current, per imported park-period
    uv run python benchmarks/scale_bench.py refresh --database-url …/yuanqu_scale_city
    # (c) the annual report (.docx) of one park
    uv run python benchmarks/scale_bench.py report --database-url …/yuanqu_scale_national
    # (d) growth: one park's table, ranking and report at 1×, 4×, 16× (one database each)
    uv run python benchmarks/scale_bench.py growth --database-url …/yuanqu_scale_g1 \\
        --database-url …/yuanqu_scale_g4 --database-url …/yuanqu_scale_g16 --park G0001

Data: `benchmarks/make_scale_data.py`. Every figure and ratio is measured in the run that prints
it, on the machine it prints (CPU, cores, RAM, PostgreSQL version, load average). The product's
times are of its selectors called in-process, one call at a time, each with a fresh
`ReportCache` (no page cache, no data-version cache: what the first reader after a data change
meets); the API's are of whole requests through the Django test client. Run by hand; the suite
keeps only a smoke run (tests/economy/test_scale_bench_smoke.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR, MONTH = 2022, 12
RANK_CODE = "industrial_output"
TARGET_RATIO = Decimal("0.1")  # product p95 ≤ 0.1 × DuckDB's p95
TO_WAN = "0.1"  # the scale data's reports are in 千元, the product shows 万元: exact decimals


def setup(database_url: str) -> None:
    os.environ["YUANQU_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def machine() -> str:
    """CPU, cores, RAM, database and load average, printed above every benchmark."""
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024 / 1024:.1f} GB RAM"
    except OSError:
        ram = "RAM unknown"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
    else:
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version}"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"machine: {cpu}, {os.cpu_count()} cores, {ram}; {db}; load average {load}"


def timed(fn: Callable[[], Any], runs: int, warmup: int = 1) -> tuple[list[float], Any]:
    """Milliseconds of `runs` calls after `warmup` calls; and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, result


def p50_p95(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def line(name: str, times: list[float], extra: str = "") -> str:
    p50, p95 = p50_p95(times)
    return f"{name:<44} p50 {p50:9.2f} ms  p95 {p95:9.2f} ms  ({len(times)} runs){extra}"


# ---------------------------------------------------------------------------------------------
# The product's side
# ---------------------------------------------------------------------------------------------


def product_table(park: Any) -> list[Any]:
    """The park's indicator table as the API builds it: a fresh cache, the park's years
    prefetched, `park_indicator_table`."""
    from yuanqu.core.periods import Period
    from yuanqu.economy import selectors

    cache = selectors.ReportCache()
    cache.prefetch([park], [YEAR, YEAR - 1])
    return selectors.park_indicator_table(park=park, period=Period(YEAR, MONTH), cache=cache)


def product_ranking(park: Any) -> list[Any]:
    """The city ranking (争先进位 table) of the park's region, as the page and the API read it."""
    from yuanqu.core.periods import Period
    from yuanqu.economy import selectors

    return selectors.region_ranking(
        user=None, park=park, period=Period(YEAR, MONTH), indicator=RANK_CODE
    )


def product_report(park: Any) -> bytes:
    """The annual report of the park as `yuanqu report annual` writes it (.docx)."""
    from yuanqu.reports import services

    return services.to_docx(services.annual_report(park=park, year=YEAR))


def api_times(park: Any, runs: int) -> list[float]:
    """The indicators endpoint, one request at a time, as the park's leader (`bench`) or, for
    another park, a staff user of the whole platform (the scope check runs either way)."""
    from django.test import Client

    from yuanqu.accounts.models import User

    user = User.objects.filter(park=park).first() or User.objects.filter(is_superuser=True).first()
    if user is None:
        user = User.objects.create_superuser("scalebench", password=None)
    client = Client()
    client.force_login(user)
    path = f"/api/v1/economy/indicators?park={park.code}&period={YEAR}-{MONTH:02d}"

    def get() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")

    times, _ = timed(get, runs)
    return times


# ---------------------------------------------------------------------------------------------
# DuckDB's side: the same rows, exported from PostgreSQL with COPY, in Parquet
# ---------------------------------------------------------------------------------------------


def _columns() -> list[str]:
    from yuanqu.economy.selectors import COMPUTED

    names: list[str] = []
    for f in COMPUTED.values():
        names += [n for n in (f.ytd, f.ytd_ly, f.month, f.month_ly) if n and n not in names]
    return names


def export_parquet(directory: Path) -> tuple[Path, Path, str]:
    """Reports and parks of the database as Parquet under `directory` (reused when the row count
    matches). Returns the two paths and a line saying what was done and how fast."""
    import duckdb
    from django.db import connection

    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.registry.models import Park

    directory.mkdir(parents=True, exist_ok=True)
    name = connection.settings_dict["NAME"]
    name = Path(name).stem if "/" in str(name) else str(name)
    reports, parks = directory / f"{name}-reports.parquet", directory / f"{name}-parks.parquet"
    n_rows = EnterpriseReport.objects.count()
    units = set(EnterpriseReport.objects.values_list("unit", flat=True).distinct())
    if units != {"千元"}:
        raise SystemExit(f"the DuckDB side assumes reports in 千元; found {units}")
    db = duckdb.connect()
    if reports.exists() and parks.exists():
        held = db.execute(f"SELECT count(*) FROM read_parquet('{reports}')").fetchone()[0]
        if held == n_rows:
            return reports, parks, f"parquet: reused {reports} ({n_rows:,} rows)"
    cols = ["park_id", "enterprise_id", "year", "month", *_columns()]
    csv = directory / f"{name}-reports.csv"
    table = EnterpriseReport._meta.db_table
    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, csv.open("wb") as out:
            sql = f"COPY (SELECT {', '.join(cols)} FROM {table}) TO STDOUT WITH (FORMAT csv)"
            with cursor.cursor.copy(sql) as copy:
                for block in copy:
                    out.write(block)
    else:  # the smoke run on SQLite: the same rows through the driver
        import csv as csvmod

        with connection.cursor() as cursor, csv.open("w", newline="") as out:
            cursor.execute(f"SELECT {', '.join(cols)} FROM {table}")
            writer = csvmod.writer(out)
            while chunk := cursor.fetchmany(10_000):
                writer.writerows(chunk)
    exported = time.perf_counter() - t0
    types = ", ".join(
        f"'{c}': '{'INTEGER' if c in ('park_id', 'enterprise_id', 'year', 'month') else 'DECIMAL(20,4)'}'"
        for c in cols
    )
    t1 = time.perf_counter()
    db.execute(
        f"COPY (SELECT * FROM read_csv('{csv}', header=false, columns={{{types}}}) "
        f"ORDER BY park_id, year, month, enterprise_id) TO '{reports}' (FORMAT parquet)"
    )
    csv.unlink()
    park_rows = list(Park.objects.values_list("id", "code", "region_id"))
    db.execute("CREATE TABLE parks (id INTEGER, code VARCHAR, region_id INTEGER)")
    db.executemany("INSERT INTO parks VALUES (?, ?, ?)", park_rows)
    db.execute(f"COPY parks TO '{parks}' (FORMAT parquet)")
    converted = time.perf_counter() - t1
    return (
        reports,
        parks,
        f"parquet: {n_rows:,} rows exported with COPY TO STDOUT in {exported:.1f} s "
        f"({n_rows / max(exported, 1e-9):,.0f} rows/s), written as Parquet by DuckDB in "
        f"{converted:.1f} s → {reports}",
    )


def duck_table_sql(source: str) -> str:
    """One query: per computed indicator, the park's Σ 1-本月, Σ comparable base (NULL if an
    enterprise lacks one), Σ 本月 (from the month column, or 1-本月 less the enterprise's
    previous report), the enterprise count, comparable growth, and last year's Σ 1-本月 — in
    万元. The period, the month before and last year's period are read in one scan."""
    from yuanqu.economy.selectors import COMPUTED

    cols = []
    for f in COMPUTED.values():
        month = (
            f"sum(c.{f.month})"
            if f.month
            else f"sum(c.{f.ytd} - p.{f.ytd}) FILTER (WHERE p.enterprise_id IS NOT NULL)"
        )
        base = (
            f"CASE WHEN bool_and(c.{f.ytd_ly} IS NOT NULL) FILTER (WHERE c.{f.ytd} IS NOT NULL) "
            f"THEN sum(c.{f.ytd_ly}) FILTER (WHERE c.{f.ytd} IS NOT NULL) END"
        )
        cols += [
            f"sum(c.{f.ytd}) * {TO_WAN}",
            f"{base} * {TO_WAN}",
            f"{month} * {TO_WAN}",
            f"count(c.{f.ytd})",
            f"(sum(c.{f.ytd}) - ({base})) * 100.0 / nullif(greatest({base}, 0), 0)",
            f"(SELECT sum({f.ytd}) * {TO_WAN} FROM rows WHERE year = $year - 1)",
        ]
    return (
        f"WITH rows AS (SELECT * FROM {source} WHERE park_id = $park AND ((year = $year AND "
        "month IN ($month, $month - 1)) OR (year = $year - 1 AND month = $month))) "
        f"SELECT {', '.join(cols)} FROM (SELECT * FROM rows WHERE year = $year AND month = $month) c "
        "LEFT JOIN (SELECT * FROM rows WHERE year = $year AND month = $month - 1) p "
        "USING (enterprise_id)"
    )


def duck_table(db: Any, sql: str, params: dict[str, int]) -> list[tuple[Any, ...]]:
    """DuckDB's one row → (code, value, base, month_value, n, yoy, last year) per indicator."""
    from yuanqu.economy.selectors import COMPUTED

    row = db.execute(sql, params).fetchone()
    return [(code, *row[6 * k : 6 * k + 6]) for k, code in enumerate(COMPUTED)]


def duck_ranking_sql(source: str, parks: str) -> str:
    from yuanqu.economy.selectors import COMPUTED

    f = COMPUTED[RANK_CODE]
    return (
        f"SELECT code, value, yoy, rank() OVER (ORDER BY value DESC) AS rank FROM ("
        f" SELECT k.code, sum(r.{f.ytd}) * {TO_WAN} AS value,"
        f" (sum(r.{f.ytd}) - sum(r.{f.ytd_ly})) * 100.0 / nullif(sum(r.{f.ytd_ly}), 0) AS yoy"
        f" FROM {source} r JOIN {parks} k ON k.id = r.park_id"
        f" WHERE k.region_id = $region AND r.year = $year AND r.month = $month"
        f" GROUP BY k.code) ORDER BY rank, code"
    )


def _dec(x: Any) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def _pct(x: Any) -> Decimal | None:
    return None if x is None else Decimal(str(x)).quantize(Decimal("0.01"))


def compare_table(product: list[Any], duck: list[tuple[Any, ...]]) -> list[str]:
    """Differences between the product's computed rows and DuckDB's (growth to 0.01 %: DuckDB
    divides in floating point, the product in 28-digit decimals)."""
    by_code = {r[0]: r for r in duck}
    diffs = []
    for row in product:
        if row.code not in by_code:
            continue
        _, value, base, month_value, n, yoy, last = by_code[row.code]
        mine = (row.value, row.base, row.month_value, row.enterprise_count, _pct(row.yoy_pct))
        theirs = (_dec(value), _dec(base), _dec(month_value), n, _pct(yoy))
        if mine[:4] != theirs[:4] or mine[4] != theirs[4] or row.last_year_value != _dec(last):
            diffs.append(
                f"{row.code}: product {mine} {row.last_year_value}, DuckDB {theirs} {last}"
            )
    missing = set(by_code) - {r.code for r in product}
    diffs += [f"{code}: not in the product's table" for code in sorted(missing)]
    return diffs


def compare_ranking(product: list[Any], duck: list[tuple[Any, ...]]) -> list[str]:
    mine = [(r.park_code, r.value, _pct(r.yoy_pct), r.rank) for r in product if r.value is not None]
    theirs = [(code, _dec(v), _pct(y), rank) for code, v, y, rank in duck]
    if mine == theirs:
        return []
    return [f"product {a} ≠ DuckDB {b}" for a, b in zip(mine, theirs, strict=False) if a != b] or [
        f"product {len(mine)} parks, DuckDB {len(theirs)}"
    ]


def cmd_table(args: argparse.Namespace) -> None:
    import duckdb

    from yuanqu.registry.models import Park

    print(machine())
    park = Park.objects.select_related("region").get(code=args.park) if args.park else _first()
    n_parks = Park.objects.filter(region_id=park.region_id).count()
    print(
        f"park {park.code} ({park.enterprises.count():,} enterprises), period {YEAR}-{MONTH:02d}; "
        f"ranking: {n_parks} parks of {park.region.name}, {RANK_CODE}; {args.runs} runs each"
    )
    reports, parks, how = export_parquet(Path(args.var) / "scale")
    print(how)
    db = duckdb.connect()
    params = {"park": park.pk, "year": YEAR, "month": MONTH}
    rparams = {"region": park.region_id, "year": YEAR, "month": MONTH}
    src, psrc = f"read_parquet('{reports}')", f"read_parquet('{parks}')"
    table_sql, rank_sql = duck_table_sql(src), duck_ranking_sql(src, psrc)
    db.execute(f"CREATE TABLE mem AS SELECT * FROM {src}")
    db.execute(f"CREATE TABLE mparks AS SELECT * FROM {psrc}")
    mem_table_sql, mem_rank_sql = duck_table_sql("mem"), duck_ranking_sql("mem", "mparks")

    results: dict[str, list[float]] = {}
    results["product: park table"], table = timed(lambda: product_table(park), args.runs)
    results["product: city ranking"], ranking = timed(lambda: product_ranking(park), args.runs)
    results["API /economy/indicators"] = api_times(park, args.runs)
    results["DuckDB Parquet: park table"], dtable = timed(
        lambda: duck_table(db, table_sql, params), args.runs
    )
    results["DuckDB Parquet: city ranking"], drank = timed(
        lambda: db.execute(rank_sql, rparams).fetchall(), args.runs
    )
    results["DuckDB in memory: park table"], mtable = timed(
        lambda: duck_table(db, mem_table_sql, params), args.runs
    )
    results["DuckDB in memory: city ranking"], mrank = timed(
        lambda: db.execute(mem_rank_sql, rparams).fetchall(), args.runs
    )
    for name, times in results.items():
        print(line(name, times))
    table_diffs = compare_table(table, dtable) + compare_table(table, mtable)
    rank_diffs = compare_ranking(ranking, drank) + compare_ranking(ranking, mrank)
    print(f"park table equal: {'yes' if not table_diffs else 'no'}")
    for d in table_diffs:
        print("  " + d)
    print(f"city ranking equal: {'yes' if not rank_diffs else 'no'}")
    for d in rank_diffs:
        print("  " + d)
    verdicts = []
    for what in ("park table", "city ranking"):
        mine = p50_p95(results[f"product: {what}"])[1]
        for engine in ("Parquet", "in memory"):
            theirs = p50_p95(results[f"DuckDB {engine}: {what}"])[1]
            ratio = mine / theirs
            met = "met" if engine == "in memory" or ratio <= TARGET_RATIO else "MISSED"
            if engine == "Parquet":
                verdicts.append(met)
            print(
                f"ratio {what}: product p95 / DuckDB {engine} p95 = {ratio:.3f}×"
                + (f" (target ≤ {TARGET_RATIO}×: {met})" if engine == "Parquet" else "")
            )
    api, mine = (
        p50_p95(results["API /economy/indicators"])[1],
        p50_p95(results["product: park table"])[1],
    )
    print(f"ratio API p95 / product park table p95 = {api / mine:.2f}×")
    _dump(args, {"results": {k: p50_p95(v) for k, v in results.items()}})


# ---------------------------------------------------------------------------------------------
# (b) the cost of keeping the summaries current
# ---------------------------------------------------------------------------------------------


def cmd_refresh(args: argparse.Namespace) -> None:
    """Per park-period: rewrite its rows (DELETE + the insert the import uses, COPY on
    PostgreSQL) with one value changed, then `summaries.refresh` for that change (as
    `core.summaries.notify` calls it from the import's transaction); each run rolled back."""
    from django.db import connection, transaction

    from yuanqu.core.bulk import insert_rows
    from yuanqu.core.summaries import Change
    from yuanqu.economy import summaries
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.registry.models import Park

    print(machine())
    park = Park.objects.get(code=args.park) if args.park else _first()
    fields = [
        f.attname
        for f in EnterpriseReport._meta.concrete_fields
        if not f.primary_key and f.attname not in ("created_at", "updated_at")
    ]
    period = {"park_id": park.pk, "year": YEAR, "month": MONTH - 1}
    rows = list(EnterpriseReport.objects.filter(**period).values_list(*fields))
    print(
        f"park {park.code}, period {YEAR}-{MONTH - 1:02d}: {len(rows):,} report rows rewritten "
        f"per run; refresh follows to the next period as an import's does; {args.runs} runs, "
        f"each rolled back"
    )
    out = fields.index("output_ytd")
    changed = [(*r[:out], (r[out] or 0) + 10, *r[out + 1 :]) for r in rows]

    class Rollback(Exception):
        pass

    write_ms: list[float] = []
    refresh_ms: list[float] = []
    for k in range(args.runs + 1):
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                EnterpriseReport.objects.filter(**period)._raw_delete(connection.alias)
                insert_rows(EnterpriseReport, fields, changed)
                t1 = time.perf_counter()
                summaries.refresh(
                    Change(kind=summaries.REPORT_KIND, slices={(park.pk, YEAR, MONTH - 1)})
                )
                t2 = time.perf_counter()
                raise Rollback
        except Rollback:
            pass
        if k:  # the first is a warm-up
            write_ms.append((t1 - t0) * 1000)
            refresh_ms.append((t2 - t1) * 1000)
    print(line("write the park-period's rows", write_ms))
    print(line("summaries.refresh for it", refresh_ms))
    p95 = p50_p95(refresh_ms)[1]
    print(
        f"refresh per imported park-period p95 {p95:.1f} ms (target ≤ 100 ms: "
        f"{'met' if p95 <= 100 else 'MISSED'}); refresh / write p50 = "
        f"{p50_p95(refresh_ms)[0] / p50_p95(write_ms)[0]:.2f}×"
    )
    _dump(args, {"write": p50_p95(write_ms), "refresh": p50_p95(refresh_ms)})


# ---------------------------------------------------------------------------------------------
# (c) the annual report, (d) growth
# ---------------------------------------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> None:
    from yuanqu.registry.models import Park

    print(machine())
    park = Park.objects.get(code=args.park) if args.park else _first()
    times, docx = timed(lambda: product_report(park), args.runs)
    print(f"park {park.code} ({park.enterprises.count():,} enterprises), annual report {YEAR}")
    p95 = p50_p95(times)[1]
    print(line("annual report (.docx)", times, f"  {len(docx):,} bytes"))
    print(
        f"annual report p95 {p95 / 1000:.2f} s (target < 2 s: {'met' if p95 < 2000 else 'MISSED'})"
    )
    _dump(args, {"report": p50_p95(times)})


def cmd_measure(args: argparse.Namespace) -> None:
    """One database's figures for `growth` (JSON on stdout's last line)."""
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.registry.models import Park

    park = Park.objects.get(code=args.park) if args.park else _first()
    figures = {
        "machine": machine(),
        "rows": EnterpriseReport.objects.count(),
        "parks": Park.objects.count(),
        "table": p50_p95(timed(lambda: product_table(park), args.runs)[0]),
        "ranking": p50_p95(timed(lambda: product_ranking(park), args.runs)[0]),
        "api": p50_p95(api_times(park, args.runs)),
        "report": p50_p95(timed(lambda: product_report(park), max(3, args.runs // 5))[0]),
    }
    print(json.dumps(figures))


def cmd_growth(args: argparse.Namespace) -> None:
    measured = []
    for url in args.database_url:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "measure",
                f"--database-url={url}",
                f"--runs={args.runs}",
                *([f"--park={args.park}"] if args.park else []),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise SystemExit(out.stdout[-2000:] + out.stderr[-3000:])
        measured.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(measured[0]["machine"])
    print(f"park {args.park or 'the first'}; p50 / p95 in ms; ratios of p50 to the first database")
    base = measured[0]
    for m in measured:
        scale = m["rows"] / base["rows"]
        cells = []
        for what in ("table", "ranking", "api", "report"):
            p50, p95 = m[what]
            cells.append(f"{what} {p50:.1f} / {p95:.1f} ({p50 / base[what][0]:.2f}×)")
        print(f"{m['parks']:>5,} parks {m['rows']:>11,} rows ({scale:4.1f}×): " + "  ".join(cells))
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _first() -> Any:
    from yuanqu.accounts.models import User
    from yuanqu.registry.models import Park

    leader = User.objects.filter(username="bench").select_related("park").first()
    if leader and leader.park:
        return leader.park
    return Park.objects.order_by("code").first()


def _dump(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("table", "refresh", "report", "growth", "measure"))
    parser.add_argument("--database-url", action="append", default=[])
    parser.add_argument("--park", default="", help="park code (default: bench's park)")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--var", default=str(ROOT / "var"), help="where the Parquet files go")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args(argv)
    urls = args.database_url or [os.environ.get("YUANQU_DATABASE_URL", "")]
    if not all(urls):
        parser.error("--database-url is required")
    if args.command == "growth":
        args.database_url = urls
        cmd_growth(args)
        return
    if len(urls) != 1:
        parser.error("one --database-url for this command")
    setup(urls[0])
    {"table": cmd_table, "refresh": cmd_refresh, "report": cmd_report, "measure": cmd_measure}[
        args.command
    ](args)


if __name__ == "__main__":
    main()
