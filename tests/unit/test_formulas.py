"""Indicator formulas against hand-computed figures (DOMAIN.md §1, §3, §5, §8)."""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from yuanqu.core.wording import growth_phrase, pct_str, pull_phrase, round_half_up
from yuanqu.economy import formulas
from yuanqu.economy.formulas import (
    MU_JUN_DEFAULT_WEIGHTS,
    Part,
    ahead_pp,
    class_sizes,
    comparable_growth_pct,
    comparable_totals,
    completion_pct,
    contribution_pct,
    doubling_ratio,
    growth_target_gap_pp,
    hundred_yi_progress_pct,
    median,
    mom_pct,
    month_from_ytd,
    mu_jun_benchmarks,
    mu_jun_classes,
    mu_jun_score,
    nominal_growth_pct,
    per_capita,
    per_mu,
    projection_linear,
    projection_seasonal,
    pull_pp,
    rank_desc,
    rate_pct,
    revenue_per_kwh,
    time_progress_pct,
)


def r1(value):
    return round_half_up(value, 1)


# --- periods ------------------------------------------------------------------------------


def test_month_from_ytd():
    assert month_from_ytd(D(120), None, 1) == D(120)  # January: month = YTD
    assert month_from_ytd(D(250), D(120), 2) == D(130)
    assert month_from_ytd(D(250), None, 2) == D(250)  # no January report: 1-2月 stands as one
    assert month_from_ytd(D(400), D(250), 3) == D(150)
    assert month_from_ytd(D(400), None, 3) is None  # a gap is not guessed
    assert month_from_ytd(D(-5), D(10), 4) == D(-15)  # profit can fall within a month
    with pytest.raises(ValueError):
        month_from_ytd(D(1), None, 13)


# --- DOMAIN.md §3 worked example ------------------------------------------------------------

# 1–9月 output, 万元: P, Q in both years; R left (not in the current set); S entered
# (declared 900); T new plant (0).
EXAMPLE = [
    Part(D(8000), D(7000), "P"),
    Part(D(4000), D(4400), "Q"),
    Part(D(1200), D(900), "S"),
    Part(D(600), D(0), "T"),
]


def test_comparable_growth_worked_example():
    assert comparable_totals(EXAMPLE) == (D(13800), D(12300))
    growth = comparable_growth_pct(EXAMPLE)
    assert growth == D(1500) * 100 / D(12300)
    assert str(growth).startswith("12.19512195")
    assert r1(growth) == D("12.2")
    assert growth_phrase(growth) == "增长12.2%"


def test_nominal_and_both_years_only_differ():
    # last year's published total includes R's 2,000: 7,000 + 4,400 + 2,000 = 13,400
    nominal = nominal_growth_pct(D(13800), D(13400))
    assert r1(nominal) == D("3.0")
    assert growth_phrase(nominal) == "增长3.0%"
    both_years = comparable_growth_pct(EXAMPLE[:2])  # the wrong method: 12,000 / 11,400
    assert r1(both_years) == D("5.3")


def test_pulls_worked_example():
    _, base = comparable_totals(EXAMPLE)
    pulls = {p.key: pull_pp(p.current, p.base, base) for p in EXAMPLE}
    assert {k: r1(v) for k, v in pulls.items()} == {
        "P": D("8.1"),
        "Q": D("-3.3"),
        "S": D("2.4"),
        "T": D("4.9"),
    }
    assert pull_phrase(pulls["Q"]) == "下拉3.3个百分点"
    # Unrounded, the pulls sum exactly to the growth ...
    assert sum(pulls.values()) == comparable_growth_pct(EXAMPLE)
    # ... whereas the rounded ones do not (8.1 − 3.3 + 2.4 + 4.9 = 12.1 ≠ 12.2).
    assert sum(r1(v) for v in pulls.values()) == D("12.1")
    # The identity itself, in exact rational arithmetic.
    exact = [Fraction(int(p.current - p.base), 12300) for p in EXAMPLE]
    assert sum(exact) == Fraction(13800, 12300) - 1


def test_contributions_worked_example():
    total_delta = D(13800) - D(12300)
    contrib = {p.key: contribution_pct(p.current - p.base, total_delta) for p in EXAMPLE}
    # P 1000/1500, Q −400/1500, S 300/1500, T 600/1500
    assert {k: r1(v) for k, v in contrib.items()} == {
        "P": D("66.7"),
        "Q": D("-26.7"),
        "S": D("20.0"),
        "T": D("40.0"),
    }
    assert sum(contrib.values()) == D(100)
    assert contribution_pct(D(5), D(0)) is None


def test_growth_undefined_bases():
    assert comparable_growth_pct([Part(D(600), D(0))]) is None  # Σbase = 0
    assert comparable_growth_pct([Part(D(5), D(-10))]) is None  # a loss base has no rate
    assert comparable_growth_pct([]) is None
    assert comparable_growth_pct([Part(D(5), D(4)), Part(D(1), None)]) is None
    assert nominal_growth_pct(D(1), None) is None
    assert nominal_growth_pct(D(1), D(0)) is None
    assert pull_pp(D(1), D(0), D(0)) is None


