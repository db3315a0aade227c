"""经发局 in a browser: uploads a month with missing enterprises, sees 报送率 and the missing
list at preview, confirms, reviews with the confirmation, and the economy page shows the month
with its 报送率; a replace that would delete most of a month waits for typed confirmation."""

from __future__ import annotations

import pytest

from tests.economy.factories import write_xlsx
from yuanqu.economy.models import EnterpriseReport
from yuanqu.imports.models import DataSlice

pytestmark = [pytest.mark.browser]

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(本月)", "工业总产值(1-本月)"]


@pytest.mark.django_db(transaction=True)
def test_upload_preview_rate_review_and_guarded_replace(browser, live_server, settings, tmp_path):
    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users
    from yuanqu.registry.models import Enterprise, EnterpriseScale

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # A transactional test's database was flushed by the tests before it: the indicator
    # dictionary (a data migration) is seeded again, as the migration does.
    from importlib import import_module

    from django.apps import apps

    import_module("yuanqu.economy.migrations.0002_indicator_dictionary").seed(apps, None)
    load_registry()
    load_users()
    EnterpriseScale.objects.filter(enterprise__park__code="DEMO").delete()
    ents = list(Enterprise.objects.filter(park__code="DEMO").order_by("credit_code")[:5])
    for e in ents:
        EnterpriseScale.objects.create(enterprise=e, year=2023, is_above_scale=True)
    month = write_xlsx(
        tmp_path / "六月.xlsx",
        H,
        [[e.credit_code, e.name, "2023-06", 10, 100 + i] for i, e in enumerate(ents[:4])],
        unit_line="单位：千元",
    )
    one = write_xlsx(
        tmp_path / "一行.xlsx",
        H,
        [[ents[0].credit_code, ents[0].name, "2023-06", 10, 500]],
        unit_line="单位：千元",
    )

    page = browser.new_page(locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{live_server.url}/accounts/login/?next=/imports/")
    page.fill("#id_username", "jingfa")
    page.fill("#id_password", "demo2022")
    with page.expect_navigation():
        page.click("button[type=submit]")

    def upload(path):
        form = page.locator("form.upload-form")
        form.locator("input[name=file]").set_input_files(str(path))
        form.locator("select[name=kind]").select_option("enterprise-reports")
        form.locator("select[name=park]").select_option("DEMO")
        with page.expect_navigation():
            page.click("form.upload-form button[type=submit]")

    # The preview: 报送率 with the one missing enterprise named.
    upload(month)
    text = page.locator("main").inner_text()
    assert "本期应报5户，已报4户，报送率80.0%" in text
    assert ents[4].name in page.locator("ul.missing").inner_text()
    with page.expect_navigation():
        page.click("button:has-text('确认导入')")
    assert EnterpriseReport.objects.filter(year=2023, month=6).count() == 4

    # Review: refused without the confirmation, done with it.
    page.goto(f"{live_server.url}/imports/review/?park=DEMO")
    row = page.locator("tr#slice-enterprise-reports-2023-06")
    assert "已提交" in row.inner_text() and "报送率80.0%" in row.inner_text()
    with page.expect_navigation():
        row.locator("button[value=review]").click()
    assert "尚未报齐" in page.locator("main").inner_text()
    row = page.locator("tr#slice-enterprise-reports-2023-06")
    row.locator("input[name=confirm_incomplete]").check()
    with page.expect_navigation():
        row.locator("button[value=review]").click()
    assert DataSlice.objects.get(kind="enterprise-reports", year=2023, month=6).status == "reviewed"
    assert "已审核" in page.locator("tr#slice-enterprise-reports-2023-06").inner_text()

    # The economy page shows the month with its 报送率.
    page.goto(f"{live_server.url}/economy/?park=DEMO&period=2023-06")
    assert "本期应报5户，已报4户，报送率80.0%" in page.locator("#reporting").inner_text()

    # A replace deleting 3 of 4 rows: stopped until the number is typed.
    page.goto(f"{live_server.url}/imports/")
    upload(one)
    assert "本次替换将删除 3 行已入库数据" in page.locator("#guard").inner_text()
    with page.expect_navigation():
        page.click("button:has-text('确认导入')")
    assert "请在确认框中输入" in page.locator("main").inner_text()
    assert EnterpriseReport.objects.filter(year=2023, month=6).count() == 4
    page.fill("input[name=confirm_deletions]", "3")
    with page.expect_navigation():
        page.click("button:has-text('确认导入')")
    assert EnterpriseReport.objects.filter(year=2023, month=6).count() == 1
    assert not errors
