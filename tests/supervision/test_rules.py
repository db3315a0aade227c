"""The shipped supervision rules: 报送率 incomplete after its deadline (the 10th of the following
month), a key project red in the latest counted month (DEMO's projects)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from yuanqu.core.periods import Period
from yuanqu.registry.models import EnterpriseScale
from yuanqu.supervision import rules

d = dt.date
H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


def test_report_deadline() -> None:
    assert rules.report_deadline(Period(2023, 3)) == d(2023, 4, 10)
    assert rules.report_deadline(Period(2023, 12)) == d(2024, 1, 10)
    assert rules.report_deadline(Period(2023, 2), 31) == d(2023, 3, 31)


@pytest.mark.django_db
def test_reporting_incomplete_after_the_deadline_only(tmp_path) -> None:
    park = make_park("RP", "报送园区")
    a, b = make_enterprise(park, 6101, "甲"), make_enterprise(park, 6102, "乙")
    for e in (a, b):
        EnterpriseScale.objects.create(enterprise=e, year=2023, is_above_scale=True)
    data = write_xlsx(
        tmp_path / "r.xlsx",
        H,
        [
            [a.credit_code, a.name, "2023-03", 1000, 900],
            [b.credit_code, b.name, "2023-02", 800, 700],
            [a.credit_code, a.name, "2023-02", 600, 500],
        ],
        unit_line="单位：万元",
    )
    call_command("import", str(data), kind="enterprise-reports", park="RP", stdout=io.StringIO())
    # 1-2月 complete; 3月: 乙 missing. Deadline 04-10: nothing on the day itself.
    assert list(rules.reporting_incomplete(park, d(2023, 4, 10))) == []
    causes = list(rules.reporting_incomplete(park, d(2023, 4, 11)))
    assert [c.key for c in causes] == ["reporting-2023-03"]
    assert causes[0].title == "2023年1-3月企业报表逾期未报齐"
    assert "报送率50.0%" in causes[0].content
    assert "本期应报2户，已报1户" in causes[0].content


@pytest.fixture(scope="module")
def projects_demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    from yuanqu.demo.registry import load_registry
    from yuanqu.projects.demo import load_projects

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        load_registry()
        load_projects()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_red_projects_in_the_latest_counted_month(projects_demo) -> None:
    from yuanqu.projects import selectors
    from yuanqu.projects.supervision import red_projects
    from yuanqu.registry.models import Park

    park = Park.objects.get(code="DEMO")
    red = {
        r.project.pk
        for r in selectors.project_rows(park=park, period=Period(2023, 10))
        if r.light == "red"
    }
    causes = list(red_projects(park, d(2023, 10, 31)))
    assert red and {int(c["key"].split("-")[1]) for c in causes} == red
    assert all(c["title"].startswith("重点项目亮红灯：") for c in causes)
    assert all("截至2023年1-10月" in c["content"] for c in causes)
    # Mid-month the month has not ended: the causes are September's.
    september = {
        r.project.pk
        for r in selectors.project_rows(park=park, period=Period(2023, 9))
        if r.light == "red"
    }
    assert {int(c["key"].split("-")[1]) for c in red_projects(park, d(2023, 10, 15))} == september
