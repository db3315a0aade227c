"""What only a browser shows of a background import: htmx polls the progress bar every second
and the page reloads by itself (HX-Refresh) into the preview, then into the result.

The job waits in the task queue (no worker) while the page is looked at; the test then runs the
queue itself (`run_tasks`). The page's polls are refused while the job runs: a poll reading a
table the job is writing could otherwise meet the test database's lock and make the test flaky;
in production (SQLite in WAL mode, or PostgreSQL) readers never block on a writer.
"""

from __future__ import annotations

import pytest

from tests.economy.factories import write_xlsx
from yuanqu.imports.models import ImportRecord, ProgressStage

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_progress_bar_polls_then_the_page_reloads_into_the_result(
    browser, live_server, settings, tmp_path, run_tasks
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

    # 排队中, then what the job reports shows up without a reload.
    page.wait_for_selector("#import-progress progress")
    assert page.locator("#import-progress").inner_text().startswith("排队中：等待后台处理进程校验")
    record = ImportRecord.objects.get()
    ImportRecord.objects.filter(pk=record.pk).update(
        progress_stage=ProgressStage.READING, progress_rows=2000, progress_estimate=4000
    )
    page.wait_for_selector("text=已读取 2,000 行（约 4,000 行）")
    assert page.get_attribute("#import-progress progress", "max") == "4000"

    hold["polls"] = True
    assert run_tasks() == 1
    hold["polls"] = False
    page.wait_for_selector("button:has-text('确认导入')")  # reloaded into the preview
    assert page.locator("#import-progress").count() == 0
    assert "已预览" in page.locator("dl.facts").inner_text()

    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=排队中：等待后台处理进程导入")
    hold["polls"] = True
    assert run_tasks() == 1
    hold["polls"] = False
    page.wait_for_selector("dl.facts dd:has-text('已导入')")
    assert page.locator("#import-progress").count() == 0
    assert errors == []
