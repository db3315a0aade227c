"""The import engine spools checked rows with pickle between its two phases: a report row
comes back equal, every figure with the same digits and exponent (issue 16: rows pickle as
plain tuples, not through the slots dataclasses' Python-level state)."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from tests.economy.factories import make_park
from yuanqu.core.periods import Period
from yuanqu.economy.importers import EnterpriseRef, ReportRow
from yuanqu.imports.readers import Record


@pytest.mark.django_db
def test_report_rows_come_back_equal_from_the_spool():
    park = make_park()
    record = Record(sheet="表1", row=7, values={}, cells={"output_ytd": "E"}, hidden=True)
    values = {
        "output_ytd": Decimal("1.50"),
        "output_ytd_ly": Decimal("-0"),
        "revenue_ytd": Decimal("1E+3"),
        "profit_ytd": Decimal("-12345678901234.5678"),
    }
    rows = [
        ReportRow(
            record,
            "91320500MA1X2Y3Z4A",
            "某某科技有限公司",
            Period(2022, 9),
            dict(values),
            "千元",
            {"301": {"ytd": "5", "ly": "4"}},
            True,
            EnterpriseRef(11, park.pk, "某某科技有限公司", park),
            park,
        ),
        ReportRow(record, "91320500MA1X2Y3Z5B", "新企业", Period(2023, 2), {}, "万元", {}, False),
    ]
    back = pickle.loads(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == rows
    assert [str(v) for v in back[0].values.values()] == [
        "1.50",
        "-0",
        "1E+3",
        "-12345678901234.5678",
    ]
    assert back[0].park.pk == park.pk and back[0].enterprise.park.pk == park.pk
    assert back[0].record.cells == {"output_ytd": "E"} and back[0].record.hidden is True
    assert back[1].enterprise is None and back[1].period == Period(2023, 2)
