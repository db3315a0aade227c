"""Reports for a park and period: build them, then write .docx (official layout), HTML or PDF.

`annual_report` and `monthly_report` are what the CLI, the API and the page call.
"""

from __future__ import annotations

import base64
import math
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from yuanqu.core.periods import Period
from yuanqu.economy import selectors
from yuanqu.registry.models import Park
from yuanqu.reports.docx_layout import OfficialDocument, SourceEntry
from yuanqu.reports.engine import Report, ReportError, build_report

FORMATS = ("docx", "pdf", "html")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
PROJECTION_METHODS = {"seasonal": "季节比例法", "linear": "线性外推法"}


# ---------------------------------------------------------------------------------------------
# Speech mode
# ---------------------------------------------------------------------------------------------


@dataclass
class SpeechStats:
    """Speech mode: characters as Word counts them (字符数，不计空格) and the minutes they take."""

    characters: int
    speaking_minutes: int
    reading_minutes: int
    speaking_rate: int
    reading_rate: int


def count_characters(text: str) -> int:
    """All non-whitespace characters — Word's 字符数(不计空格): Chinese, digits, punctuation."""
    return sum(1 for ch in text if not ch.isspace())


def _rate_setting(name: str, default: int) -> int:
    rate: int = getattr(settings, name, default)
    return rate


def speech_stats(
    text: str, *, speaking_rate: int | None = None, reading_rate: int | None = None
) -> SpeechStats:
    """Characters and minutes at the configured rates, rounded **up** to whole minutes.

    Rates: ``settings.YUANQU_SPEAKING_RATE`` (default 200 字/分钟) and
    ``settings.YUANQU_READING_RATE`` (300). Rounding up: a speech of 7,729 characters does not
    fit in 25 minutes at 300 字/分钟 (25.76), so it is announced as 26 — which is also what the
    seed page says; half-up rounding would give the same here but 25 for 7,649 characters.
    """
    speaking = speaking_rate or _rate_setting("YUANQU_SPEAKING_RATE", 200)
    reading = reading_rate or _rate_setting("YUANQU_READING_RATE", 300)
    chars = count_characters(text)
    return SpeechStats(
        chars,
        math.ceil(chars / speaking),
        math.ceil(chars / reading),
        speaking,
        reading,
    )


@dataclass
class SectionLength:
    """One part of the speech in speech mode: its heading, characters, minutes (unrounded
    at the speaking rate; shown with one decimal) and whether it runs long for the target."""

    heading: str
    characters: int
    speaking_minutes: Decimal
    long: bool = False


@dataclass
class SpeechPlan:
    """Speech mode for a whole report: per section and in total, against a target length."""

    sections: list[SectionLength]
    total: SpeechStats
    target_minutes: int | None
    over_characters: int  # characters beyond the target (0 within it)


def speech_plan(report: Report, *, target_minutes: int | None = None) -> SpeechPlan:
    """Characters and speaking minutes of each section and in total. With a target (e.g.
    “控制在25分钟以内”), the characters over it and the sections that run long: over their
    even share of the target's characters, longest first until the excess is covered."""
    total = speech_stats(report.text())
    rate = Decimal(total.speaking_rate)
    rows: list[SectionLength] = []
    for h in report.headings():
        if h.section is None:
            continue
        text = "\n".join([h.text, *h.section.paragraphs])
        chars = count_characters(text)
        rows.append(SectionLength(h.text or f"（{h.section.title}）", chars, Decimal(chars) / rate))
    over = 0
    if target_minutes:
        budget = target_minutes * total.speaking_rate
        over = max(0, total.characters - budget)
        if over and rows:
            share = budget / len(rows)
            left = over
            for row in sorted(rows, key=lambda r: -r.characters):
                if left <= 0 or row.characters <= share:
                    break
                row.long = True
                left -= row.characters - int(share)
    return SpeechPlan(rows, total, target_minutes, over)


# ---------------------------------------------------------------------------------------------
# The two reports
# ---------------------------------------------------------------------------------------------


