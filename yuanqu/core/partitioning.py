"""The monthly tables partitioned by year on PostgreSQL (docs/deploy.md, "More than one machine").

At national size (~470,000 规上 enterprises a month) a year of `economy_enterprisereport` is
~5.6 M rows. Partitioned by RANGE (year), a period's reads touch one year's partition and its
indexes, an old year can be detached and archived whole, and VACUUM works on one year at a time.

Django does not know about partitioning: it creates the tables plain (migrations) and this
module converts them afterwards, in one transaction, keeping every constraint and index the
app relies on under its own name:

- PostgreSQL requires a partitioned table's primary key and unique constraints to contain the
  partition key. The primary key becomes (id, year); Django still addresses rows by `id`, which
  stays unique because only the identity sequence hands ids out (its position is carried over,
  so no id is ever reused: the audit log refers to rows by id). Every unique constraint of these
  tables already contains `year` (one period per enterprise / project / park); a table with one
  that does not is refused.
- No foreign key may point into a partitioned table (it would need (id, year)): a table that is
  referenced is refused, and new models must not refer to these rows with a database FK.
- Rows of a year without its own partition land in the DEFAULT partition. Running the command
  again (yearly, or from cron) moves them into a new partition of their year and creates the
  partitions of this year and the next: idempotent, a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

# The per-month tables that grow with enterprises × months (or projects × months). The small
# per-park ones (targets, goals, slices) gain nothing from it.
PARTITIONED_MODELS: tuple[str, ...] = (
    "economy.EnterpriseReport",
    "economy.IndicatorSummary",
    "economy.ParkIndicatorValue",
    "economy.ReportingSummary",
    "projects.ProjectProgress",
)
KEY = "year"


class PartitionError(Exception):
    """A table cannot be partitioned as it stands (message in Chinese, for the CLI)."""


@dataclass
class TableState:
    table: str
    partitioned: bool
    # Years that have rows but no partition of their own (all years, before conversion).
    years_to_move: list[int] = field(default_factory=list)
    # Partitions to create (years present, this year and the next).
    missing: list[int] = field(default_factory=list)
    has_default: bool = False
    partitions: list[int] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return self.partitioned and self.has_default and not self.missing


def tables() -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in PARTITIONED_MODELS]


def _check_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise PartitionError(
            "按年分区只适用于 PostgreSQL（YUANQU_DATABASE_URL=postgres://…）；"
            "SQLite 数据库无需也无法分区。"
        )


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _partition_name(table: str, year: int | None) -> str:
    return f"{table}_default" if year is None else f"{table}_y{year}"


def _wanted_years(years_with_rows: list[int], today: date) -> list[int]:
    return sorted({*years_with_rows, today.year, today.year + 1})


def _blockers(cursor: CursorWrapper, table: str) -> list[str]:
    """What PostgreSQL would refuse: FKs into the table, unique constraints without `year`."""
    found = []
    cursor.execute(
        "SELECT conname, conrelid::regclass::text FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    for name, source in cursor.fetchall():
        found.append(f"表 {source} 的外键 {name} 指向 {table}（分区表不能被外键引用）")
    cursor.execute(
        "SELECT c.conname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = %s "
        "WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'x') "
        "AND NOT a.attnum = ANY (c.conkey)",
        [KEY, table],
    )
    for (name,) in cursor.fetchall():
        found.append(f"{table} 的唯一约束 {name} 不含 {KEY}（分区表的唯一约束须含分区键）")
    return found


def _partitions(cursor: CursorWrapper, table: str) -> tuple[list[int], bool]:
    """The years with a partition of their own, and whether there is a DEFAULT partition."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
        [table],
    )
    years, default = [], False
    for name, bound in cursor.fetchall():
        if bound == "DEFAULT":
            default = True
        elif name.startswith(f"{table}_y"):
            years.append(int(name.rsplit("_y", 1)[1]))
    return sorted(years), default


def table_state(table: str, *, today: date | None = None) -> TableState:
    _check_postgresql()
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [table])
        partitioned = cursor.fetchone()[0] == "p"
        if not partitioned:
            cursor.execute(f"SELECT DISTINCT {_q(KEY)} FROM {_q(table)} ORDER BY 1")
            years = [row[0] for row in cursor.fetchall()]
            return TableState(
                table=table,
                partitioned=False,
                years_to_move=years,
                missing=_wanted_years(years, today),
                blockers=_blockers(cursor, table),
            )
        have, default = _partitions(cursor, table)
        in_default: list[int] = []
        if default:
            cursor.execute(
                f"SELECT DISTINCT {_q(KEY)} FROM {_q(_partition_name(table, None))} ORDER BY 1"
            )
            in_default = [row[0] for row in cursor.fetchall()]
        return TableState(
            table=table,
            partitioned=True,
            years_to_move=in_default,
            missing=[y for y in _wanted_years(in_default, today) if y not in have],
            has_default=default,
            partitions=have,
        )


