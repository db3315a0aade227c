"""Economy reads: the park indicator table, parts (enterprise / cluster), rankings, series.

Everything a page, the API, the CLI or a report shows about the economy is computed here from
the stored rows through the formulas in `formulas.py` — unrounded Decimals; rounding happens
only in `core.wording` or the JSON/CLI formatting. Only 已审核 and 已锁定 data count, unless
`include_submitted` is asked for (DECISIONS.md, data status).

Computed indicators sum the enterprise reports of the period's 规上 set (the enterprises with a
report for the period, DOMAIN.md §3), converted exactly to 万元. Their growth is on the
comparable basis: each enterprise of the current set against its own 上年同期.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model, Q

from yuanqu.accounts.models import AuthUser
from yuanqu.core.modules import land_areas
from yuanqu.core.periods import Period
from yuanqu.core.wording import convert_amount
from yuanqu.economy import formulas
from yuanqu.economy.models import (
    EnterpriseReport,
    Indicator,
    LongTermGoal,
    ParkIndicatorValue,
    Target,
)
from yuanqu.imports.models import DataSlice, DataStatus
from yuanqu.registry.models import Park, Region

REPORT_KIND = "enterprise-reports"
PARK_INDICATOR_KIND = "park-indicators"
COUNTED = (DataStatus.REVIEWED, DataStatus.LOCKED)


@dataclass(frozen=True)
class ReportFields:
    """Which report columns carry a computed indicator (None: the form has no such column)."""

    ytd: str
    ytd_ly: str
    month: str | None = None
    month_ly: str | None = None


COMPUTED: dict[str, ReportFields] = {
    "industrial_output": ReportFields(
        "output_ytd", "output_ytd_ly", "output_month", "output_month_ly"
    ),
    "industrial_sales": ReportFields("sales_ytd", "sales_ytd_ly", "sales_month", "sales_month_ly"),
    "export_delivery": ReportFields(
        "export_ytd", "export_ytd_ly", "export_month", "export_month_ly"
    ),
    "revenue": ReportFields("revenue_ytd", "revenue_ytd_ly"),
    "total_profit": ReportFields("profit_ytd", "profit_ytd_ly"),
}


def _report_column_label(name: str) -> str:
    """A report column's Chinese name (every name in COMPUTED is a column of EnterpriseReport)."""
    field = EnterpriseReport._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


def to_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    """A reported amount in 万元, exactly (1万元 = 10千元)."""
    if amount is None:
        return None
    return convert_amount(amount, unit, "万元")


# ---------------------------------------------------------------------------------------------
# Data status
# ---------------------------------------------------------------------------------------------


def slice_statuses(
    *, kind: str, park_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int, int], str]:
    """{(park_id, year, month): status} for the slices of these parks and years."""
    # No ORDER BY (the model's orders by park, i.e. joins it): the rows go into a dict.
    rows = (
        DataSlice.objects.filter(kind=kind, park_id__in=list(park_ids), year__in=list(years))
        .order_by()
        .values_list("park_id", "year", "month", "status")
    )
    return {(p, y, m): s for p, y, m, s in rows}


def counted(status: str | None, include_submitted: bool) -> bool:
    if status in COUNTED:
        return True
    return include_submitted and status == DataStatus.SUBMITTED


# ---------------------------------------------------------------------------------------------
# Enterprise reports → park totals
# ---------------------------------------------------------------------------------------------


@dataclass
class EnterpriseFigure:
    """One enterprise's figure for an indicator and period, in 万元 (the comparable base beside)."""

    enterprise_id: int
    credit_code: str
    name: str
    cluster: str
    current: Decimal
    base: Decimal | None
    month: Decimal | None = None
    month_base: Decimal | None = None


@dataclass
class ReportSet:
    """The counted reports of one park and period (the period's 规上 set)."""

    park: Park
    period: Period
    status: str | None
    rows: list[EnterpriseReport]


@dataclass(frozen=True, slots=True)
class SummaryFigures:
    """A park total as the readers use it (an `IndicatorSummary`'s figures): read as tuples,
    not model instances — a table reads ~100 of them and the ORM's instances were most of
    its fixed cost (BENCHMARKS.md, Scale (a))."""

    code: str
    current: Decimal
    base: Decimal | None
    month_value: Decimal | None
    enterprise_count: int


# The summary columns read, after the (park_id, year) a prefetch groups them by.
SUMMARY_FIELDS = ("month", "code", "current", "base", "month_value", "enterprise_count")
SummaryKey = tuple[int, str, str, int | None]


def _summary_entry(
    month: int, code: str, current: Decimal, base: Any, month_value: Any, count: int
) -> tuple[SummaryKey, SummaryFigures]:
    return (month, code, "park", None), SummaryFigures(code, current, base, month_value, count)


@dataclass(frozen=True, slots=True)
class EnteredValue:
    """A released park figure (`ParkIndicatorValue`) as the table reads it."""

    value: Decimal | None
    month_value: Decimal | None
    yoy_pct: Decimal | None
    basis: str

    @property
    def basis_label(self) -> str:
        return str(ParkIndicatorValue.Basis(self.basis).label)


# What the enterprise-level readers use of a report (parts, 亩均, the comparison path): the
# other columns (B203 audit rows in `extra` …) are not loaded.
ROW_FIELDS: tuple[str, ...] = (
    "park_id",
    "year",
    "month",
    "unit",
    "enterprise",
    "enterprise__cluster",
    "enterprise__credit_code",
    "enterprise__name",
    "enterprise__land_area_mu",
    "enterprise__cluster__name",
    *sorted({n for f in COMPUTED.values() for n in (f.ytd, f.ytd_ly, f.month, f.month_ly) if n}),
    "revenue_ytd",
    "tax_paid_ytd",
    "electricity_ytd",
    "employees",
)


M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class _Prefetched:
    """What `ReportCache.prefetch` reads, as rows: (kind, park_id, year, month, status),
    released values (park_id, indicator_id, year, month, value, month_value, yoy_pct, basis),
    targets (park_id, year, indicator_id, kind, value), and summaries (park_id, year,
    *SUMMARY_FIELDS)."""

    statuses: list[tuple[Any, ...]]
    entered: list[tuple[Any, ...]]
    targets: list[tuple[Any, ...]]
    summaries: list[tuple[Any, ...]]
    # A region's read (`_prefetch_sql(region_id=…)`): its parks and the indicator list.
    parks: list[Park] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


def _prefetch_orm(
    *,
    kinds: tuple[str, ...],
    park_ids: list[int],
    years: list[int],
    status_months: set[int] | None,
    entered_ids: list[int],
    codes: list[str] | None,
    months: list[int] | None,
    code_ids: list[int] | None = None,
    region_id: int | None = None,
) -> _Prefetched:
    """The prefetch's four reads through the ORM (SQLite; what `_prefetch_sql` must equal)."""
    from yuanqu.economy.models import IndicatorSummary

    # No ORDER BY anywhere: the models' orderings join parks and indicators, and every row
    # goes into a dict keyed so.
    status_qs = DataSlice.objects.filter(
        kind__in=list(kinds), park_id__in=park_ids, year__in=years
    ).order_by()
    if status_months is not None:
        status_qs = status_qs.filter(month__in=sorted(status_months))
    entered_qs = (
        ParkIndicatorValue.objects.filter(
            park_id__in=park_ids,
            indicator_id__in=entered_ids,
            year__in=years,
            basis=ParkIndicatorValue.Basis.STATISTICS,
        )
        .order_by()
        .values_list(*_ENTERED_FIELDS)
    )
    target_qs = Target.objects.filter(park_id__in=park_ids, year__in=years).order_by()
    summary_qs = IndicatorSummary.objects.filter(
        park_id__in=park_ids, year__in=years, scope=IndicatorSummary.Scope.PARK
    )
    if code_ids is not None:
        target_qs = target_qs.filter(indicator_id__in=code_ids)
    elif codes is not None:
        target_qs = target_qs.filter(indicator__code__in=codes)
    if codes is not None:
        summary_qs = summary_qs.filter(code__in=codes)
    if months is not None:
        summary_qs = summary_qs.filter(month__in=months)
    return _Prefetched(
        statuses=list(status_qs.values_list("kind", "park_id", "year", "month", "status")),
        entered=list(entered_qs) if entered_ids else [],
        targets=list(target_qs.values_list(*_TARGET_FIELDS)),
        summaries=list(summary_qs.values_list("park_id", "year", *SUMMARY_FIELDS)),
    )


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _select(model: type[Any], columns: Iterable[str], where: str) -> str:
    """`SELECT columns FROM model's table WHERE where` (columns by their database names)."""
    return f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE {where}"


def _instances(model: type[M], where: str, params: list[Any], order_by: str = "") -> list[M]:
    """Model instances (every concrete field) read by a written statement: no queryset built or
    compiled (PostgreSQL's read path of the summaries-backed pages; see `_prefetch_sql`)."""
    fields = model._meta.concrete_fields
    sql = _select(model, [str(f.column) for f in fields], where)
    if order_by:
        sql += f" ORDER BY {order_by}"
    names = [f.attname for f in fields]
    return [model.from_db(connection.alias, names, row) for row in _fetch(sql, params)]


