"""Import benchmark: the product's own import path against the floor and django-import-export.

    uv run python benchmarks/import_bench.py --rows 100000 [--db sqlite|postgres|both]

For each database, each stage runs in its own process on a fresh database (so peak memory is
the stage's own), with the same generated .xlsx of N enterprise monthly reports:

- floor: the same reader (calamine) + Decimal conversion + the fastest bare write of the rows
  in one transaction (no model instances, no validation): `INSERT … executemany` on SQLite,
  `COPY … FROM STDIN` (psycopg 3 `cursor.copy`) on PostgreSQL — the import itself writes
  through COPY there (issue 16), so that is the floor it is measured against. The COPY
  writes the same rows as the import, each with its import record's id (the figures'
  lineage) and so that foreign key's check at the commit; the ratio against the floor
  without that column (`floor-bare`, the floor before 2026-12-08) is printed beside;
- yuanqu: `run_import` end to end (validate every row, plan, commit in one transaction);
- django-import-export: a ModelResource in its default configuration (what a Django developer
  writes first), at min(N, 20,000) rows — it needs minutes beyond that.

Prints rows/s and peak memory per stage, then `ratio vs floor: N.NN×` (yuanqu time / floor
time; target ≤ 2×) and `ratio vs django-import-export: N.NN×` (how many times faster per row
yuanqu is; target ≥ 10×). Run by hand; the suite runs a small smoke of it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(本月)",
    "工业总产值(1-本月)",
    "工业总产值上年同期(本月)",
    "工业总产值上年同期(1-本月)",
    "工业销售产值(1-本月)",
    "出口交货值(1-本月)",
    "营业收入(1-本月)",
    "营业收入上年同期(1-本月)",
    "利润总额(1-本月)",
    "利润总额上年同期(1-本月)",
]
FIELDS = [
    "output_month",
    "output_ytd",
    "output_month_ly",
    "output_ytd_ly",
    "sales_ytd",
    "export_ytd",
    "revenue_ytd",
    "revenue_ytd_ly",
    "profit_ytd",
    "profit_ytd_ly",
]


def codes(n: int) -> list[str]:
    from yuanqu.core.uscc import make_uscc

    return [make_uscc(f"91110000MA{i:07d}") for i in range(1, n + 1)]


def generate(path: Path, n: int) -> None:
    """An enterprise-report .xlsx of n rows (one period, n enterprises), as a user would send."""
    import random

    from openpyxl import Workbook

    rng = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("报表")
    ws.append(["单位：千元"])
    ws.append(HEADERS)
    for i, code in enumerate(codes(n), start=1):
        ytd = rng.randint(20000, 900000) / 10
        ly = round(ytd * rng.uniform(0.8, 1.2), 1)
        month = round(ytd / 9, 1)
        sales = round(ytd * 0.97, 1)
        ws.append(
            [
                code,
                f"企业{i}",
                "2022-09",
                month,
                ytd,
                round(month * 0.95, 1),
                ly,
                sales,
                round(sales * 0.1, 1),
                round(ytd * 1.05, 1),
                round(ly * 1.05, 1),
                round(ytd * 0.06, 1),
                round(ly * 0.05, 1),
            ]
        )
    wb.save(path)


# --------------------------------------------------------------------------------------------
# A stage, in its own process
# --------------------------------------------------------------------------------------------


def setup_database(n: int) -> object:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from yuanqu.registry.models import Enterprise, Park

    park = Park.objects.create(code="BENCH", name="基准测试园区")
    Enterprise.objects.bulk_create(
        [Enterprise(credit_code=c, name=f"企业{i}", park=park) for i, c in enumerate(codes(n), 1)],
        batch_size=5000,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        # A park's registry is not written a second before its first import: autovacuum has
        # analyzed it by then. Without statistics the chunks' credit-code lookups scan the
        # whole table (≈ 3.5 s of the import at 470,000 rows); the floor reads it once.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Enterprise._meta.db_table}")
    return park


def stage_floor(path: Path, park: object, *, with_record: bool = True) -> int:
    """The same reader (calamine), Decimal conversion, and a bare INSERT … executemany
    (SQLite) or COPY (PostgreSQL). On PostgreSQL the COPY writes the same rows as the import,
    the import record's id included (`with_record`; False: the floor as measured before
    2026-12-08, without that column and its foreign-key check)."""
    from decimal import Decimal

    import python_calamine as pc
    from django.db import connection, transaction

    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.registry.models import Enterprise

    ids = dict(Enterprise.objects.values_list("credit_code", "id"))
    ws = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    columns = ["enterprise_id", "park_id", "year", "month", "unit", "extra", "correction", *FIELDS]
    if connection.vendor == "postgresql" and with_record:
        # The same rows as the import writes: each names the import record it came from
        # (the figures' lineage), so the floor pays that foreign key's check as well.
        from yuanqu.imports.models import ImportRecord

        record = ImportRecord.objects.create(
            kind="enterprise-reports", file_name=path.name, sha256="", status="committed"
        )
        columns.append("import_record_id")
    sql = (
        f"INSERT INTO {EnterpriseReport._meta.db_table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch, rows = [], 0
    if connection.vendor == "postgresql":
        copy_sql = f"COPY {EnterpriseReport._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        tail = (record.pk,) if with_record else ()
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(copy_sql) as copy,
        ):
            for cells in ws.iter_rows():
                if not cells or cells[0] not in ids:
                    continue
                values = (Decimal(str(v)) for v in cells[3:])
                copy.write_row(
                    (ids[cells[0]], park.pk, 2022, 9, "千元", "{}", False, *values, *tail)
                )
                rows += 1
        return rows
    with transaction.atomic(), connection.cursor() as cursor:
        for cells in ws.iter_rows():
            if not cells or cells[0] not in ids:
                continue
            values = (Decimal(str(v)) for v in cells[3:])
            batch.append((ids[cells[0]], park.pk, 2022, 9, "千元", "{}", False, *values))
            rows += 1
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)
    return rows


def stage_yuanqu(path: Path, park: object) -> int:
    from yuanqu.imports.engine import run_import

    preview = run_import(path, kind="enterprise-reports", park=park)
    assert preview.committed, [i.text() for i in preview.errors[:5]]
    return preview.rows_read


def stage_die(path: Path, park: object) -> int:
    import tablib
    from import_export import fields, resources, widgets

    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.registry.models import Enterprise

    class ReportResource(resources.ModelResource):
        enterprise = fields.Field(
            column_name="统一社会信用代码",
            attribute="enterprise",
            widget=widgets.ForeignKeyWidget(Enterprise, "credit_code"),
        )

        class Meta:
            model = EnterpriseReport
            fields = ("id", "enterprise", "park", "year", "month", *FIELDS)

    # tablib reads a rectangular sheet: the units line (one cell) is dropped first, as a
    # developer using django-import-export would have to do.
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    rows = wb.active.iter_rows(min_row=3, values_only=True)
    data = tablib.Dataset(headers=["id", "统一社会信用代码", "park", "year", "month", *FIELDS])
    for row in rows:
        data.append(["", row[0], park.pk, 2022, 9, *row[3:]])
    result = ReportResource().import_data(data, dry_run=False, raise_errors=True)
    return result.totals["new"]


def run_stage(stage: str, db: str, path: Path, n: int) -> dict:
    park = setup_database(n)
    fn = {
        "floor": stage_floor,
        "floor-bare": lambda path, park: stage_floor(path, park, with_record=False),
        "yuanqu": stage_yuanqu,
        "die": stage_die,
    }[stage]
    t0 = time.perf_counter()
    rows = fn(path, park)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stage": stage, "db": db, "rows": rows, "seconds": seconds, "peak_mb": peak_mb}


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def database_url(db: str, tmp: Path) -> tuple[str, object]:
    if db == "sqlite":
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}", None
    import psycopg

    name = f"yuanqu_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgres://postgres@127.0.0.1:5432/{name}", drop


def spawn(stage: str, db: str, path: Path, n: int, tmp: Path) -> dict:
    url, drop = database_url(db, tmp)
    env = {
        **os.environ,
        "YUANQU_DATABASE_URL": url,
        "YUANQU_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    try:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                stage,
                "--db",
                db,
                "--file",
                str(path),
                "--rows",
                str(n),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise SystemExit(f"{stage}/{db} failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if drop:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--die-rows", type=int, default=20000, help="rows for django-import-export")
    parser.add_argument("--skip-die", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(run_stage(args.worker, args.db, Path(args.file), args.rows)))
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        path = tmp / f"reports-{args.rows}.xlsx"
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        die_rows = min(args.rows, args.die_rows)
        die_path = path
        if not args.skip_die and die_rows != args.rows:
            die_path = tmp / f"reports-{die_rows}.xlsx"
            generate(die_path, die_rows)
        for db in dbs:
            floor = spawn("floor", db, path, args.rows, tmp)
            bare = spawn("floor-bare", db, path, args.rows, tmp) if db == "postgres" else None
            ours = spawn("yuanqu", db, path, args.rows, tmp)
            print(f"\n[{db}] {args.rows:,} rows")
            for r in (floor, bare, ours):
                if r is None:
                    continue
                print(
                    f"  {r['stage']:<10} {r['seconds']:8.2f} s  {r['rows'] / r['seconds']:10,.0f} rows/s  "
                    f"peak {r['peak_mb']:7.0f} MB"
                )
            print(f"  ratio vs floor: {ours['seconds'] / floor['seconds']:.2f}×")
            if bare is not None:
                print(
                    f"  ratio vs floor without the import record's column: "
                    f"{ours['seconds'] / bare['seconds']:.2f}×"
                )
            if not args.skip_die:
                die = spawn("die", db, die_path, die_rows, tmp)
                ours_small = (
                    ours if die_rows == args.rows else spawn("yuanqu", db, die_path, die_rows, tmp)
                )
                print(
                    f"  django-import-export {die['seconds']:8.2f} s  {die['rows'] / die['seconds']:10,.0f} rows/s "
                    f"({die_rows:,} rows); yuanqu {ours_small['rows'] / ours_small['seconds']:,.0f} rows/s"
                )
                per_row_die = die["seconds"] / die["rows"]
                per_row_ours = ours_small["seconds"] / ours_small["rows"]
                print(f"  ratio vs django-import-export: {per_row_die / per_row_ours:.2f}×")


if __name__ == "__main__":
    main()
