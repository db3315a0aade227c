"""Economy summaries: park and cluster totals per period, and 报送率, kept with the data.

`IndicatorSummary` holds, for each park, period and computed indicator (selectors.COMPUTED),
the sums a page needs — Σ 1-本月, Σ each enterprise's own 上年同期 (the comparable base), Σ 本月
and its 上年同期, the number of enterprises — for the whole park and per cluster;
`ReportingSummary` holds 应报 / 已报 per period. They are written here only, inside the
transaction of each write that changes what they sum (`refresh`, called through
`core.summaries.notify`), and read by `economy.selectors`. The sums are taken over every stored
report of the period, whatever its data status: whether a period counts is decided when it is
read, from its DataSlice, so status changes need no refresh.

Dependencies between periods, followed by `refresh`: a period's 本月 of an indicator without
a month column (营业收入, 利润总额) is 1-本月 less the previous month's report; a period's 报送率
without a 规上 list expects the previous report period's reporters (1-2月: last December).
So a change to period P also refreshes P's next month, and December's the next January and
February.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from yuanqu.core.periods import Period
from yuanqu.core.summaries import Change, SliceKey
from yuanqu.core.wording import MONEY_UNITS
from yuanqu.economy import formulas
from yuanqu.economy.models import EnterpriseReport, IndicatorSummary, ReportingSummary
from yuanqu.imports.models import DataSlice

REPORT_KIND = "enterprise-reports"
PARK = IndicatorSummary.Scope.PARK
CLUSTER = IndicatorSummary.Scope.CLUSTER


def _computed() -> dict[str, tuple[str, str, str | None, str | None]]:
    from yuanqu.economy.selectors import COMPUTED

    return {code: (f.ytd, f.ytd_ly, f.month, f.month_ly) for code, f in COMPUTED.items()}


def _report_fields() -> list[str]:
    names: list[str] = []
    for spec in _computed().values():
        names += [n for n in spec if n is not None and n not in names]
    return names


def _shift(unit: str) -> int:
    """The decimal shift from a report's unit to 万元 (`core.wording.convert_amount`'s rule)."""
    return MONEY_UNITS[unit] - MONEY_UNITS["万元"]


@dataclass
class _Sum:
    """Running sums of one (scope, cluster, indicator), with selectors' None rules."""

    current: Decimal = Decimal(0)
    base: Decimal | None = Decimal(0)
    month: Decimal | None = None
    month_base: Decimal | None = None
    count: int = 0

    def add(
        self,
        current: Decimal,
        base: Decimal | None,
        month: Decimal | None,
        month_base: Decimal | None,
    ) -> None:
        self.count += 1
        self.current += current
        # formulas.comparable_totals: one part without a base leaves the base undefined.
        self.base = None if base is None or self.base is None else self.base + base
        # selectors._sum: None values are left out; None only when every value is None.
        if month is not None:
            self.month = month if self.month is None else self.month + month
        if month_base is not None:
            self.month_base = (
                month_base if self.month_base is None else self.month_base + month_base
            )


Row = dict[str, object]


def summarize(
    rows: Iterable[Row], prev_rows: Iterable[Row], month: int
) -> dict[tuple[str, int | None, str], _Sum]:
    """Sums of one park and period from its report rows (values of `_values()`).

    Each enterprise's figures as `selectors.enterprise_figures` takes them: amounts in 万元;
    an enterprise without 1-本月 for an indicator is not in that indicator's set; 本月 from the
    month column, or 1-本月 less the enterprise's previous report (`formulas.month_from_ytd`).
    """
    computed = _computed()
    prev = {r["enterprise_id"]: r for r in prev_rows} if month > 1 else {}
    sums: dict[tuple[str, int | None, str], _Sum] = defaultdict(_Sum)
    for r in rows:
        # Exact: a unit change only moves the decimal point (convert_amount).
        shift = _shift(str(r["unit"]))
        values = {k: (v.scaleb(shift) if isinstance(v, Decimal) else v) for k, v in r.items()}
        cluster_id = r["enterprise__cluster_id"]
        p = prev.get(r["enterprise_id"])
        prev_shift = _shift(str(p["unit"])) if p else 0
        for code, (ytd, ytd_ly, month_field, month_ly) in computed.items():
            current: Decimal | None = values[ytd]  # type: ignore[assignment]
            if current is None:
                continue
            base: Decimal | None = values[ytd_ly]  # type: ignore[assignment]
            month_value: Decimal | None
            month_base: Decimal | None
            if month_field is not None and month_ly is not None:
                month_value = values[month_field]  # type: ignore[assignment]
                month_base = values[month_ly]  # type: ignore[assignment]
            else:
                before = p[ytd] if p else None
                prev_ytd = before.scaleb(prev_shift) if isinstance(before, Decimal) else None
                month_value = formulas.month_from_ytd(current, prev_ytd, month)
                month_base = None
            for key in ((PARK, None, code), (CLUSTER, cluster_id, code)):
                sums[key].add(current, base, month_value, month_base)  # type: ignore[index]
    return sums