def test_mom_pct():
    assert mom_pct(D(110), D(100)) == D(10)
    assert r1(mom_pct(D(1450), D(1500))) == D("-3.3")
    assert mom_pct(D(1), D(0)) is None
    assert mom_pct(None, D(1)) is None


# --- targets and 序时进度 --------------------------------------------------------------------


def test_completion_and_time_progress_domain_example():
    # 9.3 of a 12.0 plan after August (DOMAIN.md §5)
    completion = completion_pct(D("9.3"), D("12.0"))
    assert completion == D("77.5")
    tp = time_progress_pct(8)
    assert round_half_up(tp, 2) == D("66.67")
    ahead = ahead_pp(completion, 8)
    assert r1(ahead) == D("10.8")
    assert ahead == D("77.5") - D(800) / D(12)


def test_ahead_pp_from_unrounded_values():
    # Rounding first would change the answer (DOMAIN.md §5: computed from unrounded values).
    completion = completion_pct(D("4.3125"), D(10))  # 43.125%, shown 43.1
    gap = ahead_pp(completion, 5)  # 43.125 − 41.666… = 1.4583… → 1.5
    assert r1(gap) == D("1.5")
    assert r1(completion) - r1(time_progress_pct(5)) == D("1.4")  # 43.1 − 41.7: wrong
    completion = completion_pct(D("6.7149"), D(10))  # 67.149%, shown 67.1
    assert r1(ahead_pp(completion, 8)) == D("0.5")  # 67.149 − 66.666… = 0.4823… → 0.5
    assert r1(completion) - r1(time_progress_pct(8)) == D("0.4")  # 67.1 − 66.7: wrong


def test_time_progress_bounds_and_halfway():
    assert time_progress_pct(6) == D(50)
    assert time_progress_pct(12) == D(100)
    with pytest.raises(ValueError):
        time_progress_pct(0)
    # 时间过半、任务过半: at end-June a completion ≥ 50% is not behind
    assert ahead_pp(completion_pct(D(50), D(100)), 6) == D(0)


def test_target_missing_and_growth_target_gap():
    assert completion_pct(D(5), None) is None
    assert completion_pct(D(5), D(0)) is None
    assert ahead_pp(None, 8) is None
    assert growth_target_gap_pp(D("12.195"), D("10")) == D("2.195")
    assert growth_target_gap_pp(D("8"), None) is None


def test_rate_pct():
    assert r1(rate_pct(D(206), D(255))) == D("80.8")  # 开工率
    assert rate_pct(D(1), D(0)) is None
    assert rate_pct(None, D(1)) is None


# --- projections and long-term goals ----------------------------------------------------------


def test_projections():
    # YTD 9,000 after September; last year 1-9月 8,000 and full year 11,000
    assert projection_seasonal(D(9000), D(11000), D(8000)) == D(12375)
    assert projection_linear(D(9000), 9) == D(12000)
    assert projection_linear(D(9000), 12) == D(9000)
    assert projection_seasonal(D(9000), D(11000), D(0)) is None
    assert projection_seasonal(D(9000), None, D(8000)) is None
    assert projection_linear(None, 9) is None


def test_doubling_and_hundred_yi():
    assert doubling_ratio(D(2400000), D(1200000)) == D(2)
    assert doubling_ratio(D(1), D(0)) is None
    assert hundred_yi_progress_pct(D(852300)) == D("85.23")
    assert hundred_yi_progress_pct(D(1000000)) == D(100)


# --- 亩均 --------------------------------------------------------------------------------------


def test_per_unit_ratios():
    assert per_mu(D(300), D(20)) == D(15)
    assert per_mu(D(300), D(0)) is None
    assert per_capita(D(5000), D(100)) == D(50)
    assert per_capita(D(5000), None) is None
    assert revenue_per_kwh(D(1000), D(40)) == D(25)


def test_median():
    assert median([D(3), D(1), D(2)]) == D(2)
    assert median([D(4), D(1), D(3), D(2)]) == D("2.5")
    assert median([D(1), None, D(3)]) == D(2)
    assert median([]) is None


def test_mu_jun_score_default_weights_and_renormalisation():
    benchmarks = {
        "tax_per_mu": D(10),
        "revenue_per_mu": D(200),
        "revenue_per_kwh": D(20),
        "revenue_per_capita": D(100),
    }
    at_median = dict(benchmarks)
    assert mu_jun_score(at_median, benchmarks) == D(100)
    full = {
        "tax_per_mu": D(20),  # 2.0 × 40 = 80
        "revenue_per_mu": D(100),  # 0.5 × 30 = 15
        "revenue_per_kwh": D(20),  # 1.0 × 15 = 15
        "revenue_per_capita": D(150),  # 1.5 × 15 = 22.5
    }
    assert mu_jun_score(full, benchmarks) == D("132.5")
    # Without electricity data: (80 + 15 + 22.5) × 100 / 85
    partial = {**full, "revenue_per_kwh": None}
    assert mu_jun_score(partial, benchmarks) == D("117.5") * 100 / 85
    assert mu_jun_score({}, benchmarks) is None
    # capped at 1.2: 1.2 × 40 + 0.5 × 30 + 1.0 × 15 + 1.2 × 15 = 48 + 15 + 15 + 18
    capped = mu_jun_score(full, benchmarks, MU_JUN_DEFAULT_WEIGHTS, cap=D("1.2"))
    assert capped == D(96)


