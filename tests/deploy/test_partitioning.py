"""The monthly tables partitioned by year (`yuanqu partition`, docs/deploy.md): on PostgreSQL the
product still imports, corrects, reads and migrates; rows land in their year's partition; a
second run changes nothing; a year without a partition waits in DEFAULT until the next run.

Runs in the suite's PostgreSQL pass. PostgreSQL's DDL is transactional: everything here,
the conversion included, happens inside the test's transaction and is rolled back with it, so
the test database the other tests use stays as the migrations made it.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from tests.economy.factories import make_park, uscc, write_xlsx
from tests.imports.test_killed_import import HEADERS
from yuanqu.core import partitioning
from yuanqu.core.periods import Period
from yuanqu.economy.models import EnterpriseReport, IndicatorSummary
from yuanqu.economy.selectors import park_indicator_table


@pytest.fixture
def pg(db):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite (YUANQU_DATABASE_URL=postgres://…)")


def _import(tmp_path, name: str, period: str, values: dict[int, int], *extra: str) -> None:
    rows = [[uscc(n), f"分区企业{n}", period, v, 90] for n, v in values.items()]
    path = write_xlsx(tmp_path / name, HEADERS, rows, unit_line="单位：万元")
    call_command(
        "import",
        str(path),
        "--kind",
        "enterprise-reports",
        "--park",
        "PT",
        *extra,
        stdout=StringIO(),
    )


def _where(table: str) -> dict[int, set[str]]:
    """year → the partitions its rows are stored in (tableoid)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT year, tableoid::regclass::text FROM {table}")
        found: dict[int, set[str]] = {}
        for year, part in cursor.fetchall():
            found.setdefault(year, set()).add(part)
    return found