def _values(park_id: int, year: int, months: Iterable[int]) -> dict[int, list[Row]]:
    """The report rows of a park and year for these months, only the columns summed."""
    fields = ["enterprise_id", "month", "unit", "enterprise__cluster_id", *_report_fields()]
    by_month: dict[int, list[Row]] = defaultdict(list)
    qs = EnterpriseReport.objects.filter(park_id=park_id, year=year, month__in=sorted(set(months)))
    for r in qs.values(*fields):
        by_month[int(r["month"])].append(r)
    return by_month


def dependents(keys: Iterable[SliceKey]) -> set[SliceKey]:
    """The slices whose summaries read these slices' rows (see the module docstring)."""
    found: set[SliceKey] = set()
    for park_id, year, month in keys:
        if month < 12:
            found.add((park_id, year, month + 1))
        else:
            found |= {(park_id, year + 1, 1), (park_id, year + 1, 2)}
    return found


def _group(keys: Iterable[SliceKey]) -> dict[tuple[int, int], set[int]]:
    grouped: dict[tuple[int, int], set[int]] = defaultdict(set)
    for park_id, year, month in keys:
        grouped[(park_id, year)].add(month)
    return grouped


def _build(keys: set[SliceKey]) -> Iterator[IndicatorSummary]:
    """Fresh summary rows of these slices (one query per park and year)."""
    for (park_id, year), months in sorted(_group(keys).items()):
        wanted = set(months) | {m - 1 for m in months if m > 1}
        rows = _values(park_id, year, wanted)
        for month in sorted(months):
            sums = summarize(rows.get(month, []), rows.get(month - 1, []), month)
            for (scope, cluster_id, code), s in sorted(
                sums.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])
            ):
                yield IndicatorSummary(
                    park_id=park_id,
                    year=year,
                    month=month,
                    code=code,
                    scope=scope,
                    cluster_id=cluster_id,
                    current=s.current,
                    base=s.base,
                    month_value=s.month,
                    month_base=s.month_base,
                    enterprise_count=s.count,
                )


def _slices_q(keys: Iterable[SliceKey]) -> Q:
    q = Q(pk__in=[])
    for (park_id, year), months in _group(keys).items():
        q |= Q(park_id=park_id, year=year, month__in=sorted(months))
    return q


