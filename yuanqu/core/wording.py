"""Chinese number wording for reports and pages: rounding, money units and growth phrases.

Rules (DOMAIN.md §11, DECISIONS.md "Rules the reports and pages follow"):

- Compute from unrounded values; round only here, for display, **half up**
  (``Decimal.quantize(..., ROUND_HALF_UP)``, which rounds a tie away from zero: 2.25 → 2.3,
  −2.25 → −2.3). Python's ``round()`` rounds half to even and is never used.
- Amounts in 亿元 with 2 decimals (or 万元); rates and percentage points with 1 decimal.
- Growth ≥ 0 "增长X%", negative "下降X%" (never "增长-X%"), zero after rounding "持平",
  ≥ 100% as a multiple ("增长1倍", "增长1.1倍"); no base: no rate, and the phrase says so.

Every function takes ``Decimal`` (``int`` and numeric ``str`` are accepted and converted
exactly). A ``float`` raises ``TypeError``: it has already lost the exact value an official
will check against, so it must be converted from its source text, not from the float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, Literal

__all__ = [
    "MONEY_UNITS",
    "NO_BASE_PHRASE",
    "ZERO_BASE_PHRASE",
    "MoneyUnit",
    "as_decimal",
    "completion_phrase",
    "convert_amount",
    "fmt_decimal",
    "growth_phrase",
    "growth_phrase_for_base",
    "pct_str",
    "pp_phrase",
    "pull_phrase",
    "round_half_up",
    "speed_adjective",
    "steady_adjective",
    "time_progress_phrase",
    "trend_change_phrase",
    "wan_yuan",
    "yi_yuan",
]

MoneyUnit = Literal["元", "千元", "万元", "百万元", "亿元"]

# Powers of ten of each unit in 元: conversion is an exponent shift, so it is exact.
MONEY_UNITS: Final[dict[str, int]] = {"元": 0, "千元": 3, "万元": 4, "百万元": 6, "亿元": 8}

NO_BASE_PHRASE: Final = "无上年同期基数，不计算增速"
ZERO_BASE_PHRASE: Final = "上年同期为零，不计算增速"
MISSING_PLACEHOLDER: Final = "—"

_HUNDRED: Final = Decimal(100)
_ONE_TENTH: Final = Decimal("0.1")
_ONE: Final = Decimal(1)

Number = Decimal | int | str


def as_decimal(value: Number) -> Decimal:
    """Convert ``value`` to ``Decimal`` exactly; reject ``float`` and ``bool``.

    Strings may carry thousands separators ("1,234.50"); full-width digits and units are the
    importers' job, not this function's.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(
            f"{value!r} 是 {type(value).__name__}：金额和比率必须用 Decimal（从原始文本转换），"
            "不能用浮点数"
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", "").strip())
        except InvalidOperation as exc:
            raise ValueError(f"“{value}”不是数字") from exc
    raise TypeError(f"不支持的数值类型 {type(value).__name__}")


def round_half_up(value: Number, places: int) -> Decimal:
    """Round to ``places`` decimals, half up (a tie goes away from zero).

    Rule: DOMAIN.md §11. 2.25 → 2.3, 2.35 → 2.4, −2.25 → −2.3. A result of zero is returned
    without a minus sign (−0.04 → 0.0), so "-0.0" can never reach a page.
    """
    if places < 0:
        raise ValueError("places must be ≥ 0")
    quantum = _ONE.scaleb(-places)
    result = as_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return result.copy_abs() if result.is_zero() else result


def fmt_decimal(value: Number, places: int, *, thousands: bool = False) -> str:
    """Format with exactly ``places`` decimals after half-up rounding ("2.30").

    Rule: DOMAIN.md §11. ``thousands=True`` adds "," separators ("1,234.50"). The value is
    quantized first, so the format step never rounds again (its own rounding is half-even).
    """
    rounded = round_half_up(value, places)
    spec = f"{',' if thousands else ''}.{places}f"
    return format(rounded, spec)


def _unit_exponent(unit: str) -> int:
    try:
        return MONEY_UNITS[unit]
    except KeyError:
        raise ValueError(f"未知金额单位“{unit}”，可用：{'、'.join(MONEY_UNITS)}") from None


def convert_amount(amount: Number, from_unit: str, to_unit: str) -> Decimal:
    """Convert an amount between 元 / 千元 / 万元 / 百万元 / 亿元, exactly.

    Rule: DOMAIN.md §1, 1 亿元 = 10,000 万元 = 100,000 千元. The conversion shifts the decimal
    exponent (``Decimal.scaleb``), so no digit is rounded: 12,345 千元 = 1,234.5 万元.
    """
    shift = _unit_exponent(from_unit) - _unit_exponent(to_unit)
    return as_decimal(amount).scaleb(shift)


def yi_yuan(amount: Number, unit: str = "万元", places: int = 2, *, thousands: bool = False) -> str:
    """An amount as 亿元 text, e.g. 852,300 万元 → "85.23亿元".

    Rule: DOMAIN.md §11 (amounts in 亿元 to 2 decimals); exact conversion from ``unit`` first,
    then one half-up rounding.
    """
    return fmt_decimal(convert_amount(amount, unit, "亿元"), places, thousands=thousands) + "亿元"


def wan_yuan(
    amount: Number, unit: str = "万元", places: int = 2, *, thousands: bool = False
) -> str:
    """An amount as 万元 text, e.g. 69,250 千元 → "6925.00万元" (``places=0`` → "6925万元").

    Rule: DOMAIN.md §11; exact conversion from ``unit`` first, then one half-up rounding.
    """
    return fmt_decimal(convert_amount(amount, unit, "万元"), places, thousands=thousands) + "万元"


CN_DIGITS: Final = "零一二三四五六七八九"


def cn_count(n: int) -> str:
    """A small count in Chinese numerals as a speech writes it before a measure word: 2 → 两
    (两个, 两宗), 4 → 四 (四大产业集群), 12 → 十二, 20 → 二十, 35 → 三十五. Counts from 100 up
    stay in digits (GB/T 15835: numerals for statistics; words for small counts in running
    text, as the reference speech writes “两个政策性开发性金融工具项目”)."""
    if n < 0 or n >= 100:
        return str(n)
    if n == 2:
        return "两"
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def pct_str(value: Number | None, places: int = 1) -> str:
    """A percentage as text, half up: 12.195… → "12.2%"; ``None`` → "—" (table placeholder)."""
    if value is None:
        return MISSING_PLACEHOLDER
    return fmt_decimal(value, places) + "%"


def pp_phrase(value: Number, places: int = 1) -> str:
    """Percentage points as text: 10.825 → "10.8个百分点".

    The sign is kept as given; pass a magnitude where the direction is worded separately
    ("高于…", "加快…").
    """
    return fmt_decimal(value, places) + "个百分点"


def _multiple_text(pct_rounded: Decimal) -> str:
    """pct ≥ 100 as a multiple of the base: 100 → "1", 110 → "1.1", 102.8 → "1.0".

    The multiple is pct / 100 rounded half up to 1 decimal. ".0" is dropped only when the
    displayed rate is a whole multiple (DECISIONS.md: exactly +100% → "增长1倍"), so that
    +102.8% reads "增长1.0倍" (the statistics releases' style), not an exact doubling.
    """
    text = fmt_decimal(pct_rounded.scaleb(-2), 1)
    if (pct_rounded % _HUNDRED).is_zero():
        return text.removesuffix(".0")
    return text


def _rate_text(magnitude: Decimal, places: int) -> str:
    """A non-negative rate: "X%" below 100% after rounding, "X倍" from 100% up."""
    rounded = round_half_up(magnitude, places)
    if rounded >= _HUNDRED:
        return _multiple_text(rounded) + "倍"
    return fmt_decimal(rounded, places) + "%"


def growth_phrase(pct: Number | None, *, places: int = 1) -> str:
    """Growth rate (in %) as report wording.

    Rule: DOMAIN.md §11 and DECISIONS.md. ``pct`` is a percentage (12.195… means 12.195…%):

    - ``None`` (no base) → "无上年同期基数，不计算增速";
    - zero after half-up rounding to ``places`` (|pct| < 0.05 at 1 decimal) → "持平";
    - positive → "增长12.2%"; negative → "下降3.3%" (the magnitude; never "增长-3.3%");
    - a rise of 100% or more *after rounding* → a multiple of the base, pct / 100 to 1 decimal
      with a trailing ".0" dropped: 100 → "增长1倍", 110 → "增长1.1倍", 99.96 → "增长1倍".
    One decimal is always kept below 100%: −5 → "下降5.0%".
    """
    if pct is None:
        return NO_BASE_PHRASE
    value = as_decimal(pct)
    rounded = round_half_up(value, places)
    if rounded.is_zero():
        return "持平"
    if rounded > 0:
        return "增长" + _rate_text(value, places)
    # A fall can reach at most 100% for a non-negative quantity; keep it as a percentage.
    return "下降" + fmt_decimal(value.copy_abs(), places) + "%"


def growth_phrase_for_base(current: Number, base: Number | None, *, places: int = 1) -> str:
    """Year-on-year wording for a quantity that can be ≤ 0 (profit, 利润总额).

    Rule: DECISIONS.md ("a base ≤ 0 has no growth rate"):

    - base ``None`` → "无上年同期基数，不计算增速";
    - base > 0: current < 0 → "由正转负"; otherwise the usual ``growth_phrase``;
    - base = 0: current = 0 → "持平"; otherwise "上年同期为零，不计算增速";
    - base < 0 (a loss): current > 0 → "扭亏为盈"; a smaller loss → "减亏X%" with
      X = (|base| − |current|) / |base| × 100 (current = 0 gives "减亏100.0%"); a bigger loss →
      "增亏X%" with X = (|current| − |base|) / |base| × 100 (from 100% up as a multiple,
      "增亏1.2倍"); a change that rounds to zero → "持平".
    """
    if base is None:
        return NO_BASE_PHRASE
    cur = as_decimal(current)
    b = as_decimal(base)
    if b > 0:
        if cur < 0:
            return "由正转负"
        return growth_phrase((cur - b) * _HUNDRED / b, places=places)
    if b.is_zero():
        return "持平" if cur.is_zero() else ZERO_BASE_PHRASE
    if cur > 0:
        return "扭亏为盈"
    loss_base = -b
    change = (cur - b) * _HUNDRED / loss_base  # > 0: the loss shrank; < 0: it grew
    if round_half_up(change, places).is_zero():
        return "持平"
    if change > 0:
        return "减亏" + fmt_decimal(change, places) + "%"
    return "增亏" + _rate_text(-change, places)


def pull_phrase(pp: Number | None, *, places: int = 1) -> str:
    """拉动 wording: 8.13 → "拉动增长8.1个百分点"; −3.25 → "下拉3.3个百分点".

    Rule: DOMAIN.md §3 and §11. A pull that rounds to zero reads "拉动增长0.0个百分点";
    ``None`` (no comparable base) → "无可比基数，不计算拉动".
    """
    if pp is None:
        return "无可比基数，不计算拉动"
    rounded = round_half_up(pp, places)
    if rounded < 0:
        return "下拉" + pp_phrase(rounded.copy_abs(), places)
    return "拉动增长" + pp_phrase(rounded, places)


def completion_phrase(pct: Number | None, *, places: int = 1) -> str:
    """ "完成年度目标的77.5%" (DOMAIN.md §5, §11); ``None`` (no target) → "未设年度目标"."""
    if pct is None:
        return "未设年度目标"
    return "完成年度目标的" + pct_str(pct, places)


def time_progress_phrase(ahead_pp: Number | None, *, places: int = 1) -> str:
    """序时进度 wording from the unrounded gap completion % − m/12 × 100 (DOMAIN.md §5).

    > 0 after rounding → "超序时进度10.8个百分点"; < 0 → "慢于序时进度X个百分点";
    zero after rounding → "与序时进度持平"; ``None`` (no target) → "未设年度目标，不计算序时进度".
    """
    if ahead_pp is None:
        return "未设年度目标，不计算序时进度"
    rounded = round_half_up(ahead_pp, places)
    if rounded.is_zero():
        return "与序时进度持平"
    if rounded > 0:
        return "超序时进度" + pp_phrase(rounded, places)
    return "慢于序时进度" + pp_phrase(rounded.copy_abs(), places)


def speed_adjective(now: Number | None, prev: Number | None) -> Literal["加快", "回落"] | None:
    """ "加快" / "回落" only when YTD growth differs from the previous period's by ≥ 0.1 point.

    Rule: DECISIONS.md (adjectives only when the rule holds). The difference is taken from
    the unrounded rates; below 0.1 point, or with a rate missing, there is no adjective.
    """
    if now is None or prev is None:
        return None
    diff = as_decimal(now) - as_decimal(prev)
    if diff >= _ONE_TENTH:
        return "加快"
    if diff <= -_ONE_TENTH:
        return "回落"
    return None


def steady_adjective(
    growth_now: Number | None, growth_prev_quarter_end: Number | None
) -> Literal["稳中向好"] | None:
    """ "稳中向好" when comparable growth is positive and has not slowed by more than 1 point
    against the previous quarter-end; otherwise no adjective.

    Rule: DECISIONS.md. "Positive" means positive as displayed (≥ 0.05 before rounding to one
    decimal), so the text can never say 持平 and 稳中向好 together. Slowed by exactly 1.0 point
    still qualifies ("not more than 1 point"). Without the quarter-end rate the rule cannot be
    checked, so there is no adjective.
    """
    if growth_now is None or growth_prev_quarter_end is None:
        return None
    now = as_decimal(growth_now)
    if round_half_up(now, 1) <= 0:
        return None
    if as_decimal(growth_prev_quarter_end) - now > _ONE:
        return None
    return "稳中向好"


def trend_change_phrase(
    now_pct: Number | None, prev_pct: Number | None, prev_label: str, *, places: int = 1
) -> str | None:
    """Compare this YTD growth with an earlier one: "增速比1-8月加快0.3个百分点".

    Rule: DOMAIN.md §11 and DECISIONS.md. The gap is computed from the unrounded rates:

    - gap ≥ 0.1 point → "增速比{prev_label}加快X个百分点" / "…回落X个百分点";
    - gap that rounds to zero → "增速与{prev_label}持平"; a gap under 0.1 point that does not
      round to zero → "增速与{prev_label}基本持平" (no 加快/回落 adjective below 0.1);
    - when the sign changes between the displayed rates, "，由负转正" / "，由正转负" is added.
    ``None`` when either rate is missing: there is nothing to compare, so the caller omits it.
    """
    if now_pct is None or prev_pct is None:
        return None
    now = as_decimal(now_pct)
    prev = as_decimal(prev_pct)
    diff = now - prev
    adjective = speed_adjective(now, prev)
    if adjective is not None:
        text = f"增速比{prev_label}{adjective}{pp_phrase(diff.copy_abs(), places)}"
    elif round_half_up(diff, places).is_zero():
        text = f"增速与{prev_label}持平"
    else:
        text = f"增速与{prev_label}基本持平"
    now_shown = round_half_up(now, places)
    prev_shown = round_half_up(prev, places)
    if prev_shown < 0 < now_shown:
        text += "，由负转正"
    elif now_shown < 0 < prev_shown:
        text += "，由正转负"
    return text
