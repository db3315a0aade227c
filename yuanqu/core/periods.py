"""Report periods (a year and a month) and the many ways people write them.

Enterprise statistics are monthly year-to-date figures (DOMAIN.md §1): the period 2022-09 carries
"1-9月" (YTD) and "9月" (the month). January is usually not reported, so the February report
carries 1-2月; nothing here treats a missing January as an error.

`parse_period` normalises, once, on input, every spelling found in real files: ``2022-12``,
``2022年12月``, ``202212``, ``2022.12``, ``2022/12``, ``2022-12-01``, date cells, ``2022年1-12月``,
``1-12月`` (with a year given separately) and Excel numbers such as ``202212`` or ``202212.0``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = [
    "ACCEPTED_FORMS",
    "Period",
    "PeriodError",
    "check_window",
    "parse_period",
    "period_range",
    "period_window",
]

# Years any `Period` may have (arithmetic reaches back years before a reporting period: 上年同期,
# a goal's base year). Reporting periods entered by users are held to the narrower, configurable
# `period_window` (DECISIONS.md "Data integrity").
MIN_YEAR = 1949
MAX_YEAR = 2199

ACCEPTED_FORMS = (
    "2022-12、2022年12月、202212、2022.12、2022/12、2022-12-01、2022年1-12月"
    "（或另给年份时写 1-12月、12月）"
)


class PeriodError(ValueError):
    """A value that is not a report period; the message (Chinese) lists the accepted forms."""


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One month of one year. Ordered chronologically; ``str()`` gives ``2022-09``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        # Validate here so that no code path can hold an impossible period such as 2022-13.
        if not isinstance(self.year, int) or not isinstance(self.month, int):
            raise PeriodError(f"报告期的年、月必须是整数：{self.year!r}、{self.month!r}")
        if not 1 <= self.month <= 12:
            raise PeriodError(f"月份 {self.month} 不在 1-12 之间")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(
                f"年份 {self.year} 不像报告期的年份（应在 {MIN_YEAR}-{MAX_YEAR} 之间）"
            )

    # -- text ---------------------------------------------------------------------------
    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The YTD label used on forms and in reports: ``2022年1-9月`` (``2022年1月`` in January)."""
        return f"{self.year}年{self.ytd_label}"

    @property
    def ytd_label(self) -> str:
        """``1-9月`` without the year (``1月`` for January)."""
        return "1月" if self.month == 1 else f"1-{self.month}月"

    @property
    def month_label(self) -> str:
        """The single month: ``2022年9月``."""
        return f"{self.year}年{self.month}月"

    # -- arithmetic ---------------------------------------------------------------------
    @property
    def index(self) -> int:
        """Months since year 0: differences of two indexes count months between periods."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Period:
        return cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> Period:
        """The period ``months`` later (negative: earlier)."""
        return Period.from_index(self.index + months)

    def prev(self) -> Period:
        """The previous month (2022-01 → 2021-12)."""
        return self.shift(-1)

    def next(self) -> Period:
        """The next month (2022-12 → 2023-01)."""
        return self.shift(1)

    def same_last_year(self) -> Period:
        """The same month one year earlier: the 上年同期 of this period."""
        return Period(self.year - 1, self.month)

    def months_since(self, other: Period) -> int:
        """Whole months from ``other`` to this period (positive when this one is later)."""
        return self.index - other.index

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

    @property
    def is_quarter_end(self) -> bool:
        return self.month % 3 == 0

    def quarter_end_before(self) -> Period:
        """The last quarter-end month strictly before this period.

        2022-09 → 2022-06, 2022-08 → 2022-06, 2022-02 → 2021-12. Used for "compared with the
        previous quarter-end" rules (DECISIONS.md: 稳中向好).
        """
        back = self.month % 3 or 3
        return self.shift(-back)

    def quarter_end(self) -> Period:
        """The quarter-end month of this period's quarter (2022-08 → 2022-09)."""
        return Period(self.year, self.quarter * 3)

    def year_start(self) -> Period:
        return Period(self.year, 1)

    def year_end(self) -> Period:
        return Period(self.year, 12)

    def time_progress(self) -> Decimal:
        """序时进度 as a fraction, m / 12, exact as a Decimal quotient (not rounded for display)."""
        return Decimal(self.month) / Decimal(12)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def last_day(self) -> dt.date:
        return self.next().first_day() - dt.timedelta(days=1)

    @classmethod
    def from_date(cls, value: dt.date) -> Period:
        return cls(value.year, value.month)


def period_window(today: dt.date | None = None) -> tuple[Period, Period]:
    """The reporting periods users may enter: settings ``YUANQU_PERIOD_MIN`` (default 2000-01)
    to ``YUANQU_PERIOD_MAX`` (default, when empty: December of next year, from ``today``).

    Rule: DECISIONS.md "Data integrity" — a period outside is a typing error (2199, 2202 for
    2022), and a far future one would sit in the database unseen. Plan and goal years are not
    reporting periods: they do not use this window.
    """
    from django.conf import settings

    low_text = getattr(settings, "YUANQU_PERIOD_MIN", "") or "2000-01"
    high_text = getattr(settings, "YUANQU_PERIOD_MAX", "")
    low = parse_period(low_text, window=False)
    if high_text:
        high = parse_period(high_text, window=False)
    else:
        year = (today or dt.date.today()).year + 1
        high = Period(year, 12)
    return low, high