def _pg_array(values: Iterable[int | str]) -> str:
    """A PostgreSQL array literal of integers or texts, sent as one text parameter and cast in
    the statement (`= ANY(%s::int[])`): psycopg's client-side dump of a Python list took
    ≈ 0.06 ms a list — half of a 4-park ranking's time with a dozen lists (issue 16)."""
    items = []
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool):
            items.append(str(v))
        else:
            items.append('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(items) + "}"


def _prefetch_sql(
    *,
    kinds: tuple[str, ...],
    park_ids: list[int],
    years: list[int],
    status_months: set[int] | None,
    entered_ids: list[int],
    codes: list[str] | None,
    months: list[int] | None,
    code_ids: list[int] | None = None,
    region_id: int | None = None,
) -> _Prefetched:
    """The prefetch's four reads as one written statement with array parameters (PostgreSQL).

    The same rows as `_prefetch_orm` (tests/economy/test_prefetch_sql.py compares the two),
    without building and compiling four querysets a call — ≈ 0.7 ms each, most of a park
    table's cost once its totals come from the summaries — and in one round trip instead of
    four (BENCHMARKS.md, Scale (a)). Each read is a JSON array of rows, parsed with
    `parse_float=Decimal`: PostgreSQL writes a numeric(p, s) with its s decimals and no
    exponent, so every amount comes back the Decimal psycopg would give, to the digit. One
    array parameter per list, as its text (`_pg_array`): psycopg splits a query client-side
    at every placeholder and dumps a Python list slowly.

    `region_id` (a ranking's read, `ReportCache.prefetch_region`): the parks are the region's,
    read in the same statement with the indicator list (`_Prefetched.parks`, `.indicators`);
    `park_ids` is then unused.
    """
    from yuanqu.economy.models import IndicatorSummary

    parts: list[str] = []
    params: list[Any] = []

    def read(model: type[Model], columns: Iterable[str], where: str, values: list[Any]) -> None:
        parts.append(
            f"(SELECT coalesce(json_agg(json_build_array({', '.join(columns)})), '[]') "
            f"FROM {model._meta.db_table} WHERE {where})"
        )
        params.extend(values)

    parks: Any = _pg_array(park_ids)  # the parks' parameter: their ids, or the region's id
    year_list = _pg_array(years)
    in_parks = "park_id = ANY(%s::int[])"
    if region_id is not None:
        # A region's parks, read in the same statement: its parks and the indicator list
        # first, then every read below for the parks of the region.
        # ANY(ARRAY(…)): one InitPlan a read, planned as cheaply as a list (an IN (SELECT …)
        # is planned as a join: 0.7 ms of planning for the four reads).
        in_parks = (
            f"park_id = ANY(ARRAY(SELECT id FROM {Park._meta.db_table} WHERE region_id = %s))"
        )
        parks = region_id
        parts.append(f"({_REGION_PARKS_SQL})")
        parts.append(f"({_INDICATORS_SQL})")
        params.extend([region_id, *_INDICATOR_PARAMS])
    where = f"kind = ANY(%s::text[]) AND {in_parks} AND year = ANY(%s::int[])"
    values: list[Any] = [_pg_array(kinds), parks, year_list]
    if status_months is not None:
        where += " AND month = ANY(%s::int[])"
        values.append(_pg_array(sorted(status_months)))
    read(DataSlice, ("kind", "park_id", "year", "month", "status"), where, values)
    if entered_ids:
        read(
            ParkIndicatorValue,
            _ENTERED_FIELDS,
            f"{in_parks} AND indicator_id = ANY(%s::int[]) AND year = ANY(%s::int[])"
            " AND basis = %s",
            [parks, _pg_array(entered_ids), year_list, str(ParkIndicatorValue.Basis.STATISTICS)],
        )
    else:
        parts.append("'[]'::json")  # no released figure read (a computed indicator's ranking)
    where, values = f"{in_parks} AND year = ANY(%s::int[])", [parks, year_list]
    if code_ids is not None:
        where += " AND indicator_id = ANY(%s::int[])"
        values.append(_pg_array(code_ids))
    elif codes is not None:
        where += (
            f" AND indicator_id = ANY(ARRAY(SELECT id FROM {Indicator._meta.db_table}"
            " WHERE code = ANY(%s::text[])))"
        )
        values.append(_pg_array(codes))
    read(Target, _TARGET_FIELDS, where, values)
    where = f"{in_parks} AND year = ANY(%s::int[]) AND scope = %s"
    values = [parks, year_list, str(IndicatorSummary.Scope.PARK)]
    if codes is not None:
        where += " AND code = ANY(%s::text[])"
        values.append(_pg_array(codes))
    if months is not None:
        where += " AND month = ANY(%s::int[])"
        values.append(_pg_array(months))
    read(IndicatorSummary, ("park_id", "year", *SUMMARY_FIELDS), where, values)
    read_all = _fetch_json(f"SELECT json_build_array({', '.join(parts)})::text", params)
    lists: dict[str, Any] = {}
    if region_id is not None:
        park_rows, indicator_rows, *read_all = read_all
        lists["parks"] = _ranked_parks(park_rows)
        lists["indicators"] = _indicators_from(indicator_rows)
    statuses, entered, targets, summaries = read_all
    return _Prefetched(
        statuses=[tuple(r) for r in statuses],
        entered=[tuple(r) for r in entered],
        targets=[tuple(r) for r in targets],
        summaries=[tuple(r) for r in summaries],
        **lists,
    )


# A target's columns, as the prefetch reads them.
_TARGET_FIELDS = ("park_id", "year", "indicator_id", "kind", "value")


@dataclass(frozen=True, slots=True)
class TargetFigures:
    """A park's target for an indicator and year as the table reads it (a `Target`'s kind and
    value): a tuple, not a model instance — a ranking reads two a park."""

    kind: str
    value: Decimal


# A released value's columns, as `_entered_from_rows` reads them.
_ENTERED_FIELDS = (
    "park_id",
    "indicator_id",
    "year",
    "month",
    "value",
    "month_value",
    "yoy_pct",
    "basis",
)


def _entered_from_rows(
    rows: Iterable[tuple[Any, ...]],
    *,
    codes: dict[int, str],
    statuses: dict[tuple[int, int, int], str],
    include_submitted: bool,
) -> dict[tuple[int, str, int, int], EnteredValue]:
    """{(park_id, code, year, month): value} of the released values whose slice counts."""
    found = {}
    for park_id, indicator_id, year, month, value, month_value, yoy_pct, v_basis in rows:
        if counted(statuses.get((park_id, year, month)), include_submitted):
            found[(park_id, codes[indicator_id], year, month)] = EnteredValue(
                value, month_value, yoy_pct, v_basis
            )
    return found


def _with_previous_months(months: set[int]) -> set[int]:
    """The months and the months before them (December before January), whose report
    statuses 本月 reads."""
    return months | {m - 1 for m in months if m > 1} | ({12} if 1 in months else set())


# The indicators a cache lists (PostgreSQL's written statements; the ORM's `indicators()`).
_INDICATOR_WHERE = "source <> %s"
_INDICATOR_PARAMS = (str(Indicator.Source.MODULE),)
_INDICATOR_ORDER = "sort_order, code"


class ReportCache:
    """What a request reads about the economy, each piece loaded once and shared by selectors.

    Park and cluster totals come from the summary tables (`IndicatorSummary`,
    `ReportingSummary`, kept with the data by `economy.summaries`), one query per park and
    year; a period's data status from its DataSlice. Enterprise rows are loaded only for what
    needs them (parts by enterprise, 亩均), one period at a time. `use_summaries=False`
    computes the totals from the rows instead: the recomputation the property test and
    `yuanqu summaries check` compare the summaries with.
    """

    def __init__(self, *, include_submitted: bool = False, use_summaries: bool = True) -> None:
        self.include_submitted = include_submitted
        self.use_summaries = use_summaries
        self._rows: dict[tuple[int, int, int], list[EnterpriseReport]] = {}
        self._status: dict[tuple[int, int, int], str] = {}
        self._status_loaded: set[tuple[int, int]] = set()
        # (park, year) → the months whose report status `prefetch` loaded, when only some.
        self._status_months: dict[tuple[int, int], set[int]] = {}
        self._summaries: dict[tuple[int, int], dict[SummaryKey, SummaryFigures]] = {}
        # (park, year) → the months prefetched, when `prefetch` loaded only some months.
        self._summary_months: dict[tuple[int, int], set[int]] = {}
        self._indicators: list[Indicator] | None = None
        self._targets: dict[tuple[int, int], dict[int, TargetFigures]] = {}
        self._entered: dict[tuple[int, int], dict[tuple[int, str, int, int], EnteredValue]] = {}
        self._entered_status: dict[tuple[int, int], dict[tuple[int, int, int], str]] = {}
        self._clusters: dict[int, str] = {}

    def prefetch(
        self,
        parks: Iterable[Park],
        years: Iterable[int],
        codes: Iterable[str] | None = None,
        months: Iterable[int] | None = None,
    ) -> None:
        """Load statuses, summaries, targets and entered values of many parks at once (rankings:
        a handful of queries for a whole region instead of a few per park). With `codes`, only
        those indicators' figures are loaded: the cache then answers for them alone. With
        `months`, only those months' summaries and report statuses (and the previous months'
        statuses, which 本月 reads) — a ranking reads one period and last year's: ~20× fewer
        rows; another month's are loaded when asked for. Released values, when wanted, are
        loaded for every month (本月 and 上年 read other months)."""
        park_ids = [p.pk for p in parks]
        years = sorted(set(years))
        if not park_ids or not years:
            return
        wanted = set(codes) if codes is not None else None
        entered_indicators = [
            i
            for i in self.indicators()
            if i.source == Indicator.Source.ENTERED and (wanted is None or i.code in wanted)
        ]
        only = set(months) if months is not None else None
        # One query for both kinds' statuses; released figures' statuses only when some are
        # read, and then every month's.
        status_months = None if only is None or entered_indicators else _with_previous_months(only)
        kinds = (REPORT_KIND, PARK_INDICATOR_KIND) if entered_indicators else (REPORT_KIND,)
        # The wanted indicators' ids when all are in the list (module indicators are not):
        # targets are then read by id, without a join to the indicators.
        known = {i.code: i.pk for i in self.indicators()}
        code_ids = (
            sorted(known[c] for c in wanted)
            if wanted is not None and wanted <= known.keys()
            else None
        )
        fetch = _prefetch_sql if connection.vendor == "postgresql" else _prefetch_orm
        fetched = fetch(
            kinds=kinds,
            park_ids=park_ids,
            years=years,
            status_months=status_months,
            entered_ids=[i.pk for i in entered_indicators],
            codes=sorted(wanted) if wanted is not None else None,
            code_ids=code_ids,
            months=sorted(only) if only is not None else None,
        )
        self._absorb(fetched, park_ids, years, kinds, entered_indicators, status_months, only)

    def prefetch_region(
        self, region_id: int, years: Iterable[int], *, code: str, months: Iterable[int]
    ) -> list[Park] | None:
        """A computed indicator's ranking on PostgreSQL: the region's parks (by code, with what
        a ranking reads of them), the indicator list and what `prefetch(parks, years,
        codes=[code], months=months)` reads, in one statement — each round trip was a sixth
        of a four-park ranking's time (issue 16). Returns the parks; None where this does not
        apply (SQLite, an indicator not computed from the reports, a cache with its list
        already read): the caller then reads the parks and prefetches."""
        if (
            connection.vendor != "postgresql"
            or code not in COMPUTED
            or self._indicators is not None
        ):
            return None
        years = sorted(set(years))
        only = set(months)
        # As `prefetch` plans it for a computed indicator: no released values, the report
        # statuses of the months read and of the months before them (本月 reads those).
        status_months = _with_previous_months(only)
        fetched = _prefetch_sql(
            kinds=(REPORT_KIND,),
            park_ids=[],
            years=years,
            status_months=status_months,
            entered_ids=[],
            codes=[code],
            months=sorted(only),
            region_id=region_id,
        )
        self._indicators = fetched.indicators
        if any(i.code == code and i.source == Indicator.Source.ENTERED for i in self._indicators):
            return None  # configured as released: `prefetch` reads its released values too
        park_ids = [p.pk for p in fetched.parks]
        self._absorb(fetched, park_ids, years, (REPORT_KIND,), [], status_months, only)
        return fetched.parks

    def _absorb(
        self,
        fetched: _Prefetched,
        park_ids: list[int],
        years: list[int],
        kinds: tuple[str, ...],
        entered_indicators: list[Indicator],
        status_months: set[int] | None,
        only: set[int] | None,
    ) -> None:
        """Keep what a prefetch read (see `prefetch`)."""
        statuses: dict[str, dict[tuple[int, int, int], str]] = {k: {} for k in kinds}
        for k, p, y, m, s in fetched.statuses:
            statuses[k][(p, y, m)] = s
        self._status.update(statuses[REPORT_KIND])
        entered_status = statuses.get(PARK_INDICATOR_KIND, {})
        entered_by: dict[tuple[int, int], dict[tuple[int, str, int, int], EnteredValue]] = (
            defaultdict(dict)
        )
        if entered_indicators:
            for key, value in _entered_from_rows(
                fetched.entered,
                codes={i.pk: i.code for i in entered_indicators},
                statuses=entered_status,
                include_submitted=self.include_submitted,
            ).items():
                entered_by[(key[0], key[2])][key] = value
        status_by: dict[tuple[int, int], dict[tuple[int, int, int], str]] = defaultdict(dict)
        for slice_key, slice_status in entered_status.items():
            status_by[(slice_key[0], slice_key[1])][slice_key] = slice_status
        targets: dict[tuple[int, int], dict[int, TargetFigures]] = {
            (p, y): {} for p in park_ids for y in years
        }
        for park_id, year, indicator_id, kind, value in fetched.targets:
            targets[(park_id, year)][indicator_id] = TargetFigures(kind, value)
        summaries: dict[tuple[int, int], dict[SummaryKey, SummaryFigures]] = {
            (p, y): {} for p in park_ids for y in years
        }
        for park_id, year, *figures in fetched.summaries:
            summary_key, summary = _summary_entry(*figures)
            summaries[(park_id, year)][summary_key] = summary
        for p in park_ids:
            for y in years:
                if (p, y) not in self._status_loaded:
                    self._status_loaded.add((p, y))
                    if status_months is not None:
                        self._status_months[(p, y)] = status_months
                self._targets.setdefault((p, y), targets[(p, y)])
                if entered_indicators:
                    self._entered_status.setdefault((p, y), status_by[(p, y)])
                    self._entered.setdefault((p, y), entered_by[(p, y)])
                if (p, y) not in self._summaries:
                    self._summaries[(p, y)] = summaries[(p, y)]
                    if only is not None:
                        self._summary_months[(p, y)] = only

    def indicators(self) -> list[Indicator]:
        if self._indicators is None:
            # Module indicators (签约项目数 …) only carry targets; their modules compute them.
            if connection.vendor == "postgresql":
                # Written SQL, as the prefetch's reads (`_prefetch_sql`): no queryset to compile.
                self._indicators = _instances(
                    Indicator, _INDICATOR_WHERE, list(_INDICATOR_PARAMS), _INDICATOR_ORDER
                )
            else:
                self._indicators = list(Indicator.objects.exclude(source=Indicator.Source.MODULE))
        return self._indicators

    def targets(self, park: Park, year: int) -> dict[int, TargetFigures]:
        key = (park.pk, year)
        if key not in self._targets:
            rows = (
                Target.objects.filter(park=park, year=year)
                .order_by()
                .values_list("indicator_id", "kind", "value")
            )
            self._targets[key] = {i: TargetFigures(kind, value) for i, kind, value in rows}
        return self._targets[key]

    def entered(self, park: Park, year: int) -> dict[tuple[int, str, int, int], EnteredValue]:
        """Counted entered values (statistics basis) of a park and year, loaded once."""
        key = (park.pk, year)
        if key not in self._entered:
            entered = [i for i in self.indicators() if i.source == Indicator.Source.ENTERED]
            self._entered[key] = _entered_values(
                park_ids=[park.pk],
                indicators=entered,
                years=[year],
                include_submitted=self.include_submitted,
                statuses=self._entered_statuses(park, year),
            )
        return self._entered[key]

    def _entered_statuses(self, park: Park, year: int) -> dict[tuple[int, int, int], str]:
        key = (park.pk, year)
        if key not in self._entered_status:
            self._entered_status[key] = slice_statuses(
                kind=PARK_INDICATOR_KIND, park_ids=[park.pk], years=[year]
            )
        return self._entered_status[key]

    def entered_status(self, park: Park, period: Period) -> str | None:
        return self._entered_statuses(park, period.year).get((park.pk, period.year, period.month))

    def status(self, park: Park, period: Period) -> str | None:
        key = (park.pk, period.year)
        partial = self._status_months.get(key)
        if key not in self._status_loaded or (partial is not None and period.month not in partial):
            self._status.update(
                slice_statuses(kind=REPORT_KIND, park_ids=[park.pk], years=[period.year])
            )
            self._status_loaded.add(key)
            self._status_months.pop(key, None)
        return self._status.get((park.pk, period.year, period.month))

    def counts(self, park: Park, period: Period) -> bool:
        """Whether the period's enterprise reports count for this reader."""
        return counted(self.status(park, period), self.include_submitted)

    def rows(self, park: Park, period: Period) -> list[EnterpriseReport]:
        """The stored reports of one park and period (whatever their status), loaded once."""
        key = (park.pk, period.year, period.month)
        if key not in self._rows:
            self._rows[key] = list(
                EnterpriseReport.objects.filter(park=park, year=period.year, month=period.month)
                .select_related("enterprise", "enterprise__cluster")
                .only(*ROW_FIELDS)
            )
        return self._rows[key]

    def report_set(self, park: Park, period: Period) -> ReportSet:
        status = self.status(park, period)
        rows = self.rows(park, period) if counted(status, self.include_submitted) else []
        return ReportSet(park=park, period=period, status=status, rows=rows)

    # -- summaries ---------------------------------------------------------------------------
    def _summary_rows(self, park: Park, year: int, month: int) -> dict[SummaryKey, SummaryFigures]:
        """The park-scope summaries of a park and year (12 months × indicators), loaded once
        (the whole year again when `prefetch` loaded other months only)."""
        from yuanqu.economy.models import IndicatorSummary

        key = (park.pk, year)
        partial = self._summary_months.get(key)
        if partial is not None and month not in partial:
            del self._summaries[key], self._summary_months[key]
        if key not in self._summaries:
            qs = IndicatorSummary.objects.filter(
                park=park, year=year, scope=IndicatorSummary.Scope.PARK
            ).values_list(*SUMMARY_FIELDS)
            self._summaries[key] = dict(_summary_entry(*figures) for figures in qs)
        return self._summaries[key]

    def summary(self, park: Park, period: Period, code: str) -> SummaryFigures | None:
        """The park total of a computed indicator (an IndicatorSummary's figures), None when the period
        does not count for this reader or no enterprise has the figure."""
        if not self.counts(park, period):
            return None
        rows = self._summary_rows(park, period.year, period.month)
        return rows.get((period.month, code, "park", None))

    def cluster_summaries(self, park: Park, period: Period, code: str) -> list[Any]:
        from yuanqu.economy.models import IndicatorSummary

        if not self.counts(park, period):
            return []
        return list(
            IndicatorSummary.objects.filter(
                park=park,
                year=period.year,
                month=period.month,
                code=code,
                scope=IndicatorSummary.Scope.CLUSTER,
            )
        )

    def cluster_names(self, ids: Iterable[int | None]) -> dict[int, str]:
        from yuanqu.registry.models import IndustryCluster

        missing = {i for i in ids if i is not None and i not in self._clusters}
        if missing:
            self._clusters.update(
                IndustryCluster.objects.filter(pk__in=missing).values_list("pk", "name")
            )
        return self._clusters


def enterprise_figures(
    report_set: ReportSet, code: str, cache: ReportCache, *, months: bool = True
) -> list[EnterpriseFigure]:
    """Each enterprise of the set with its YTD, its own 上年同期, and single-month values
    (`months=False`: without them, so the previous period is not read)."""
    spec = COMPUTED[code]
    prev_by_enterprise: dict[int, EnterpriseReport] = {}
    if months and spec.month is None and report_set.period.month > 1:
        prev = cache.report_set(report_set.park, report_set.period.prev())
        prev_by_enterprise = {r.enterprise_id: r for r in prev.rows}
    figures = []
    for r in report_set.rows:
        current = to_wan(getattr(r, spec.ytd), r.unit)
        if current is None:
            continue
        base = to_wan(getattr(r, spec.ytd_ly), r.unit)
        if not months:
            month = month_base = None
        elif spec.month is not None and spec.month_ly is not None:
            month = to_wan(getattr(r, spec.month), r.unit)
            month_base = to_wan(getattr(r, spec.month_ly), r.unit)
        else:
            prev_row = prev_by_enterprise.get(r.enterprise_id)
            prev_ytd = to_wan(getattr(prev_row, spec.ytd), prev_row.unit) if prev_row else None
            month = formulas.month_from_ytd(current, prev_ytd, report_set.period.month)
            month_base = None
        figures.append(
            EnterpriseFigure(
                enterprise_id=r.enterprise_id,
                credit_code=r.enterprise.credit_code,
                name=r.enterprise.name,
                cluster=r.enterprise.cluster.name if r.enterprise.cluster is not None else "未分类",
                current=current,
                base=base,
                month=month,
                month_base=month_base,
            )
        )
    return figures


def _figure_columns(spec: ReportFields) -> tuple[str, ...]:
    """What an enterprise's part of an indicator is read from, as plain values."""
    return (
        "enterprise_id",
        "enterprise__credit_code",
        "enterprise__name",
        "enterprise__cluster__name",
        "unit",
        spec.ytd,
        spec.ytd_ly,
    )


def period_figures(
    *, park: Park, period: Period, code: str, cache: ReportCache
) -> list[EnterpriseFigure]:
    """Each enterprise's 1-本月 and own 上年同期 of one indicator (no month values), read as
    plain values — the columns needed, no model objects — so that a park of thousands of
    enterprises is read in one light query. Same figures as `enterprise_figures(...,
    months=False)` (the property test compares them)."""
    if not cache.counts(park, period):
        return []
    spec = COMPUTED[code]
    rows = EnterpriseReport.objects.filter(
        park=park, year=period.year, month=period.month
    ).values_list(*_figure_columns(spec))
    figures = []
    for enterprise_id, credit_code, name, cluster, unit, ytd, ytd_ly in rows:
        current = to_wan(ytd, unit)
        if current is None:
            continue
        figures.append(
            EnterpriseFigure(
                enterprise_id=enterprise_id,
                credit_code=credit_code,
                name=name,
                cluster=cluster if cluster is not None else "未分类",
                current=current,
                base=to_wan(ytd_ly, unit),
            )
        )
    return figures


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    total: Decimal | None = None
    for v in values:
        if v is not None:
            total = v if total is None else total + v
    return total


# ---------------------------------------------------------------------------------------------
# The indicator table
# ---------------------------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    """One line of a park's indicator table for a period. All numbers unrounded."""

    code: str
    name: str
    unit: str
    period: Period
    status: str | None
    source: str
    kind: str
    precision: int
    value: Decimal | None = None
    month_value: Decimal | None = None
    yoy_pct: Decimal | None = None
    yoy_nominal_pct: Decimal | None = None
    base: Decimal | None = None
    last_year_value: Decimal | None = None
    target: Decimal | None = None
    target_kind: str | None = None
    completion_pct: Decimal | None = None
    time_progress_pct: Decimal | None = None
    ahead_pp: Decimal | None = None
    enterprise_count: int | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.value is not None


def park_total(
    *, park: Park, period: Period, code: str, cache: ReportCache
) -> tuple[Decimal | None, Decimal | None, int]:
    """(YTD total, comparable base, number of enterprises) of a computed indicator."""
    if cache.use_summaries:
        s = cache.summary(park, period, code)
        if s is None:
            return None, None, 0
        return s.current, s.base, s.enterprise_count
    figures = enterprise_figures(cache.report_set(park, period), code, cache, months=False)
    if not figures:
        return None, None, 0
    total, base = formulas.comparable_totals(figures)
    return total, base, len(figures)


def _entered_values(
    *,
    park_ids: list[int],
    indicators: Iterable[Indicator],
    years: list[int],
    include_submitted: bool,
    basis: str = ParkIndicatorValue.Basis.STATISTICS,
    statuses: dict[tuple[int, int, int], str] | None = None,
) -> dict[tuple[int, str, int, int], EnteredValue]:
    status = (
        statuses
        if statuses is not None
        else slice_statuses(kind=PARK_INDICATOR_KIND, park_ids=park_ids, years=years)
    )
    # The indicators are already read (the cache's list): filtered by id, no join, as tuples.
    codes = {i.pk: i.code for i in indicators}
    # Unordered: the model's order joins the indicators; one value a key (uniq_park_indicator).
    qs = (
        ParkIndicatorValue.objects.filter(
            park_id__in=park_ids, indicator_id__in=list(codes), year__in=years, basis=basis
        )
        .order_by()
        .values_list(*_ENTERED_FIELDS)
    )
    return _entered_from_rows(qs, codes=codes, statuses=status, include_submitted=include_submitted)


def park_indicator_table(
    *,
    park: Park,
    period: Period,
    include_submitted: bool = False,
    cache: ReportCache | None = None,
    codes: Iterable[str] | None = None,
) -> list[IndicatorRow]:
    """The park's indicator table for 1-本月 of `period` (DECISIONS.md `yuanqu indicators`)."""
    cache = cache or ReportCache(include_submitted=include_submitted)
    indicators = cache.indicators()
    if codes is not None:
        wanted = set(codes)
        indicators = [i for i in indicators if i.code in wanted]
    targets = cache.targets(park, period.year)
    # Released values are read only when a released indicator is shown (a ranking on a
    # computed one does not load them).
    entered = (
        {**cache.entered(park, period.year - 1), **cache.entered(park, period.year)}
        if any(ind.code not in COMPUTED for ind in indicators)
        else {}
    )
    rows = []
    for ind in indicators:
        row = IndicatorRow(
            code=ind.code,
            name=ind.name,
            unit=ind.unit,
            period=period,
            status=None,
            source=ind.source,
            kind=ind.kind,
            precision=ind.precision,
        )
        if ind.code in COMPUTED:
            _fill_computed(row, park, period, cache)
        else:
            row.status = cache.entered_status(park, period)
            _fill_entered(row, park, period, entered)
        _fill_target(row, targets.get(ind.pk), period)
        rows.append(row)
    return rows


def _fill_computed(row: IndicatorRow, park: Park, period: Period, cache: ReportCache) -> None:
    row.status = cache.status(park, period)
    if cache.use_summaries:
        summary = cache.summary(park, period, row.code)
        if summary is None:
            return
        total, base, count = summary.current, summary.base, summary.enterprise_count
        row.month_value = _summary_month(summary, park, period, cache)
        parts: list[formulas.HasCurrentAndBase] = [formulas.Part(total, base)]
    else:
        figures = enterprise_figures(cache.report_set(park, period), row.code, cache)
        if not figures:
            return
        total, base = formulas.comparable_totals(figures)
        count = len(figures)
        row.month_value = _sum(f.month for f in figures)
        parts = list(figures)
    row.value = total
    row.base = base
    row.enterprise_count = count
    row.yoy_pct = formulas.comparable_growth_pct(parts)
    last, _, _ = park_total(park=park, period=period.same_last_year(), code=row.code, cache=cache)
    row.last_year_value = last
    row.yoy_nominal_pct = formulas.nominal_growth_pct(total, last)
    label = _report_column_label(COMPUTED[row.code].ytd)
    row.sources.append(
        f"{count}家规上企业{period.label}报表（{label}）合计，"
        "增速按可比口径（各企业自报上年同期）计算"
    )


def _summary_month(
    summary: SummaryFigures, park: Park, period: Period, cache: ReportCache
) -> Decimal | None:
    """Σ 本月 of a summary as the rows would give it to this reader.

    The summary's 本月 of an indicator without a month column was taken against each
    enterprise's previous report whatever its status; when the previous period does not count
    for the reader, `enterprise_figures` sees no previous report, and `formulas.month_from_ytd`
    then gives 1-本月 itself for 1-2月 and nothing for later months.
    """
    month_value: Decimal | None = summary.month_value
    current: Decimal = summary.current
    if COMPUTED[summary.code].month is not None or period.month == 1:
        return month_value
    if cache.counts(park, period.prev()):
        return month_value
    return current if period.month == 2 else None


def _fill_entered(
    row: IndicatorRow,
    park: Park,
    period: Period,
    entered: dict[tuple[int, str, int, int], EnteredValue],
) -> None:
    value = entered.get((park.pk, row.code, period.year, period.month))
    if value is None:
        return
    row.value = value.value
    if row.kind == Indicator.Kind.RATE:
        # A rate indicator's value *is* the released rate; it has no growth of its own.
        row.yoy_pct = None
    else:
        row.yoy_pct = value.yoy_pct
        prev = entered.get((park.pk, row.code, period.year, period.month - 1))
        row.month_value = (
            value.month_value
            if value.month_value is not None
            else formulas.month_from_ytd(value.value, prev.value if prev else None, period.month)
            if value.value is not None
            else None
        )
        last = entered.get((park.pk, row.code, period.year - 1, period.month))
        row.last_year_value = last.value if last else None
    row.sources.append(f"部门发布数（{value.basis_label}），{period.label}")


def _fill_target(row: IndicatorRow, target: TargetFigures | None, period: Period) -> None:
    row.time_progress_pct = formulas.time_progress_pct(period.month)
    if target is None:
        return
    row.target = target.value
    row.target_kind = target.kind
    if target.kind == Target.Kind.LEVEL:
        row.completion_pct = formulas.completion_pct(row.value, target.value)
        row.ahead_pp = formulas.ahead_pp(row.completion_pct, period.month)
    else:
        # A growth-rate target reports its gap in points, not a completion rate.
        actual = row.value if row.kind == Indicator.Kind.RATE else row.yoy_pct
        row.ahead_pp = formulas.growth_target_gap_pp(actual, target.value)


def indicator_row(
    *,
    park: Park,
    period: Period,
    code: str,
    include_submitted: bool = False,
    cache: ReportCache | None = None,
) -> IndicatorRow:
    rows = park_indicator_table(
        park=park, period=period, include_submitted=include_submitted, cache=cache, codes=[code]
    )
    if not rows:
        raise ValueError(f"未知指标“{code}”")
    return rows[0]


# ---------------------------------------------------------------------------------------------
# Parts: 拉动 and 贡献率 by enterprise or cluster
# ---------------------------------------------------------------------------------------------


@dataclass
class PartRow:
    key: str
    name: str
    value: Decimal
    base: Decimal | None
    pull_pp: Decimal | None
    contribution_pct: Decimal | None
    cluster: str = ""
    enterprise_count: int = 1


def indicator_parts(
    *,
    park: Park,
    period: Period,
    code: str,
    by: str = "enterprise",
    include_submitted: bool = False,
    cache: ReportCache | None = None,
) -> list[PartRow]:
    """拉动 (points) and 贡献率 (%) of each enterprise or cluster in the period's growth.

    pull = Δpart / comparable base × 100; contribution = Δpart / Δtotal × 100 (DOMAIN.md §3).
    Sorted by pull, largest first. Only computed indicators have parts.
    """
    if code not in COMPUTED:
        raise ValueError(f"指标“{code}”为部门录入数，没有按企业或集群的分解")
    if by not in {"enterprise", "cluster"}:
        raise ValueError("--by 只能是 enterprise 或 cluster")
    cache = cache or ReportCache(include_submitted=include_submitted)
    if by == "cluster" and cache.use_summaries:
        return _cluster_parts_from_summaries(park, period, code, cache)
    if cache.use_summaries:
        figures = period_figures(park=park, period=period, code=code, cache=cache)
    else:
        figures = enterprise_figures(cache.report_set(park, period), code, cache, months=False)
    total, base = formulas.comparable_totals(figures)
    groups: dict[str, list[EnterpriseFigure]] = defaultdict(list)
    for f in figures:
        groups[f.credit_code if by == "enterprise" else f.cluster].append(f)
    return _parts(
        [
            (
                key,
                items[0].name if by == "enterprise" else key,
                items[0].cluster,
                *formulas.comparable_totals(items),
                len(items),
            )
            for key, items in groups.items()
        ],
        total,
        base,
    )


@dataclass
class PartsPage:
    """The enterprises that pulled growth up most (`top`) and down most (`bottom`), of `count`."""

    count: int
    top: list[PartRow]
    bottom: list[PartRow]


def enterprise_parts_page(
    *, park: Park, period: Period, code: str, cache: ReportCache, n: int = 10
) -> PartsPage:
    """`indicator_parts(by="enterprise")`'s first `n` and last `n` pulled parts, without
    reading every enterprise: the database orders the enterprises by their change in 万元
    (拉动 is that change over the park's positive comparable base, so the order is the same),
    and only the 2n rows shown are read and computed exactly here. Falls back to the full list
    when it is short or when 拉动 is undefined (no positive comparable base)."""
    from django.db.models import Case, DecimalField, ExpressionWrapper, F, Value, When

    from yuanqu.core.wording import MONEY_UNITS

    total, base, count = park_total(park=park, period=period, code=code, cache=cache)
    if not cache.use_summaries or total is None or base is None or base <= 0 or count <= 2 * n:
        parts = indicator_parts(park=park, period=period, code=code, by="enterprise", cache=cache)
        pulled = [p for p in parts if p.pull_pp is not None]
        if len(parts) <= 2 * n:
            return PartsPage(len(parts), parts, [])
        return PartsPage(len(parts), parts[:n], list(reversed(pulled[-n:])))
    spec = COMPUTED[code]
    amount = DecimalField(max_digits=40, decimal_places=12)
    delta = Case(
        *[
            When(
                unit=unit,
                then=ExpressionWrapper(
                    (F(spec.ytd) - F(spec.ytd_ly)) * Value(Decimal(1).scaleb(exp - 4)),
                    output_field=amount,
                ),
            )
            for unit, exp in MONEY_UNITS.items()
        ],
        output_field=amount,
    )
    qs = (
        EnterpriseReport.objects.filter(park=park, year=period.year, month=period.month)
        .exclude(**{f"{spec.ytd}__isnull": True})
        .exclude(**{f"{spec.ytd_ly}__isnull": True})
        .annotate(delta=delta)
    )
    fields = _figure_columns(spec)
    top_rows = list(qs.order_by("-delta", "enterprise__credit_code").values_list(*fields)[:n])
    bottom_rows = list(qs.order_by("delta", "-enterprise__credit_code").values_list(*fields)[:n])

    def part(row: tuple[Any, ...]) -> PartRow:
        _, credit_code, name, cluster, unit, ytd, ytd_ly = row
        value, part_base = to_wan(ytd, unit), to_wan(ytd_ly, unit)
        assert value is not None and part_base is not None and base is not None
        return PartRow(
            key=credit_code,
            name=name,
            value=value,
            base=part_base,
            pull_pp=formulas.pull_pp(value, part_base, base),
            contribution_pct=formulas.contribution_pct(value - part_base, total - base),
            cluster=cluster if cluster is not None else "未分类",
        )

    return PartsPage(count, [part(r) for r in top_rows], [part(r) for r in bottom_rows])


def _cluster_parts_from_summaries(
    park: Park, period: Period, code: str, cache: ReportCache
) -> list[PartRow]:
    """Cluster parts from the cluster summaries (the park total from the park summary)."""
    total, base, _ = park_total(park=park, period=period, code=code, cache=cache)
    if total is None:
        return []
    clusters = cache.cluster_summaries(park, period, code)
    names = cache.cluster_names(s.cluster_id for s in clusters)
    groups: list[tuple[str, str, str, Decimal, Decimal | None, int]] = []
    for s in clusters:
        name = names.get(s.cluster_id, "未分类") if s.cluster_id is not None else "未分类"
        groups.append((name, name, name, s.current, s.base, s.enterprise_count))
    return _parts(groups, total, base)


def _parts(
    groups: list[tuple[str, str, str, Decimal, Decimal | None, int]],
    total: Decimal,
    base: Decimal | None,
) -> list[PartRow]:
    """PartRows of (key, name, cluster, Σ current, Σ base, count) groups, sorted by pull."""
    delta_total = total - base if base is not None else None
    parts = []
    for key, name, cluster, value, part_base, count in groups:
        pull = formulas.pull_pp(value, part_base, base) if part_base is not None else None
        contribution = (
            formulas.contribution_pct(value - part_base, delta_total)
            if part_base is not None and delta_total is not None
            else None
        )
        parts.append(
            PartRow(
                key=key,
                name=name,
                value=value,
                base=part_base,
                pull_pp=pull,
                contribution_pct=contribution,
                cluster=cluster,
                enterprise_count=count,
            )
        )
    parts.sort(key=lambda p: (p.pull_pp is None, -(p.pull_pp or 0), p.key))
    return parts


# ---------------------------------------------------------------------------------------------
# Series, projection, goals, ranking
# ---------------------------------------------------------------------------------------------


@dataclass
class SeriesPoint:
    period: Period
    value: Decimal | None
    month_value: Decimal | None
    yoy_pct: Decimal | None
    # 环比: this month's value against the previous month's, raw (not seasonally adjusted).
    # February carries 1-2月, so March's 环比 compares one month with two: left undefined.
    mom_pct: Decimal | None = None


def indicator_series(
    *,
    park: Park,
    year: int,
    code: str,
    include_submitted: bool = False,
    cache: ReportCache | None = None,
    last_month: int = 12,
) -> list[SeriesPoint]:
    """YTD, month value and growth for months 2..last_month of a year (January is not reported)."""
    cache = cache or ReportCache(include_submitted=include_submitted)
    points: list[SeriesPoint] = []
    for month in range(2, last_month + 1):
        period = Period(year, month)
        row = indicator_row(
            park=park, period=period, code=code, cache=cache, include_submitted=include_submitted
        )
        prev = points[-1] if points else None
        mom = (
            formulas.mom_pct(row.month_value, prev.month_value)
            if prev is not None and month > 3 and row.month_value is not None
            else None
        )
        points.append(SeriesPoint(period, row.value, row.month_value, row.yoy_pct, mom))
    return points


@dataclass
class Projection:
    value: Decimal | None
    method: str  # "seasonal" | "linear"
    label: str = "预计"
    basis: str = ""


def full_year_projection(
    *,
    park: Park,
    period: Period,
    code: str,
    method: str = "seasonal",
    include_submitted: bool = False,
    cache: ReportCache | None = None,
) -> Projection:
    """预计全年 (DECISIONS.md): seasonal ratio from last year's published totals, or linear."""
    cache = cache or ReportCache(include_submitted=include_submitted)
    now = indicator_row(
        park=park, period=period, code=code, cache=cache, include_submitted=include_submitted
    )
    if period.month == 12:
        return Projection(now.value, method, label="实际", basis="全年实际数")
    if method == "linear":
        value = formulas.projection_linear(now.value, period.month)
        return Projection(value, "linear", basis=f"{period.label}累计 × 12 / {period.month}")
    last_full = indicator_row(
        park=park,
        period=Period(period.year - 1, 12),
        code=code,
        cache=cache,
        include_submitted=include_submitted,
    )
    last_same = indicator_row(
        park=park,
        period=period.same_last_year(),
        code=code,
        cache=cache,
        include_submitted=include_submitted,
    )
    value = formulas.projection_seasonal(now.value, last_full.value, last_same.value)
    return Projection(
        value,
        "seasonal",
        basis=f"{period.label}累计 × 上年全年 ÷ 上年{period.ytd_label}累计（季节比例法）",
    )


@dataclass
class GoalProgress:
    kind: str
    name: str
    indicator: str
    base_year: int | None
    base_value: Decimal | None
    current_value: Decimal | None
    ratio: Decimal | None  # doubling: current / base; 百亿: progress %
    target_value: Decimal | None
    target_year: int | None
    achieved: bool


def long_term_goals(
    *,
    park: Park,
    period: Period,
    include_submitted: bool = False,
    cache: ReportCache | None = None,
    value_override: Decimal | None = None,
) -> list[GoalProgress]:
    """倍增 and 百亿 progress at `period` (nominal, 按现价计算)."""
    cache = cache or ReportCache(include_submitted=include_submitted)
    result = []
    for goal in LongTermGoal.objects.filter(park=park).select_related("indicator"):
        code = goal.indicator.code
        # An override (e.g. a full-year projection) is a value of output, not of other goals.
        current = value_override if code == "industrial_output" else None
        if current is None:
            current = indicator_row(
                park=park,
                period=period,
                code=code,
                cache=cache,
                include_submitted=include_submitted,
            ).value
        if goal.kind == LongTermGoal.Kind.DOUBLING:
            base_value = None
            if goal.base_year:
                # A full-year figure (actual or projected) compares with the base year's full
                # year; a part-year figure with the same months of the base year.
                base_month = 12 if value_override is not None else period.month
                base_value = indicator_row(
                    park=park,
                    period=Period(goal.base_year, base_month),
                    code=code,
                    cache=cache,
                    include_submitted=include_submitted,
                ).value
            ratio = formulas.doubling_ratio(current, base_value)
            result.append(
                GoalProgress(
                    kind=goal.kind,
                    name=goal.name or "倍增",
                    indicator=code,
                    base_year=goal.base_year,
                    base_value=base_value,
                    current_value=current,
                    ratio=ratio,
                    target_value=None,
                    target_year=goal.target_year,
                    achieved=ratio is not None and ratio >= 2,
                )
            )
        else:
            target = goal.target_value or formulas.HUNDRED_YI_IN_WAN_YUAN
            progress = formulas.rate_pct(current, target)
            result.append(
                GoalProgress(
                    kind=goal.kind,
                    name=goal.name or "百亿园区",
                    indicator=code,
                    base_year=None,
                    base_value=None,
                    current_value=current,
                    ratio=progress,
                    target_value=target,
                    target_year=goal.target_year,
                    achieved=current is not None and current >= target,
                )
            )
    return result


@dataclass
class RankRow:
    park_code: str
    park_name: str
    value: Decimal | None
    yoy_pct: Decimal | None
    metric: Decimal | None
    rank: int | None
    completion_pct: Decimal | None = None


def park_ranking(
    *,
    region: Region,
    period: Period,
    code: str,
    metric: str = "value",
    include_submitted: bool = False,
    parks: Iterable[Park] | None = None,
    cache: ReportCache | None = None,
    prefetched: bool = False,
) -> list[RankRow]:
    """Rank the parks of a region on an indicator's value, growth or completion (1 = best).
    `cache`: a fresh cache to read into (one whose indicator list is already read), or one
    that has read the ranking's figures already (`prefetched`, `ReportCache.prefetch_region`)."""
    if metric not in {"value", "yoy", "completion"}:
        raise ValueError("排名口径只能是 value、yoy 或 completion")
    parks = list(parks) if parks is not None else list(Park.objects.filter(region=region))
    if cache is None:
        cache = ReportCache(include_submitted=include_submitted)
    if not prefetched:
        cache.prefetch(parks, [period.year, period.year - 1], codes=[code], months=[period.month])
    rows = {}
    for park in parks:
        row = indicator_row(
            park=park, period=period, code=code, cache=cache, include_submitted=include_submitted
        )
        chosen = {"value": row.value, "yoy": row.yoy_pct, "completion": row.completion_pct}[metric]
        rows[park.code] = RankRow(
            park.code, park.name, row.value, row.yoy_pct, chosen, None, row.completion_pct
        )
    ranks = formulas.rank_desc({k: r.metric for k, r in rows.items()})
    for key, rank in ranks.items():
        rows[key].rank = rank
    return sorted(rows.values(), key=lambda r: (r.rank is None, r.rank or 0, r.park_code))


RANK_METRICS = ("value", "yoy", "completion")


def region_ranking(
    *,
    user: AuthUser | None,
    park: Park,
    period: Period,
    indicator: str,
    metric: str = "value",
) -> list[RankRow]:
    """The region's parks ranked on an indicator, as a city publishes its 争先进位 table.

    Rule (DECISIONS.md, "Rankings are published"; docs/economy.md): a reader who may read
    `park`'s park-wide figures sees every park of `park`'s region ranked — rank, park name,
    value, comparable growth, completion — whichever of those parks it may read otherwise; it
    never sees another park's enterprise rows. Only counted data (已审核 / 已锁定) enter a
    published table, so `include_submitted` does not apply and the page, the API and the
    monthly report show the same table. `user=None` is the operator (CLI, reports, whose
    access was checked at the report's door). Enterprise users and parks outside the reader's
    scope get ScopeDenied (404).
    """
    from yuanqu.accounts import policy
    from yuanqu.accounts.scopes import ScopeDenied

    if user is not None and not policy.can_read_park(user, park):
        raise ScopeDenied(f"园区“{park.code}”不存在或无权查看排名")
    region = park.region
    if region is None:
        return []
    cache = ReportCache(include_submitted=False)
    parks = cache.prefetch_region(
        region.pk, [period.year, period.year - 1], code=indicator, months=[period.month]
    )
    return park_ranking(
        region=region,
        period=period,
        code=indicator,
        metric=metric,
        include_submitted=False,
        parks=parks if parks is not None else _region_parks(region.pk, cache),
        cache=cache,
        prefetched=parks is not None,
    )


def _region_parks(region_id: int, cache: ReportCache | None = None) -> list[Park]:
    """The parks of a region by code, with what a ranking reads of them (the rest deferred).

    On PostgreSQL a written statement, as the prefetch, which also reads `cache`'s indicator
    list when it has none yet (one round trip for both: on a four-park ranking each round
    trip was a sixth of the time; issue 16)."""
    if connection.vendor != "postgresql":
        return list(
            Park.objects.filter(region_id=region_id).only(*_RANKED_PARK_FIELDS).order_by("code")
        )
    if cache is None or cache._indicators is not None:
        parks_rows = _fetch_json(f"SELECT ({_REGION_PARKS_SQL})::text", [region_id])
    else:
        parks_rows, indicator_rows = _fetch_json(
            f"SELECT json_build_array(({_REGION_PARKS_SQL}), ({_INDICATORS_SQL}))::text",
            [region_id, *_INDICATOR_PARAMS],
        )
        cache._indicators = _indicators_from(indicator_rows)
    return _ranked_parks(parks_rows)


def _ranked_parks(rows: Iterable[Sequence[Any]]) -> list[Park]:
    """Parks from rows of `_RANKED_PARK_FIELDS` (the rest deferred)."""
    return [Park.from_db(connection.alias, list(_RANKED_PARK_FIELDS), r) for r in rows]


def _indicators_from(rows: Iterable[Sequence[Any]]) -> list[Indicator]:
    """Indicators from rows of every concrete field (`_INDICATORS_SQL`)."""
    names = [f.attname for f in Indicator._meta.concrete_fields]
    return [Indicator.from_db(connection.alias, names, r) for r in rows]


def _fetch_json(sql: str, params: list[Any]) -> Any:
    """The one JSON text a written statement returns, parsed (numbers with a fraction as
    Decimal, as the prefetch's)."""
    (text,) = _fetch(sql, params)[0]
    return json.loads(text, parse_float=Decimal)


_RANKED_PARK_FIELDS = ("id", "code", "name", "region_id")
# A region's parks (by code) and the indicator list as JSON arrays of rows, for the written
# statements (parameters: the region; `_INDICATOR_PARAMS`).
_REGION_PARKS_SQL = (
    f"SELECT coalesce(json_agg(json_build_array({', '.join(_RANKED_PARK_FIELDS)}) "
    f"ORDER BY code), '[]') FROM {Park._meta.db_table} WHERE region_id = %s"
)
_INDICATORS_SQL = (
    "SELECT coalesce(json_agg(json_build_array("
    + ", ".join(str(f.column) for f in Indicator._meta.concrete_fields)
    + f") ORDER BY {_INDICATOR_ORDER}), '[]') FROM {Indicator._meta.db_table}"
    f" WHERE {_INDICATOR_WHERE}"
)


# ---------------------------------------------------------------------------------------------
# 亩均 evaluation (default profile, DECISIONS.md)
# ---------------------------------------------------------------------------------------------


@dataclass
class MuJunRow:
    credit_code: str
    name: str
    land_mu: Decimal | None
    values: dict[str, Decimal | None]
    score: Decimal | None
    grade: str | None


def mu_jun_evaluation(
    *,
    park: Park,
    year: int,
    month: int = 12,
    include_submitted: bool = False,
    weights: dict[str, Decimal] | None = None,
    cache: ReportCache | None = None,
) -> tuple[list[MuJunRow], dict[str, Decimal | None]]:
    """Per-mu evaluation of the park's 规上 enterprises for a year (YTD at `month`).

    Indicators (万元/亩, 万元/万千瓦时, 万元/人): 亩均税收 = 实缴税收 / 用地面积; 亩均营业收入;
    单位电耗营业收入 = 营业收入 / 用电量; 人均营业收入 = 营业收入 / 平均用工人数. Benchmarks are
    the park's medians; classes A/B/C/D by rank share 10/35/45/10 (DECISIONS.md).
    """
    cache = cache or ReportCache(include_submitted=include_submitted)
    reports = cache.report_set(park, Period(year, month)).rows
    values: dict[str, dict[str, Decimal | None]] = {}
    meta: dict[str, tuple[str, Decimal | None]] = {}
    # The land module's parcels replace the registry's area where it knows one (a provider
    # registered in ModuleSpec.land_area; DECISIONS.md).
    provided = land_areas([r.enterprise_id for r in reports])
    for r in reports:
        e = r.enterprise
        land = provided.get(e.pk, e.land_area_mu)
        revenue = to_wan(r.revenue_ytd, r.unit)
        tax = to_wan(r.tax_paid_ytd, r.unit)
        values[e.credit_code] = {
            "tax_per_mu": formulas.per_mu(tax, land),
            "revenue_per_mu": formulas.per_mu(revenue, land),
            "revenue_per_kwh": formulas.revenue_per_kwh(revenue, r.electricity_ytd),
            "revenue_per_capita": formulas.per_capita(revenue, r.employees),
        }
        meta[e.credit_code] = (e.name, land)
    benchmarks = formulas.mu_jun_benchmarks(values)
    scores = {
        k: formulas.mu_jun_score(v, benchmarks, weights or formulas.MU_JUN_DEFAULT_WEIGHTS)
        for k, v in values.items()
    }
    grades = formulas.mu_jun_classes(scores)
    rows = [
        MuJunRow(k, meta[k][0], meta[k][1], values[k], scores[k], grades.get(k)) for k in values
    ]
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0)))
    return rows, benchmarks


