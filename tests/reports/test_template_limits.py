"""Uploaded .docx templates render with a time and a size limit, and every error — a huge
range, a runaway loop, an unknown variable, an unsafe attribute, a bad template id — is a
Chinese message, never a 500 (issue 9, item 12)."""

from __future__ import annotations

import io
import time
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document

from tests.economy.factories import write_xlsx
from tests.helpers import login_client
from yuanqu.reports import user_templates
from yuanqu.reports.user_templates import TemplateCheckError, render_template


def _docx(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _report(**context):
    """The two things render_template reads of a report."""
    return SimpleNamespace(kind="annual", template_context=lambda: {"park_name": "示范", **context})


def _render(*lines: str) -> bytes:
    return render_template(io.BytesIO(_docx(*lines)), _report())


def _text(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_a_plain_template_still_renders():
    assert _text(_render("{{ park_name }}", "{% for i in range(3) %}{{ i }}{% endfor %}")) == [
        "示范",
        "012",
    ]


def test_range_beyond_the_cap_is_a_chinese_error(settings):
    settings.YUANQU_TEMPLATE_MAX_RANGE = 10_000
    with pytest.raises(TemplateCheckError) as exc:
        _render("{% for i in range(1000000) %}{{ i }}{% endfor %}")
    assert "range(1000000) 有 1,000,000 项" in str(exc.value)
    assert "最多 10,000 项" in str(exc.value)


def test_nested_loops_stop_at_the_time_limit(settings):
    settings.YUANQU_TEMPLATE_RENDER_SECONDS = 1
    settings.YUANQU_TEMPLATE_MAX_OUTPUT = 10**12  # only the clock stops this one
    started = time.monotonic()
    with pytest.raises(TemplateCheckError) as exc:
        _render(
            "{% for a in range(10000) %}{% for b in range(10000) %}"
            "{% if a == b %}{% endif %}{% endfor %}{% endfor %}"
        )
    elapsed = time.monotonic() - started
    assert "超过 1 秒" in str(exc.value)
    assert elapsed < 5, elapsed


def test_output_beyond_the_size_limit_stops(settings):
    settings.YUANQU_TEMPLATE_MAX_OUTPUT = 100_000
    with pytest.raises(TemplateCheckError) as exc:
        _render("{% for a in range(10000) %}{{ park_name }}0123456789{% endfor %}")
    assert "超过上限" in str(exc.value)
    with pytest.raises(TemplateCheckError) as exc:
        _render("{{ 'x' * 1000000000 }}")
    assert "乘法" in str(exc.value)
    with pytest.raises(TemplateCheckError) as exc:
        _render("{{ 9 ** 99999999 }}")
    assert "乘方" in str(exc.value)


def test_sandbox_and_variable_errors_are_chinese():
    with pytest.raises(TemplateCheckError) as exc:
        _render("{{ park_name.__class__.__mro__ }}")
    assert "出于安全限制" in str(exc.value) and "__class__" in str(exc.value)
    with pytest.raises(TemplateCheckError) as exc:
        # `park_name` is known; a field of it is not.
        _render("{{ park_name.nonexistent }}")
    assert "没有字段“nonexistent”" in str(exc.value)
    with pytest.raises(TemplateCheckError) as exc:
        user_templates.check_template(io.BytesIO(_docx("{% endfo %}")), "annual")
    message = str(exc.value)
    assert "占位符写法有误" in message and "endfo" in message and "第" in message
    assert "Encountered" not in message


def test_undefined_variable_message_names_it():
    err = user_templates.describe_error(
        __import__("jinja2").UndefinedError("'outptu' is undefined")
    )
    assert err == "变量“outptu”未定义：请对照“变量目录”核对拼写"


# -- through the page -------------------------------------------------------------------------
H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


@pytest.fixture
def admin(client, demo_registry, tmp_path, settings):
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
    return login_client(client, "admin")


def _messages(response) -> str:
    return "\n".join(str(m) for m in get_messages(response.wsgi_request))


def _upload(client, data: bytes):
    from yuanqu.reports.models import ReportTemplate

    r = client.post(
        "/reports/templates/",
        {"file": SimpleUploadedFile("t.docx", data), "kind": "monthly", "park": "DEMO"},
    )
    assert r.status_code == 302
    return ReportTemplate.objects.order_by("-pk").first()


def test_page_shows_limit_errors_and_bad_ids_as_messages(admin, settings):
    base = "/reports/download/?park=DEMO&kind=monthly&period=2022-06"
    tpl = _upload(admin, _docx("{% for i in range(1000000) %}{{ park_name }}{% endfor %}"))
    assert tpl is not None
    r = admin.get(f"{base}&template={tpl.pk}")
    assert r.status_code == 302
    assert "range(1000000)" in _messages(r) and "模板渲染失败" in _messages(r)

    for bad in ("abc", "1e3", "-1", "99999999999999999999999"):
        r = admin.get(f"{base}&template={bad}")
        assert r.status_code in (302, 404), (bad, r.status_code)
        if r.status_code == 302:
            assert "模板" in _messages(r)

    settings.YUANQU_TEMPLATE_RENDER_SECONDS = 1
    slow = _upload(
        admin,
        _docx(
            "{% for a in range(10000) %}{% for b in range(10000) %}"
            "{% if a == b %}{% endif %}{% endfor %}{% endfor %}"
        ),
    )
    started = time.monotonic()
    r = admin.get(f"{base}&template={slow.pk}")
    assert r.status_code == 302 and "超过 1 秒" in _messages(r)
    assert time.monotonic() - started < 6
