"""Server-side charts for the Word reports, as PNG bytes (matplotlib, Agg, no pyplot).

Why this module exists: the monthly analysis and the year-end report embed charts in the
.docx, and those must render on a headless server with Chinese labels. Without a CJK font
every Chinese glyph comes out as a box, so we ask matplotlib for "Noto Sans CJK SC" (Debian's
``fonts-noto-cjk``) by family name — registering the ``.ttc`` file by path would give its first
face, the Japanese one. Where no CJK font exists (a developer's laptop) we log a warning and
still render: a chart with boxes is better than a report that fails.

Design choices:

* ``matplotlib.figure.Figure`` + ``FigureCanvasAgg`` instead of ``pyplot``: no global figure
  state, safe in threaded Django workers, nothing to close, and no need to switch the
  process-wide backend with ``matplotlib.use`` (the Agg canvas is used explicitly).
* Font settings are applied inside ``rc_context`` for each chart (both when artists are
  created and when the PNG is drawn), so importing this module never changes other code's
  matplotlib settings.
* Values arrive as ``Decimal`` (the economy app never uses float for money); they are
  converted to float only to position bars, while the value labels are formatted from the
  Decimal with ROUND_HALF_UP — the same rounding as the report text — so a label never
  disagrees with the number printed in the paragraph above it.
"""

from __future__ import annotations

import functools
import glob
import io
import logging
import math
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "CJK_FONT_CANDIDATES",
    "Number",
    "bar_chart",
    "bar_line_chart",
    "cjk_font_family",
    "format_decimal",
    "pie_or_share_chart",
]

logger = logging.getLogger(__name__)

Number = Decimal | int | float | None

#: Preferred families, best first. Noto/Source Han are free; the Windows/macOS names are
#: there for developers' machines. The JP face is last: same glyph set, Japanese shapes.
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
    "Noto Serif CJK SC",
    "Noto Sans CJK JP",
)
_FONT_FILE_PATTERNS = (
    "/usr/share/fonts/**/*CJK*.tt[cf]",
    "/usr/share/fonts/**/*cjk*.tt[cf]",
    "/usr/share/fonts/**/*CJK*.otf",
    "/usr/local/share/fonts/**/*CJK*.tt[cf]",
    os.path.expanduser("~/.local/share/fonts/**/*CJK*.tt[cf]"),
)

# Palette that still reads when printed in black and white.
COLOR_THIS_YEAR = "#1F4E79"
COLOR_LAST_YEAR = "#A6A6A6"
COLOR_LINE = "#C00000"
COLOR_POSITIVE = "#1F4E79"
COLOR_NEGATIVE = "#C55A11"
SHARE_COLORS = (
    "#1F4E79",
    "#2E75B6",
    "#9DC3E6",
    "#C55A11",
    "#F4B183",
    "#7F7F7F",
    "#BFBFBF",
    "#548235",
)

#: 156 mm text width at 200 dpi: sharp in print, ~100-200 KB per chart.
FIGSIZE_IN: tuple[float, float] = (6.2, 3.4)
DPI = 200


def _installed_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


@functools.cache
def cjk_font_family() -> str | None:
    """Name of an installed CJK font family matplotlib can use, or None (warned once).

    If matplotlib's font cache predates the font install (the cache is built on first
    import), the font files are registered directly so that a server does not need its
    cache deleted by hand.
    """
    families = _installed_families()
    for family in CJK_FONT_CANDIDATES:
        if family in families:
            return family
    for pattern in _FONT_FILE_PATTERNS:
        for path in glob.glob(pattern, recursive=True):
            try:
                font_manager.fontManager.addfont(path)
            except Exception as exc:  # a broken font file must not break reports
                logger.debug("cannot register font %s: %s", path, exc)
    families = _installed_families()
    for family in CJK_FONT_CANDIDATES:
        if family in families:
            return family
    for family in sorted(families):
        if "CJK" in family:
            return family
    logger.warning(
        "未找到中文字体（如 Noto Sans CJK SC），图表中的中文将显示为方框；"
        "请安装 fonts-noto-cjk。No CJK font found: charts will show boxes for Chinese text."
    )
    return None


@contextmanager
def _chart_style() -> Iterator[str | None]:
    """rcParams for one chart: CJK font first, ASCII minus sign (CJK fonts lack U+2212)."""
    family = cjk_font_family()
    sans = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": sans,
        "axes.unicode_minus": False,
        "font.size": 9,
        "axes.titlesize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        if family is None:
            # Without a CJK font, matplotlib warns once per missing glyph: already logged.
            warnings.filterwarnings("ignore", message=r".*Glyph .* missing from font.*")
        yield family