def latest_period(*, park: Park, include_submitted: bool = False) -> Period | None:
    """The latest period with counted enterprise reports for the park."""
    statuses = [DataStatus.REVIEWED, DataStatus.LOCKED]
    if include_submitted:
        statuses.append(DataStatus.SUBMITTED)
    s = (
        DataSlice.objects.filter(park=park, status__in=statuses)
        .filter(Q(kind=REPORT_KIND) | Q(kind=PARK_INDICATOR_KIND))
        .exclude(month=0)
        .order_by("-year", "-month")
        .first()
    )
    return Period(s.year, s.month) if s else None


# ---------------------------------------------------------------------------------------------
# 报送率: how many of the expected enterprises reported a period
# ---------------------------------------------------------------------------------------------


@dataclass
class MissingEnterprise:
    pk: int
    credit_code: str
    name: str


@dataclass
class ReportingRate:
    """应报 / 已报 enterprises of one park and period; `rate` is unrounded (None: none expected)."""

    park: Park
    period: Period
    expected: int
    reported: int
    rate: Decimal | None
    missing: list[MissingEnterprise]
    basis: str  # "规上名单" or "上月报送"
    # Enterprises that reported although not expected (new to the park, not on the list).
    extra: int = 0
    # 未报 户数; `missing` names them only when computed from the rows (reporting_rate), not
    # when read from the summary (reporting_summary): -1 here means len(missing).
    missing_count: int = -1

    def __post_init__(self) -> None:
        if self.missing_count < 0:
            self.missing_count = len(self.missing)

    @property
    def rate_text(self) -> str:
        """The rate as pages show it: half-up to one decimal ("60.0")."""
        if self.rate is None:
            return "—"
        from decimal import ROUND_HALF_UP

        return str(self.rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    @property
    def complete(self) -> bool:
        return not self.missing_count

    def sentence(self) -> str:
        """本期应报X户，已报Y户，报送率Z% (DECISIONS.md, Data integrity)."""
        if self.rate is None:
            # Nothing to expect yet (no 规上 list, nobody reported the previous month).
            return f"本期无应报名单（未导入规上名单，上期无报送），已报{self.reported}户"
        return f"本期应报{self.expected}户，已报{self.reported}户，报送率{self.rate_text}%"


def previous_report_period(period: Period) -> tuple[int, int]:
    """The month whose reporters are expected when there is no 规上 list: the previous month,
    but December of last year for 1-2月 (January is never reported on its own)."""
    if period.month <= 2:
        return period.year - 1, 12
    return period.year, period.month - 1


def reporting_rate(
    *, park: Park, period: Period, reported_ids: Iterable[int] | None = None
) -> ReportingRate:
    """报送率 of enterprise reports for a park and period (DECISIONS.md, "Data integrity").

    Expected (应报) = the enterprises of the park on the year's 规上 list (EnterpriseScale
    with is_above_scale, imported by kind enterprise-scale); an enterprise that entered 规上
    during the year (入库方式 月度入库 with an entry month) is expected from that month on.
    Without any list for the year: the enterprises that reported the previous month (for
    1-2月, December of last year). Reported (已报) = the expected enterprises with a report
    for the period, whatever its review status (a submission counts as reported).
    Rate = 已报 ÷ 应报 × 100, unrounded; None when nothing is expected.

    `reported_ids` replaces the stored reporters (an import preview passes the enterprises
    the period would hold after the import).
    """
    from yuanqu.registry.models import Enterprise, EnterpriseScale

    scale = EnterpriseScale.objects.filter(
        enterprise__park=park, year=period.year, is_above_scale=True
    )
    if scale.exists():
        basis = "规上名单"
        expected_ids = set(
            scale.exclude(
                entry=EnterpriseScale.Entry.MONTHLY, entry_month__gt=period.month
            ).values_list("enterprise_id", flat=True)
        )
    else:
        basis = "上月报送"
        year, month = previous_report_period(period)
        expected_ids = set(
            EnterpriseReport.objects.filter(park=park, year=year, month=month).values_list(
                "enterprise_id", flat=True
            )
        )
    if reported_ids is None:
        reported_all = set(
            EnterpriseReport.objects.filter(
                park=park, year=period.year, month=period.month
            ).values_list("enterprise_id", flat=True)
        )
    else:
        reported_all = set(reported_ids)
    # Without anyone expected every reporter is counted (the sentence says there is no list).
    reported = expected_ids & reported_all if expected_ids else reported_all
    missing = [
        MissingEnterprise(pk, code, name)
        for pk, code, name in Enterprise.objects.filter(pk__in=expected_ids - reported)
        .order_by("credit_code")
        .values_list("pk", "credit_code", "name")
    ]
    rate = Decimal(len(reported)) * 100 / Decimal(len(expected_ids)) if expected_ids else None
    return ReportingRate(
        park=park,
        period=period,
        expected=len(expected_ids),
        reported=len(reported),
        rate=rate,
        missing=missing,
        basis=basis,
        extra=len(reported_all - expected_ids) if expected_ids else 0,
    )


@dataclass
class ReportingCounts:
    """`reporting_rate`'s figures for one park and period as counted by the database."""

    expected: int
    reported: int
    extra: int
    basis: str
    missing: list[MissingEnterprise]  # the first `named`, by credit code
    missing_count: int


def reporting_counts(*, park_id: int, period: Period, named: int = 0) -> ReportingCounts:
    """`reporting_rate` over the stored reports, counted set-based by the database instead of
    reading every reporter's id into Python (a national period: 470,000 of them, about a
    second each time; issue 16). The same rule, clause for clause: expected = the park's 规上
    list of the year less the enterprises entering after this month (月度入库), or, without any
    list, the reporters of `previous_report_period`; reported = the expected with a report
    (every reporter when nobody is expected); extra = reporters not expected. `named` missing
    enterprises are named, ordered by credit code as `reporting_rate` orders them.
    tests/economy/test_reporting_counts.py compares the two.
    """
    from django.db import connection

    from yuanqu.registry.models import Enterprise, EnterpriseScale

    report = EnterpriseReport._meta.db_table
    scale = EnterpriseScale._meta.db_table
    enterprise = Enterprise._meta.db_table
    by, bm = previous_report_period(period)
    y, m = period.year, period.month
    ctes = (
        f"WITH listed AS (SELECT s.enterprise_id, s.entry, s.entry_month FROM {scale} s "
        f"JOIN {enterprise} e ON e.id = s.enterprise_id "
        "WHERE e.park_id = %s AND s.year = %s AND s.is_above_scale), "
        "expected AS (SELECT enterprise_id FROM listed "
        "WHERE NOT (entry = %s AND entry_month IS NOT NULL AND entry_month > %s) "
        f"UNION SELECT enterprise_id FROM {report} WHERE park_id = %s AND year = %s "
        "AND month = %s AND NOT EXISTS (SELECT 1 FROM listed)), "
        f"reported AS (SELECT DISTINCT enterprise_id FROM {report} "
        "WHERE park_id = %s AND year = %s AND month = %s) "
    )
    params: list[Any] = [park_id, y, EnterpriseScale.Entry.MONTHLY, m, park_id, by, bm]
    params += [park_id, y, m]
    with connection.cursor() as cursor:
        cursor.execute(
            ctes + "SELECT EXISTS (SELECT 1 FROM listed), (SELECT count(*) FROM expected), "
            "(SELECT count(*) FROM reported), "
            "(SELECT count(*) FROM expected x JOIN reported r USING (enterprise_id))",
            params,
        )
        has_list, expected, reported_all, matched = cursor.fetchone()
        missing: list[MissingEnterprise] = []
        if named and expected > matched:
            cursor.execute(
                ctes + f"SELECT e.id, e.credit_code, e.name FROM expected x "
                f"JOIN {enterprise} e ON e.id = x.enterprise_id WHERE NOT EXISTS "
                "(SELECT 1 FROM reported r WHERE r.enterprise_id = x.enterprise_id) "
                "ORDER BY e.credit_code LIMIT %s",
                [*params, named],
            )
            missing = [MissingEnterprise(*row) for row in cursor.fetchall()]
    return ReportingCounts(
        expected=expected,
        reported=matched if expected else reported_all,
        extra=reported_all - matched if expected else 0,
        basis="规上名单" if has_list else "上月报送",
        missing=missing,
        missing_count=expected - matched,
    )


def reporting_summary(*, park: Park, period: Period) -> ReportingRate:
    """报送率 as `reporting_rate` gives it, read from `ReportingSummary` (one query); the
    missing enterprises are counted, not named (`reporting_rate` names them). A period without
    a summary (no enterprise report status yet) is computed from the rows."""
    from yuanqu.economy.models import ReportingSummary

    s = ReportingSummary.objects.filter(park=park, year=period.year, month=period.month).first()
    if s is None:
        return reporting_rate(park=park, period=period)
    rate = Decimal(s.reported) * 100 / Decimal(s.expected) if s.expected else None
    return ReportingRate(
        park=park,
        period=period,
        expected=s.expected,
        reported=s.reported,
        rate=rate,
        missing=[],
        basis=s.basis,
        extra=s.extra,
        missing_count=s.expected - s.reported,
    )


# ---------------------------------------------------------------------------------------------
# City view: a region's parks side by side (市级用户's home page and big screen)
# ---------------------------------------------------------------------------------------------


@dataclass
class CityRow:
    """One park of the city table: its figures, rank and whether its period is in."""

    park: Park
    row: IndicatorRow
    rank: int | None
    status: str | None  # the period's enterprise-report status; None: nothing reported
    series: list[SeriesPoint] = field(default_factory=list)  # this year, for the small chart


@dataclass
class CityOverview:
    period: Period
    code: str
    rows: list[CityRow]
    total: Decimal | None  # Σ of the parks' values (None: no park has one)
    total_yoy_pct: Decimal | None  # comparable growth of the sum (None: a part lacks its base)
    parks_with_value: int

    @property
    def not_reported(self) -> list[Park]:
        """Parks with no enterprise report for the period: named on the page, never dropped."""
        return [r.park for r in self.rows if r.status is None]

    @property
    def not_reviewed(self) -> list[Park]:
        """Parks whose period is submitted but not yet reviewed (not counted in the table)."""
        return [r.park for r in self.rows if r.status == DataStatus.SUBMITTED]


def city_latest_period(*, parks: Iterable[Park]) -> Period | None:
    """The latest month with counted enterprise reports in any of the parks."""
    s = (
        DataSlice.objects.filter(park__in=list(parks), kind=REPORT_KIND, status__in=COUNTED)
        .exclude(month=0)
        .order_by("-year", "-month")
        .first()
    )
    return Period(s.year, s.month) if s else None


def city_overview(
    *, parks: Iterable[Park], period: Period, code: str, with_series: bool = True
) -> CityOverview:
    """The parks ranked on an indicator's value for the period (counted data only, as every
    published table), with growth, completion and 序时; the city total and its comparable
    growth (Σ current ÷ Σ base − 1, the parts being the parks: the same as over all their
    enterprises, as the sums are additive); each park's report status for the period, so a
    park that has not reported or not been reviewed is named; and each park's months of this
    year for a small chart. A handful of queries for the whole region (`ReportCache.prefetch`)."""
    parks = list(parks)
    cache = ReportCache()
    cache.prefetch(parks, [period.year, period.year - 1], codes=[code])
    statuses = {
        s.park_id: s.status
        for s in DataSlice.objects.filter(
            park__in=parks, kind=REPORT_KIND, year=period.year, month=period.month
        )
    }
    rows = [
        CityRow(
            park=p,
            row=indicator_row(park=p, period=period, code=code, cache=cache),
            rank=None,
            status=statuses.get(p.pk),
        )
        for p in parks
    ]
    ranks = formulas.rank_desc({r.park.code: r.row.value for r in rows})
    for r in rows:
        r.rank = ranks.get(r.park.code)
        if with_series and code in COMPUTED:
            r.series = indicator_series(
                park=r.park, year=period.year, code=code, cache=cache, last_month=period.month
            )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.park.code))
    valued = [r.row for r in rows if r.row.value is not None]
    if valued and valued[0].kind == Indicator.Kind.RATE:
        # A rate (增加值增速) has no city sum; the city's own rate is published, not computed.
        return CityOverview(period, code, rows, None, None, len(valued))
    values = [v.value for v in valued if v.value is not None]
    total = sum(values, Decimal(0)) if values else None
    bases = [v.base if v.base is not None else v.last_year_value for v in valued]
    total_yoy = None
    if values and all(b is not None for b in bases):
        total_yoy = formulas.comparable_growth_pct(
            [formulas.Part(v, b) for v, b in zip(values, bases, strict=True) if b is not None]
        )
    return CityOverview(period, code, rows, total, total_yoy, len(valued))