def _reporting(keys: set[SliceKey]) -> list[ReportingSummary]:
    """报送率 of the slices that have an enterprise-report status (a DataSlice), by the rule of
    `selectors.reporting_rate`, in three queries for any number of slices."""
    from yuanqu.economy.selectors import previous_report_period
    from yuanqu.registry.models import EnterpriseScale

    if not keys:
        return []
    held = sorted(
        DataSlice.objects.filter(_slices_q(keys), kind=REPORT_KIND).values_list(
            "park_id", "year", "month"
        )
    )
    if not held:
        return []
    # Who reported: the slices themselves and the periods their 上月报送 basis reads.
    basis_of = {k: (k[0], *previous_report_period(Period(k[1], k[2]))) for k in held}
    wanted = set(held) | set(basis_of.values())
    reporters: dict[SliceKey, set[int]] = defaultdict(set)
    for park_id, year, month, enterprise_id in EnterpriseReport.objects.filter(
        _slices_q(wanted)
    ).values_list("park_id", "year", "month", "enterprise_id"):
        reporters[(park_id, year, month)].add(enterprise_id)
    # The 规上 list of each park and year (EnterpriseScale with is_above_scale).
    lists: dict[tuple[int, int], list[tuple[int, str, int | None]]] = defaultdict(list)
    scale = EnterpriseScale.objects.filter(
        enterprise__park_id__in={k[0] for k in held},
        year__in={k[1] for k in held},
        is_above_scale=True,
    ).values_list("enterprise__park_id", "year", "enterprise_id", "entry", "entry_month")
    for park_id, year, enterprise_id, entry, entry_month in scale:
        lists[(park_id, year)].append((enterprise_id, entry, entry_month))
    found = []
    for key in held:
        park_id, year, month = key
        listed = lists.get((park_id, year))
        if listed:
            basis = "规上名单"
            # An enterprise entering 规上 during the year (月度入库) counts from its month on.
            expected = {
                e
                for e, entry, entry_month in listed
                if not (
                    entry == EnterpriseScale.Entry.MONTHLY
                    and entry_month is not None
                    and entry_month > month
                )
            }
        else:
            basis = "上月报送"
            expected = set(reporters.get(basis_of[key], set()))
        reported_all = reporters.get(key, set())
        reported = expected & reported_all if expected else reported_all
        found.append(
            ReportingSummary(
                park_id=park_id,
                year=year,
                month=month,
                expected=len(expected),
                reported=len(reported),
                extra=len(reported_all - expected) if expected else 0,
                basis=basis,
            )
        )
    return found


def _reporting_in_database(keys: set[SliceKey]) -> list[ReportingSummary]:
    """`_reporting` counted by the database (`selectors.reporting_counts`, one query per
    slice), for an import's refresh on PostgreSQL: `_reporting` reads every reporter of the
    slices and of the months before into Python (a national period: ~1 s; issue 16)."""
    from yuanqu.economy.selectors import reporting_counts

    if not keys:
        return []
    held = sorted(
        DataSlice.objects.filter(_slices_q(keys), kind=REPORT_KIND).values_list(
            "park_id", "year", "month"
        )
    )
    found = []
    for park_id, year, month in held:
        counts = reporting_counts(park_id=park_id, period=Period(year, month))
        found.append(
            ReportingSummary(
                park_id=park_id,
                year=year,
                month=month,
                expected=counts.expected,
                reported=counts.reported,
                extra=counts.extra,
                basis=counts.basis,
            )
        )
    return found


def _clear(qs: QuerySet[Any]) -> None:
    """Delete stale summary rows in one DELETE. `QuerySet.delete()` sends a post_delete signal
    per row, and `core.versions` answers each with an UPDATE of the data version: ~135 of them
    for one imported park-period (a third of its refresh time on PostgreSQL). The callers'
    entry points (`core.summaries.notify` / `rebuild`) raise the version once already; summary
    rows have no dependants to cascade to."""
    qs._raw_delete(qs.db)


def refresh_slices(keys: Iterable[SliceKey], *, follow: bool = True) -> int:
    """Recompute the summaries of these slices (and, `follow`, of the slices reading them).

    Call inside the transaction that changed the rows. Returns the summary rows written.
    """
    wanted = set(keys)
    if follow:
        wanted |= dependents(wanted)
    if not wanted:
        return 0
    reporting = (
        _reporting_in_database(wanted) if connection.vendor == "postgresql" else _reporting(wanted)
    )
    _clear(IndicatorSummary.objects.filter(_slices_q(wanted)))
    _clear(ReportingSummary.objects.filter(_slices_q(wanted)))
    ReportingSummary.objects.bulk_create(reporting, batch_size=500)
    if connection.vendor == "postgresql":
        # Summed by the database: an imported park-period of 2,000 enterprises is ~6,000 rows
        # read (the period, the month before, the next period), which Python would sum in
        # ~100 ms; `_build` below is the same computation, and `check` compares the two.
        return _insert_in_database(keys=wanted)
    fresh = list(_build(wanted))
    IndicatorSummary.objects.bulk_create(fresh, batch_size=500)
    return len(fresh)