def _to_decimal(value: Number) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _to_float(value: Number) -> float:
    """Plot coordinate of a value; missing values become NaN (matplotlib leaves a gap)."""
    dec = _to_decimal(value)
    return math.nan if dec is None else float(dec)


def format_decimal(value: Number, decimals: int = 1, *, thousands: bool = True) -> str:
    """Format like the report text: ROUND_HALF_UP, optional thousands separator, "" for None."""
    dec = _to_decimal(value)
    if dec is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = dec.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.0"
    return f"{rounded:,}" if thousands else f"{rounded}"


def _month_label(month: object) -> str:
    if isinstance(month, int):
        return f"{month}月"
    return str(month)


def _new_figure(figsize: tuple[float, float] = FIGSIZE_IN) -> tuple[Figure, Axes]:
    fig = Figure(figsize=figsize, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    return fig, ax


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _empty(ax: Axes, title: str) -> None:
    ax.set_title(title)
    ax.text(0.5, 0.5, "暂无数据", ha="center", va="center", transform=ax.transAxes, fontsize=12)
    ax.set_axis_off()


def _unit_label(unit: str) -> str:
    return f"单位：{unit}" if unit else ""


def bar_line_chart(
    months: Sequence[int | str],
    this_year: Sequence[Number],
    last_year: Sequence[Number],
    title: str,
    unit: str,
    *,
    this_label: str = "本年",
    last_label: str = "上年同期",
    show_growth: bool = True,
    growth_label: str = "同比增长（%）",
    decimals: int = 1,
    value_labels: bool = False,
    growth: Sequence[Number] | None = None,
) -> bytes:
    """Grouped bars of this year against last year by month, with the growth rate as a line.

    ``months`` are ints (shown as "1月") or ready labels ("1—2月"). ``None`` marks a month
    without data (no bar). The growth line (right axis, %) is computed from the two series
    in Decimal and skipped where last year's value is missing or zero — unless ``growth`` gives
    the rates to draw (e.g. the comparable-basis YTD growth from the selectors, which the two
    published series cannot reproduce).
    """
    n = len(months)
    if len(this_year) != n or len(last_year) != n:
        raise ValueError("months, this_year and last_year must have the same length")
    with _chart_style():
        fig, ax = _new_figure()
        if n == 0:
            _empty(ax, title)
            return _png(fig)
        labels = [_month_label(m) for m in months]
        xs = list(range(n))
        width = 0.38
        cur = [_to_float(v) for v in this_year]
        prev = [_to_float(v) for v in last_year]
        ax.bar([x - width / 2 for x in xs], prev, width, label=last_label, color=COLOR_LAST_YEAR)
        bars_cur = ax.bar(
            [x + width / 2 for x in xs], cur, width, label=this_label, color=COLOR_THIS_YEAR
        )
        if value_labels:
            ax.bar_label(
                bars_cur,
                labels=[format_decimal(v, decimals) for v in this_year],
                fontsize=7,
                padding=2,
            )
        ax.set_xticks(xs, labels)
        ax.set_ylabel(_unit_label(unit))
        ax.axhline(0, color="#404040", linewidth=0.6)
        ax.set_title(title)
        handles, legend_labels = ax.get_legend_handles_labels()

        if show_growth:
            rates: list[float] = []
            if growth is not None:
                if len(growth) != n:
                    raise ValueError("growth must have one value per month")
                rates = [_to_float(g) for g in growth]
            else:
                for cur_v, prev_v in zip(this_year, last_year, strict=True):
                    c, p = _to_decimal(cur_v), _to_decimal(prev_v)
                    if c is None or p is None or p == 0:
                        rates.append(math.nan)
                    else:
                        rates.append(float((c / p - 1) * 100))
            if any(not math.isnan(g) for g in rates):
                ax2 = ax.twinx()
                ax2.spines["top"].set_visible(False)
                (line,) = ax2.plot(
                    xs,
                    rates,
                    color=COLOR_LINE,
                    marker="o",
                    markersize=3,
                    linewidth=1.4,
                    label=growth_label,
                )
                ax2.set_ylabel("%")
                ax2.axhline(0, color=COLOR_LINE, linewidth=0.4, linestyle=":")
                handles.append(line)
                legend_labels.append(growth_label)
        ax.legend(
            handles,
            legend_labels,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=len(handles),
            frameon=False,
        )
        return _png(fig)


def bar_chart(
    categories: Sequence[str],
    values: Sequence[Number],
    title: str,
    unit: str,
    *,
    decimals: int = 1,
    horizontal: bool | None = None,
    sort: bool = False,
) -> bytes:
    """One bar per category with value labels; negative values drawn below zero in orange.

    Suited to contributions that can be negative (拉动 of each industrial cluster, growth by
    enterprise). ``horizontal=None`` turns the chart sideways when there are many categories
    or long names, so labels stay readable. ``sort`` orders bars by value, largest first.
    """
    if len(categories) != len(values):
        raise ValueError("categories and values must have the same length")
    pairs = list(zip(categories, values, strict=True))
    if sort:
        pairs.sort(key=lambda item: _to_decimal(item[1]) or Decimal(0), reverse=True)
    cats = [str(c) for c, _ in pairs]
    decs = [_to_decimal(v) for _, v in pairs]
    if horizontal is None:
        horizontal = len(cats) > 8 or max((len(c) for c in cats), default=0) > 6
    with _chart_style():
        height = max(FIGSIZE_IN[1], 0.32 * len(cats) + 1.2) if horizontal else FIGSIZE_IN[1]
        fig, ax = _new_figure((FIGSIZE_IN[0], min(height, 8.5)))
        if not cats:
            _empty(ax, title)
            return _png(fig)
        floats = [math.nan if d is None else float(d) for d in decs]
        colors = [COLOR_NEGATIVE if (d is not None and d < 0) else COLOR_POSITIVE for d in decs]
        labels = [format_decimal(d, decimals) for d in decs]
        positions = list(range(len(cats)))
        if horizontal:
            # First category on top, as read in a table.
            positions = positions[::-1]
            bars = ax.barh(positions, floats, color=colors, height=0.6)
            ax.set_yticks(positions, cats)
            ax.axvline(0, color="#404040", linewidth=0.6)
            ax.set_xlabel(_unit_label(unit))
        else:
            bars = ax.bar(positions, floats, color=colors, width=0.6)
            ax.set_xticks(positions, cats)
            ax.axhline(0, color="#404040", linewidth=0.6)
            ax.set_ylabel(_unit_label(unit))
            if len(cats) > 5:
                for tick in ax.get_xticklabels():
                    tick.set_rotation(30)
                    tick.set_horizontalalignment("right")
        ax.bar_label(bars, labels=labels, fontsize=8, padding=2)
        # Room for the labels of the longest bars on either side of zero.
        if horizontal:
            ax.margins(x=0.15)
        else:
            ax.margins(y=0.15)
        ax.set_title(title)
        return _png(fig)


def pie_or_share_chart(
    categories: Sequence[str],
    values: Sequence[Number],
    title: str,
    unit: str = "",
    *,
    decimals: int = 1,
    max_slices: int = 6,
) -> bytes:
    """Composition chart: a pie for a few positive parts, otherwise share bars in percent.

    A pie only reads well with few slices and no negative parts (a loss-making cluster's
    share of profit is meaningless in a pie), so anything else falls back to horizontal bars
    of each category's share of the total. Shares are computed in Decimal.
    """
    if len(categories) != len(values):
        raise ValueError("categories and values must have the same length")
    decs = [_to_decimal(v) for v in values]
    known = [(str(c), d) for c, d in zip(categories, decs, strict=True) if d is not None]
    total = sum((d for _, d in known), Decimal(0))
    pie_ok = 0 < len(known) <= max_slices and all(d > 0 for _, d in known)
    if not pie_ok or total == 0:
        shares = [(c, d / total * 100 if total else None) for c, d in known]
        return bar_chart(
            [c for c, _ in shares],
            [s for _, s in shares],
            title,
            "%",
            decimals=decimals,
            horizontal=True,
        )
    with _chart_style():
        fig, ax = _new_figure()
        fractions = [float(d / total) for _, d in known]
        labels = [
            f"{c}\n{format_decimal(d / total * 100, decimals)}%"
            + (f"（{format_decimal(d, decimals)}{unit}）" if unit else "")
            for c, d in known
        ]
        ax.pie(
            fractions,
            labels=labels,
            colors=SHARE_COLORS[: len(fractions)],
            startangle=90,
            counterclock=False,
            wedgeprops={"linewidth": 1, "edgecolor": "white"},
            textprops={"fontsize": 8},
        )
        ax.set_aspect("equal")
        ax.set_title(title)
        return _png(fig)
