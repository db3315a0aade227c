"""PostgreSQL: a streaming import reads, checks and writes in one pass inside one transaction
(issue 16: no spool, no second round of lookups), and stays what the two-phase import is —
all or nothing, every error reported, progress visible to other users while it runs.

Transactional tests: what another connection sees is the point.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from yuanqu.economy.importers import EnterpriseReportImporter
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports import engine
from yuanqu.imports.engine import run_import
from yuanqu.imports.models import ImportRecord
from yuanqu.imports.progress import Reporter, in_own_connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("one pass is PostgreSQL's way (SQLite stages, then writes)")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(EnterpriseReportImporter, "chunk_size", 500)


def _file(tmp_path, rows):
    return write_xlsx(tmp_path / "reports.xlsx", H, rows, unit_line="单位：千元")


def _running_record() -> ImportRecord:
    return ImportRecord.objects.create(
        kind="enterprise-reports", status=ImportRecord.Status.RUNNING, attempt="run-1"
    )


def test_progress_is_seen_by_others_while_rows_are_written(tmp_path, small_chunks):
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 1501)]
    path = _file(tmp_path, [[e.credit_code, e.name, "2022-06", 10, 8] for e in ents])
    record = _running_record()
    seen: list[tuple[int, int, int]] = []

    def look(rec):
        if len(seen) == 2:  # after the second chunk: 1,000 rows checked and written
            seen.append(
                in_own_connection(
                    lambda: (
                        ImportRecord.objects.get(pk=rec.pk).progress_rows,
                        EnterpriseReport.objects.count(),
                        0,
                    )
                )
            )
        seen.append((0, 0, 0))

    engine.CHECKPOINTS["staging"].append(look)
    try:
        preview = run_import(
            path,
            kind="enterprise-reports",
            park=park,
            record=record,
            attempt="run-1",
            progress=Reporter(record.pk, "run-1"),
        )
    finally:
        engine.CHECKPOINTS["staging"].remove(look)
    assert preview.committed and preview.new == 1500
    # Another connection saw the progress (1,000 rows read) but none of the rows written.
    rows_seen, reports_seen, _ = seen[2]
    assert rows_seen >= 1000 and reports_seen == 0
    assert EnterpriseReport.objects.count() == 1500
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.COMMITTED and record.counts["new"] == 1500


def test_an_error_in_the_last_chunk_rolls_back_the_chunks_already_written(tmp_path, small_chunks):
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 1201)]
    rows = [[e.credit_code, e.name, "2022-06", 10, 8] for e in ents]
    rows[-1][3] = "十"  # not a number, in the third chunk
    rows.append(rows[0])  # and a duplicate row: every problem is reported in one pass
    preview = run_import(_file(tmp_path, rows), kind="enterprise-reports", park=park)
    assert not preview.committed
    messages = [i.text() for i in preview.errors]
    assert any("工业总产值(1-本月)" in m and "第1202行" in m for m in messages), messages
    assert any("第1203行" in m and "重复" in m for m in messages), messages
    assert EnterpriseReport.objects.count() == 0
    record = ImportRecord.objects.get(pk=preview.record_id)
    assert record.status == ImportRecord.Status.FAILED


def test_a_file_that_changes_nothing_writes_nothing(tmp_path, small_chunks):
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 701)]
    path = _file(tmp_path, [[e.credit_code, e.name, "2022-06", 10, 8] for e in ents])
    assert run_import(path, kind="enterprise-reports", park=park).committed
    before = list(EnterpriseReport.objects.values_list("id", "import_record_id"))
    again = run_import(path, kind="enterprise-reports", park=park)
    assert not again.committed and again.unchanged == 700 and again.new == 0
    assert list(EnterpriseReport.objects.values_list("id", "import_record_id")) == before
    assert ImportRecord.objects.get(pk=again.record_id).status == ImportRecord.Status.UNCHANGED


def test_a_replace_counts_stored_and_deleted_rows_as_the_dry_run_does(tmp_path, small_chunks):
    """`finish` reads back only the rows this import did not write and counts the rows it
    rewrote (issue 16): the deletion guard's figures (stored, deleted) and the deletions are
    those of a dry run, which writes nothing — across chunks, with changed, unchanged, new
    and missing rows."""
    park = make_park()
    ents = [make_enterprise(park, i, f"企业{i}") for i in range(1, 1301)]
    first = [[e.credit_code, e.name, "2022-06", 10, 8] for e in ents[:1000]]
    assert run_import(_file(tmp_path, first), kind="enterprise-reports", park=park).committed
    # 1–300 changed, 301–700 unchanged, 701–1000 missing (deleted), 1001–1300 new.
    second = [[e.credit_code, e.name, "2022-06", 12, 8] for e in ents[:300]]
    second += first[300:700]
    second += [[e.credit_code, e.name, "2022-06", 10, 8] for e in ents[1000:]]
    path = write_xlsx(tmp_path / "again.xlsx", H, second, unit_line="单位：千元")
    dry = run_import(path, kind="enterprise-reports", park=park, dry_run=True)
    refused = run_import(path, kind="enterprise-reports", park=park)
    guard = "已入库 1000 行，将删除 300 行"
    assert any(guard in i.message for i in dry.issues), [i.text() for i in dry.issues]
    assert not refused.committed
    assert any(guard in i.message for i in refused.errors), [i.text() for i in refused.errors]
    assert EnterpriseReport.objects.count() == 1000  # all or nothing: the refused wrote none
    done = run_import(path, kind="enterprise-reports", park=park, allow_deletions=True)
    assert done.committed
    assert (
        (done.new, done.changed, done.unchanged, done.deleted)
        == (
            dry.new,
            dry.changed,
            dry.unchanged,
            dry.deleted,
        )
        == (300, 300, 400, 300)
    )
    assert EnterpriseReport.objects.count() == 1000
    assert not EnterpriseReport.objects.filter(enterprise__in=ents[700:1000]).exists()