def last_counted_month(
    park: Park, year: int, cache: selectors.ReportCache, include_submitted: bool
) -> Period | None:
    """The last month of `year` whose enterprise reports count (已审核/已锁定, or 已提交 when
    asked): the month a report of a year not yet closed is written at."""
    for month in range(12, 0, -1):
        period = Period(year, month)
        if selectors.counted(cache.status(park, period), include_submitted):
            return period
    return None


def annual_report(
    *,
    park: Park,
    year: int,
    as_of: Period | None = None,
    include_submitted: bool = False,
    projection: str = "seasonal",
    narrative: Mapping[str, str] | None = None,
) -> Report:
    """年度工作总结 for `year`. Without `as_of`, the last month with counted data is used: a
    closed year (December counted) is written with actual figures; otherwise, and with an
    explicit `as_of` before December, as the year seen at that month, with 预计/初步测算
    full-year figures (as the year-end speech was given in December before the year closed)."""
    if projection not in PROJECTION_METHODS:
        raise ReportError(f"预计方法只能是 {'、'.join(PROJECTION_METHODS)}")
    cache = selectors.ReportCache(include_submitted=include_submitted)
    if as_of is not None and as_of.year != year:
        raise ReportError(f"截至月份 {as_of} 不在 {year} 年内")
    period = as_of or last_counted_month(park, year, cache, include_submitted)
    if period is None:
        raise ReportError(f"{park.name}{year}年没有已审核的企业报表，无法生成年度工作总结")
    if period.month < 12:
        subtitle = f"（数据截至{period.month_label}，全年数为初步测算）"
    else:
        subtitle = f"（{year}年全年数据）"
    return build_report(
        "annual",
        park=park,
        period=period,
        year=year,
        title=f"{park.name}{year}年度工作总结",
        subtitle=subtitle,
        cache=cache,
        projection_method=projection,
        narrative=narrative,
    )


def monthly_report(*, park: Park, period: Period, include_submitted: bool = False) -> Report:
    """月度经济运行分析 for the 1-本月 of `period`."""
    return build_report(
        "monthly",
        park=park,
        period=period,
        title=f"{park.name}{period.label}经济运行分析",
        subtitle=f"（数据截至{period.month_label}）",
        include_submitted=include_submitted,
    )


def require_content(report: Report) -> Report:
    """A report without any section is not written (the reasons are Chinese notes)."""
    if not report.sections:
        reason = report.omitted[0] if report.omitted else "没有可用数据。"
        raise ReportError(f"“{report.title}”没有可写的内容。{reason}")
    return report


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


LAYOUTS = {"official": "公文版式", "speech": "讲话稿（大字、宽行距）"}
SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")


def sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each 。；！？ (the speaker's copy keeps each on one page)."""
    return [s for s in SENTENCE.findall(paragraph) if s.strip()]


def to_docx(
    report: Report,
    *,
    layout: str = "official",
    sources: bool = True,
    notice: str = "",
    charts: bool = True,
) -> bytes:
    """The report in 公文 layout: title, numbered headings, text, charts, tables, 数据来源.

    `layout="speech"`: the speaker's copy (讲话稿) — large print, wide line spacing, each
    sentence kept on one page, no charts or tables. `sources=False` leaves the 数据来源
    appendix out of the printed speech. `notice` (a 定稿's “定稿后数据已变更：…”) is printed
    under the title. `charts=False` leaves the sections' charts out."""
    if layout not in LAYOUTS:
        raise ReportError(f"版式只能是：{'、'.join(LAYOUTS)}")
    speech = layout == "speech"
    doc = OfficialDocument(title=report.title, author="yuanqu 园区经济运行与项目管理平台")
    if speech:
        doc.speech_layout()
    doc.title(report.title)
    doc.subtitle(report.subtitle)
    if report.include_submitted:
        doc.note("【含未审核数据】本报告计入了“已提交”尚未审核的数据，仅供参考。")
    if notice:
        doc.note(notice)
    for heading in report.headings():
        if heading.level:
            (doc.heading1 if heading.level == 1 else doc.heading2)(heading.text)
        section = heading.section
        if section is None:
            continue
        for text in section.paragraphs:
            if speech:
                for n, sentence in enumerate(sentences(text)):
                    doc.sentence(sentence, first=n == 0)
            else:
                doc.paragraph(text)
        if speech:
            continue
        for chart in section.charts if charts else []:
            doc.image(chart.png, chart.width_mm, caption=chart.caption)
        for table in section.tables:
            doc.table(table.headers, table.rows, table.widths_mm, caption=table.caption)
            if table.note:
                doc.note(table.note)
    if not speech:
        for note in report.omitted:
            doc.note("注：" + note)
    if sources:
        doc.sources_table(
            [
                SourceEntry(f.figure, f.indicator, f.period, f.unit, f.method)
                for f in report.figures
            ],
            page_break=True,
        )
    return doc.to_bytes()


def summary_docx(report: Report) -> bytes:
    """数据摘要: every figure the speech uses on one A4 page — two columns of 序号, 指标 and
    数字; a figure of another period than the report's names it beside the indicator (the
    method is in the full 数据来源 appendix)."""
    from docx.shared import Mm, Pt

    doc = OfficialDocument(
        title=f"{report.title}数据摘要", author="yuanqu 园区经济运行与项目管理平台"
    )
    doc.title(f"{report.title}数据摘要")
    default = f"{report.year}年"
    doc.subtitle(f"（期间为{default}，另注者除外；共{len(report.figures)}项）")
    items = [
        [
            str(i),
            f.indicator if f.period == default else f"{f.indicator}（{f.period}）",
            f.figure,
        ]
        for i, f in enumerate(report.figures, 1)
    ]
    half = (len(items) + 1) // 2
    rows = [
        left + (items[half + n] if half + n < len(items) else ["", "", ""])
        for n, left in enumerate(items[:half])
    ]
    table = doc.table(
        ["序号", "指标", "数字"] * 2,
        rows,
        [7, 56, 20, 7, 56, 20],
        numbered=False,
        font_size_pt=7.5,
    )
    # One page: narrow margins and tight rows (the appendix of the full report keeps the
    # 公文 layout; this sheet is a speaker's crib).
    section = doc.document.sections[0]
    section.top_margin = section.bottom_margin = Mm(12)
    section.left_margin = section.right_margin = Mm(14)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.line_spacing = Pt(9)
                paragraph.paragraph_format.space_before = Pt(0)
                paragraph.paragraph_format.space_after = Pt(0)
    return doc.to_bytes()


def preview_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "headings": [
            {
                "text": h.text,
                "level": h.level,
                "section": h.section,
                "charts": [
                    (c.caption, base64.b64encode(c.png).decode("ascii"))
                    for c in (h.section.charts if h.section else [])
                ],
            }
            for h in report.headings()
        ],
        "stats": speech_stats(report.text()),
    }


def to_html(report: Report) -> str:
    """The preview fragment the reports page shows (title, text, charts, tables, 数据来源)."""
    return render_to_string("reports/preview.html", preview_context(report))


def to_html_document(report: Report) -> str:
    """A standalone HTML file (the CLI's and the API's html format)."""
    return render_to_string("reports/standalone.html", {"report": report, "body": to_html(report)})


def to_pdf(report: Report, **options: Any) -> bytes:
    """PDF through LibreOffice (``pdf.docx_to_pdf``); `PdfUnavailable` when it is not installed."""
    from yuanqu.reports.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="yuanqu_report_") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(to_docx(report, **options))
        return docx_to_pdf(src, Path(tmp)).read_bytes()


def render(report: Report, fmt: str, **options: Any) -> bytes:
    """The report as docx, pdf or html bytes (`options` of Word and PDF: see to_docx)."""
    if fmt == "docx":
        return to_docx(report, **options)
    if fmt == "pdf":
        return to_pdf(report, **options)
    if fmt == "html":
        return to_html_document(report).encode("utf-8")
    raise ReportError(f"不支持的格式“{fmt}”：可选 docx、pdf、html")


def filename(report: Report, fmt: str) -> str:
    return f"{report.title}.{fmt}"