def _catalog() -> list[tuple]:
    """Every table, partition bound, constraint and index of the partitioned tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relkind, coalesce(pg_get_expr(c.relpartbound, c.oid), ''), "
            "array(SELECT conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "      WHERE k.conrelid = c.oid ORDER BY 1), "
            "array(SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = c.oid "
            "      ORDER BY 1) "
            "FROM pg_class c WHERE c.relname LIKE ANY(%s) AND c.relkind IN ('r', 'p') "
            "ORDER BY 1",
            [[f"{t}%" for t in partitioning.tables()]],
        )
        return cursor.fetchall()


def _sequence(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        cursor.execute(f"SELECT last_value FROM {cursor.fetchone()[0]}")
        return int(cursor.fetchone()[0])


def test_partitioned_tables_import_correct_read_and_migrate(pg, tmp_path):
    make_park(code="PT", name="分区园区")
    _import(tmp_path, "2022-05.xlsx", "2022-05", {n: 100 + n for n in range(1, 31)})
    report = EnterpriseReport._meta.db_table
    before_rows = sorted(EnterpriseReport.objects.values_list("id", "year", "month", "output_ytd"))
    last_id = _sequence(report)

    out = StringIO()
    call_command("partition", stdout=out)
    assert "economy_enterprisereport：已转换为按年分区表（2022 年、" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [report])
        assert cursor.fetchone()[0] == "p"
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'uniq_report_period'"
        )
        assert cursor.fetchone()[0] == "UNIQUE (enterprise_id, year, month)"
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'p'",
            [report],
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, year)"
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [report],
        )
        assert cursor.fetchone()[0] == 3  # enterprise, park, import record
    # the same rows under the same ids, the sequence where it stood
    assert sorted(EnterpriseReport.objects.values_list("id", "year", "month", "output_ytd")) == (
        before_rows
    )
    assert _sequence(report) == last_id
    assert _where(report) == {2022: {f"{report}_y2022"}}

    # a second run changes nothing
    snapshot = _catalog()
    out = StringIO()
    call_command("partition", stdout=out)
    assert "已是按年分区表，无需改动" in out.getvalue()
    assert _catalog() == snapshot
    call_command("partition", "--check", stdout=StringIO())  # exit 0: nothing to do

    # imports through the import path: a new month, a correction (replace with other values),
    # a merge; new ids follow the old ones
    _import(tmp_path, "2022-06.xlsx", "2022-06", {n: 200 + n for n in range(1, 31)})
    assert EnterpriseReport.objects.filter(year=2022, month=6).count() == 30
    assert min(EnterpriseReport.objects.filter(month=6).values_list("id", flat=True)) > last_id
    _import(tmp_path, "2022-06-fix.xlsx", "2022-06", {n: 300 + n for n in range(1, 31)})
    assert EnterpriseReport.objects.get(
        year=2022, month=6, enterprise__credit_code=uscc(7)
    ).output_ytd == (Decimal("307"))
    _import(tmp_path, "2022-06-more.xlsx", "2022-06", {31: 500}, "--mode", "merge")
    assert EnterpriseReport.objects.filter(year=2022, month=6).count() == 31
    # the ORM addresses a row by its id alone (the admin's way): read, saved, read again
    one = EnterpriseReport.objects.get(year=2022, month=6, enterprise__credit_code=uscc(31))
    one.save()
    assert EnterpriseReport.objects.get(pk=one.pk).output_ytd == Decimal("500")

    # reads: the indicator table from the summaries, and the summaries agree with the rows
    park = one.park
    table = {r.code: r for r in park_indicator_table(park=park, period=Period(2022, 6))}
    expected = sum(300 + n for n in range(1, 31)) + 500
    assert table["industrial_output"].value == Decimal(expected)
    call_command("summaries", "check", stdout=StringIO())
    summary = IndicatorSummary._meta.db_table
    assert _where(summary) == {2022: {f"{summary}_y2022"}}

    # a year without its partition waits in DEFAULT; the next run gives it one
    _import(tmp_path, "2019-03.xlsx", "2019-03", {n: 10 + n for n in range(1, 11)})
    assert _where(report)[2019] == {f"{report}_default"}
    with pytest.raises(CommandError, match="张表需要运行 yuanqu partition"):
        call_command("partition", "--check", stdout=StringIO())
    out = StringIO()
    call_command("partition", stdout=out)
    assert f"{report}：新增分区 2019 年" in out.getvalue()
    where = _where(report)
    assert where[2019] == {f"{report}_y2019"} and where[2022] == {f"{report}_y2022"}
    assert EnterpriseReport.objects.filter(year=2019).count() == 10
    call_command("summaries", "check", stdout=StringIO())

    # Django migrations still apply to the partitioned table: a column added, altered and
    # removed, an index added and removed (each cascades to every partition)
    # (A migration runs in a transaction of its own; here the foreign-key checks this
    # transaction deferred must run first, or PostgreSQL alters no table that has them.)
    connection.check_constraints()
    with connection.schema_editor() as editor:
        note = models.CharField("备注", max_length=20, null=True)
        note.set_attributes_from_name("partition_note")
        note.model = EnterpriseReport
        editor.add_field(EnterpriseReport, note)
        longer = models.CharField("备注", max_length=80, null=True)
        longer.set_attributes_from_name("partition_note")
        longer.model = EnterpriseReport
        editor.alter_field(EnterpriseReport, note, longer, strict=True)
        index = models.Index(fields=["year", "enterprise"], name="report_year_enterprise")
        editor.add_index(EnterpriseReport, index)
        editor.remove_index(EnterpriseReport, index)
        editor.remove_field(EnterpriseReport, longer)
    call_command("migrate", "--check", verbosity=0)
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_partition_refuses_politely_on_sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pass shows the refusal")
    with pytest.raises(CommandError, match="按年分区只适用于 PostgreSQL"):
        call_command("partition")
    with pytest.raises(CommandError, match="按年分区只适用于 PostgreSQL"):
        call_command("partition", "--check")