def report_slices(
    *, park_ids: Iterable[int] | None = None, enterprise_ids: Iterable[int] | None = None
) -> set[SliceKey]:
    """The (park, year, month) slices holding reports of these parks or enterprises."""
    qs = EnterpriseReport.objects.all()
    if park_ids is not None:
        qs = qs.filter(park_id__in=list(park_ids))
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    held = set(qs.values_list("park_id", "year", "month").distinct())
    statuses = DataSlice.objects.filter(kind=REPORT_KIND)
    if park_ids is not None:
        statuses = statuses.filter(park_id__in=list(park_ids))
    if enterprise_ids is None:
        # Periods without rows but with a status still have a 报送率 (nobody reported yet).
        held |= set(statuses.values_list("park_id", "year", "month"))
    return held


def refresh(change: Change) -> None:
    """`core.summaries` entry point: what a write changed → the summaries to recompute."""
    if change.kind == REPORT_KIND:
        refresh_slices(change.slices)
    elif change.kind in {"enterprises", "clusters"}:
        # A cluster or park move of an enterprise changes the cluster sums of its periods; a
        # new or removed enterprise changes nothing summed until it has reports.
        keys = set(change.slices)
        if change.enterprise_ids:
            keys |= report_slices(enterprise_ids=change.enterprise_ids)
        if change.park_ids:
            keys |= report_slices(park_ids=change.park_ids)
        # Followed: the next period's 报送率 expects this one's reporters.
        refresh_slices(keys)
    elif change.kind == "enterprise-scale":
        # The 规上 list of a year decides who is expected in every month of it.
        keys = {
            k
            for k in report_slices(park_ids=change.park_ids or None)
            if not change.years or k[1] in change.years
        }
        reporting = _reporting(keys)
        _clear(ReportingSummary.objects.filter(_slices_q(keys)))
        ReportingSummary.objects.bulk_create(reporting, batch_size=500)


def rebuild(park_ids: list[int] | None = None) -> int:
    """Everything again, for these parks (None: all). Returns the summary rows written."""
    keys = report_slices(park_ids=park_ids)
    stale = IndicatorSummary.objects.all()
    stale_reporting = ReportingSummary.objects.all()
    if park_ids is not None:
        stale = stale.filter(park_id__in=park_ids)
        stale_reporting = stale_reporting.filter(park_id__in=park_ids)
    _clear(stale)
    _clear(stale_reporting)
    written = 0
    for chunk in _chunks(sorted(keys), 240):
        written += refresh_slices(chunk, follow=False)
    return written


