"""Large web uploads: previewed and committed by a background task, followed by a progress bar.

The task queue is django-tasks-db's (settings.TASKS): an upload enqueues a task and the page
shows 排队中 until a worker runs it. Here the tests run the queue themselves, in their own
process and transaction (`run_tasks`), so the same code path runs as under `yuanqu tasks
worker`; the worker process itself, killed in the middle, is tests/jobs/test_worker_killed.py.
Small uploads keep running inside the request (tests/imports/test_workbooks.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.economy.factories import write_xlsx
from tests.helpers import login_client
from yuanqu.accounts.models import Role
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports import engine, services
from yuanqu.imports import progress as job_progress
from yuanqu.imports.models import ImportRecord, ProgressStage
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
    """Every upload goes to the background queue."""
    settings.YUANQU_IMPORT_BACKGROUND_BYTES = 0
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def checkpoint():
    """Register a callable at one of the engine's checkpoints for the test's duration."""
    added: list[tuple[str, object]] = []

    def add(name, hook):
        engine.CHECKPOINTS[name].append(hook)
        added.append((name, hook))

    yield add
    for name, hook in added:
        engine.CHECKPOINTS[name].remove(hook)


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


@pytest.mark.django_db
def test_large_upload_is_queued_then_previewed_and_committed_by_the_worker(
    client, demo_registry, background, run_tasks, tmp_path
):
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path))

    # Queued: the record is there with its task; the page shows the bar and polls.
    record = ImportRecord.objects.get(pk=pk)
    assert record.status == ImportRecord.Status.RUNNING and record.stored_file
    assert record.progress_stage == ProgressStage.QUEUED
    task = DBTaskResult.objects.get()
    assert str(task.pk) == record.task_id and task.status == "READY"
    assert task.args_kwargs["kwargs"]["record_id"] == pk
    page = client.get(f"/imports/{pk}/").content.decode()
    assert "<progress" in page and f'hx-get="/imports/{pk}/progress/"' in page
    assert 'hx-trigger="every 1s"' in page and "排队中</strong>：等待后台处理进程校验" in page
    # No worker beats: the page says who must start one.
    assert "后台处理进程未运行" in page and "yuanqu tasks worker" in page
    assert "正在后台校验" in page  # the message after the redirect
    assert "确认导入" not in page
    assert "处理中…（排队中）" in client.get("/imports/").content.decode()
    fragment = client.get(f"/imports/{pk}/progress/")
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    assert "排队中" in fragment.content.decode()

    assert run_tasks() == 1
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.PREVIEWED, record.issues
    assert record.counts["rows"] == record.counts["new"] == 150
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == {
        "record": pk,
        "status": "previewed",
        "committed": False,
    }
    assert client.get(f"/imports/{pk}/progress/")["HX-Refresh"] == "true"
    page = client.get(f"/imports/{pk}/").content.decode()
    assert "确认导入" in page and "<progress" not in page and "hx-get" not in page
    assert not EnterpriseReport.objects.filter(year=2025).exists()  # a preview writes nothing

    response = client.post(f"/imports/{pk}/confirm/")
    assert response.status_code == 302
    job_pk = int(response["Location"].rstrip("/").split("/")[-1])
    assert job_pk != pk
    page = client.get(f"/imports/{job_pk}/").content.decode()
    assert "排队中</strong>：等待后台处理进程导入" in page and "正在后台导入" in page
    # The preview is spent as soon as the job is queued: a second confirm starts nothing.
    assert ImportRecord.objects.get(pk=pk).stored_file == ""
    assert "已处理过" in client.post(f"/imports/{pk}/confirm/", follow=True).content.decode()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert run_tasks() == 1
    job = ImportRecord.objects.get(pk=job_pk)
    assert job.status == ImportRecord.Status.COMMITTED and not job.dry_run, job.issues
    assert EnterpriseReport.objects.filter(year=2025, month=9).count() == 150
    assert ImportRecord.objects.filter(dry_run=False).count() == 1
    page = client.get(f"/imports/{job_pk}/").content.decode()
    assert "已导入" in page and "<progress" not in page


@pytest.mark.django_db
def test_progress_is_written_on_the_record_and_writing_is_shown(
    client, demo_registry, background, run_tasks, tmp_path, monkeypatch, checkpoint
):
    """The engine reports every 1,000 rows and once more when every row is read (100 %); the
    task writes each report on the import record (throttled to one a second — off here), and
    marks 写入中 before the one write transaction."""
    monkeypatch.setattr(job_progress, "WRITE_EVERY_SECONDS", 0)
    seen: list[tuple] = []
    real = job_progress.Reporter.__call__

    def spy(self, rows, estimate):
        real(self, rows, estimate)
        r = ImportRecord.objects.get(pk=self.record_id)
        seen.append((rows, estimate, r.progress_stage, r.progress_rows, r.progress_estimate))

    monkeypatch.setattr(job_progress.Reporter, "__call__", spy)
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path, months=range(1, 9)))  # 150 × 8 = 1,200 rows
    run_tasks()
    assert [s[0] for s in seen] == [1000, 1200]
    _rows, estimate, stage, stored_rows, stored_estimate = seen[0]
    assert stage == ProgressStage.READING and stored_rows == 1000
    assert estimate is not None and 1100 <= estimate <= 1300  # from the sheet's dimension
    assert stored_estimate == estimate
    assert seen[1][1:] == (1200, ProgressStage.READING, 1200, 1200)  # all read: 100 %
    record = ImportRecord.objects.get(pk=pk)
    assert record.status == ImportRecord.Status.PREVIEWED and record.counts["rows"] == 1200

    # The commit: inside the write transaction the record says 写入中, which the page shows.
    pages: list[str] = []

    def look(record):
        current = ImportRecord.objects.get(pk=record.pk)
        assert current.progress_stage == ProgressStage.WRITING
        pages.append(client.get(f"/imports/{record.pk}/progress/").content.decode())

    checkpoint("writing", look)
    job_pk = int(client.post(f"/imports/{pk}/confirm/")["Location"].rstrip("/").split("/")[-1])
    run_tasks()
    assert ImportRecord.objects.get(pk=job_pk).status == ImportRecord.Status.COMMITTED
    assert len(pages) == 1 and "写入中</strong>：已读取 1,200 行" in pages[0]
    assert "正在一次性写入数据库" in pages[0]


@pytest.mark.django_db
def test_an_unexpected_failure_ends_the_job_as_failed(
    client, demo_registry, background, run_tasks, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "run_import", broken)
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path))
    run_tasks()
    record = ImportRecord.objects.get(pk=pk)
    assert record.status == ImportRecord.Status.FAILED
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and task.exception_class_path == "builtins.RuntimeError"
    page = client.get(f"/imports/{pk}/").content.decode()
    assert "意外错误" in page and "未写入任何数据" in page and "disk on fire" not in page


@pytest.mark.django_db
def test_a_task_run_again_after_its_import_finished_does_nothing(
    client, demo_registry, background, run_tasks, tmp_path
):
    """Idempotent: recovery may put a task back in the queue although its import committed
    (the worker died after the commit, before marking the task done)."""
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path))
    run_tasks()
    job_pk = int(client.post(f"/imports/{pk}/confirm/")["Location"].rstrip("/").split("/")[-1])
    run_tasks()
    assert EnterpriseReport.objects.filter(year=2025).count() == 150
    before = ImportRecord.objects.get(pk=job_pk)
    task = DBTaskResult.objects.get(pk=before.task_id)
    DBTaskResult.objects.filter(pk=task.pk).update(status="READY", started_at=None)

    assert run_tasks() == 1
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"record": job_pk, "skipped": True, "status": "committed"}
    after = ImportRecord.objects.get(pk=job_pk)
    assert (after.status, after.counts, after.attempt) == (
        before.status,
        before.counts,
        before.attempt,
    )
    assert EnterpriseReport.objects.filter(year=2025).count() == 150


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_record_was_claimed_again_writes_nothing(
    client, demo_registry, background, run_tasks, tmp_path, checkpoint
):
    """A run taken for dead while still alive (its heartbeat late): the record is claimed by
    the task's next run, and the first run, reaching its write transaction, writes nothing.

    The claim comes from another connection, as the next run's would: on PostgreSQL the first
    run is inside its one-pass transaction by then (engine._import_in_one_pass), and finds the
    claim when it locks the record before the commit (transactional test: the other
    connection sees the committed upload)."""
    login_client(client, "jingfa")
    pk = upload(client, report_file(tmp_path))
    run_tasks()
    job_pk = int(client.post(f"/imports/{pk}/confirm/")["Location"].rstrip("/").split("/")[-1])
    claims: list[str] = []

    def taken_over(record):
        if not claims:
            claims.append(
                job_progress.in_own_connection(lambda: services.import_claim(record_id=record.pk))
            )

    checkpoint("staged", taken_over)
    run_tasks()
    task = DBTaskResult.objects.get(pk=ImportRecord.objects.get(pk=job_pk).task_id)
    assert task.return_value == {"record": job_pk, "superseded": True}
    record = ImportRecord.objects.get(pk=job_pk)
    assert record.status == ImportRecord.Status.RUNNING and record.attempt == claims[0]
    assert not EnterpriseReport.objects.filter(year=2025).exists()

    # The run holding the claim (the task run again) imports it, once.
    assert services.import_run_task(record_id=job_pk)["status"] == "committed"
    assert EnterpriseReport.objects.filter(year=2025).count() == 150


# The tests below set up the running record themselves: no task.


@pytest.fixture
def running(demo_registry):
    from yuanqu.accounts.models import User

    return ImportRecord.objects.create(
        kind="enterprise-reports",
        file_name="大文件.xlsx",
        user=User.objects.get(username="jingfa"),
        park=Park.objects.get(code="DEMO"),
        dry_run=True,
        status=ImportRecord.Status.RUNNING,
        progress_stage=ProgressStage.READING,
        progress_at=timezone.now(),
    )


@pytest.mark.django_db
def test_progress_endpoint_reads_the_record_then_asks_for_a_refresh(client, running):
    login_client(client, "jingfa")
    url = f"/imports/{running.pk}/progress/"
    ImportRecord.objects.filter(pk=running.pk).update(progress_rows=2000, progress_estimate=470000)
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert "已读取 2,000 行（约 470,000 行）" in html and "预览" in html
    assert '<progress value="2000" max="470000">' in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert "<html" not in html  # a fragment, not a page

    ImportRecord.objects.filter(pk=running.pk).update(
        dry_run=False, progress_rows=3000, progress_estimate=None
    )
    html = client.get(url).content.decode()
    assert "已读取 3,000 行" in html and "约" not in html and "<progress></progress>" in html
    assert "导入</strong>" in html

    ImportRecord.objects.filter(pk=running.pk).update(progress_stage=ProgressStage.WRITING)
    html = client.get(url).content.decode()
    assert "写入中</strong>" in html and "<progress></progress>" in html

    ImportRecord.objects.filter(pk=running.pk).update(status=ImportRecord.Status.PREVIEWED)
    response = client.get(url)
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_a_queued_job_says_whether_a_worker_runs(client, running):
    from yuanqu.jobs.models import WorkerBeat

    ImportRecord.objects.filter(pk=running.pk).update(progress_stage=ProgressStage.QUEUED)
    login_client(client, "jingfa")
    url = f"/imports/{running.pk}/progress/"
    assert "后台处理进程未运行" in client.get(url).content.decode()
    now = timezone.now()
    beat = WorkerBeat.objects.create(worker_id="w1", started_at=now, beat_at=now)
    html = client.get(url).content.decode()
    assert "排队中" in html and "后台处理进程未运行" not in html
    # A worker silent for longer than YUANQU_TASK_STALE_SECONDS is no worker.
    beat.beat_at = now - timedelta(minutes=10)
    beat.save()
    assert "后台处理进程未运行" in client.get(url).content.decode()
    # However long it waits, a queued job is not interrupted: it has not started.
    ImportRecord.objects.filter(pk=running.pk).update(
        updated_at=now - timedelta(hours=2), progress_at=now - timedelta(hours=2)
    )
    assert "已中断" not in client.get(url).content.decode()


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
    ImportRecord.objects.filter(pk=running.pk).update(updated_at=old, progress_at=old)
    page = client.get(f"/imports/{running.pk}/").content.decode()
    assert "已中断（后台处理进程已结束，未写入任何数据）" in page
    assert "hx-trigger" not in page and "<progress" not in page  # no more polling
    fragment = client.get(f"/imports/{running.pk}/progress/").content.decode()
    assert "已中断" in fragment and "hx-trigger" not in fragment
    assert "已中断" in client.get("/imports/").content.decode()

    # A recent progress report is a sign of life, however old the record's last save.
    ImportRecord.objects.filter(pk=running.pk).update(
        progress_at=timezone.now(), progress_rows=5000
    )
    page = client.get(f"/imports/{running.pk}/").content.decode()
    assert "已中断" not in page and 'hx-trigger="every 1s"' in page
    assert "已读取 5,000 行" in client.get("/imports/").content.decode()
