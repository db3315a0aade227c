"""Report templates are written only by the park's "reports" write area (党政办·督查室 in the
demo) and administrators (issue 9 item 12); every reader of the park still uses them. Uploads
and deletions are audited."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry

from tests.helpers import login_client
from yuanqu.reports import user_templates
from yuanqu.reports.models import ReportTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, name="党政办模板.docx"):
    data = io.BytesIO(user_templates.sample_template("monthly"))
    data.name = name
    return client.post("/reports/templates/", {"park": "DEMO", "kind": "monthly", "file": data})


def _events(event):
    return [e for e in LogEntry.objects.all() if (e.additional_data or {}).get("event") == event]


def test_dangzheng_uploads_and_deletes_and_both_are_audited(demo_registry, client, media):
    login_client(client, "dangzheng")
    response = _upload(client)
    assert response.status_code == 302
    tpl = ReportTemplate.objects.get()
    assert tpl.uploaded_by.username == "dangzheng" and tpl.park.code == "DEMO"
    [entry] = _events("template_upload")
    assert entry.actor.username == "dangzheng"
    assert entry.additional_data["park"] == "DEMO"
    assert entry.additional_data["name"] == "党政办模板.docx"

    response = client.post(f"/reports/templates/{tpl.pk}/delete/", {"park": "DEMO"})
    assert response.status_code == 302
    assert not ReportTemplate.objects.exists()
    [entry] = _events("template_delete")
    assert entry.actor.username == "dangzheng"
    assert "党政办模板.docx" in entry.additional_data["name"]


@pytest.mark.parametrize("name", ["city", "leader", "jingfa", "zhaoshang", "guanli"])
def test_others_who_read_the_park_may_not_write_templates(demo_registry, client, media, name):
    login_client(client, "admin")
    assert _upload(client, "领导的模板.docx").status_code == 302
    tpl = ReportTemplate.objects.get()

    client.logout()
    login_client(client, name)
    assert client.get("/reports/?park=DEMO&kind=monthly").status_code == 200  # still reads
    assert _upload(client).status_code == 403
    response = client.post(f"/reports/templates/{tpl.pk}/delete/", {"park": "DEMO"})
    assert response.status_code == 403
    assert ReportTemplate.objects.filter(pk=tpl.pk).exists()  # the leader's template is kept
    assert ReportTemplate.objects.count() == 1
    assert _events("template_delete") == []


def test_enterprise_users_and_other_parks_get_404(demo_registry, client, media):
    login_client(client, "admin")
    _upload(client)
    tpl = ReportTemplate.objects.get()
    client.logout()
    login_client(client, "qiye")
    assert _upload(client).status_code == 404
    assert client.post(f"/reports/templates/{tpl.pk}/delete/", {"park": "DEMO"}).status_code == 404
    # A template of a park the user cannot read is not confirmed to exist (404 before 403).
    client.logout()
    login_client(client, "dangzheng")
    response = client.post(f"/reports/templates/{tpl.pk}/delete/", {"park": "DEMO2"})
    assert response.status_code == 404
    assert ReportTemplate.objects.filter(pk=tpl.pk).exists()
