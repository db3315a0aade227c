"""报送率 counted by the database (`selectors.reporting_counts`, issue 16) is `reporting_rate`'s
figure: expected, reported, extra, basis and the missing enterprises by credit code, under
each rule (a 规上 list with an enterprise entering mid-year, the previous month's reporters,
nobody expected), on SQLite and PostgreSQL; and the import's preview gives the same 报送率 when
PostgreSQL counts it after writing (one pass) as when Python counts it (a dry run)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from yuanqu.core.periods import Period
from yuanqu.economy.models import EnterpriseReport, ReportingSummary
from yuanqu.economy.selectors import reporting_counts, reporting_rate
from yuanqu.economy.summaries import _reporting, _reporting_in_database
from yuanqu.imports.engine import run_import
from yuanqu.registry.models import EnterpriseScale

pytestmark = pytest.mark.django_db

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


def _report(ent, year, month, park=None):
    EnterpriseReport.objects.create(
        enterprise=ent, park=park or ent.park, year=year, month=month, output_ytd=Decimal(10)
    )


def _same(park, period):
    rate = reporting_rate(park=park, period=period)
    counts = reporting_counts(park_id=park.pk, period=period, named=50)
    assert (counts.expected, counts.reported, counts.extra, counts.basis) == (
        rate.expected,
        rate.reported,
        rate.extra,
        rate.basis,
    )
    assert counts.missing == rate.missing
    assert counts.missing_count == rate.missing_count
    return counts


def test_previous_month_basis_and_nobody_expected():
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 8)]
    for e in ents[:5]:
        _report(e, 2022, 5)
    for e in ents[2:7]:  # two new reporters, two of May's missing
        _report(e, 2022, 6)
    counts = _same(park, Period(2022, 6))
    assert (counts.expected, counts.reported, counts.extra, counts.missing_count) == (5, 3, 2, 2)
    assert [m.credit_code for m in counts.missing] == sorted(e.credit_code for e in ents[:2])
    # May: nobody reported April — nobody expected, every reporter counted.
    counts = _same(park, Period(2022, 5))
    assert (counts.expected, counts.reported, counts.missing_count) == (0, 5, 0)
    # January and February expect December's reporters.
    _same(park, Period(2023, 2))


def test_scale_list_basis_with_an_enterprise_entering_mid_year():
    park = make_park()
    other = make_park("OP", "另一园区")
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 7)]
    outsider = make_enterprise(other, 99, "外园区企业")
    for e in ents[:4]:
        EnterpriseScale.objects.create(enterprise=e, year=2022, is_above_scale=True)
    EnterpriseScale.objects.create(
        enterprise=ents[4], year=2022, is_above_scale=True, entry="monthly", entry_month=8
    )
    EnterpriseScale.objects.create(enterprise=ents[5], year=2022, is_above_scale=False)
    EnterpriseScale.objects.create(enterprise=outsider, year=2022, is_above_scale=True)
    for e in (ents[0], ents[4], ents[5]):
        _report(e, 2022, 6)
    counts = _same(park, Period(2022, 6))
    assert counts.basis == "规上名单"
    assert (counts.expected, counts.reported, counts.extra) == (4, 1, 2)
    _same(park, Period(2022, 9))  # the mid-year entrant is expected from August on
    _same(park, Period(2022, 1))  # expected, nobody reported yet
    _same(other, Period(2022, 6))


def test_summaries_in_database_equal_the_python_rule():
    from yuanqu.imports.models import DataSlice

    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 6)]
    for e in ents[:4]:
        _report(e, 2022, 5)
    for e in ents[1:]:
        _report(e, 2022, 6)
    EnterpriseScale.objects.create(enterprise=ents[0], year=2023, is_above_scale=True)
    keys = {(park.pk, 2022, 5), (park.pk, 2022, 6), (park.pk, 2022, 7), (park.pk, 2023, 1)}
    for _, y, m in keys:
        DataSlice.objects.create(kind="enterprise-reports", park=park, year=y, month=m)

    def fields(rows: list[ReportingSummary]) -> list[tuple]:
        return sorted(
            (r.park_id, r.year, r.month, r.expected, r.reported, r.extra, r.basis) for r in rows
        )

    assert fields(_reporting_in_database(keys)) == fields(_reporting(keys))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_pass_preview_reporting_equals_the_dry_run(tmp_path):
    """PostgreSQL counts the 报送率 after writing (`_reporting_stored`); a dry run counts it
    in Python from the file and the stored rows (`_reporting`): same figures, same names —
    with a replace deleting a stored row and a 规上 list naming who is missing."""
    if connection.vendor != "postgresql":
        pytest.skip("the one pass is PostgreSQL's")
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 9)]
    for e in ents[:6]:
        EnterpriseScale.objects.create(enterprise=e, year=2022, is_above_scale=True)
    for e in ents[:5]:
        _report(e, 2022, 6)  # stored: 1–5
    # The file: 2–4 (one changed), 7 (new, not on the list); 1 and 5 are deleted (replace).
    rows = [[e.credit_code, e.name, "2022-06", 10, 8] for e in ents[1:4]]
    rows[0][3] = 12
    rows.append([ents[6].credit_code, ents[6].name, "2022-06", 10, 8])
    path = write_xlsx(tmp_path / "r.xlsx", H, rows, unit_line="单位：千元")
    dry = run_import(path, kind="enterprise-reports", park=park, dry_run=True, allow_deletions=True)
    real = run_import(path, kind="enterprise-reports", park=park, allow_deletions=True)
    assert real.committed and real.deleted == dry.deleted == 2
    assert real.checks["reporting"] == dry.checks["reporting"]
    entry = real.checks["reporting"][0]
    assert (entry["expected"], entry["reported"], entry["missing_count"]) == (6, 3, 3)
    assert [m["credit_code"] for m in entry["missing"]] == sorted(
        e.credit_code for e in (ents[0], ents[4], ents[5])
    )
    # What the page reads afterwards (the summary) says the same.
    summary = ReportingSummary.objects.get(park=park, year=2022, month=6)
    assert (summary.expected, summary.reported, summary.extra) == (6, 3, 1)
