"""Chinese number wording: half-up rounding, money units and growth phrases (DOMAIN.md §11)."""

from decimal import Decimal as D

import pytest

from yuanqu.core.wording import (
    NO_BASE_PHRASE,
    ZERO_BASE_PHRASE,
    as_decimal,
    completion_phrase,
    convert_amount,
    fmt_decimal,
    growth_phrase,
    growth_phrase_for_base,
    pct_str,
    pp_phrase,
    pull_phrase,
    round_half_up,
    speed_adjective,
    steady_adjective,
    time_progress_phrase,
    trend_change_phrase,
    wan_yuan,
    yi_yuan,
)

# --- rounding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.25", 1, "2.3"),  # Python's round(2.25, 1) gives 2.2 (half-even on a binary float)
        ("2.35", 1, "2.4"),
        ("-2.25", 1, "-2.3"),  # half up = a tie goes away from zero
        ("2.45", 1, "2.5"),  # half-even would give 2.4
        ("12.195121951", 1, "12.2"),
        ("1.005", 2, "1.01"),
        ("0.5", 0, "1"),
        ("-0.04", 1, "0.0"),  # no negative zero on a page
    ],
)
def test_round_half_up(value, places, expected):
    assert str(round_half_up(D(value), places)) == expected


def test_round_half_up_differs_from_builtin_round():
    # The reason the module exists: round() is half-even.
    assert round(D("2.25"), 1) == D("2.2")
    assert round_half_up(D("2.25"), 1) == D("2.3")


def test_fmt_decimal_fixed_places_and_thousands():
    assert fmt_decimal(D("2.3"), 2) == "2.30"
    assert fmt_decimal(D("1234.505"), 2, thousands=True) == "1,234.51"
    assert fmt_decimal(D("1234567"), 0, thousands=True) == "1,234,567"
    assert fmt_decimal(D("-0.001"), 2) == "0.00"
    assert fmt_decimal(7, 1) == "7.0"


def test_floats_are_refused_and_text_is_exact():
    with pytest.raises(TypeError):
        fmt_decimal(2.25, 1)
    with pytest.raises(TypeError):
        as_decimal(True)
    assert as_decimal("1,234.50") == D("1234.50")
    with pytest.raises(ValueError):
        as_decimal("十二")


# --- money --------------------------------------------------------------------------------


def test_convert_amount_exact():
    # 1 亿元 = 10,000 万元 = 100,000 千元 (DOMAIN.md §1)
    assert convert_amount(D(1), "亿元", "万元") == D(10000)
    assert convert_amount(D(1), "亿元", "千元") == D(100000)
    assert convert_amount(D(100000), "千元", "亿元") == D(1)
    assert convert_amount(D("12345"), "千元", "万元") == D("1234.5")
    assert convert_amount(D("0.6925"), "亿元", "万元") == D("6925")
    # exact beyond float precision
    big = D("123456789012345678.91")
    assert convert_amount(convert_amount(big, "元", "亿元"), "亿元", "元") == big
    with pytest.raises(ValueError):
        convert_amount(D(1), "美元", "万元")


def test_yi_yuan_and_wan_yuan():
    assert yi_yuan(D("852300")) == "85.23亿元"
    assert yi_yuan(D("852349.99")) == "85.23亿元"
    assert yi_yuan(D("852350")) == "85.24亿元"  # 85.235 → half up
    assert yi_yuan(D("8523000"), unit="千元") == "85.23亿元"
    assert yi_yuan(D("96.9"), unit="亿元", places=1) == "96.9亿元"
    assert yi_yuan(D("123456789"), unit="万元", thousands=True) == "12,345.68亿元"
    assert wan_yuan(D("69250"), unit="千元", places=0) == "6925万元"
    assert wan_yuan(D("0.6925"), unit="亿元", places=0) == "6925万元"
    assert wan_yuan(D("1234.5")) == "1234.50万元"


# --- growth -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        ("12.19512195121951219512195122", "增长12.2%"),  # DOMAIN.md §3 worked example
        ("3.0", "增长3.0%"),
        ("-3.25", "下降3.3%"),
        ("-5", "下降5.0%"),  # one decimal always
        ("0.04", "持平"),
        ("-0.04", "持平"),
        ("0.05", "增长0.1%"),
        ("-0.05", "下降0.1%"),
        ("0", "持平"),
        ("99.94", "增长99.9%"),
        ("99.96", "增长1倍"),  # 100.0% once rounded: a multiple, not "增长100.0%"
        ("100", "增长1倍"),
        ("110", "增长1.1倍"),
        ("102.8", "增长1.0倍"),  # multiple 1.028 → 1.0; not a whole multiple, ".0" kept
        ("104.9", "增长1.0倍"),
        ("105", "增长1.1倍"),  # 1.05 → 1.1 half up
        ("200", "增长2倍"),
        ("-100", "下降100.0%"),
    ],
)
def test_growth_phrase(pct, expected):
    assert growth_phrase(D(pct)) == expected


def test_growth_phrase_no_base():
    assert growth_phrase(None) == NO_BASE_PHRASE
    assert "不计算增速" in NO_BASE_PHRASE


