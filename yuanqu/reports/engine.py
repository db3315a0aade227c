"""The report engine: a report is a list of sections; each section is a registered builder.

A builder takes a `SectionContext` (park, period, the shared `ReportCache`), reads its figures
only from the computation layer (`yuanqu.economy.selectors`), formats every number through
`ctx.fig(...)` — which renders it with the `core.wording` functions *and* records its source for
the closing 数据来源 table — and renders its text from a Jinja template over a documented
variable catalogue (sandboxed, undefined variables are errors). A builder that finds no data
returns `None`; the section is then left out with a note, never rendered with blanks.

Later modules add their sections with `@register_section("annual", order, key, title)`
(e.g. 项目建设 at order 20, 招商引资 at 30, 载体开发 at 40, 营商环境 at 50).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from yuanqu.core.periods import Period
from yuanqu.economy.selectors import ReportCache
from yuanqu.registry.models import Park

ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass
class Figure:
    """A number as printed in the text, with what it measures and how it was computed."""

    figure: str
    indicator: str
    period: str
    unit: str
    method: str


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    caption: str
    png: bytes


@dataclass
class Section:
    key: str
    title: str
    level: int = 2  # 1: a part heading (一、); 2: a section under it ((一))
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    kind: str
    title: str
    subtitle: str
    park: Park
    period: Period
    sections: list[Section]
    omitted: list[str]
    figures: list[Figure]

    def text(self) -> str:
        """All running text (title, headings, paragraphs), as a speechwriter would count it."""
        parts = [self.title]
        for s in self.sections:
            parts.append(s.title)
            parts.extend(s.paragraphs)
        return "\n".join(parts)

    def variables(self) -> dict[str, str]:
        merged: dict[str, str] = {"park_name": self.park.name, "title": self.title}
        for s in self.sections:
            merged.update(s.variables)
        return merged


class SectionContext:
    """What a builder gets: the park, the period, one shared cache, and the figure recorder."""

    def __init__(
        self,
        *,
        park: Park,
        period: Period,
        cache: ReportCache,
        as_of: bool = False,
        figures: list[Figure],
    ) -> None:
        self.park = park
        self.period = period
        self.cache = cache
        self.as_of = as_of  # the year is written as seen at `period`, before it closed
        self.figures = figures

    def fig(self, text: str, *, indicator: str, period: str, unit: str, method: str) -> str:
        """Record a figure for the 数据来源 table and return its text unchanged."""
        if not any(
            f.figure == text and f.indicator == indicator and f.period == period
            for f in self.figures
        ):
            self.figures.append(Figure(text, indicator, period, unit, method))
        return text


Builder = Callable[[SectionContext], Section | None]


@dataclass
class Registered:
    order: int
    key: str
    title: str
    builder: Builder
    template: str
    catalogue: dict[str, str]


SECTIONS: dict[str, list[Registered]] = {}


def register_section(
    kind: str,
    order: int,
    key: str,
    title: str,
    *,
    template: str = "",
    catalogue: dict[str, str] | None = None,
) -> Callable[[Builder], Builder]:
    """Register a section builder for a report kind ("annual", "monthly") at a position."""

    def wrap(builder: Builder) -> Builder:
        entries = SECTIONS.setdefault(kind, [])
        entries[:] = [e for e in entries if e.key != key]
        entries.append(Registered(order, key, title, builder, template, catalogue or {}))
        entries.sort(key=lambda e: e.order)
        return builder

    return wrap


def render_text(template: str, variables: dict[str, Any]) -> str:
    """Render a section's text template in the sandbox; an unknown variable is an error."""
    return ENV.from_string(template).render(**variables).strip()


def catalogue(kind: str) -> dict[str, dict[str, str]]:
    """{section key: {variable: description}} — the documented variables of a report kind."""
    _load_sections()
    return {e.key: dict(e.catalogue) for e in SECTIONS.get(kind, [])}


def _load_sections() -> None:
    from importlib import import_module

    import_module("yuanqu.reports.sections")


def build_report(
    kind: str,
    *,
    park: Park,
    period: Period,
    as_of: bool = False,
    include_submitted: bool = False,
    title: str = "",
    subtitle: str = "",
) -> Report:
    """Run every registered section of `kind`; sections without data are left out with a note."""
    _load_sections()
    cache = ReportCache(include_submitted=include_submitted)
    figures: list[Figure] = []
    ctx = SectionContext(park=park, period=period, cache=cache, as_of=as_of, figures=figures)
    sections, omitted = [], []
    for entry in SECTIONS.get(kind, []):
        section = entry.builder(ctx)
        if section is None:
            omitted.append(f"“{entry.title}”：本期没有可用数据，已略去")
            continue
        sections.append(section)
    return Report(kind, title, subtitle, park, period, sections, omitted, figures)


def ratio_text(value: Decimal) -> str:
    from yuanqu.core.wording import fmt_decimal

    return fmt_decimal(value, 2)
