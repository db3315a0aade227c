"""`insert_rows` stores exactly what `bulk_create` stores, on SQLite and on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.economy.factories import make_enterprise, make_park
from yuanqu.core.bulk import insert_rows
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
