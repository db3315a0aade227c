"""Totals and rates of the selectors on hand-made projects (one planned but not started, one
with no plan this year, one finished early), and the report's wording when a start is missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.economy.factories import make_park
from yuanqu.core.periods import Period
from yuanqu.projects import selectors, services
from yuanqu.projects.models import Level

pytestmark = pytest.mark.django_db


def _world():
    park = make_park()
    a = services.project_upsert(
        park=park, code="A", name="甲", level=Level.PROVINCIAL, total_investment=D(1000)
    )
    b = services.project_upsert(
        park=park,
        code="B",
        name="乙",
        level=Level.MUNICIPAL,
        total_investment=D(500),
        actual_start=dt.date(2022, 3, 1),
    )
    c = services.project_upsert(
        park=park, code="C", name="丙", level=Level.MUNICIPAL, total_investment=D(300)
    )
    # 甲: planned to start this year, not started; 200 of 400 after June → 50%, on time
    services.plan_upsert(project=a, year=2022, planned_investment=D(400), start_planned=True)
    services.progress_save(project=a, year=2022, month=6, ytd_investment=D(200))
    # 乙: planned to start and started; finished early: 330 of 300 → 110%, 60 points ahead
    services.plan_upsert(project=b, year=2022, planned_investment=D(300), start_planned=True)
    services.progress_save(project=b, year=2022, month=6, ytd_investment=D(330))
    # 丙: no plan this year, but a 调度: counted, no rate, green
    services.progress_save(project=c, year=2022, month=6, ytd_investment=D(50))
    return park


def test_rates_by_level_from_unrounded_sums():
    park = _world()
    summary = selectors.project_summary(park=park, period=Period(2022, 6))
    rows = {r.project.code: r for r in summary["rows"]}
    assert (
        rows["A"].completion_pct == D(50)
        and rows["A"].ahead_pp == D(0)
        and rows["A"].light == "green"
    )
    assert rows["B"].completion_pct == D(110) and rows["B"].ahead_pp == D(60)
    assert rows["C"].completion_pct is None and rows["C"].light == "green"
    key = selectors.level_totals(summary, "key")
    # 580 of 700 = 82.857…%; 开工率 1 of 2 = 50%
    assert (key.count, key.planned, key.ytd) == (3, D(700), D(580))
    assert round(key.completion_pct, 3) == D("82.857")
    assert (key.start_planned, key.started, key.start_rate) == (2, 1, D(50))
    municipal = selectors.level_totals(summary, "municipal")
    # 乙 and 丙: 380 done against 乙's plan of 300 (丙 has none) = 126.666…%
    assert (municipal.planned, municipal.ytd) == (D(300), D(380))
    assert round(municipal.completion_pct, 2) == D("126.67")


def test_submitted_progress_does_not_count_until_reviewed():
    park = _world()
    services.progress_save(
        project=park.projects.get(code="A"),
        year=2022,
        month=7,
        ytd_investment=D(260),
        submit_only=True,
    )
    counted = selectors.project_summary(park=park, period=Period(2022, 7))
    assert selectors.level_totals(counted, "provincial").ytd == D(200)
    shown = selectors.project_summary(park=park, period=Period(2022, 7), include_submitted=True)
    assert selectors.level_totals(shown, "provincial").ytd == D(260)


def test_report_says_how_many_planned_starts_have_not_started():
    from yuanqu.reports.engine import build_report

    park = _world()
    report = build_report(
        "annual", park=park, period=Period(2022, 6), year=2022, title="t", subtitle=""
    )
    text = next(s for s in report.sections if s.key == "projects").text
    assert "计划新开工项目中尚有1个未开工" in text and "已全部按计划开工建设" not in text
    assert "1-6月完成投资0.06亿元" in text  # 580 万元
