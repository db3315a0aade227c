"""What only a browser shows of a background import: htmx polls the progress bar every second
and the page reloads by itself (HX-Refresh) into the preview, then into the result.

The job is held at a gate while the page is looked at, and the page's polls are refused while
the job runs: on the in-memory SQLite test database (shared cache) a poll reading a table the
job is writing fails at once instead of waiting, which would make the test flaky; in production
(SQLite in WAL mode, or PostgreSQL) readers never block on a writer.
"""

from __future__ import annotations

import pytest

from tests.economy.factories import write_xlsx
from yuanqu.imports import progress as job_progress
from yuanqu.imports import services
from yuanqu.imports.models import ImportRecord

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_progress_bar_polls_then_the_page_reloads_into_the_result(
    browser, live_server, settings, tmp_path, gate
):
    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users
    from yuanqu.registry.models import Enterprise

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.YUANQU_IMPORT_BACKGROUND_BYTES = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    load_registry()
    load_users()
    enterprises = Enterprise.objects.filter(park__code="DEMO").order_by("credit_code")
    file = write_xlsx(
        tmp_path / "大文件.xlsx",
        ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)"],
        [[e.credit_code, e.name, "2025-09", 100] for e in enterprises],
        unit_line="单位：千元",
    )

    page = browser.new_page(locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())  # 确认写入？
    hold = {"polls": False}
    page.route("**/progress/", lambda route: route.abort() if hold["polls"] else route.continue_())

    page.goto(f"{live_server.url}/accounts/login/?next=/imports/")
    page.fill("#id_username", "jingfa")
    page.fill("#id_password", "demo2022")
    with page.expect_navigation():
        page.click("button[type=submit]")
    form = page.locator("form.upload-form")  # the header's park switcher has a select too
    form.locator("input[name=file]").set_input_files(str(file))
    form.locator("select[name=kind]").select_option("enterprise-reports")
    form.locator("select[name=park]").select_option("DEMO")
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")

    # 处理中: the bar is there, and what the job reports shows up without a reload.
    page.wait_for_selector("#import-progress progress")
    assert page.locator("#import-progress").inner_text().startswith("预览：已读取 0 行")
    record = ImportRecord.objects.get()
    job_progress.report(record, rows=2000, estimate=4000, stage="preview")
    page.wait_for_selector("text=已读取 2,000 行（约 4,000 行）")
    assert page.get_attribute("#import-progress progress", "max") == "4000"

    hold["polls"] = True
    gate.set()
    services.wait_for_jobs(timeout=120)
    hold["polls"] = False
    page.wait_for_selector("button:has-text('确认导入')")  # reloaded into the preview
    assert page.locator("#import-progress").count() == 0
    assert "已预览" in page.locator("dl.facts").inner_text()

    gate.clear()
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=导入：已读取 0 行")
    hold["polls"] = True
    gate.set()
    services.wait_for_jobs(timeout=120)
    hold["polls"] = False
    page.wait_for_selector("dl.facts dd:has-text('已导入')")
    assert page.locator("#import-progress").count() == 0
    assert errors == []