@pytest.mark.parametrize(
    ("current", "base", "expected"),
    [
        ("110", "100", "增长10.0%"),
        ("-20", "100", "由正转负"),
        ("0", "100", "下降100.0%"),
        ("50", "-100", "扭亏为盈"),
        ("-60", "-100", "减亏40.0%"),
        ("0", "-100", "减亏100.0%"),
        ("-130", "-100", "增亏30.0%"),
        ("-220", "-100", "增亏1.2倍"),
        ("-100", "-100", "持平"),
        ("-100.04", "-100", "持平"),
        ("0", "0", "持平"),
        ("5", "0", ZERO_BASE_PHRASE),
        ("-5", "0", ZERO_BASE_PHRASE),
    ],
)
def test_growth_phrase_for_base(current, base, expected):
    assert growth_phrase_for_base(D(current), D(base)) == expected


def test_growth_phrase_for_base_none():
    assert growth_phrase_for_base(D(5), None) == NO_BASE_PHRASE


# --- points, pulls, targets -----------------------------------------------------------------


def test_pct_and_pp():
    assert pct_str(D("12.195")) == "12.2%"
    assert pct_str(D("66.6666"), places=2) == "66.67%"
    assert pct_str(None) == "—"
    assert pp_phrase(D("10.8333")) == "10.8个百分点"


@pytest.mark.parametrize(
    ("pp", "expected"),
    [
        ("8.130081300813", "拉动增长8.1个百分点"),
        ("-3.252032520325", "下拉3.3个百分点"),
        ("2.439024390244", "拉动增长2.4个百分点"),
        ("4.878048780488", "拉动增长4.9个百分点"),
        ("-0.04", "拉动增长0.0个百分点"),
    ],
)
def test_pull_phrase(pp, expected):
    assert pull_phrase(D(pp)) == expected


def test_pull_phrase_none():
    assert "不计算拉动" in pull_phrase(None)


def test_completion_and_time_progress_phrases():
    assert completion_phrase(D("77.5")) == "完成年度目标的77.5%"
    assert completion_phrase(None) == "未设年度目标"
    assert time_progress_phrase(D("10.8333333")) == "超序时进度10.8个百分点"
    assert time_progress_phrase(D("-2.25")) == "慢于序时进度2.3个百分点"
    assert time_progress_phrase(D("0.04")) == "与序时进度持平"
    assert "不计算序时进度" in time_progress_phrase(None)


# --- adjectives and trend ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "prev", "expected"),
    [
        ("12.5", "12.4", "加快"),  # exactly 0.1 point
        ("12.49", "12.4", None),  # 0.09: no adjective
        ("12.3", "12.4", "回落"),
        ("12.31", "12.4", None),
        ("5", "1", "加快"),
    ],
)
def test_speed_adjective(now, prev, expected):
    assert speed_adjective(D(now), D(prev)) == expected


def test_speed_adjective_missing():
    assert speed_adjective(None, D(1)) is None
    assert speed_adjective(D(1), None) is None


@pytest.mark.parametrize(
    ("now", "prev_q", "expected"),
    [
        ("8.0", "8.5", "稳中向好"),
        ("8.0", "9.0", "稳中向好"),  # slowed by exactly 1 point: not "more than 1"
        ("8.0", "9.01", None),
        ("8.0", "6.0", "稳中向好"),
        ("0.04", "0.0", None),  # displayed as 持平, so not 稳中向好
        ("-1.0", "-2.0", None),
    ],
)
def test_steady_adjective(now, prev_q, expected):
    assert steady_adjective(D(now), D(prev_q)) == expected


def test_steady_adjective_missing_quarter_end():
    assert steady_adjective(D(8), None) is None


@pytest.mark.parametrize(
    ("now", "prev", "expected"),
    [
        ("12.5", "12.2", "增速比1-8月加快0.3个百分点"),
        ("12.2", "12.5", "增速比1-8月回落0.3个百分点"),
        ("12.2", "12.2", "增速与1-8月持平"),
        ("12.27", "12.2", "增速与1-8月基本持平"),  # 0.07: shows as 0.1 but under the rule
        ("2.3", "-1.5", "增速比1-8月加快3.8个百分点，由负转正"),
        ("-0.6", "0.9", "增速比1-8月回落1.5个百分点，由正转负"),
        ("0.3", "-0.04", "增速比1-8月加快0.3个百分点"),  # -0.04 shows as 持平: no sign change
    ],
)
def test_trend_change_phrase(now, prev, expected):
    assert trend_change_phrase(D(now), D(prev), "1-8月") == expected


def test_trend_change_phrase_missing():
    assert trend_change_phrase(D(1), None, "1-8月") is None


def test_small_counts_in_chinese_as_the_speech_writes_them():
    from yuanqu.core.wording import cn_count

    assert [cn_count(n) for n in (1, 2, 3, 4, 10, 11, 12, 20, 35, 99)] == [
        "一",
        "两",
        "三",
        "四",
        "十",
        "十一",
        "十二",
        "二十",
        "三十五",
        "九十九",
    ]
    assert cn_count(100) == "100" and cn_count(0) == "零"
