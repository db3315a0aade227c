"""The indicator formulas, one function each: pure ``Decimal`` arithmetic, no Django, no rounding.

Every function returns the unrounded ``Decimal`` (rounding is display-only, in
``yuanqu.core.wording``) or ``None`` when the figure is undefined: no base, a base of 0, no
target. Percentages are returned as percentages (12.195… means 12.195…%), percentage points as
points. Sources are sections of ``shared/docs/DOMAIN.md`` and ``DECISIONS.md``.

Divisions are written ``a * 100 / b`` rather than ``(a / b) * 100`` so each result carries a
single rounding at the 28th significant digit; with that, the pulls of the parts add up to
the total growth (DOMAIN.md §3) to the last digit in the worked example.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Protocol, TypeVar

from yuanqu.core.wording import as_decimal

__all__ = [
    "DEFAULT_TARGET_RED_MARGIN_PP",
    "HUNDRED_YI_IN_WAN_YUAN",
    "MU_JUN_CLASS_LABELS",
    "MU_JUN_CLASS_NAMES",
    "MU_JUN_DEFAULT_SHARES",
    "MU_JUN_DEFAULT_WEIGHTS",
    "MU_JUN_INDICATORS",
    "HasCurrentAndBase",
    "Part",
    "ahead_pp",
    "class_sizes",
    "comparable_growth_pct",
    "comparable_totals",
    "completion_pct",
    "contribution_pct",
    "doubling_ratio",
    "growth_target_gap_pp",
    "hundred_yi_progress_pct",
    "implied_growth_pct",
    "median",
    "mom_pct",
    "month_from_ytd",
    "mu_jun_benchmarks",
    "mu_jun_classes",
    "mu_jun_score",
    "nominal_growth_pct",
    "per_capita",
    "per_mu",
    "projection_linear",
    "projection_seasonal",
    "pull_pp",
    "rank_desc",
    "rate_pct",
    "required_average_growth_pct",
    "revenue_per_kwh",
    "target_light",
    "time_progress_pct",
]

K = TypeVar("K", bound=Hashable)

_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)
_TWELVE: Final = Decimal(12)

# 百亿园区: 规上工业总产值 ≥ 100亿元 = 1,000,000万元 (DOMAIN.md §5).
HUNDRED_YI_IN_WAN_YUAN: Final = Decimal(1_000_000)


def _positive(value: Decimal | int | None) -> Decimal | None:
    """The value as Decimal when it can serve as a divisor base (> 0), else None."""
    if value is None:
        return None
    d = as_decimal(value)
    return d if d > 0 else None


def _check_month(month: int) -> int:
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValueError(f"月份应为1-12的整数，收到 {month!r}")
    return month


# ---------------------------------------------------------------------------------------------
# Periods (DOMAIN.md §1)
# ---------------------------------------------------------------------------------------------


def month_from_ytd(
    ytd_now: Decimal | int, ytd_prev: Decimal | int | None, month: int
) -> Decimal | None:
    """Single-month value (本月) from year-to-date figures.

    Formula: 本月 = YTD(m) − YTD(m−1); January's month = YTD(1). Unit: that of the inputs.
    Source: DOMAIN.md §1 (the YTD figure is authoritative).

    January is usually not reported: the February report carries 1-2月 combined. Choice: for
    m = 2 with no January figure (``ytd_prev is None``) the month value **is the 1-2月 YTD**,
    the way NBS releases treat 1-2月 as one period; callers label it "1-2月", never "2月".
    For any later month with the previous YTD missing the month value is undefined (``None``):
    a gap is not filled by guessing. Results may be negative for profit-like flows.
    """
    _check_month(month)
    now = as_decimal(ytd_now)
    if month == 1:
        return now
    if ytd_prev is None:
        return now if month == 2 else None
    return now - as_decimal(ytd_prev)


# ---------------------------------------------------------------------------------------------
# Growth on a comparable basis (DOMAIN.md §3)
# ---------------------------------------------------------------------------------------------


class HasCurrentAndBase(Protocol):
    """An item of the current set: its figure now and its own figure for 上年同期."""

    @property
    def current(self) -> Decimal: ...

    @property
    def base(self) -> Decimal | None: ...


@dataclass(frozen=True, slots=True)
class Part:
    """One enterprise (or cluster) in the current set, with its own 上年同期 (0 for a new plant)."""

    current: Decimal
    base: Decimal | None
    key: Hashable = None


def comparable_totals(parts: Iterable[HasCurrentAndBase]) -> tuple[Decimal, Decimal | None]:
    """(Σ current, Σ base) over the current set; Σ base is ``None`` if any part lacks a base.

    Source: DOMAIN.md §3. A part with ``base=None`` has no 上年同期 figure at all (neither a
    report nor an entry declaration); treating it as 0 would overstate growth, so the base is
    undefined instead. A new plant must carry an explicit 0.
    """
    total_current = _ZERO
    total_base: Decimal | None = _ZERO
    for part in parts:
        total_current += as_decimal(part.current)
        if part.base is None:
            total_base = None
        elif total_base is not None:
            total_base += as_decimal(part.base)
    return total_current, total_base


def comparable_growth_pct(parts: Iterable[HasCurrentAndBase]) -> Decimal | None:
    """Year-on-year growth on a comparable basis (可比口径), in %.

    Formula: (Σ_{i∈S_now} X_i,now − Σ_{i∈S_now} X_i,last_year) / Σ_{i∈S_now} X_i,last_year × 100,
    each enterprise of the *current* set with its own 上年同期 (0 for a new plant).
    Unit: %. Source: DOMAIN.md §3 (worked example: 13,800 / 12,300 − 1 = 12.195…%).
    ``None`` when Σ base ≤ 0 or a part has no base (a loss base has no growth rate; see
    ``wording.growth_phrase_for_base``).
    """
    total_current, total_base = comparable_totals(parts)
    base = _positive(total_base)
    if base is None:
        return None
    return (total_current - base) * _HUNDRED / base


def nominal_growth_pct(
    current_total: Decimal | int, last_published_total: Decimal | int | None
) -> Decimal | None:
    """名义增速: this period's total over last year's *published* total, in %.

    Formula: (current_total − last_published_total) / last_published_total × 100. Unit: %.
    Source: DOMAIN.md §3 — shown only where labelled 名义 (example: 13,800 / 13,400 − 1 = 3.0%).
    ``None`` when the published total is missing or ≤ 0.
    """
    base = _positive(last_published_total)
    if base is None:
        return None
    return (as_decimal(current_total) - base) * _HUNDRED / base


def pull_pp(
    part_current: Decimal | int, part_base: Decimal | int, total_base: Decimal | int | None
) -> Decimal | None:
    """拉动: a part's contribution to total growth, in percentage points.

    Formula: (part_current − part_base) / comparable total base × 100. Unit: 个百分点.
    Source: DOMAIN.md §3 (P 8.1, Q −3.3, S 2.4, T 4.9; unrounded they sum to the growth).
    ``None`` when the comparable base is missing or ≤ 0.
    """
    base = _positive(total_base)
    if base is None:
        return None
    return (as_decimal(part_current) - as_decimal(part_base)) * _HUNDRED / base


def contribution_pct(part_delta: Decimal | int, total_delta: Decimal | int) -> Decimal | None:
    """贡献率: share of the total increase contributed by a part, in %.

    Formula: Δpart / Δtotal × 100. Unit: %. Source: DOMAIN.md §3.
    ``None`` when Δtotal = 0. Contributions of all parts sum to 100%; a part can exceed 100% or
    be negative when other parts fell.
    """
    total = as_decimal(total_delta)
    if total.is_zero():
        return None
    return as_decimal(part_delta) * _HUNDRED / total


def mom_pct(
    current_month: Decimal | int | None, prev_month: Decimal | int | None
) -> Decimal | None:
    """环比: this month against the previous month, in %, raw (not seasonally adjusted).

    Formula: (current_month − prev_month) / prev_month × 100. Unit: %. Source: DOMAIN.md §11
    (park-level 环比 is raw: label it). ``None`` when either month is missing or prev ≤ 0.
    """
    base = _positive(prev_month)
    if base is None or current_month is None:
        return None
    return (as_decimal(current_month) - base) * _HUNDRED / base


def rate_pct(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """A plain ratio in %: 开工率, 投产率, 竣工率, 履约率, 资金到位率, 支出进度, 占比.

    Formula: numerator / denominator × 100. Unit: %. Source: DOMAIN.md §6, §7, §9.
    ``None`` when either is missing or the denominator ≤ 0.
    """
    base = _positive(denominator)
    if base is None or numerator is None:
        return None
    return as_decimal(numerator) * _HUNDRED / base


# ---------------------------------------------------------------------------------------------
# Targets and time progress (DOMAIN.md §5)
# ---------------------------------------------------------------------------------------------


def completion_pct(ytd: Decimal | int | None, target: Decimal | int | None) -> Decimal | None:
    """完成年度目标 %: YTD over the annual target (also a key project's 年度完成率).

    Formula: YTD / annual target × 100. Unit: %. Source: DOMAIN.md §5 and §6.
    ``None`` when there is no target (or it is ≤ 0) or no YTD figure.
    """
    return rate_pct(ytd, target)


def time_progress_pct(month: int) -> Decimal:
    """序时进度 for a 1–m月 figure: m / 12 × 100, in % (after August: 66.666…).

    Source: DOMAIN.md §5.
    """
    return Decimal(_check_month(month)) * _HUNDRED / _TWELVE


def ahead_pp(completion_pct: Decimal | int | None, month: int) -> Decimal | None:
    """Ahead of (> 0) or behind (< 0) time progress, in percentage points.

    Formula: completion % − m / 12 × 100, both **unrounded**. Unit: 个百分点.
    Source: DOMAIN.md §5 (9.3 of 12.0 after August: 77.5 − 66.67 = 10.8).
    ``None`` when there is no completion rate (no target).
    """
    # The parameter shadows the module's completion_pct(): it is named for keyword callers.
    if completion_pct is None:
        return None
    return as_decimal(completion_pct) - time_progress_pct(month)


def growth_target_gap_pp(
    actual_growth: Decimal | int | None, target_growth: Decimal | int | None
) -> Decimal | None:
    """Gap to a growth-rate target, in percentage points (a rate target has no completion %).

    Formula: actual growth % − target growth %. Unit: 个百分点 (> 0: above the target).
    Source: DECISIONS.md ("A growth-rate target reports its gap in points").
    ``None`` when either rate is missing.
    """
    if actual_growth is None or target_growth is None:
        return None
    return as_decimal(actual_growth) - as_decimal(target_growth)


#: Behind 序时进度 (or a growth target) by more than this many points is red; a setting,
#: YUANQU_TARGET_RED_MARGIN_PP. The same default as key projects' lights.
DEFAULT_TARGET_RED_MARGIN_PP = Decimal(10)


def target_light(
    ahead: Decimal | int | None, margin_pp: Decimal | int = DEFAULT_TARGET_RED_MARGIN_PP
) -> str | None:
    """The light of an indicator against its annual target, from the unrounded gap.

    ``ahead`` is `ahead_pp` (level target: completion % − 序时 %) or `growth_target_gap_pp`
    (growth target: actual − target growth), in points. Green when on or ahead (≥ 0), yellow
    when behind by up to ``margin_pp`` points, red when behind by more. ``None`` without a
    target. Source: DECISIONS.md (lights at an explicit date; the margin is a setting).
    """
    if ahead is None:
        return None
    gap = as_decimal(ahead)
    if gap >= 0:
        return "green"
    return "red" if -gap > as_decimal(margin_pp) else "yellow"


def implied_growth_pct(
    target: Decimal | int | None, this_year: Decimal | int | None
) -> Decimal | None:
    """The growth a next year's level target implies over this year's (full-year) figure.

    Formula: (target ÷ this year − 1) × 100. Unit: %. Source: DECISIONS.md / issue 15 (下一年
    工作安排: “the growth each implies over this year”). ``None`` when either is missing or this
    year's figure ≤ 0 (no growth rate on a loss base).
    """
    base = _positive(this_year)
    if target is None or base is None:
        return None
    return (as_decimal(target) / base - 1) * 100


def required_average_growth_pct(
    current: Decimal | int | None, goal: Decimal | int | None, years: int
) -> Decimal | None:
    """The average yearly growth needed to reach a long-term goal (百亿 by year Y) from now.

    Formula: ((goal ÷ current)^(1 / years) − 1) × 100, `years` = goal year − this year.
    Unit: %. Source: issue 15 (“the average growth needed from now”). ``None`` when an input is
    missing, current ≤ 0 or years < 1; ≤ 0 when the goal is already reached. Computed with
    Decimal's own power (28 significant digits), unrounded.
    """
    base = _positive(current)
    if goal is None or base is None or years < 1:
        return None
    ratio = as_decimal(goal) / base
    if years == 1:
        return (ratio - 1) * 100
    return (ratio ** (Decimal(1) / Decimal(years)) - 1) * 100


def projection_seasonal(
    ytd: Decimal | int | None,
    last_full_year: Decimal | int | None,
    last_same_ytd: Decimal | int | None,
) -> Decimal | None:
    """预计全年 by the seasonal ratio (the default method; always labelled 预计 / 初步测算).

    Formula: YTD × (last year's full year ÷ last year's same-period YTD), both from last year's
    published park totals. Unit: that of ``ytd``. Source: DOMAIN.md §5, DECISIONS.md.
    ``None`` when any input is missing or last year's same YTD ≤ 0.
    """
    same = _positive(last_same_ytd)
    if ytd is None or last_full_year is None or same is None:
        return None
    return as_decimal(ytd) * as_decimal(last_full_year) / same


def projection_linear(ytd: Decimal | int | None, month: int) -> Decimal | None:
    """预计全年 by linear extrapolation (the optional method; labelled 预计).

    Formula: YTD × 12 / m. Unit: that of ``ytd``. Source: DOMAIN.md §5.
    ``None`` when there is no YTD figure.
    """
    _check_month(month)
    if ytd is None:
        return None
    return as_decimal(ytd) * _TWELVE / Decimal(month)


# ---------------------------------------------------------------------------------------------
# Long-term goals (DOMAIN.md §5, DECISIONS.md)
# ---------------------------------------------------------------------------------------------


def doubling_ratio(
    current: Decimal | int | None, base_year_value: Decimal | int | None
) -> Decimal | None:
    """倍增: current value over the base year's value, 按现价计算 (nominal, current prices).

    Formula: current / base_year_value (2 = doubled). Unit: a ratio, not %.
    Source: DOMAIN.md §5; DECISIONS.md (base year is a setting; demo 2019; label 按现价计算).
    ``None`` when either is missing or the base ≤ 0.
    """
    base = _positive(base_year_value)
    if base is None or current is None:
        return None
    return as_decimal(current) / base


def hundred_yi_progress_pct(output_wan_yuan: Decimal | int | None) -> Decimal | None:
    """百亿园区 progress: 规上工业总产值 (万元) against 100亿元 = 1,000,000万元, in %.

    Formula: output / 1,000,000 × 100. Unit: %. Source: DOMAIN.md §5.
    """
    return rate_pct(output_wan_yuan, HUNDRED_YI_IN_WAN_YUAN)


# ---------------------------------------------------------------------------------------------
# 亩均论英雄 (DOMAIN.md §8; DECISIONS.md default profile)
# ---------------------------------------------------------------------------------------------

MU_JUN_INDICATORS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "tax_per_mu": "亩均税收",
        "revenue_per_mu": "亩均营业收入",
        "revenue_per_kwh": "单位电耗营业收入",
        "revenue_per_capita": "人均营业收入",
    }
)
MU_JUN_DEFAULT_WEIGHTS: Final[Mapping[str, Decimal]] = MappingProxyType(
    {
        "tax_per_mu": Decimal(40),
        "revenue_per_mu": Decimal(30),
        "revenue_per_kwh": Decimal(15),
        "revenue_per_capita": Decimal(15),
    }
)
MU_JUN_DEFAULT_SHARES: Final = (10, 35, 45, 10)
MU_JUN_CLASS_LABELS: Final = ("A", "B", "C", "D")
MU_JUN_CLASS_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {"A": "优先发展", "B": "提升发展", "C": "调控帮扶", "D": "倒逼整治"}
)


def per_mu(value: Decimal | int | None, land_mu: Decimal | int | None) -> Decimal | None:
    """亩均 (per mu of land): 亩均税收 = 实缴税收 / 用地面积(亩); 亩均营业收入 likewise.

    Formula: value / land_mu. Unit: value's unit per 亩 (万元/亩 for 万元).
    Source: DOMAIN.md §8 (1 亩 = 10000/15 m²). ``None`` when either is missing or land ≤ 0.
    """
    return _ratio(value, land_mu)


def per_capita(value: Decimal | int | None, persons: Decimal | int | None) -> Decimal | None:
    """人均 (per person of average employment, B203 row 606): 人均营业收入 = 营业收入 / 平均用工人数.

    Formula: value / persons. Unit: value's unit per person (万元/人).
    Source: DOMAIN.md §2, §8. ``None`` when either is missing or persons ≤ 0.
    """
    return _ratio(value, persons)


def revenue_per_kwh(
    revenue: Decimal | int | None, electricity: Decimal | int | None
) -> Decimal | None:
    """单位电耗营业收入: 营业收入 / 用电量.

    Formula: revenue / electricity. Unit: revenue's unit per electricity's unit
    (万元/万千瓦时 with the indicator dictionary's units). Source: DOMAIN.md §8, DECISIONS.md.
    ``None`` when either is missing or electricity ≤ 0.
    """
    return _ratio(revenue, electricity)


def _ratio(value: Decimal | int | None, divisor: Decimal | int | None) -> Decimal | None:
    base = _positive(divisor)
    if base is None or value is None:
        return None
    return as_decimal(value) / base


def median(values: Iterable[Decimal | int | None]) -> Decimal | None:
    """Median of the values present (``None`` skipped); mean of the middle two for an even count.

    Source: DECISIONS.md (亩均 benchmark = the park's median for the year). ``None`` if empty.
    """
    data = sorted(as_decimal(v) for v in values if v is not None)
    n = len(data)
    if n == 0:
        return None
    mid = n // 2
    if n % 2:
        return data[mid]
    return (data[mid - 1] + data[mid]) / 2


def mu_jun_benchmarks(
    rows: Mapping[K, Mapping[str, Decimal | None]], indicators: Iterable[str] | None = None
) -> dict[str, Decimal | None]:
    """Benchmark per 亩均 indicator: the median over the enterprises that have it.

    Source: DECISIONS.md (default profile). ``rows`` maps an enterprise to its indicator values;
    ``indicators`` defaults to the default profile's four codes. ``None`` for an indicator no
    enterprise has.
    """
    codes = list(indicators) if indicators is not None else list(MU_JUN_INDICATORS)
    return {code: median(row.get(code) for row in rows.values()) for code in codes}


def mu_jun_score(
    values: Mapping[str, Decimal | None],
    benchmarks: Mapping[str, Decimal | None],
    weights: Mapping[str, Decimal | int] = MU_JUN_DEFAULT_WEIGHTS,
    *,
    cap: Decimal | None = None,
) -> Decimal | None:
    """亩均 composite score of one enterprise.

    Formula: Σ_{i∈H} w_i × v_i / b_i × (Σ_all w / Σ_{i∈H} w), where H is the set of indicators
    the enterprise has (value present, benchmark > 0, weight > 0): the weights are renormalised
    over H so that an enterprise at every benchmark scores Σ_all w (100 with the default
    weights 40/30/15/15) whatever it lacks. Unit: points. Source: DOMAIN.md §8; DECISIONS.md.
    ``cap`` optionally limits each v_i / b_i (a local-profile setting; none by default).
    ``None`` when the enterprise has none of the indicators.
    """
    total_weight = sum((as_decimal(w) for w in weights.values() if as_decimal(w) > 0), _ZERO)
    held_weight = _ZERO
    weighted = _ZERO
    for code, raw_weight in weights.items():
        weight = as_decimal(raw_weight)
        value = values.get(code)
        benchmark = _positive(benchmarks.get(code))
        if weight <= 0 or value is None or benchmark is None:
            continue
        ratio = as_decimal(value) / benchmark
        if cap is not None:
            ratio = min(ratio, cap)
        weighted += weight * ratio
        held_weight += weight
    if held_weight.is_zero():
        return None
    return weighted * total_weight / held_weight


def rank_desc(values: Mapping[K, Decimal | int | None]) -> dict[K, int | None]:
    """Rank from the largest value down, competition style (1, 2, 2, 4); ``None`` unranked.

    Source: DECISIONS.md (ranking among the parks of one region; 亩均 classes). Equal values
    share the best rank of their group; the next value skips the shared places.
    """
    present = sorted(
        ((key, as_decimal(v)) for key, v in values.items() if v is not None),
        key=lambda item: item[1],
        reverse=True,
    )
    ranks: dict[K, int | None] = dict.fromkeys(values)
    previous: Decimal | None = None
    rank = 0
    for position, (key, value) in enumerate(present, start=1):
        if previous is None or value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


def class_sizes(n: int, shares: Iterable[Decimal | int] = MU_JUN_DEFAULT_SHARES) -> list[int]:
    """Split ``n`` ranked items into classes by share, by the largest-remainder method.

    Each class gets floor(n × share / Σ shares); the items left over go one each to the classes
    with the largest fractional remainders, ties to the better (earlier) class. Sizes sum to n
    exactly. With n = 1,248 and 10/35/45/10: quotas 124.8/436.8/561.6/124.8 → 125/437/561/125
    (the county's real 2022 result was 134/439/575/100, DECISIONS.md).
    """
    share_list = [Fraction(str(as_decimal(s))) for s in shares]
    if any(s < 0 for s in share_list) or sum(share_list) <= 0:
        raise ValueError("shares must be ≥ 0 and not all zero")
    if n < 0:
        raise ValueError("n must be ≥ 0")
    total = sum(share_list)
    quotas = [n * s / total for s in share_list]
    sizes = [int(q) for q in quotas]  # floor: quotas are non-negative
    leftover = n - sum(sizes)
    # Stable sort keeps the earlier (better) class first among equal remainders.
    by_remainder = sorted(range(len(quotas)), key=lambda i: quotas[i] - sizes[i], reverse=True)
    for i in by_remainder[:leftover]:
        sizes[i] += 1
    return sizes


def mu_jun_classes(
    scores: Mapping[K, Decimal | int | None],
    shares: Iterable[Decimal | int] = MU_JUN_DEFAULT_SHARES,
    labels: Iterable[str] = MU_JUN_CLASS_LABELS,
) -> dict[K, str | None]:
    """亩均 classes A 优先发展 / B 提升发展 / C 调控帮扶 / D 倒逼整治 by rank share.

    Source: DOMAIN.md §8; DECISIONS.md (A 10% / B 35% / C 45% / D 10%). Enterprises are ranked
    by score (``rank_desc``); class sizes come from ``class_sizes`` over the scored enterprises
    (largest remainder, so they sum to n). An enterprise takes the class of its competition
    rank's position, so enterprises with equal scores always share a class — the better one —
    and a class can exceed its quota by a tie. An enterprise without a score gets ``None``.
    """
    label_list = list(labels)
    share_list = list(shares)
    if len(label_list) != len(share_list):
        raise ValueError("one label per share")
    ranks = rank_desc(scores)
    n = sum(1 for r in ranks.values() if r is not None)
    upper_bounds: list[int] = []  # last rank position of each class
    running = 0
    for size in class_sizes(n, share_list):
        running += size
        upper_bounds.append(running)
    result: dict[K, str | None] = {}
    for key, rank in ranks.items():
        if rank is None:
            result[key] = None
            continue
        result[key] = next(
            label for label, bound in zip(label_list, upper_bounds, strict=True) if rank <= bound
        )
    return result