def _create_partition(cursor: CursorWrapper, table: str, year: int) -> None:
    cursor.execute(
        f"CREATE TABLE {_q(_partition_name(table, year))} PARTITION OF {_q(table)} "
        f"FOR VALUES FROM ({int(year)}) TO ({int(year) + 1})"
    )


def _convert(cursor: CursorWrapper, table: str, years: list[int]) -> None:
    """A plain table → a table partitioned by year holding the same rows, ids, constraints and
    index names. Runs inside the caller's transaction."""
    cursor.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
    blockers = _blockers(cursor, table)
    if blockers:
        raise PartitionError("；".join(blockers))
    # Definitions first, while they still name the table: primary key, unique, foreign keys
    # (CHECK constraints and defaults come along with LIKE below).
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype, conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        "AND c.conrelid = i.indrelid)",
        [table],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [table],
    )
    columns = ", ".join(_q(row[0]) for row in cursor.fetchall())
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    last_value, is_called = None, False
    if sequence:
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        last_value, is_called = cursor.fetchone()

    old = f"{table}__unpartitioned"
    cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
    if sequence:
        # Frees the name: the new table's identity gets `<table>_id_seq` again.
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {_q(old + '_id_seq')}")
    cursor.execute(
        f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING IDENTITY "
        "INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS) "
        f"PARTITION BY RANGE ({_q(KEY)})"
    )
    for year in years:
        _create_partition(cursor, table, year)
    cursor.execute(
        f"CREATE TABLE {_q(_partition_name(table, None))} PARTITION OF {_q(table)} DEFAULT"
    )
    cursor.execute(
        f"INSERT INTO {_q(table)} ({columns}) OVERRIDING SYSTEM VALUE "
        f"SELECT {columns} FROM {_q(old)}"
    )
    if sequence and last_value is not None:
        # Where the old sequence stood, not max(id): ids of deleted rows are never handed out
        # again.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)",
            [table, last_value, is_called],
        )
    cursor.execute(f"DROP TABLE {_q(old)}")
    for name, kind, definition in constraints:
        if kind == "p":
            definition = _with_key(definition)
        cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
    for definition in indexes:
        cursor.execute(definition)  # CREATE INDEX name ON table …: an index on every partition
    cursor.execute(f"ANALYZE {_q(table)}")


def _with_key(primary_key: str) -> str:
    """`PRIMARY KEY (id)` → `PRIMARY KEY (id, year)`."""
    head, _, columns = primary_key.partition("(")
    names = [c.strip() for c in columns.rstrip(")").split(",")]
    if KEY not in names:
        names.append(KEY)
    return f"{head}({', '.join(names)})"


def _add_years(cursor: CursorWrapper, state: TableState) -> None:
    """Create the missing partitions; rows of those years waiting in DEFAULT move into them
    (PostgreSQL refuses a new partition while DEFAULT holds rows it would own)."""
    table = state.table
    default = _partition_name(table, None)
    cursor.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
    moving = [y for y in state.missing if y in state.years_to_move]
    held = f"{table}__moving"
    if moving:
        cursor.execute(f"CREATE TEMP TABLE {_q(held)} (LIKE {_q(default)}) ON COMMIT DROP")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {_q(default)} WHERE {_q(KEY)} = ANY(%s) RETURNING *) "
            f"INSERT INTO {_q(held)} SELECT * FROM moved",
            [moving],
        )
    for year in state.missing:
        _create_partition(cursor, table, year)
    if not state.has_default:
        cursor.execute(f"CREATE TABLE {_q(default)} PARTITION OF {_q(table)} DEFAULT")
    if moving:
        cursor.execute(f"INSERT INTO {_q(table)} OVERRIDING SYSTEM VALUE SELECT * FROM {_q(held)}")
        cursor.execute(f"DROP TABLE {_q(held)}")


def partition_all(
    *, today: date | None = None, log: Callable[[str], None] = lambda m: None
) -> list[TableState]:
    """Partition every table of PARTITIONED_MODELS, or bring its partitions up to date; one
    transaction for all. Returns the states before the run."""
    _check_postgresql()
    today = today or timezone.localdate()
    before = [table_state(t, today=today) for t in tables()]
    blocked = [b for s in before for b in s.blockers]
    if blocked:
        raise PartitionError("无法分区：" + "；".join(blocked))
    with transaction.atomic(), connection.cursor() as cursor:
        # An enclosing transaction may hold deferred foreign-key checks on these rows, and
        # PostgreSQL drops or moves no table under pending ones: run them now (they stay
        # deferred for the rest of the transaction).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for state in before:
            if not state.partitioned:
                _convert(cursor, state.table, state.missing)
                log(
                    f"{state.table}：已转换为按年分区表（{years_text(state.missing)}，另有 DEFAULT 分区）"
                )
            elif not state.up_to_date:
                _add_years(cursor, state)
                log(f"{state.table}：新增分区 {years_text(state.missing)}")
            else:
                log(f"{state.table}：已是按年分区表，无需改动（{years_text(state.partitions)}）")
    return before


def years_text(years: list[int]) -> str:
    return "、".join(f"{y} 年" for y in years) or "无"
