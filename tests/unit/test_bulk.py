"""`insert_rows` stores exactly what `bulk_create` stores, on SQLite and on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from tests.economy.factories import make_enterprise, make_park
from yuanqu.core.bulk import insert_rows, settle
from yuanqu.economy.models import EnterpriseReport

pytestmark = pytest.mark.django_db


def _stored(**filters):
    return [
        {k: v for k, v in row.items() if k != "id"}
        for row in EnterpriseReport.objects.filter(**filters).order_by("enterprise_id").values()
    ]


def test_insert_rows_matches_bulk_create():
    park = make_park("BK", "批量园区")
    a, b = make_enterprise(park, 1, "甲"), make_enterprise(park, 2, "乙")
    values = [
        (a, Decimal("1234.5678"), Decimal("-0.5"), {}, False),
        (b, Decimal("0"), None, {"201": {"ytd": "5000"}}, True),
    ]
    EnterpriseReport.objects.bulk_create(
        [
            EnterpriseReport(
                enterprise=e,
                park=park,
                year=2022,
                month=9,
                output_ytd=o,
                profit_ytd=p,
                extra=x,
                correction=c,
            )
            for e, o, p, x, c in values
        ]
    )
    expected = _stored(year=2022)
    count = insert_rows(
        EnterpriseReport,
        ("enterprise", "park", "year", "month", "extra", "correction", "output_ytd", "profit_ytd"),
        [(e.pk, park.pk, 2023, 9, x, c, o, p) for e, o, p, x, c in values],
    )
    assert count == 2
    got = _stored(year=2023)
    for row in got:
        row["year"] = 2022
    assert got == expected
    assert got[0]["unit"] == "千元"  # a field not named takes its default
    assert got[1]["extra"] == {"201": {"ytd": "5000"}}


def test_update_rows_matches_bulk_update():
    from yuanqu.core.bulk import update_rows

    park = make_park("BU", "批量更新园区")
    a, b = make_enterprise(park, 1, "甲"), make_enterprise(park, 2, "乙")
    for year in (2022, 2023):
        EnterpriseReport.objects.bulk_create(
            [
                EnterpriseReport(enterprise=e, park=park, year=year, month=9, output_ytd=1)
                for e in (a, b)
            ]
        )
    changes = {
        a.pk: (Decimal("1234.5678"), None, {"201": {"ytd": "5000"}}, True),
        b.pk: (Decimal("-0.5"), Decimal("7"), {}, False),
    }
    fields = ("output_ytd", "profit_ytd", "extra", "correction")
    by_django = list(EnterpriseReport.objects.filter(year=2022))
    for r in by_django:
        for name, value in zip(fields, changes[r.enterprise_id], strict=True):
            setattr(r, name, value)
    EnterpriseReport.objects.bulk_update(by_django, fields)
    ours = EnterpriseReport.objects.filter(year=2023).values_list("pk", "enterprise_id")
    assert update_rows(EnterpriseReport, fields, [(*changes[e], pk) for pk, e in ours]) == 2
    got = _stored(year=2023)
    for row in got:
        row["year"] = 2022
    assert got == _stored(year=2022)
    assert got[0]["extra"] == {"201": {"ytd": "5000"}} and got[1]["profit_ytd"] == Decimal("7")


def _report_rows(park, enterprises, year):
    return [
        (e.pk, park.pk, year, 9, {}, False, Decimal(f"{i}.5"), None)
        for i, e in enumerate(enterprises, 1)
    ]


_REPORT_FIELDS = (
    "enterprise",
    "park",
    "year",
    "month",
    "extra",
    "correction",
    "output_ytd",
    "profit_ytd",
)


def test_insert_rows_behind_stores_the_same_once_settled():
    """`behind`: the COPY runs in a thread on PostgreSQL (ignored elsewhere); once `settle`
    returns, the rows are those the synchronous call stores."""
    park = make_park("BH", "后台园区")
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 4)]
    insert_rows(EnterpriseReport, _REPORT_FIELDS, _report_rows(park, ents, 2022))
    expected = _stored(year=2022)
    count = insert_rows(
        EnterpriseReport,
        _REPORT_FIELDS,
        _report_rows(park, ents, 2023),
        behind=("enterprise", "park"),
    )
    settle()
    assert count == 3
    got = _stored(year=2023)
    for row in got:
        row["year"] = 2022
    assert got == expected
    # A statement after it sees the rows, and the next behind COPY waits for the first.
    insert_rows(EnterpriseReport, _REPORT_FIELDS, _report_rows(park, ents, 2024), behind=("park",))
    insert_rows(EnterpriseReport, _REPORT_FIELDS, _report_rows(park, ents, 2025), behind=("park",))
    settle()
    assert EnterpriseReport.objects.filter(year__in=[2024, 2025]).count() == 6


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY behind is PostgreSQL's (SQLite inserts)"
)
def test_a_behind_copys_error_is_raised_by_settle_as_djangos():
    """A foreign key broken by a row is found at the end of its COPY (IMMEDIATE for it), and
    `settle` raises it in the caller's thread as Django's IntegrityError; the block rolls
    back whole."""
    park = make_park("BE", "错误园区")
    ent = make_enterprise(park, 1, "甲")
    rows = [
        *_report_rows(park, [ent], 2022),
        (ent.pk + 10_000, park.pk, 2022, 9, {}, False, 1, None),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(EnterpriseReport, _REPORT_FIELDS, rows, behind=("enterprise",))
        settle()
    assert not EnterpriseReport.objects.filter(park=park).exists()
    settle()  # nothing left behind: a no-op
