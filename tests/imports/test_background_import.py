"""Large web uploads: previewed and committed in a background thread, followed by a progress bar.

The job's thread has its own database connection, so the tests that run a job use a
transactional database (the rows must really be committed for the thread to see them).
`services.wait_for_jobs` joins the threads. Small uploads keep running inside the request
(tests/imports/test_workbooks.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.economy.factories import write_xlsx
from tests.helpers import login_client
from yuanqu.accounts.models import Role
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports import progress as job_progress
from yuanqu.imports import services
from yuanqu.imports.models import ImportRecord
from yuanqu.registry.models import Enterprise, Park

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(1-本月)",
    "工业总产值上年同期(1-本月)",
]


@pytest.fixture
def background(settings, tmp_path):
    """Every upload goes to the background; jobs are joined before the database is reset."""
    settings.YUANQU_IMPORT_BACKGROUND_BYTES = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    services.wait_for_jobs(timeout=120)


def upload(client, path, **data):
    with path.open("rb") as fh:
        response = client.post(
            "/imports/upload/",
            {"file": fh, "kind": "enterprise-reports", "park": "DEMO", **data},
        )
    assert response.status_code == 302, response.content.decode()
    return int(response["Location"].rstrip("/").split("/")[-1])


def report_file(tmp_path, months=(9,), name="reports.xlsx"):
    rows = [
        [e.credit_code, e.name, f"2025-{m:02d}", 100 * m, 90 * m]
        for m in months
        for e in Enterprise.objects.filter(park__code="DEMO").order_by("credit_code")
    ]
    return write_xlsx(tmp_path / name, HEADERS, rows, unit_line="单位：千元")


@pytest.mark.django_db(transaction=True)
def test_large_upload_runs_in_background_with_progress_then_preview_and_commit(
    client, demo_registry, background, gate, tmp_path
):
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path))

    # The job is held before reading: the page shows the bar and polls.
    record = ImportRecord.objects.get(pk=pk)
    assert record.status == ImportRecord.Status.RUNNING and record.stored_file
    page = client.get(f"/imports/{pk}/").content.decode()
    assert "<progress" in page and f'hx-get="/imports/{pk}/progress/"' in page
    assert 'hx-trigger="every 1s"' in page and "预览</strong>：已读取 0 行" in page
    assert "正在后台校验" in page  # the message after the redirect
    assert "确认导入" not in page
    assert "处理中…" in client.get("/imports/").content.decode()
    fragment = client.get(f"/imports/{pk}/progress/")
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    assert "已读取 0 行" in fragment.content.decode()

    gate.set()
    services.wait_for_jobs(timeout=120)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.PREVIEWED, record.issues
    assert record.counts["rows"] == record.counts["new"] > 0
    assert job_progress.read(record) is None  # the job cleans up after itself
    assert client.get(f"/imports/{pk}/progress/")["HX-Refresh"] == "true"
    page = client.get(f"/imports/{pk}/").content.decode()
    assert "确认导入" in page and "<progress" not in page and "hx-get" not in page
    assert not EnterpriseReport.objects.filter(year=2025).exists()  # a preview writes nothing

    gate.clear()
    response = client.post(f"/imports/{pk}/confirm/")
    assert response.status_code == 302
    job_pk = int(response["Location"].rstrip("/").split("/")[-1])
    assert job_pk != pk
    page = client.get(f"/imports/{job_pk}/").content.decode()
    assert "导入</strong>：已读取 0 行" in page and "正在后台导入" in page
    # The preview is spent as soon as the job starts: a second confirm starts nothing.
    assert ImportRecord.objects.get(pk=pk).stored_file == ""
    assert "已处理过" in client.post(f"/imports/{pk}/confirm/", follow=True).content.decode()
    gate.set()
    services.wait_for_jobs(timeout=120)
    job = ImportRecord.objects.get(pk=job_pk)
    assert job.status == ImportRecord.Status.COMMITTED and not job.dry_run, job.issues
    assert EnterpriseReport.objects.filter(year=2025, month=9).count() == record.counts["new"]
    assert ImportRecord.objects.filter(dry_run=False).count() == 1
    page = client.get(f"/imports/{job_pk}/").content.decode()
    assert "已导入" in page and "<progress" not in page


@pytest.mark.django_db(transaction=True)
def test_engine_progress_reaches_the_cache(
    client, demo_registry, background, tmp_path, monkeypatch
):
    """The engine reports every 1,000 rows and once more when every row is read (100 %);
    each report is stored for the polling page."""
    seen: list[tuple[int, int | None, str, dict | None]] = []
    real = job_progress.report

    def spy(record, *, rows, estimate, stage):
        real(record, rows=rows, estimate=estimate, stage=stage)
        seen.append((rows, estimate, stage, job_progress.read(record)))

    monkeypatch.setattr(job_progress, "report", spy)
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path, months=range(1, 9)))  # 150 × 8 = 1,200 rows
    services.wait_for_jobs(timeout=120)

    assert [s[0] for s in seen] == [0, 1000, 1200]
    assert seen[2][1] == 1200  # all read: the estimate becomes the count
    _rows, estimate, stage, stored = seen[1]
    assert stage == "preview" and stored is not None and stored["rows"] == 1000
    assert stored["stage_label"] == "预览" and stored["estimate"] == estimate
    assert estimate is not None and 1100 <= estimate <= 1300  # from the sheet's dimension
    record = ImportRecord.objects.get(pk=pk)
    assert record.status != ImportRecord.Status.RUNNING and record.counts["rows"] == 1200
    assert job_progress.read(record) is None


@pytest.mark.django_db(transaction=True)
def test_an_unexpected_failure_ends_the_job_as_failed(
    client, demo_registry, background, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "run_import", broken)
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path))
    services.wait_for_jobs(timeout=120)
    record = ImportRecord.objects.get(pk=pk)
    assert record.status == ImportRecord.Status.FAILED
    page = client.get(f"/imports/{pk}/").content.decode()
    assert "意外错误" in page and "未写入任何数据" in page and "disk on fire" not in page


# The tests below set up the running record themselves: no thread, no transactional database.


@pytest.fixture
def running(demo_registry):
    from yuanqu.accounts.models import User

    record = ImportRecord.objects.create(
        kind="enterprise-reports",
        file_name="大文件.xlsx",
        user=User.objects.get(username="jingfa"),
        park=Park.objects.get(code="DEMO"),
        dry_run=True,
        status=ImportRecord.Status.RUNNING,
    )
    yield record
    job_progress.clear(record)


@pytest.mark.django_db
def test_progress_endpoint_reads_the_cache_then_asks_for_a_refresh(client, running):
    login_client(client, "jingfa")
    url = f"/imports/{running.pk}/progress/"
    job_progress.report(running, rows=2000, estimate=470000, stage="preview")
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert "已读取 2,000 行（约 470,000 行）" in html and "预览" in html
    assert '<progress value="2000" max="470000">' in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert "<html" not in html  # a fragment, not a page

    job_progress.report(running, rows=3000, estimate=None, stage="commit")
    html = client.get(url).content.decode()
    assert "已读取 3,000 行" in html and "约" not in html and "<progress></progress>" in html
    assert "导入</strong>" in html

    ImportRecord.objects.filter(pk=running.pk).update(status=ImportRecord.Status.PREVIEWED)
    response = client.get(url)
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_progress_is_scoped_like_the_detail_page(client, running, user_factory):
    url = f"/imports/{running.pk}/progress/"
    other_park = user_factory("leader2", role=Role.PARK_LEADER, park=Park.objects.get(code="DEMO2"))
    client.force_login(other_park)
    assert client.get(url).status_code == 404
    assert client.get(f"/imports/{running.pk}/").status_code == 404
    login_client(client, "qiye")  # same park, but an enterprise sees only its own uploads
    assert client.get(url).status_code == 404
    login_client(client, "leader")
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_stale_running_record_shows_as_interrupted(client, running):
    login_client(client, "jingfa")
    old = timezone.now() - timedelta(minutes=11)
    ImportRecord.objects.filter(pk=running.pk).update(updated_at=old)
    page = client.get(f"/imports/{running.pk}/").content.decode()
    assert "已中断（进程已结束，未写入任何数据）" in page
    assert "hx-trigger" not in page and "<progress" not in page  # no more polling
    fragment = client.get(f"/imports/{running.pk}/progress/").content.decode()
    assert "已中断" in fragment and "hx-trigger" not in fragment
    assert "已中断" in client.get("/imports/").content.decode()

    # A recent progress report is a sign of life, however old the record's last save.
    job_progress.report(running, rows=5000, estimate=None, stage="preview")
    page = client.get(f"/imports/{running.pk}/").content.decode()
    assert "已中断" not in page and 'hx-trigger="every 1s"' in page
    assert "已读取 5,000 行" in client.get("/imports/").content.decode()


def test_progress_keys_differ_per_database_and_record(settings):
    from django.db import connection

    now = timezone.now()
    a = ImportRecord(pk=7, created_at=now)
    b = ImportRecord(pk=7, created_at=now + timedelta(microseconds=1))
    assert job_progress.key(a) != job_progress.key(b)
    name = connection.settings_dict["NAME"]
    key = job_progress.key(a)
    try:
        connection.settings_dict["NAME"] = "another"
        assert job_progress.key(a) != key
    finally:
        connection.settings_dict["NAME"] = name
