"""PostgreSQL reads the prefetch of `ReportCache` (statuses, released values, targets,
summaries) and the indicator list through written SQL with array parameters instead of
querysets (issue 16, Scale (a)): the rows must be exactly the ORM's, for every shape of
prefetch the readers ask for, and the tables built from them the same."""

from __future__ import annotations

import pytest
from django.db import connection

from yuanqu.economy import selectors
from yuanqu.economy.models import Indicator, ParkIndicatorValue, Target
from yuanqu.registry.models import Park

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the written statements are PostgreSQL's (SQLite reads through the ORM)")


def _same(orm: selectors._Prefetched, sql: selectors._Prefetched) -> None:
    """Row for row, and to the digit: reprs compared, so Decimal('1.5000') ≠ Decimal('1.5')
    and 1 ≠ Decimal('1') (the statement's rows come back through JSON)."""

    def rows(values: list) -> list[str]:
        return sorted(map(repr, values))

    assert rows(sql.statuses) == rows(orm.statuses)
    assert rows(sql.entered) == rows(orm.entered)
    assert rows(sql.targets) == rows(orm.targets)
    assert rows(sql.summaries) == rows(orm.summaries)


def test_every_prefetch_shape_reads_the_orms_rows(demo_db):
    parks = list(Park.objects.order_by("pk"))
    entered = list(
        Indicator.objects.filter(source=Indicator.Source.ENTERED).values_list("pk", flat=True)
    )
    assert len(parks) > 1 and entered
    assert ParkIndicatorValue.objects.exists() and Target.objects.exists()
    both = (selectors.REPORT_KIND, selectors.PARK_INDICATOR_KIND)
    shapes = [
        # a park's table (API, pages, reports): every month, every indicator
        dict(
            kinds=both,
            park_ids=[parks[0].pk],
            years=[2021, 2022],
            status_months=None,
            entered_ids=entered,
            codes=None,
            months=None,
        ),
        # a ranking of a computed indicator: one month, no released values
        dict(
            kinds=(selectors.REPORT_KIND,),
            park_ids=[p.pk for p in parks],
            years=[2021, 2022],
            status_months={11, 12},
            entered_ids=[],
            codes=["industrial_output"],
            months=[12],
        ),
        # a ranking of a released indicator over several years
        dict(
            kinds=both,
            park_ids=[p.pk for p in parks],
            years=[2020, 2021, 2022],
            status_months=None,
            entered_ids=entered[:1],
            codes=["tax_total", "industrial_output", "investment_signed_count"],
            months=None,
        ),
        # nothing there
        dict(
            kinds=both,
            park_ids=[parks[0].pk],
            years=[1999],
            status_months={1},
            entered_ids=entered,
            codes=[],
            months=[1],
        ),
    ]
    # the same ranking with its indicator known by id (targets read without the join)
    output_id = Indicator.objects.get(code="industrial_output").pk
    shapes.append({**shapes[1], "code_ids": [output_id]})
    found = 0
    for shape in shapes:
        orm = selectors._prefetch_orm(**shape)
        sql = selectors._prefetch_sql(**shape)
        _same(orm, sql)
        found += len(orm.statuses) + len(orm.summaries) + len(orm.targets) + len(orm.entered)
    assert found > 100  # the demo has rows of every kind: the comparison compared something


def test_indicator_list_in_the_models_order(demo_db):
    cache = selectors.ReportCache()
    expected = list(Indicator.objects.exclude(source=Indicator.Source.MODULE))
    got = cache.indicators()
    assert [i.pk for i in got] == [i.pk for i in expected]
    assert [(i.code, i.name, i.unit, i.source, i.kind, i.precision) for i in got] == [
        (i.code, i.name, i.unit, i.source, i.kind, i.precision) for i in expected
    ]


def test_table_through_the_statements_equals_the_orms(demo_db, monkeypatch):
    """The whole park table, prefetched as the API does, through either read."""
    park = Park.objects.order_by("pk").first()
    period = selectors.latest_period(park=park)
    assert period is not None

    def table() -> list:
        cache = selectors.ReportCache()
        cache.prefetch([park], [period.year, period.year - 1])
        return selectors.park_indicator_table(park=park, period=period, cache=cache)

    by_sql = table()
    monkeypatch.setattr(selectors, "_prefetch_sql", selectors._prefetch_orm)
    by_orm = table()
    assert [vars(r) for r in by_sql] == [vars(r) for r in by_orm]
    assert any(r.value is not None for r in by_sql)


def test_region_parks_in_code_order(demo_db):
    from yuanqu.registry.models import Region

    regions = [r for r in Region.objects.all() if Park.objects.filter(region=r).exists()]
    assert regions
    for region in regions:
        got = selectors._region_parks(region.pk)
        expected = list(Park.objects.filter(region_id=region.pk).order_by("code"))
        assert [(p.pk, p.code, p.name, p.region_id) for p in got] == [
            (p.pk, p.code, p.name, p.region_id) for p in expected
        ]


def test_region_parks_read_the_cache_indicator_list_in_the_same_statement(demo_db):
    """A ranking's first read: the region's parks and the cache's indicator list together
    (one statement on PostgreSQL), the list equal to `indicators()`'s own read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    park = Park.objects.exclude(region=None).order_by("pk").first()
    cache = selectors.ReportCache()
    with CaptureQueriesContext(connection) as queries:
        parks = selectors._region_parks(park.region_id, cache)
        listed = cache.indicators()
    assert park.pk in [p.pk for p in parks]
    if connection.vendor == "postgresql":
        assert len(queries.captured_queries) == 1
    expected = selectors.ReportCache().indicators()
    assert [vars(i) | {"_state": None} for i in listed] == [
        vars(i) | {"_state": None} for i in expected
    ]


def test_array_literal_is_read_back_as_the_list(db):
    texts = ['a"b', "c\\d", "工业", "x,y", "{z}", "", " s "]
    assert selectors._pg_array([3, 1]) == "{3,1}"
    assert selectors._fetch(
        "SELECT %s::int[], %s::text[]", [selectors._pg_array([3, 1]), selectors._pg_array(texts)]
    ) == [([3, 1], texts)]


def test_region_ranking_in_one_statement_equals_the_prefetchs(demo_db):
    """A computed indicator's city ranking reads parks, indicator list and figures in one
    statement (`ReportCache.prefetch_region`); its table is the one `park_ranking` builds
    from the parks read apart and the usual prefetch — every metric, to the digit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    park = Park.objects.exclude(region=None).select_related("region").order_by("pk").first()
    period = selectors.latest_period(park=park)
    assert period is not None
    parks = list(Park.objects.filter(region_id=park.region_id).order_by("code"))
    compared = 0
    for code in selectors.COMPUTED:
        for metric in selectors.RANK_METRICS:
            with CaptureQueriesContext(connection) as queries:
                got = selectors.region_ranking(
                    user=None, park=park, period=period, indicator=code, metric=metric
                )
            assert len(queries.captured_queries) == 1
            expected = selectors.park_ranking(
                region=park.region, period=period, code=code, metric=metric, parks=parks
            )
            assert [vars(r) for r in got] == [vars(r) for r in expected]
            compared += sum(r.value is not None for r in got)
    assert compared > 10  # the demo's figures were ranked, not only empty rows
