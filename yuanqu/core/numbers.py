"""Numbers and units as they arrive from Excel, WPS and CSV files.

Cells hold floats (.xlsx, .ods), ints (.xls), or text typed by people: ``1,234.50``,
``1，234``, full-width ``１２３．４``, ``—`` or ``/`` for "nothing", ``(1,234)`` for a negative
in accounting style. `parse_decimal` turns all of these into an exact `Decimal` (or None for
"empty"), and refuses everything else with a Chinese message: a wrong number silently imported
is worse than an error the user can fix.

Units: amounts are stored exactly as reported with their unit (DECISIONS.md "Import");
`convert` shifts between 元 / 千元 / 万元 / 百万元 / 亿元 exactly. `detect_unit` reads the unit
from a units line or a header (``单位：千元``, ``(万元)``, ``工业总产值（千元）``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, Final

__all__ = [
    "BLANK_MARKERS",
    "KNOWN_UNITS",
    "MONEY_UNITS",
    "UNIT_EXPONENTS",
    "UNIT_FACTORS",
    "DecimalLimits",
    "NumberError",
    "UnitError",
    "convert",
    "detect_unit",
    "fit_decimal",
    "normalize_text",
    "parse_amount",
    "parse_decimal",
    "parse_percent",
]


class NumberError(ValueError):
    """A cell that should hold a number and does not; the message is Chinese."""


class UnitError(ValueError):
    """An unknown unit, or a conversion between units that do not convert (万元 → 人)."""


# Factor of each money unit in 元. Decimal integers, so conversion multiplies/divides exactly
# (the quotient of two powers of ten is exact in Decimal arithmetic).
UNIT_FACTORS: Final[dict[str, Decimal]] = {
    "元": Decimal(1),
    "千元": Decimal(1_000),
    "万元": Decimal(10_000),
    "百万元": Decimal(1_000_000),
    "亿元": Decimal(100_000_000),
}
MONEY_UNITS: Final = tuple(UNIT_FACTORS)
# The same as powers of ten, which is how `convert` uses them (an exact exponent shift).
UNIT_EXPONENTS: Final[dict[str, int]] = {"元": 0, "千元": 3, "万元": 4, "百万元": 6, "亿元": 8}

# Units `detect_unit` recognises. Longest first: the regex alternation must try 万美元 before
# 美元 and 万元, 万千瓦时 before 千瓦时, 百万元 before 万元.
KNOWN_UNITS: Final[tuple[str, ...]] = (
    "万千瓦时",
    "千瓦时",
    "万美元",
    "百万元",
    "美元",
    "亿元",
    "万元",
    "千元",
    "元",
    "万人",
    "人",
    "公顷",
    "平方米",
    "亩",
    "个",
    "%",
)

# Texts that mean "nothing here" in Chinese statistical tables. `—` (and `-`, `--`, `/`) is how
# forms print an empty or zero cell; whether an empty amount means 0 is the engine's decision,
# so they come back as None, never as Decimal(0).
BLANK_MARKERS: Final = frozenset({"", "/", "\\", "-", "--", "---", "—", "——", "–", "－", "―", "…"})
_DASH_CHARS: Final = "-—–―−‐‑‒﹣－"
# Characters that mean "minus" before a number (Word and WPS autocorrect "-" to these).
_MINUS_CHARS: Final = "−‐‑‒–﹣－"


def _is_blank_marker(text: str) -> bool:
    return text in BLANK_MARKERS or (len(text) <= 4 and all(ch in _DASH_CHARS for ch in text))


def normalize_text(value: Any) -> str:
    """Text for header matching and codes: NFKC (full-width → half-width), trimmed, one space.

    ``None`` → ``""``. An integral float (a code typed as a number, 3.0) becomes ``"3"``.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def _describe(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def parse_decimal(value: Any) -> Decimal | None:
    """An exact Decimal from a cell value, or None when the cell is empty.

    Accepted: int, float (converted through ``str()``, so 0.1 stays 0.1), Decimal; text with
    thousands separators (``1,234.50``, ``1，234``), full-width digits/signs/dot/spaces
    (``１２３．４``), a leading ``+``/``-``/``−``, ``¥``, accounting negatives ``(1,234)``.
    Empty (None): blank, ``—``, ``－``, ``-``, ``--``, ``/``. A percent sign is refused here
    (use `parse_percent`), as is any other text: "“abc”不是数字".
    """
    if value is None:
        return None
    if type(value) is float and math.isfinite(value):
        # The common case first (a numeric cell): this runs for every figure of every row.
        # str() gives the shortest text that round-trips: 1234.5 → "1234.5", never 1234.4999…
        return Decimal(str(value))
    if isinstance(value, bool):
        raise NumberError(f"“{value}”是逻辑值（是/否），不是数字")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"“{value}”不是有限的数字")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError(f"“{value}”不是有限的数字")
        # str() gives the shortest text that round-trips: 1234.5 → "1234.5", never 1234.4999…
        return Decimal(str(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise NumberError(f"“{value}”是日期或时间，不是数字（请检查单元格格式）")
    if not isinstance(value, str):
        raise NumberError(f"“{_describe(value)}”不是数字")
    error_code = getattr(value, "error_code", None)
    if error_code:
        raise NumberError(f"单元格是公式错误值“{error_code}”，不是数字：请修正公式或填入数值")

    text = "".join(unicodedata.normalize("NFKC", value).split())
    if _is_blank_marker(text):
        return None
    if "%" in text:
        raise NumberError(f"“{value}”带百分号，此处应填数值（不带%）")
    negative = False
    if len(text) >= 2 and text[0] == "(" and text[-1] == ")":
        negative, text = True, text[1:-1]
    if text[:1] in _MINUS_CHARS:
        text = "-" + text[1:]
    text = text.lstrip("¥")
    if text[:1] in "+-" and text[1:2] == "¥":
        text = text[0] + text[2:]
    if "," in text:
        # Only proper thousands grouping: "1,2345" or "1234,5" (a decimal comma) are ambiguous.
        if not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", text):
            raise NumberError(f"“{value}”的千位分隔符位置不对，无法确定数值")
        text = text.replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        raise NumberError(f"“{value}”不是数字")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        raise NumberError(f"“{value}”不是数字") from None
    if negative:
        if number < 0:
            raise NumberError(f"“{value}”既有括号又有负号，无法确定正负")
        number = -number
    return number


@dataclass(frozen=True, slots=True)
class DecimalLimits:
    """What a decimal column can hold: ``max_digits`` in all, ``decimal_places`` of them
    after the point (a ``DecimalField(20, 4)`` holds at most 16 integer digits)."""

    max_digits: int
    decimal_places: int

    @property
    def integer_digits(self) -> int:
        return self.max_digits - self.decimal_places

    @property
    def bound(self) -> Decimal:
        """The smallest magnitude the column cannot hold: 10 ** integer digits."""
        return Decimal(1).scaleb(self.integer_digits)

    @classmethod
    def of(cls, field: Any) -> DecimalLimits | None:
        """The limits of a model field (a Django ``DecimalField``); None for other fields."""
        digits = getattr(field, "max_digits", None)
        places = getattr(field, "decimal_places", None)
        if digits is None or places is None:
            return None
        return cls(int(digits), int(places))


def _shown_number(value: Any, number: Decimal) -> str:
    """The value as the user wrote it (a cell's text), else the number in plain notation."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, float):
        return repr(value)
    number = number.normalize()
    plain = format(number, "f")
    return plain if len(plain) <= 40 else str(number)


def fit_decimal(
    number: Decimal, limits: DecimalLimits, *, shown: Any = None
) -> tuple[Decimal, bool]:
    """``number`` made storable in a column with ``limits``: (value, whether it was rounded).

    Rule (DECISIONS.md "Data integrity"): more decimals than the column's scale are rounded
    half-up to the scale — what PostgreSQL's numeric does on input, and what a figure copied
    from an Excel formula (0.30000000000000004) needs; the caller tells the user with a
    warning. Too many integer digits (after rounding) is an error: SQLite would store it and
    every later read of the row would fail. NaN and infinities are refused.
    """
    if not number.is_finite():
        raise NumberError(f"“{_shown_number(shown, number)}”不是有限的数字")
    rounded = False
    if number.as_tuple().exponent < -limits.decimal_places:  # type: ignore[operator]
        # A context wide enough for any finite input: quantize never raises here.
        context = Context(prec=max(number.adjusted(), 0) + limits.decimal_places + 2)
        quantized = number.quantize(
            Decimal(1).scaleb(-limits.decimal_places), rounding=ROUND_HALF_UP, context=context
        )
        rounded, number = quantized != number, quantized
    if number.is_zero():
        return number, rounded
    if number.adjusted() >= limits.integer_digits:
        raise NumberError(
            f"数值 {_shown_number(shown, number)} 超出可存储范围"
            f"（整数部分最多{limits.integer_digits}位）"
        )
    return number, rounded


_EXPONENT = re.compile(r"\d[eE][+-]?\d")


def parse_amount(value: Any, limits: DecimalLimits | None = None) -> Decimal | None:
    """An amount to store: `parse_decimal`, then the storage rules of amounts.

    Text written with an exponent (``1e5``, ``1.2E+07`` — what Excel puts in a CSV for a
    narrow column, digits already lost) is refused, as are NaN and infinities; a numeric cell
    is judged by its magnitude and finiteness only (DECISIONS.md: the exponent rule is for
    text cells). With ``limits`` the value is checked by `fit_decimal` and returned rounded to
    the scale; whether rounding happened is not reported here (see `fit_decimal`).
    """
    if isinstance(value, str) and _EXPONENT.search(unicodedata.normalize("NFKC", value)):
        raise NumberError(f"“{value.strip()}”是科学计数法，可能已丢失精度：请填写完整的数字")
    number = parse_decimal(value)
    if number is None or limits is None:
        return number
    return fit_decimal(number, limits, shown=value)[0]


def parse_percent(value: Any, *, fraction_if_number: bool = False) -> Decimal | None:
    """A percentage in points: ``"12.5%"`` → 12.5, ``"12.5"`` → 12.5, ``"-3.2％"`` → -3.2.

    A number cell (int/float/Decimal) is taken as points too, unless ``fraction_if_number``:
    Excel stores a cell shown as 12.5% as 0.125, and only the caller knows the column is
    formatted as a percentage. Blank markers give None.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = parse_decimal(value)
        if number is not None and fraction_if_number:
            number = number * 100
        return number
    if isinstance(value, str):
        text = "".join(unicodedata.normalize("NFKC", value).split())
        if text.endswith("%"):
            text = text[:-1]
            if not text:
                raise NumberError(f"“{value}”不是百分数")
        try:
            return parse_decimal(text)
        except NumberError:
            raise NumberError(f"“{value}”不是百分数") from None
    return parse_decimal(value)


def convert(amount: Decimal | int | str, from_unit: str, to_unit: str) -> Decimal:
    """Convert a money amount exactly: ``convert(Decimal("12345"), "千元", "万元")`` → 1234.5.

    The same non-money unit (人 → 人) returns the amount unchanged; anything else raises
    `UnitError` (万元 → 人, 万美元 → 万元: a currency needs a stated rate, DOMAIN.md §4).
    """
    number = amount if isinstance(amount, Decimal) else parse_decimal(amount)
    if number is None:
        raise NumberError("金额为空，无法换算单位")
    src, dst = _canonical_unit(from_unit), _canonical_unit(to_unit)
    if src == dst:
        return number
    if src not in UNIT_EXPONENTS or dst not in UNIT_EXPONENTS:
        raise UnitError(f"不能把“{from_unit}”换算为“{to_unit}”")
    # Shift the decimal exponent instead of multiplying: no context precision, no rounding,
    # whatever the number of digits (12345 千元 → 1234.5 万元; 1 亿元 → 10000 万元).
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: parse_decimal refuses NaN and infinities
    shifted = Decimal((sign, digits, exponent + UNIT_EXPONENTS[src] - UNIT_EXPONENTS[dst]))
    return Decimal(int(shifted)) if shifted.as_tuple().exponent > 0 else shifted  # type: ignore[operator]


def _canonical_unit(unit: str) -> str:
    text = "".join(normalize_text(unit).split())
    for prefix in ("人民币",):
        text = text.removeprefix(prefix)
    text = text.removesuffix("人民币")
    return text


_UNIT_ALT = "|".join(re.escape(u) for u in KNOWN_UNITS)
_UNIT_LINE = re.compile(rf"单位\s*[:：]?\s*(?:人民币)?\s*({_UNIT_ALT})(?:人民币)?")
_UNIT_BRACKETED = re.compile(
    rf"[(\[【〔{{]\s*(?:人民币)?\s*({_UNIT_ALT})\s*(?:人民币)?\s*[)\]】〕}}]"
)
_UNIT_ALONE = re.compile(rf"(?:人民币)?({_UNIT_ALT})(?:人民币)?")


def detect_unit(text: Any) -> str | None:
    """The unit stated in a text, or None.

    ``单位：千元`` / ``金额单位:万元`` / ``单位：万元人民币`` / ``(万元)`` / ``工业总产值（千元）`` /
    ``增速(%)`` / a cell holding just ``千元``. A units line wins over a bracket in the same text.
    """
    normalized = normalize_text(text)
    if not normalized:
        return None
    for pattern in (_UNIT_LINE, _UNIT_BRACKETED):
        match = pattern.search(normalized)
        if match:
            return match.group(1)
    match = _UNIT_ALONE.fullmatch(normalized.replace(" ", ""))
    return match.group(1) if match else None