def test_mu_jun_benchmarks_are_medians():
    rows = {
        "e1": {"tax_per_mu": D(10), "revenue_per_mu": D(100)},
        "e2": {"tax_per_mu": D(30), "revenue_per_mu": None},
        "e3": {"tax_per_mu": D(20), "revenue_per_mu": D(300)},
    }
    b = mu_jun_benchmarks(rows)
    assert b["tax_per_mu"] == D(20)
    assert b["revenue_per_mu"] == D(200)
    assert b["revenue_per_kwh"] is None


def test_rank_desc_competition():
    ranks = rank_desc({"a": D(5), "b": D(9), "c": D(5), "d": None, "e": D(1)})
    assert ranks == {"a": 2, "b": 1, "c": 2, "d": None, "e": 4}
    assert rank_desc({}) == {}


def test_class_sizes_county_shape():
    sizes = class_sizes(1248)
    assert sum(sizes) == 1248
    assert sizes == [125, 437, 561, 125]
    # close to the county's real 134 / 439 / 575 / 100 (DECISIONS.md)
    assert class_sizes(100) == [10, 35, 45, 10]
    assert class_sizes(1) == [0, 0, 1, 0]
    assert class_sizes(0) == [0, 0, 0, 0]
    for n in range(0, 300):
        assert sum(class_sizes(n)) == n


def test_mu_jun_classes_n1248():
    scores = {i: D(1248 - i) for i in range(1248)}  # distinct, enterprise 0 best
    classes = mu_jun_classes(scores)
    counts = {c: sum(1 for v in classes.values() if v == c) for c in "ABCD"}
    assert counts == {"A": 125, "B": 437, "C": 561, "D": 125}
    assert sum(counts.values()) == 1248
    assert classes[0] == "A" and classes[124] == "A" and classes[125] == "B"
    assert classes[1247] == "D"


def test_mu_jun_classes_ties_share_the_better_class_and_none_unclassed():
    # 10 enterprises: quotas 1 / 3.5 / 4.5 / 1; the one left over goes to B (the tie's better class)
    assert class_sizes(10) == [1, 4, 4, 1]
    scores = {f"e{i}": D(100 - i) for i in range(10)}
    scores["e1"] = D(100)  # ties with e0 at the A/B boundary
    scores["x"] = None
    classes = mu_jun_classes(scores)
    assert classes["e0"] == classes["e1"] == "A"
    assert classes["x"] is None
    assert classes["e9"] == "D"


def test_formulas_refuse_floats():
    with pytest.raises(TypeError):
        completion_pct(9.3, 12.0)
    assert pct_str(completion_pct(D("9.3"), 12)) == "77.5%"


def test_target_light_from_the_unrounded_gap():
    assert formulas.target_light(None) is None
    assert formulas.target_light(D("0")) == "green"
    assert formulas.target_light(D("3.7")) == "green"
    assert formulas.target_light(D("-0.04")) == "yellow"  # rounds to 0.0, still behind
    assert formulas.target_light(D("-10")) == "yellow"  # by exactly the margin
    assert formulas.target_light(D("-10.0001")) == "red"
    assert formulas.target_light(D("-4"), margin_pp=D(3)) == "red"


def test_implied_growth_of_next_years_target():
    # 100亿 next year over 85.00亿 this year: 100 / 85 − 1 = 17.647…%
    assert formulas.implied_growth_pct(D(1_000_000), D("849999.95")).quantize(D("0.001")) == D(
        "17.647"
    )
    assert formulas.implied_growth_pct(D(100), D(0)) is None  # no rate on a zero base
    assert formulas.implied_growth_pct(None, D(100)) is None


def test_required_average_growth_to_a_long_term_goal():
    # one year to go: the plain growth
    assert formulas.required_average_growth_pct(D(85), D(100), 1) == (D(100) / D(85) - 1) * 100
    # 50 → 100 in two years: √2 − 1 = 41.421…% a year
    two = formulas.required_average_growth_pct(D(50), D(100), 2)
    assert two is not None and two.quantize(D("0.001")) == D("41.421")
    # three years, 64 → 125: (125/64)^(1/3) = 1.25 → 25%
    three = formulas.required_average_growth_pct(D(64), D(125), 3)
    assert three is not None and abs(three - D(25)) < D("1e-20")
    assert formulas.required_average_growth_pct(D(120), D(100), 1) < 0  # already reached
    assert formulas.required_average_growth_pct(D(0), D(100), 2) is None
    assert formulas.required_average_growth_pct(D(50), D(100), 0) is None
