"""Reports for a park and period: build, then write as .docx (official layout), HTML or PDF."""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from yuanqu.core.periods import Period
from yuanqu.registry.models import Park
from yuanqu.reports.docx_layout import OfficialDocument, SourceEntry
from yuanqu.reports.engine import Report, Section, build_report

CN_NUMBERS = "一二三四五六七八九十"


@dataclass
class SpeechStats:
    """Speech mode: characters as Word counts them (字符数，不计空格) and the minutes to read."""

    characters: int
    speaking_minutes: int
    reading_minutes: int
    speaking_rate: int
    reading_rate: int


def speech_stats(
    text: str, *, speaking_rate: int | None = None, reading_rate: int | None = None
) -> SpeechStats:
    """Characters = all non-whitespace characters; minutes rounded up (7,729 at 300 → 26)."""
    speaking_rate = speaking_rate or settings.YUANQU_SPEAKING_RATE
    reading_rate = reading_rate or settings.YUANQU_READING_RATE
    chars = sum(1 for ch in text if not ch.isspace())
    return SpeechStats(
        chars,
        math.ceil(chars / speaking_rate),
        math.ceil(chars / reading_rate),
        speaking_rate,
        reading_rate,
    )


def annual_report(
    *, park: Park, year: int, as_of: Period | None = None, include_submitted: bool = False
) -> Report:
    period = as_of or Period(year, 12)
    if period.year != year:
        raise ValueError(f"--as-of {period} 不在 {year} 年内")
    title = f"{park.name}{year}年度工作总结"
    subtitle = (
        f"（数据截至{period.label}，全年数为预计/初步测算）"
        if period.month < 12
        else f"（{year}年全年数据）"
    )
    return build_report(
        "annual",
        park=park,
        period=period,
        as_of=period.month < 12,
        include_submitted=include_submitted,
        title=title,
        subtitle=subtitle,
    )


def monthly_report(*, park: Park, period: Period, include_submitted: bool = False) -> Report:
    title = f"{park.name}{period.label}经济运行分析"
    return build_report(
        "monthly",
        park=park,
        period=period,
        include_submitted=include_submitted,
        title=title,
        subtitle=f"（{period.label}）",
    )


def numbered(report: Report) -> list[tuple[str, int, Section | None]]:
    """(heading, level, section): 一、 for level 1, （一） for level 2 under "一、…年工作成效"."""
    out: list[tuple[str, int, Section | None]] = []
    top = sub = 0
    for s in report.sections:
        if report.kind == "annual" and s.level == 2:
            if sub == 0:
                top += 1
                out.append((f"{CN_NUMBERS[top - 1]}、{report.period.year}年工作成效", 1, None))
            sub += 1
            out.append((f"（{CN_NUMBERS[sub - 1]}）{s.title}", 2, s))
        else:
            top += 1
            out.append((f"{CN_NUMBERS[top - 1]}、{s.title}", 1, s))
    return out


def to_docx(report: Report) -> bytes:
    doc = OfficialDocument(title=report.title, author="yuanqu")
    doc.title(report.title)
    doc.subtitle(report.subtitle)
    for heading, level, section in numbered(report):
        (doc.heading1 if level == 1 else doc.heading2)(heading)
        if section is None:
            continue
        for text in section.paragraphs:
            doc.paragraph(text)
        for chart in section.charts:
            doc.image(chart.png, 150, caption=chart.caption)
        for table in section.tables:
            doc.table(table.headers, table.rows, caption=table.caption)
    for note in report.omitted:
        doc.note("注：" + note)
    doc.sources_table(
        [SourceEntry(f.figure, f.indicator, f.period, f.unit, f.method) for f in report.figures],
        page_break=True,
    )
    return doc.to_bytes()


def to_html(report: Report) -> str:
    import base64

    sections = [
        {
            "heading": heading,
            "level": level,
            "section": section,
            "charts": [(c.caption, base64.b64encode(c.png).decode()) for c in section.charts]
            if section
            else [],
        }
        for heading, level, section in numbered(report)
    ]
    return render_to_string(
        "reports/preview.html",
        {"report": report, "sections": sections, "stats": speech_stats(report.text())},
    )


def to_pdf(report: Report) -> bytes:
    from yuanqu.reports.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(to_docx(report))
        return docx_to_pdf(src, Path(tmp)).read_bytes()


def render(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(report)
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "html":
        return to_html(report).encode("utf-8")
    raise ValueError(f"不支持的格式“{fmt}”：可选 docx、pdf、html")