def check_window(period: Period) -> Period:
    """``period`` itself when it is inside `period_window`, else `PeriodError` (Chinese)."""
    low, high = period_window()
    if not low <= period <= high:
        raise PeriodError(f"报告期 {period} 不在允许的范围内（{low} 至 {high}）")
    return period


def period_range(start: Period, end: Period) -> Iterator[Period]:
    """Every period from ``start`` to ``end`` inclusive (empty when end < start)."""
    for index in range(start.index, end.index + 1):
        yield Period.from_index(index)


# Dashes and "to" words people put in "1-9月"; NFKC already turned full-width forms to ASCII.
_DASH = r"[-—–―‐‑‒−~～〜至到]"
_DAY_TAIL = r"(?:[-/.]\d{1,2}|\d{1,2}日)?(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 2022年1-12月 / 2022年1至12月 / 2022年度1-12月份 (YTD written with the year)
    (re.compile(rf"(\d{{4}})年度?1{_DASH}+(\d{{1,2}})月份?"), "ym"),
    # 2022-12, 2022年12月, 2022.12, 2022/12, 2022-12-01, 2022年12月1日, 2022-12-01 00:00:00
    (re.compile(rf"(\d{{4}})(?:[-/.]|年度?)(\d{{1,2}})(?:月份?)?{_DAY_TAIL}"), "ym"),
    # NBS style 2022M12
    (re.compile(r"(\d{4})[Mm](\d{1,2})"), "ym"),
    # 202212, 20221201 (and 202212.0: an Excel number that went through float)
    (re.compile(r"(\d{4})(\d{2})(?:\d{2})?(?:\.0+)?"), "ym"),
    # 1-12月 / 12月 need the year from elsewhere (the file's 报告年份, a --period option)
    (re.compile(rf"1{_DASH}+(\d{{1,2}})月份?"), "m"),
    (re.compile(r"(\d{1,2})月份?"), "m"),
)


def _fail(value: Any, why: str = "") -> PeriodError:
    shown = value if isinstance(value, str) else repr(value)
    reason = f"（{why}）" if why else ""
    return PeriodError(f"无法识别报告期“{shown}”{reason}：可写成 {ACCEPTED_FORMS}")


def parse_period(value: Any, *, default_year: int | None = None, window: bool = True) -> Period:
    """Read a report period from a cell value or option; raise `PeriodError` (Chinese) if unsure.

    Every reporting period users enter — files, CLI options, API and page parameters — comes
    through here and is held to `period_window` (``window=False`` only for the window's own
    settings). ``default_year`` supplies the year for forms that carry only months (``1-12月``).
    A float with one decimal (``2022.1``) is refused: Excel stores a typed ``2022.10`` as
    ``2022.1``, so it could be January or October. Text ``2022.1`` is taken as typed (January).
    """
    period = _parse_period(value, default_year=default_year)
    return check_window(period) if window else period


def _parse_period(value: Any, *, default_year: int | None) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, bool) or value is None:
        raise _fail(value)
    if isinstance(value, dt.datetime | dt.date):
        return Period(value.year, value.month)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _fail(value)
        if value.is_integer():
            value = int(value)
        else:
            text = repr(value)
            if re.fullmatch(r"\d{4}\.\d", text):
                raise _fail(
                    text,
                    f"Excel 把数字 {text}0 存成 {text}，无法区分{text[-1]}月和{text[-1]}0月："
                    f"{text[-1]}月请写成 {text[:4]}-{text[-1]:0>2}，{text[-1]}0月请写成 "
                    f"{text[:4]}-{text[-1]}0（或设为文本格式）",
                )
            value = text
    if isinstance(value, Decimal):
        value = format(value, "f")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise _fail(value)

    # Full-width digits and punctuation (２０２２／１２) come from Chinese input methods.
    text = "".join(unicodedata.normalize("NFKC", value).split())
    if not text:
        raise PeriodError(f"报告期为空：可写成 {ACCEPTED_FORMS}")
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        if kind == "ym":
            year, month = int(match.group(1)), int(match.group(2))
        else:
            if default_year is None:
                raise _fail(value, "只有月份，缺少年份")
            year, month = default_year, int(match.group(1))
        try:
            return Period(year, month)
        except PeriodError as exc:
            raise _fail(value, str(exc)) from None
    if re.fullmatch(rf"(\d{{4}})年?\d{{1,2}}{_DASH}+\d{{1,2}}月份?", text):
        raise _fail(value, "累计期只接受从1月开始的“1-N月”")
    raise _fail(value)
