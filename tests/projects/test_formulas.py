"""Hand-computed checks of the 重点项目 and 资金 formulas (issue 11, "Checked by")."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal as D

from yuanqu.core.wording import round_half_up
from yuanqu.funding import formulas as funds
from yuanqu.projects import formulas as f


def test_jiangmen_after_october_is_97_2_done_and_13_8_ahead_not_13_9():
    # 629.0 of 647.4 亿元 after October (real published figures, key_project_investment_progress.csv)
    rate = f.annual_completion_pct(D("629.0"), D("647.4"))
    assert round_half_up(rate, 1) == D("97.2")
    ahead = f.ahead_pp(D("629.0"), D("647.4"), 10)
    # 97.1578… − 83.3333… = 13.8245…; rounding the two rates first would say 13.9
    assert round_half_up(ahead, 1) == D("13.8")
    assert round_half_up(
        round_half_up(rate, 1) - round_half_up(f.time_progress_pct(10), 1), 1
    ) == D("13.9")


def test_ahead_and_behind():
    # 30 of 100 after June: 30% against 50% → 20 points behind
    assert f.ahead_pp(D(30), D(100), 6) == D(-20)
    assert f.light(D(-20)) == "red"
    # 45 of 100 after June: 5 behind → yellow; exactly 10 behind is not "more than 10"
    assert f.light(f.ahead_pp(D(45), D(100), 6)) == "yellow"
    assert f.light(f.ahead_pp(D(40), D(100), 6)) == "yellow"
    assert f.light(f.ahead_pp(D("39.9"), D(100), 6)) == "red"
    assert f.light(f.ahead_pp(D(50), D(100), 6)) == "green"
    # a configurable margin
    assert f.light(D(-6), margin_pp=D(5)) == "red"
    # an overdue milestone is red even when ahead
    assert f.light(D(20), overdue_milestones=1) == "red"


def test_no_plan_this_year_has_no_rate_and_is_not_behind():
    assert f.annual_completion_pct(D(100), None) is None
    assert f.annual_completion_pct(D(100), D(0)) is None
    assert f.ahead_pp(D(100), None, 6) is None
    assert f.light(None) == "green"


def test_finished_early_exceeds_100_percent():
    # 120 of a 100 plan, finished in September: 120%, 45 points ahead of 75%
    assert f.annual_completion_pct(D(120), D(100)) == D(120)
    assert f.ahead_pp(D(120), D(100), 9) == D(45)


def test_start_completion_production_rates():
    # 4 planned to start, 3 did: 75%; a project started without a plan is not counted
    assert f.rate_of_planned(3, 4) == D(75)
    assert f.rate_of_planned(0, 0) is None
    # 206 of 255 planned starts (Jiangmen 1-10月): 80.8%
    assert round_half_up(f.rate_of_planned(206, 255), 1) == D("80.8")


def test_month_from_ytd_and_since_start():
    assert f.month_investment(D(300), D(250), 5) == D(50)
    assert f.month_investment(D(80), None, 1) == D(80)
    assert f.since_start(D(1000), [D(400), D(250)]) == D(1650)


def test_milestone_overdue_at_a_date():
    at = dt.date(2022, 6, 30)
    assert f.milestone_overdue(dt.date(2022, 6, 1), None, at)
    assert not f.milestone_overdue(dt.date(2022, 6, 1), dt.date(2022, 6, 20), at)
    assert not f.milestone_overdue(dt.date(2022, 7, 1), None, at)
    # done after the report date: still overdue at that date
    assert f.milestone_overdue(dt.date(2022, 6, 1), dt.date(2022, 7, 5), at)


def test_spending_progress_and_fully_spent_month():
    assert funds.spending_progress_pct(D(300), D(400)) == D(75)
    assert funds.spending_progress_pct(D(0), D(0)) is None
    # 5,000 received in June and 3,000 in July; spent 2,000 / 4,000 / 2,000 in Jul / Aug / Sep
    flows = [(6, D(5000), D(0)), (7, D(3000), D(2000)), (8, D(0), D(4000)), (9, D(0), D(2000))]
    assert funds.fully_spent_month(flows) == 9
    assert funds.fully_spent_month(flows[:3]) is None
    # spent down in August, then more received in October: not fully spent by year end
    assert (
        funds.fully_spent_month([(6, D(100), D(0)), (8, D(0), D(100)), (10, D(50), D(0))]) is None
    )
    assert funds.fully_spent_month([]) is None


def test_published_totals_reproduce_their_completion_rates(realdata):
    """Every published group with a plan and a YTD: our rate within 0.1 point of theirs."""
    path = realdata / "compiled_from_pages" / "key_project_investment_progress.csv"
    checked = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not (
                row["annual_plan_yi"]
                and row["completed_ytd_yi"]
                and row["completion_rate_reported_pct"]
            ):
                continue
            ours = f.annual_completion_pct(D(row["completed_ytd_yi"]), D(row["annual_plan_yi"]))
            assert abs(ours - D(row["completion_rate_reported_pct"])) <= D("0.1"), row
            checked += 1
    assert checked >= 7
