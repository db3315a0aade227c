"""Report downloads made by the background worker (yuanqu.reports.jobs): with a worker running,
a download is a task; the file comes back in the same response when it is ready in time, else
the report's job page polls and then offers it — to the user who asked, and nobody else."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.economy.factories import write_xlsx
from tests.helpers import login_client
from tests.reports.test_template_limits import _docx
from yuanqu.jobs.models import WorkerBeat

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]
BASE = "/reports/download/?park=DEMO&kind=monthly&period=2022-06"


@pytest.fixture
def data(demo_registry, tmp_path, settings):
    from yuanqu.registry.models import Enterprise

    settings.MEDIA_ROOT = tmp_path
    e = Enterprise.objects.filter(park__code="DEMO").order_by("credit_code").first()
    f = write_xlsx(
        tmp_path / "m.xlsx",
        H,
        [[e.credit_code, e.name, "2022-06", 1000, 900]],
        unit_line="单位：万元",
    )
    call_command("import", str(f), kind="enterprise-reports", park="DEMO")


@pytest.fixture
def worker(settings):
    """A worker beats (the queue has one); downloads are not awaited in the request."""
    settings.YUANQU_REPORT_WAIT_SECONDS = 0
    now = timezone.now()
    return WorkerBeat.objects.create(worker_id="w", started_at=now, beat_at=now)


def _messages(response) -> str:
    return "\n".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_without_a_worker_the_request_renders_the_report(client, data):
    login_client(client, "jingfa")
    response = client.get(BASE)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_download_becomes_a_task_whose_page_offers_the_file(client, data, worker, run_tasks):
    from auditlog.models import LogEntry

    login_client(client, "jingfa")
    response = client.get(BASE)
    assert response.status_code == 302 and response["Location"].startswith("/reports/job/?")
    job_url = response["Location"]
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.args_kwargs["kwargs"]["park"] == "DEMO"
    assert parse_qs(urlsplit(job_url).query)["id"] == [str(task.pk)]
    page = client.get(job_url).content.decode()
    assert "排队中</strong>" in page and 'hx-trigger="every 1s"' in page
    fragment = client.get(job_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()

    assert run_tasks() == 1
    assert client.get(job_url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = client.get(job_url).content.decode()
    assert "已生成</strong>" in page and "download=1" in page and "hx-trigger" not in page
    before = LogEntry.objects.filter(additional_data__event="report_download").count()
    file = client.get(job_url + "&download=1")
    assert file.status_code == 200 and file.content[:2] == b"PK"
    assert "attachment" in file["Content-Disposition"]
    assert LogEntry.objects.filter(additional_data__event="report_download").count() == before + 1

    # Only the user who asked sees it; a made-up or foreign id is no job at all.
    login_client(client, "leader")
    other = client.get(job_url + "&download=1")
    assert other.status_code == 302 and "不属于您" in _messages(other)
    login_client(client, "jingfa")
    for bad in ("abc", "00000000-0000-0000-0000-000000000000", ""):
        response = client.get(f"/reports/job/?park=DEMO&id={bad}")
        assert response.status_code == 302 and "不存在" in _messages(response)


@pytest.mark.django_db
def test_a_report_ready_within_the_wait_comes_back_in_the_same_response(
    client, data, worker, settings, monkeypatch, run_tasks
):
    settings.YUANQU_REPORT_WAIT_SECONDS = 30
    # The worker runs while the request waits.
    monkeypatch.setattr("yuanqu.reports.jobs.time.sleep", lambda seconds: run_tasks())
    login_client(client, "jingfa")
    response = client.get(BASE + "&format=html")
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_template_error_from_the_worker_is_a_chinese_message(client, data, worker, run_tasks):
    from yuanqu.reports.models import ReportTemplate

    login_client(client, "admin")
    client.post(
        "/reports/templates/",
        {
            "file": SimpleUploadedFile(
                "t.docx", _docx("{% for i in range(1000000) %}{{ park_name }}{% endfor %}")
            ),
            "kind": "monthly",
            "park": "DEMO",
        },
    )
    tpl = ReportTemplate.objects.get()
    job_url = client.get(f"{BASE}&template={tpl.pk}")["Location"]
    run_tasks()
    response = client.get(job_url)
    assert response.status_code == 302 and response["Location"].startswith("/reports/?")
    assert "range(1000000)" in _messages(response)
    # A template id of another park, or none at all, is still a 404 before anything is queued.
    assert client.get(f"{BASE}&template=999999").status_code == 404
    assert DBTaskResult.objects.count() == 1