def _chunks(items: list[SliceKey], size: int) -> Iterator[list[SliceKey]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _stored_key(s: IndicatorSummary) -> tuple[object, ...]:
    return (s.park_id, s.year, s.month, s.code, s.scope, s.cluster_id)


def _stored_values(s: IndicatorSummary) -> tuple[object, ...]:
    return (s.current, s.base, s.month_value, s.month_base, s.enterprise_count)


def check(park_ids: list[int] | None = None) -> list[str]:
    """Differences between the stored summaries and a recomputation from the rows (Chinese)."""
    keys = report_slices(park_ids=park_ids)
    fresh = {_stored_key(s): _stored_values(s) for s in _build(keys)}
    stored_qs = IndicatorSummary.objects.all()
    reporting_qs = ReportingSummary.objects.all()
    if park_ids is not None:
        stored_qs = stored_qs.filter(park_id__in=park_ids)
        reporting_qs = reporting_qs.filter(park_id__in=park_ids)
    stored = {_stored_key(s): _stored_values(s) for s in stored_qs}
    problems = []
    for key in sorted(set(fresh) | set(stored), key=str):
        if fresh.get(key) != stored.get(key):
            problems.append(
                f"园区{key[0]} {key[1]}-{int(str(key[2])):02d} {key[3]}（{key[4]}"
                f"{'' if key[5] is None else ' 集群' + str(key[5])}）：汇总表 {stored.get(key)}，"
                f"重算 {fresh.get(key)}"
            )
    rates = {(r.park_id, r.year, r.month): r for r in _reporting(keys)}
    held = {(r.park_id, r.year, r.month): r for r in reporting_qs}
    for key in sorted(set(rates) | set(held)):
        a, b = held.get(key), rates.get(key)
        pair_a = (a.expected, a.reported, a.extra, a.basis) if a else None
        pair_b = (b.expected, b.reported, b.extra, b.basis) if b else None
        if pair_a != pair_b:
            problems.append(
                f"园区{key[0]} {key[1]}-{key[2]:02d} 报送率：汇总表 {pair_a}，重算 {pair_b}"
            )
    return problems


def rebuild_in_database(park_ids: list[int]) -> int:
    """`rebuild` of these parks with the summaries summed by the database (`_insert_in_database`)
    on PostgreSQL, for bulk loads (benchmarks/make_scale_data.py: ~10 M rows, which `rebuild`
    would read into Python row by row); elsewhere `rebuild` itself. Returns the summary rows
    written; 报送率 is `_reporting`'s, as in `rebuild`."""
    from yuanqu.core import versions

    if connection.vendor != "postgresql":
        return rebuild(park_ids)
    if not park_ids:
        return 0
    versions.changed()
    _clear(IndicatorSummary.objects.filter(park_id__in=park_ids))
    _clear(ReportingSummary.objects.filter(park_id__in=park_ids))
    written = _insert_in_database(park_ids=park_ids)
    keys = report_slices(park_ids=park_ids)
    for chunk in _chunks(sorted(keys), 240):
        ReportingSummary.objects.bulk_create(_reporting(set(chunk)), batch_size=500)
    return written


def _insert_in_database(
    *, park_ids: list[int] | None = None, keys: set[SliceKey] | None = None
) -> int:
    """INSERT the summaries of these parks (or only of these slices) as one set-based statement
    (GROUP BY GROUPING SETS) on PostgreSQL: the sums `summarize` takes, under its rules — exact
    numeric arithmetic, a unit change moving the decimal point, a base undefined when one
    enterprise lacks it, 本月 from the month column or 1-本月 less the enterprise's previous
    report of the park (`formulas.month_from_ytd`). `check` confirms it
    (tests/economy/test_summary_property.py, after any sequence of writes). The caller deletes
    the stale rows first. Returns the rows written."""
    from yuanqu.registry.models import Enterprise

    report = EnterpriseReport._meta.db_table
    enterprise = Enterprise._meta.db_table
    summary = IndicatorSummary._meta.db_table

    def factor(alias: str) -> str:
        # 10^(shift to 万元) of the row's unit, exact: e.g. 千元 → 0.1.
        cases = " ".join(
            f"WHEN '{unit}' THEN {Decimal(1).scaleb(_shift(unit)):f}::numeric"
            for unit in MONEY_UNITS
        )
        return f"(CASE {alias}.unit {cases} END)"

    def triples(found: set[SliceKey]) -> list[list[int]]:
        ordered = sorted(found)
        return [[k[0] for k in ordered], [k[1] for k in ordered], [k[2] for k in ordered]]

    in_slices = (
        "(r.park_id, r.year, r.month) IN (SELECT * FROM unnest(%s::int[], %s::int[], %s::int[]))"
    )
    params: list[object]
    if keys is None:
        rows_where, out_where, params = "r.park_id = ANY(%s)", "", [list(park_ids or [])]
    else:
        # The slices' rows and those of the month before each (their 本月 reads it).
        needed = set(keys) | {(p, y, m - 1) for p, y, m in keys if m > 1}
        # Read as park ∈ …, year ∈ …, month ∈ …: a superset whose size the planner estimates
        # well (the exact triples estimate badly and switch JIT compilation on, ~100 ms); rows
        # outside the slices only stand beside them in the window, their summaries unwritten.
        rows_where = "r.park_id = ANY(%s) AND r.year = ANY(%s) AND r.month = ANY(%s)"
        out_where = f" AND {in_slices}"
        params = [*(sorted(set(t)) for t in triples(needed)), *triples(set(keys))]
    computed = _computed()
    # Each row with its enterprise's previous report of the park and year (a window, not a
    # self-join: one scan of the rows whatever the planner knows of them).
    previous = sorted({f[0] for f in computed.values() if f[2] is None or f[3] is None})
    lagged = "".join(f", lag(r.{c}) OVER w AS prev_{c}" for c in ["month", "unit", *previous])
    used = sorted({c for f in computed.values() for c in f if c is not None})
    picked = ", ".join(f"r.{c}" for c in ["park_id", "year", "month", "unit", *used])
    rows_cte = (
        # The cluster by its primary key row by row: a join would hash every enterprise of
        # the platform for the few thousand rows of one park-period.
        f"WITH r AS (SELECT {picked}, (SELECT e.cluster_id FROM {enterprise} e "
        f"WHERE e.id = r.enterprise_id) AS cluster_id{lagged} FROM {report} r WHERE {rows_where} "
        "WINDOW w AS (PARTITION BY r.park_id, r.enterprise_id, r.year ORDER BY r.month)), "
        f"o AS (SELECT * FROM r WHERE true{out_where})"
    )
    prev_factor = factor("r").replace("r.unit", "r.prev_unit")
    # One pass over the rows: each code's sums side by side in one row per group (filtered
    # to the rows carrying its 1-本月 figure), then turned into a row per code — instead of a
    # copy of every row per code grouped again (5× the rows through the aggregate; issue 16).
    aggregates, unpivot = [], []
    for i, (code, (ytd, ytd_ly, month_field, month_ly)) in enumerate(computed.items()):
        if month_field is not None and month_ly is not None:
            month_value = f"r.{month_field} * {factor('r')}"
            month_base = f"r.{month_ly} * {factor('r')}"
        else:
            # formulas.month_from_ytd, the previous report being the month before's.
            prev = f"(CASE WHEN r.prev_month = r.month - 1 THEN r.prev_{ytd} END)"
            month_value = (
                f"CASE WHEN r.month = 1 THEN r.{ytd} * {factor('r')} "
                f"WHEN {prev} IS NULL THEN CASE WHEN r.month = 2 THEN r.{ytd} * {factor('r')} END "
                f"ELSE r.{ytd} * {factor('r')} - {prev} * {prev_factor} END"
            )
            month_base = "NULL::numeric"
        has = f"FILTER (WHERE r.{ytd} IS NOT NULL)"
        base = f"r.{ytd_ly} * {factor('r')}"
        aggregates.append(
            f"sum(r.{ytd} * {factor('r')}) {has} AS cur{i}, "
            f"bool_and({base} IS NOT NULL) {has} AS allb{i}, sum({base}) {has} AS base{i}, "
            f"sum({month_value}) {has} AS mv{i}, sum({month_base}) {has} AS mb{i}, "
            f"count(*) {has} AS n{i}"
        )
        unpivot.append(f"('{code}', a.cur{i}, a.allb{i}, a.base{i}, a.mv{i}, a.mb{i}, a.n{i})")
    sql = (
        f"{rows_cte}, a AS (SELECT r.park_id, r.year, r.month, r.cluster_id, "
        f"GROUPING(r.cluster_id) AS whole, {', '.join(aggregates)} FROM o r "
        "GROUP BY GROUPING SETS ((r.park_id, r.year, r.month), "
        "(r.park_id, r.year, r.month, r.cluster_id))) "
        f"INSERT INTO {summary} (park_id, year, month, code, scope, cluster_id, "
        "current, base, month_value, month_base, enterprise_count) "
        "SELECT a.park_id, a.year, a.month, v.code, "
        f"CASE WHEN a.whole = 1 THEN '{PARK}' ELSE '{CLUSTER}' END, a.cluster_id, "
        "v.cur, CASE WHEN v.allb THEN v.base END, v.mv, v.mb, v.n "
        f"FROM a CROSS JOIN LATERAL (VALUES {', '.join(unpivot)}) "
        "v(code, cur, allb, base, mv, mb, n) WHERE v.n > 0"
    )
    with connection.cursor() as cursor:
        # The groups are few (the clusters of a park-period) and hash in kilobytes, but rows
        # written earlier in the same transaction (an import's) have no statistics yet: the
        # planner may then sort every row to group them, on disk beyond work_mem (issue 16:
        # twice the statement's time at 100,000 rows). Sorting is discouraged for this
        # statement only (the window still sorts: it has no other way).
        cursor.execute(
            "SELECT current_setting('enable_sort'), set_config('enable_sort', 'off', true)"
        )
        (before, _) = cursor.fetchone()
        try:
            cursor.execute(sql, params)
            return int(cursor.rowcount)
        finally:
            cursor.execute("SELECT set_config('enable_sort', %s, true)", [before])
