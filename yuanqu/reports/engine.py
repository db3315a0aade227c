"""The report engine: a report is a list of registered sections, rendered from text templates.

How a section works
-------------------
A *section* is a builder registered for a report kind ("annual", "monthly") at a position::

    @register_section(
        "annual", 20, key="projects", title="项目建设", group="achievements",
        template="annual/projects.j2",
        variables={"count": "省市重点项目个数", "investment": "年度完成投资（亿元）"},
    )
    def projects(ctx: SectionContext) -> Section | None:
        rows = my_selectors.key_projects(park=ctx.park, year=ctx.year)
        if not rows:
            return ctx.omit("没有重点项目数据")
        return ctx.section(
            "annual/projects.j2",
            count=ctx.count(len(rows), "个", indicator="省市重点项目", period=ctx.year_label,
                            method="重点项目库"),
            investment=ctx.amount(total, indicator="重点项目年度完成投资", period=..., method=...),
        )

* The builder reads its figures only from a module's selectors (the computation layer).
* Every number reaches the text through an *emitter* of the context (``ctx.amount``,
  ``ctx.growth``, ``ctx.pull`` …): the emitter formats the number with the ``core.wording``
  functions **and** records its source (indicator, period, unit, method) for the closing
  数据来源 table. The emitted value is a :class:`Fig` (a ``str``) carrying that record.
* The text comes from a Jinja template (sandboxed, ``StrictUndefined``) over the section's
  documented variable catalogue (``variables=``). Rendering refuses — with a Chinese message —
  a variable outside the catalogue, a raw number (``Decimal``/``int``/``float``) or ``None``
  passed as a variable, any digit in the rendered text that is not part of a recorded figure or
  of a :class:`Label` (a period, a year, a name), and any placeholder (``X``, ``{{``, ``None``,
  ``nan``). So nothing in the text escapes the 数据来源 table.
* A builder that finds no data returns ``ctx.omit(reason)`` (``None``): the section is left
  out and the reason becomes a note, never a sentence with blanks.

Later modules (项目建设, 招商引资, 载体开发, 营商环境) put their builders in a
``report_sections.py`` of their app, declared in its ``module.py`` (``report_sections=``,
found by :func:`load_sections` through the module registry) and their templates in ``<app>/report_texts/``. The 问题与差距
section of the annual report collects *shortfalls* the same way (:func:`register_shortfall`).

Templates live in ``yuanqu/reports/texts/`` (and each app's ``report_texts/``); an installation
may override any of them with a file of the same name in ``settings.YUANQU_REPORT_TEXTS_DIR``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader, StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from yuanqu.core import wording
from yuanqu.core.periods import Period
from yuanqu.economy.selectors import IndicatorRow, ReportCache
from yuanqu.registry.models import Park

__all__ = [
    "BASE_VARIABLES",
    "Block",
    "Chart",
    "Fig",
    "Figure",
    "Label",
    "Rendered",
    "Report",
    "ReportError",
    "ReportTextError",
    "Section",
    "SectionContext",
    "SectionSpec",
    "ShortfallSpec",
    "Table",
    "Var",
    "blocks_of",
    "build_report",
    "catalogue",
    "check_templates",
    "load_sections",
    "register_group",
    "register_narrative",
    "register_outlook",
    "register_section",
    "register_shortfall",
]

TEXTS_DIR = Path(__file__).resolve().parent / "texts"


class ReportError(ValueError):
    """A report that cannot be produced (no data, bad period); the message is Chinese."""


class ReportTextError(RuntimeError):
    """A section's text broke a rule of the engine (a programming or template error)."""


# ---------------------------------------------------------------------------------------------
# What goes into the text: figures (recorded), labels (not figures) and rendered sub-texts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One row of the 数据来源 table: a figure exactly as printed, and how it was computed."""

    figure: str
    indicator: str
    period: str
    unit: str
    method: str


class Fig(str):
    """A figure as printed (the output of a ``core.wording`` function), with its source."""

    source: Figure

    def __new__(cls, text: str, source: Figure) -> Fig:
        obj = super().__new__(cls, text)
        obj.source = source
        return obj


class Label(str):
    """Text that may contain digits but is not a statistic: a period, a year, a name."""


class Rendered(str):
    """Text already rendered (and checked) from a sub-template, e.g. one shortfall sentence."""

    figures: tuple[Figure, ...] = ()
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Var:
    """One entry of a section's variable catalogue."""

    description: str
    kind: str = "text"  # "text" | "flag" (true/false) | "list" (of objects with `fields`)
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> Any:
        return {"text": "", "flag": False, "list": []}[self.kind]


#: Variables every section template (and every uploaded .docx template) can use.
BASE_VARIABLES: dict[str, Var] = {
    "park_name": Var("园区名称，如“示范工业园区”"),
    "region_name": Var("园区所在市（地区）名称，如“示范市”"),
    "year": Var("报告年度，如“2022年”"),
    "period_label": Var(
        "报告期：月度分析为“2022年1-9月”；年度报告全年为“2022年”，年中（--as-of）为“2022年1-11月”"
    ),
    "as_of_label": Var("数据截至的月份，如“2022年11月”"),
    "estimated": Var("年度未结束、全年数为预计/初步测算时为真", "flag"),
}


# ---------------------------------------------------------------------------------------------
# Report structure
# ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    widths_mm: list[float] | None = None
    note: str = ""


@dataclass
class Chart:
    caption: str
    png: bytes
    width_mm: float = 150.0


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str]
    group: str | None = None
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    # Unheaded text inside its part (the speech's preamble, thanks, 问题与差距 paragraph).
    headed: bool = True
    # Written by officials (人工撰写): free text, exempt from the digit check, kept in drafts.
    narrative: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Heading:
    text: str
    level: int  # 1: "一、…" (黑体); 2: "（一）…" (楷体); 0: no heading (unheaded text)
    section: Section | None


@dataclass
class Report:
    kind: str
    title: str
    subtitle: str
    park: Park
    period: Period
    year: int
    estimated: bool
    sections: list[Section]
    omitted: list[str]
    figures: list[Figure]
    base: dict[str, Any] = field(default_factory=dict)
    include_submitted: bool = False
    # Part headings as edited in the draft (group key → title); else the registered ones.
    part_titles: dict[str, str] = field(default_factory=dict)

    def headings(self) -> list[Heading]:
        """Section headings numbered as in a speech: 一、 for a part, （一） for a section in it."""
        out: list[Heading] = []
        top = 0
        current_group: str | None = None
        sub = 0
        for s in self.sections:
            if s.group:
                if s.group != current_group:
                    top += 1
                    sub = 0
                    current_group = s.group
                    title = self.part_titles.get(s.group) or group_title(self.kind, s.group)
                    title = title.replace("{year}", str(self.year)).replace(
                        "{next_year}", str(self.year + 1)
                    )
                    out.append(Heading(f"{cn_number(top)}、{title}", 1, None))
                if not s.headed:
                    out.append(Heading("", 0, s))
                    continue
                sub += 1
                out.append(Heading(f"（{cn_number(sub)}）{s.title}", 2, s))
            elif not s.headed:
                current_group = None
                out.append(Heading("", 0, s))
            else:
                current_group = None
                top += 1
                out.append(Heading(f"{cn_number(top)}、{s.title}", 1, s))
        return out

    def text(self) -> str:
        """The running text (title, headings, paragraphs) as a speaker would read it."""
        parts = [self.title]
        for h in self.headings():
            if h.text:
                parts.append(h.text)
            if h.section is not None:
                parts.extend(h.section.paragraphs)
        return "\n".join(parts)

    def template_context(self) -> dict[str, Any]:
        """Variables for an uploaded .docx template: the catalogue, filled (empty if omitted)."""
        context: dict[str, Any] = {}
        for spec in sections_of(self.kind):
            for name, var in spec.variables.items():
                context[name] = var.empty
            context[f"{spec.key}_text"] = ""
        context.update({k: v for k, v in self.base.items()})
        context["title"] = self.title
        context["subtitle"] = self.subtitle
        for s in self.sections:
            context.update(s.variables)
            context[f"{s.key}_text"] = "".join(s.paragraphs) if len(s.paragraphs) == 1 else s.text
        context["sections"] = [
            {
                "heading": h.text,
                "level": h.level,
                "key": h.section.key if h.section else "",
                "paragraphs": list(h.section.paragraphs) if h.section else [],
            }
            for h in self.headings()
        ]
        context["sources"] = [
            {"no": str(i), **f.__dict__} for i, f in enumerate(self.figures, start=1)
        ]
        context["omitted"] = list(self.omitted)
        return context


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (heading numbers)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------

Builder = Callable[["SectionContext"], "Section | None"]
ShortfallProvider = Callable[["SectionContext"], "list[Rendered]"]


@dataclass
class SectionSpec:
    kind: str
    order: int
    key: str
    title: str
    builder: Builder
    template: str
    variables: dict[str, Var]
    group: str | None = None
    headed: bool = True
    # A sentence officials may add to (or edit at) the end of the section (block "closing:KEY").
    closing: str = ""
    # For a narrative section: its default text (block "text:KEY"); None for a data section.
    narrative: str | None = None


@dataclass
class ShortfallSpec:
    kind: str
    order: int
    key: str
    provider: ShortfallProvider
    template: str
    variables: dict[str, Var]


SECTIONS: dict[str, list[SectionSpec]] = {}
SHORTFALLS: dict[str, list[ShortfallSpec]] = {}
OUTLOOKS: dict[str, list[ShortfallSpec]] = {}
GROUPS: dict[tuple[str, str], str] = {}
#: template name → its catalogue (section and shortfall templates alike)
TEMPLATE_VARIABLES: dict[str, dict[str, Var]] = {}
#: templates given inline at registration (name → source), e.g. by a module or a test
INLINE_TEMPLATES: dict[str, str] = {}


def _template_name(kind: str, key: str, template: str) -> str:
    """A template is a file name ending in ``.j2`` ("annual/economy.j2", looked up in the
    template directories) or else inline Jinja text, kept under "<kind>/<key>.inline"."""
    if template.endswith(".j2") and "\n" not in template:
        return template
    name = f"{kind}/{key}.inline"
    INLINE_TEMPLATES[name] = template
    _checked.discard(name)
    text_env.cache_clear()
    return name


def _normalise(variables: Mapping[str, str | Var] | None) -> dict[str, Var]:
    return {k: v if isinstance(v, Var) else Var(str(v)) for k, v in (variables or {}).items()}


def register_group(kind: str, key: str, title: str) -> None:
    """A part heading grouping sections, e.g. ("annual", "achievements", "{year}年工作成效")."""
    GROUPS[(kind, key)] = title


def group_title(kind: str, key: str) -> str:
    return GROUPS.get((kind, key), key)


def register_section(
    kind: str,
    order: int,
    builder: Builder | None = None,
    *,
    key: str | None = None,
    title: str,
    template: str,
    variables: Mapping[str, str | Var] | None = None,
    group: str | None = None,
    headed: bool = True,
    closing: str = "",
    narrative: str | None = None,
) -> Any:
    """Register a section builder for a report kind at `order` (use as a decorator or a call).

    `template` names the section's text template; `variables` is its documented catalogue
    (name → description or :class:`Var`). Variable names are unique within a report kind, so
    an uploaded .docx template can use them all side by side. Registering the same key again
    replaces the earlier registration (a module reloaded in development).
    """

    def wrap(func: Builder) -> Builder:
        name = key or func.__name__
        catalogue_ = _normalise(variables)
        clash = set(catalogue_) & set(BASE_VARIABLES)
        for other in SECTIONS.get(kind, []):
            if other.key != name:
                clash |= set(catalogue_) & set(other.variables)
        if clash:
            raise ValueError(f"报告“{kind}”中变量名重复：{'、'.join(sorted(clash))}")
        template_name = _template_name(kind, name, template)
        entries = SECTIONS.setdefault(kind, [])
        entries[:] = [e for e in entries if e.key != name]
        entries.append(
            SectionSpec(
                kind,
                order,
                name,
                title,
                func,
                template_name,
                catalogue_,
                group,
                headed,
                closing,
                narrative,
            )
        )
        entries.sort(key=lambda e: (e.order, e.key))
        TEMPLATE_VARIABLES[template_name] = catalogue_
        return func

    if builder is not None:
        return wrap(builder)
    return wrap


def register_narrative(
    kind: str,
    order: int,
    *,
    key: str,
    title: str,
    default: str,
    group: str | None = None,
    headed: bool = True,
) -> None:
    """A block of text officials write (防疫, 党建引领, thanks …): no figures, edited per park and
    year in the report's draft (block "text:KEY"), `default` until then. DECISIONS.md: such
    blocks are labelled 人工撰写 and exempt from the digit check."""

    def builder(ctx: SectionContext) -> Section | None:
        return ctx.narrative_section()

    builder.__module__ = _caller_module()
    register_section(
        kind,
        order,
        builder,
        key=key,
        title=title,
        template="",
        variables={},
        group=group,
        headed=headed,
        narrative=default,
    )


def _caller_module() -> str:
    """The module registering a narrative block (so that load_sections drops it with its
    module, as it drops a module's builders)."""
    import inspect

    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame and frame.f_back else None
    return str(caller.f_globals.get("__name__", __name__)) if caller else __name__


@dataclass(frozen=True)
class Block:
    """One editable text of a report kind: a narrative section's text, a section's title or
    closing sentence, or a part heading. `key` is "text:K", "title:K", "closing:K", "part:G"."""

    key: str
    label: str
    default: str
    multiline: bool


def blocks_of(kind: str) -> list[Block]:
    """The texts officials may edit in a draft of `kind`, in the report's order."""
    load_sections()
    out: list[Block] = []
    seen_groups: set[str] = set()
    for spec in SECTIONS.get(kind, []):
        if spec.group and spec.group not in seen_groups:
            seen_groups.add(spec.group)
            out.append(
                Block(f"part:{spec.group}", "部分标题", group_title(kind, spec.group), False)
            )
        if spec.narrative is not None:
            if spec.headed:
                out.append(Block(f"title:{spec.key}", f"“{spec.title}”标题", spec.title, False))
            out.append(
                Block(f"text:{spec.key}", f"“{spec.title}”正文（人工撰写）", spec.narrative, True)
            )
            continue
        if spec.headed:
            out.append(Block(f"title:{spec.key}", f"“{spec.title}”标题", spec.title, False))
        out.append(
            Block(
                f"closing:{spec.key}", f"“{spec.title}”结尾语（人工撰写，可空）", spec.closing, True
            )
        )
    return out


def register_shortfall(
    kind: str,
    order: int,
    provider: ShortfallProvider | None = None,
    *,
    key: str | None = None,
    template: str,
    variables: Mapping[str, str | Var] | None = None,
) -> Any:
    """Register a provider of 问题与差距 sentences (e.g. missed targets, 招大引强短板).

    The provider returns a list of sentences rendered with ``ctx.render_part(template, …)``;
    the annual report's 问题与差距 section joins them in `order` ("比如…；又比如…").
    """
    return _register_part(SHORTFALLS, "shortfall", kind, order, provider, key, template, variables)


def register_outlook(
    kind: str,
    order: int,
    provider: ShortfallProvider | None = None,
    *,
    key: str | None = None,
    template: str,
    variables: Mapping[str, str | Var] | None = None,
) -> Any:
    """Register a provider of next-year sentences (下一年工作安排: a module's plan or target for
    the year after the report's, e.g. the key projects' plan), rendered like shortfalls and
    joined by the annual report's 下一年工作安排 section in `order`."""
    return _register_part(OUTLOOKS, "outlook", kind, order, provider, key, template, variables)


def _register_part(
    store: dict[str, list[ShortfallSpec]],
    prefix: str,
    kind: str,
    order: int,
    provider: ShortfallProvider | None,
    key: str | None,
    template: str,
    variables: Mapping[str, str | Var] | None,
) -> Any:
    def wrap(func: ShortfallProvider) -> ShortfallProvider:
        name = key or func.__name__
        template_name = _template_name(kind, f"{prefix}_{name}", template)
        entries = store.setdefault(kind, [])
        entries[:] = [e for e in entries if e.key != name]
        catalogue_ = _normalise(variables)
        entries.append(ShortfallSpec(kind, order, name, func, template_name, catalogue_))
        entries.sort(key=lambda e: (e.order, e.key))
        TEMPLATE_VARIABLES[template_name] = catalogue_
        return func

    if provider is not None:
        return wrap(provider)
    return wrap


_loaded: tuple[str, ...] | None = None
_section_paths: set[str] = set()
_dropped: set[str] = set()


def _under(module: str, paths: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in paths)


def load_sections() -> None:
    """Import the report sections every installed module declares (`ModuleSpec.
    report_sections`), again when the installed modules change; sections of a module no
    longer installed are dropped."""
    global _loaded
    from yuanqu.core.modules import import_all, modules

    if _loaded == tuple(m.key for m in modules()):
        return
    active = set(import_all("report_sections"))
    for path in active & _dropped:
        # Installed again after being dropped: run its registrations again.
        import importlib
        import sys

        for name in [n for n in sys.modules if _under(n, {path})]:
            importlib.reload(sys.modules[name])
    _section_paths.update(active)
    stale = _section_paths - active
    _dropped.clear()
    _dropped.update(stale)
    if stale:
        for entries in SECTIONS.values():
            entries[:] = [e for e in entries if not _under(e.builder.__module__, stale)]
        for parts in (*SHORTFALLS.values(), *OUTLOOKS.values()):
            parts[:] = [e for e in parts if not _under(e.provider.__module__, stale)]
    _loaded = tuple(m.key for m in modules())


def sections_of(kind: str) -> list[SectionSpec]:
    load_sections()
    return list(SECTIONS.get(kind, []))


def catalogue(kind: str) -> dict[str, Any]:
    """The documented variables of a report kind: base, then each section (and shortfall)."""
    load_sections()
    return {
        "base": dict(BASE_VARIABLES),
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "template": s.template,
                "variables": dict(s.variables),
            }
            for s in SECTIONS.get(kind, [])
        ],
        "shortfalls": [
            {"key": s.key, "template": s.template, "variables": dict(s.variables)}
            for s in SHORTFALLS.get(kind, [])
        ],
    }


def docx_variables(kind: str) -> dict[str, str]:
    """Every name an uploaded .docx template of `kind` may use, with its description."""
    load_sections()
    names = {k: v.description for k, v in BASE_VARIABLES.items()}
    names["title"] = "报告标题"
    names["subtitle"] = "副标题（数据期间说明）"
    for spec in SECTIONS.get(kind, []):
        for k, v in spec.variables.items():
            names[k] = v.description
        names[f"{spec.key}_text"] = f"“{spec.title}”一节的全文"
    names["sections"] = "列表：各节 heading（标题）、level（1/2）、paragraphs（段落列表）"
    names["sources"] = "列表：数据来源 no、figure、indicator、period、unit、method"
    names["omitted"] = "列表：因无数据略去的节的说明"
    return names


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def _search_path() -> list[str]:
    from django.apps import apps

    paths = []
    override = getattr(settings, "YUANQU_REPORT_TEXTS_DIR", None)
    if override:
        paths.append(str(override))
    paths.append(str(TEXTS_DIR))
    for app in apps.get_app_configs():
        candidate = Path(app.path) / "report_texts"
        if candidate.is_dir():
            paths.append(str(candidate))
    return paths


@cache
def text_env() -> SandboxedEnvironment:
    """The sandbox section texts render in: undefined names are errors, no autoescape (text)."""
    return SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(_search_path()), DictLoader(INLINE_TEMPLATES)]),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def template_source(name: str) -> str:
    env = text_env()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def undeclared(source: str) -> set[str]:
    return set(meta.find_undeclared_variables(text_env().parse(source)))


def check_template(name: str, source: str | None = None) -> None:
    """Refuse a template that uses a variable outside its catalogue (Chinese message)."""
    try:
        source = template_source(name) if source is None else source
        used = undeclared(source)
    except TemplateError as exc:
        raise ReportTextError(f"报告文字模板“{name}”有语法错误：{exc}") from exc
    known = set(TEMPLATE_VARIABLES.get(name, {})) | set(BASE_VARIABLES)
    unknown = sorted(used - known)
    if unknown:
        raise ReportTextError(
            f"报告文字模板“{name}”使用了变量目录中没有的变量："
            + "、".join("{{ " + u + " }}" for u in unknown)
        )


def check_templates() -> list[str]:
    """Check every registered template against its catalogue; return the names checked."""
    load_sections()
    for name in TEMPLATE_VARIABLES:
        check_template(name)
    return sorted(TEMPLATE_VARIABLES)


_checked: set[str] = set()


def _template(name: str):  # type: ignore[no-untyped-def]
    if name not in _checked:
        check_template(name)
        _checked.add(name)
    return text_env().get_template(name)


# ---------------------------------------------------------------------------------------------
# Text checks
# ---------------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[XＸ]|None|nan|NaN|inf|null|undefined)(?![A-Za-z])|\{\{|\}\}|\{%|%\}"
)
DIGITS = re.compile(r"[0-9０-９]+(?:[.,][0-9]+)*")


def untracked_numbers(text: str, allowed: Iterable[str]) -> list[str]:
    """The numbers in `text` that are not inside any of the `allowed` strings."""
    rest = text
    for s in sorted({a for a in allowed if a}, key=len, reverse=True):
        rest = rest.replace(s, "\x00")
    return DIGITS.findall(rest)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by a blank line; lines inside a paragraph are joined."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        joined = "".join(line.strip() for line in block.splitlines())
        if joined:
            paragraphs.append(joined)
    return paragraphs


# ---------------------------------------------------------------------------------------------
# The context a builder gets
# ---------------------------------------------------------------------------------------------


class SectionContext:
    """Park, period and one shared `ReportCache`; emitters that format *and* record figures."""

    def __init__(
        self,
        *,
        kind: str,
        park: Park,
        period: Period,
        year: int,
        cache: ReportCache,
        projection_method: str = "seasonal",
        narrative: Mapping[str, str] | None = None,
    ) -> None:
        self.kind = kind
        # The draft's edited texts ("text:K", "title:K", "closing:K", "part:G"), if any.
        self.narrative: Mapping[str, str] = narrative or {}
        self.park = park
        self.period = period  # the data period: 1-本月 of the month the report sees
        self.year = year
        self.cache = cache
        self.include_submitted = cache.include_submitted
        self.projection_method = projection_method
        self.spec: SectionSpec | None = None
        self._figures: list[Figure] = []
        self._omit_reason = ""

    # -- state ------------------------------------------------------------------------------
    @property
    def estimated(self) -> bool:
        """The annual report of a year not yet closed: full-year figures are 预计/初步测算."""
        return self.kind == "annual" and self.period.month < 12

    @property
    def year_label(self) -> Label:
        return Label(f"{self.year}年")

    @property
    def period_label(self) -> Label:
        """2022年1-9月; the annual report of a closed year says 2022年."""
        if self.kind == "annual" and self.period.month == 12:
            return Label(f"{self.period.year}年")
        return Label(self.period.label)

    def label(self, text: str) -> Label:
        """Mark text with digits that is not a statistic (a name such as “…120有限公司”)."""
        return Label(text)

    def block(self, key: str, default: str) -> str:
        """A text of the draft as officials edited it, else `default`."""
        found = self.narrative.get(key)
        return default if found is None else found

    def narrative_section(self) -> Section | None:
        """The current narrative section from its block (人工撰写); left out when emptied."""
        assert self.spec is not None and self.spec.narrative is not None
        text = self.block(f"text:{self.spec.key}", self.spec.narrative).strip()
        if not text:
            return self.omit("人工撰写的段落为空")
        return Section(
            key=self.spec.key,
            title=self.spec.title,
            group=self.spec.group,
            paragraphs=split_paragraphs(text),
            headed=self.spec.headed,
            narrative=True,
        )

    def base_variables(self) -> dict[str, Any]:
        region = self.park.region.name if self.park.region_id else ""
        return {
            "park_name": Label(self.park.name),
            "region_name": Label(region),
            "year": self.year_label,
            "period_label": self.period_label,
            "as_of_label": Label(self.period.month_label),
            "estimated": self.estimated,
        }

    def omit(self, reason: str) -> None:
        """Leave this section out; `reason` becomes the note (“…：reason，已略去”)."""
        self._omit_reason = reason
        return None

    # -- emitters: format with core.wording and record the source -------------------------
    def _emit(
        self, text: str, *, indicator: str, period: str | Period, unit: str, method: str
    ) -> Fig:
        label = period.label if isinstance(period, Period) else str(period)
        source = Figure(str(text), indicator, label, unit, method)
        if source not in self._figures:
            self._figures.append(source)
        return Fig(text, source)

    def amount(
        self,
        value: Decimal,
        *,
        indicator: str,
        period: str | Period,
        method: str,
        unit: str = "万元",
        places: int = 2,
    ) -> Fig:
        """An amount in 亿元 (``wording.yi_yuan``): 850,000 万元 → “85.00亿元”."""
        _require(value, indicator)
        return self._emit(
            wording.yi_yuan(value, unit, places),
            indicator=indicator,
            period=period,
            unit="亿元",
            method=method,
        )

    def planned_amount(
        self,
        value: Decimal,
        *,
        indicator: str,
        period: str | Period,
        method: str,
        unit: str = "万元",
    ) -> Fig:
        """A target or plan in 亿元 with only the decimals it has: “100亿元”, “4.8亿元”.

        Targets are round numbers set by people, not measurements: “100.00亿元” would suggest a
        precision they do not have. Measurements keep two decimals (``amount``).
        """
        _require(value, indicator)
        yi = wording.convert_amount(value, unit, "亿元")
        places = 0
        while places < 2 and wording.round_half_up(yi, places) != yi:
            places += 1
        return self._emit(
            wording.yi_yuan(value, unit, places),
            indicator=indicator,
            period=period,
            unit="亿元",
            method=method,
        )

    def quantity(
        self,
        value: Decimal,
        unit: str,
        *,
        indicator: str,
        period: str | Period,
        method: str,
        places: int = 2,
    ) -> Fig:
        """A non-money amount with its unit: “1,239.40万美元” (``wording.fmt_decimal``)."""
        _require(value, indicator)
        return self._emit(
            wording.fmt_decimal(value, places, thousands=True) + unit,
            indicator=indicator,
            period=period,
            unit=unit,
            method=method,
        )

    def growth(
        self, pct: Decimal | None, *, indicator: str, period: str | Period, method: str
    ) -> Fig | str:
        """“增长23.2%” / “下降4.0%” / “持平” / “增长1.1倍” (``wording.growth_phrase``)."""
        if pct is None:
            return wording.NO_BASE_PHRASE
        return self._emit(
            wording.growth_phrase(pct), indicator=indicator, period=period, unit="%", method=method
        )

    def growth_for_base(
        self,
        current: Decimal,
        base: Decimal | None,
        *,
        indicator: str,
        period: str | Period,
        method: str,
    ) -> Fig | str:
        """Growth of a quantity that can be ≤ 0: “扭亏为盈”, “减亏X%” (``growth_phrase_for_base``)."""
        text = wording.growth_phrase_for_base(current, base)
        if not any(ch.isdigit() for ch in text):
            return text
        return self._emit(text, indicator=indicator, period=period, unit="%", method=method)

    def rate(self, pct: Decimal, *, indicator: str, period: str | Period, method: str) -> Fig:
        """A percentage: “85.0%” (``wording.pct_str``)."""
        _require(pct, indicator)
        return self._emit(
            wording.pct_str(pct), indicator=indicator, period=period, unit="%", method=method
        )

    def points(self, pp: Decimal, *, indicator: str, period: str | Period, method: str) -> Fig:
        """Percentage points as a magnitude: “15.0个百分点” (``wording.pp_phrase``); the template
        words the direction (高于/低于)."""
        _require(pp, indicator)
        return self._emit(
            wording.pp_phrase(abs(pp)),
            indicator=indicator,
            period=period,
            unit="个百分点",
            method=method,
        )

    def pull(
        self, pp: Decimal | None, *, indicator: str, period: str | Period, method: str
    ) -> Fig | str:
        """“拉动增长9.4个百分点” / “下拉1.0个百分点” (``wording.pull_phrase``)."""
        if pp is None:
            return wording.pull_phrase(None)
        return self._emit(
            wording.pull_phrase(pp),
            indicator=indicator,
            period=period,
            unit="个百分点",
            method=method,
        )

    def completion(self, pct: Decimal, *, indicator: str, period: str | Period, method: str) -> Fig:
        """“完成年度目标的85.0%” (``wording.completion_phrase``)."""
        _require(pct, indicator)
        return self._emit(
            wording.completion_phrase(pct),
            indicator=indicator,
            period=period,
            unit="%",
            method=method,
        )

    def time_progress(
        self, ahead_pp: Decimal, *, indicator: str, period: str | Period, method: str
    ) -> Fig | str:
        """“超序时进度10.8个百分点” / “慢于序时进度…” / “与序时进度持平”."""
        _require(ahead_pp, indicator)
        text = wording.time_progress_phrase(ahead_pp)
        if not any(ch.isdigit() for ch in text):
            return text
        return self._emit(text, indicator=indicator, period=period, unit="个百分点", method=method)

    def trend(
        self,
        now: Decimal | None,
        prev: Decimal | None,
        prev_label: str,
        *,
        indicator: str,
        period: str | Period,
        method: str,
    ) -> Fig | str:
        """“增速比1-8月加快0.3个百分点” (``wording.trend_change_phrase``); "" without a base."""
        text = wording.trend_change_phrase(now, prev, prev_label)
        if text is None:
            return ""
        return self._emit(text, indicator=indicator, period=period, unit="个百分点", method=method)

    def multiple(self, ratio: Decimal, *, indicator: str, period: str | Period, method: str) -> Fig:
        """A ratio as a multiple: “2.02倍” (two decimals, half up)."""
        _require(ratio, indicator)
        return self._emit(
            wording.fmt_decimal(ratio, 2) + "倍",
            indicator=indicator,
            period=period,
            unit="倍",
            method=method,
        )

    def rank(self, rank: int, *, indicator: str, period: str | Period, method: str) -> Fig:
        """A position: “第1位”."""
        _require(rank, indicator)
        return self._emit(
            f"第{int(rank)}位", indicator=indicator, period=period, unit="位", method=method
        )

    def count(
        self,
        n: int,
        measure: str,
        *,
        indicator: str,
        period: str | Period,
        method: str,
        words: bool = False,
    ) -> Fig:
        """A count with its measure word: “4个”, “137家”; `words=True` writes a small count in
        Chinese as the speech does (“两个”, “四大”: ``wording.cn_count``)."""
        _require(n, indicator)
        text = wording.cn_count(int(n)) if words else str(int(n))
        return self._emit(
            f"{text}{measure}", indicator=indicator, period=period, unit=measure, method=method
        )

    # -- emitters over an indicator row of the selectors ----------------------------------
    @staticmethod
    def method_of(row: IndicatorRow) -> str:
        """The selectors' own description of how the row was obtained (a report column named
        by its form label rather than its database name: “（工业总产值(1-本月)）”)."""
        text = "；".join(row.sources) or (
            "规上企业报表汇总" if row.source == "computed" else "部门发布数"
        )
        return FIELD_NAME.sub(_field_label, text)

    def row_amount(
        self,
        row: IndicatorRow,
        value: Decimal | None = None,
        *,
        indicator: str = "",
        period: str | Period | None = None,
        method: str = "",
    ) -> Fig:
        """The row's YTD value (or `value`) in 亿元, sourced from the row."""
        return self.amount(
            row.value if value is None else value,
            unit=row.unit,
            indicator=indicator or row.name,
            period=self.period_label if period is None else period,
            method=method or self.method_of(row),
        )

    def row_growth(self, row: IndicatorRow, *, period: str | Period | None = None) -> Fig | str:
        """The row's growth: comparable basis for a computed indicator, else the released rate."""
        if row.source == "computed":
            method = (
                "可比口径：本期规上企业1-本月合计 ÷ 同一批企业各自上年同期合计 − 1"
                f"（{row.enterprise_count}家企业）"
            )
        else:
            method = "部门发布增速" + (f"（{row.period.label}）" if row.period else "")
        return self.growth(
            row.yoy_pct,
            indicator=f"{row.name}同比增速",
            period=self.period_label if period is None else period,
            method=method,
        )

    # -- rendering --------------------------------------------------------------------------
    def _render(self, template: str, variables: Mapping[str, Any]) -> tuple[str, list[str]]:
        catalogue_ = TEMPLATE_VARIABLES.get(template)
        if catalogue_ is None:
            raise ReportTextError(f"报告文字模板“{template}”未登记（register_section）")
        extra = sorted(set(variables) - set(catalogue_))
        if extra:
            raise ReportTextError(
                f"“{template}”传入了变量目录中没有的变量：{'、'.join(extra)}（请补充变量目录）"
            )
        values = {**self.base_variables(), **variables}
        allowed: list[str] = []
        for name, value in values.items():
            _check_value(template, name, value, allowed)
        text = _template(template).render(values)
        bad = PLACEHOLDER.search(text)
        if bad:
            raise ReportTextError(f"“{template}”的文字中留有占位符“{bad.group(0)}”：{text}")
        loose = untracked_numbers(text, allowed)
        if loose:
            raise ReportTextError(
                f"“{template}”的文字中有未登记来源的数字：{'、'.join(loose)}（数字须经 ctx 的"
                f"amount/growth/… 输出，或用 ctx.label 标明不是统计数）：{text}"
            )
        return text, allowed

    def render_part(self, template: str, **variables: Any) -> Rendered:
        """Render a sub-template (one sentence, e.g. a shortfall) with the same checks."""
        text, allowed = self._render(template, variables)
        out = Rendered(" ".join(split_paragraphs(text)))
        out.allowed = tuple(allowed)
        return out

    def section(
        self,
        template: str | None = None,
        *,
        tables: list[Table] | None = None,
        charts: list[Chart] | None = None,
        **variables: Any,
    ) -> Section:
        """Render the section's template over `variables` and return the section."""
        assert self.spec is not None, "section() outside a builder"
        text, _ = self._render(template or self.spec.template, variables)
        return Section(
            key=self.spec.key,
            title=self.spec.title,
            group=self.spec.group,
            paragraphs=split_paragraphs(text),
            tables=tables or [],
            charts=charts or [],
            variables=dict(variables),
            headed=self.spec.headed,
        )

    # -- engine hooks -----------------------------------------------------------------------
    def _begin(self, spec: SectionSpec) -> None:
        self.spec = spec
        self._figures = []
        self._omit_reason = ""

    def _end(self) -> tuple[list[Figure], str]:
        figures, reason = self._figures, self._omit_reason
        self.spec, self._figures, self._omit_reason = None, [], ""
        return figures, reason


FIELD_NAME = re.compile(r"（([a-z][a-z0-9_]*)）")


def _field_label(match: re.Match[str]) -> str:
    from django.core.exceptions import FieldDoesNotExist

    from yuanqu.economy.models import EnterpriseReport

    try:
        label = EnterpriseReport._meta.get_field(match.group(1)).verbose_name
    except FieldDoesNotExist:
        return match.group(0)
    return f"（{label}）"


def _require(value: Any, what: str) -> None:
    if value is None:
        raise ReportTextError(f"“{what}”没有数值：没有数据的句子应整句略去，而不是留空")
    if isinstance(value, float):
        raise ReportTextError(f"“{what}”是浮点数：请用 Decimal")


def _check_value(template: str, name: str, value: Any, allowed: list[str]) -> None:
    if isinstance(value, Fig | Label):
        allowed.append(str(value))
    elif isinstance(value, Rendered):
        allowed.append(str(value))
    elif isinstance(value, bool):
        pass
    elif isinstance(value, str):
        if DIGITS.search(value):
            raise ReportTextError(
                f"“{template}”的变量 {name}=“{value}”含数字但不是经 ctx 输出的数字"
                "（用 ctx.amount 等输出，或用 ctx.label 标明）"
            )
    elif value is None:
        raise ReportTextError(f"“{template}”的变量 {name} 为 None：没有数据请传空字符串并略去句子")
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _check_value(template, f"{name}.{k}", v, allowed)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _check_value(template, f"{name}[{i}]", v, allowed)
    else:
        raise ReportTextError(
            f"“{template}”的变量 {name} 是 {type(value).__name__}：数字须经 ctx 的 amount/growth/…"
            "按 core.wording 规则输出"
        )


# ---------------------------------------------------------------------------------------------
# Building a report
# ---------------------------------------------------------------------------------------------


def build_report(
    kind: str,
    *,
    park: Park,
    period: Period,
    year: int | None = None,
    title: str,
    subtitle: str,
    cache: ReportCache | None = None,
    include_submitted: bool = False,
    projection_method: str = "seasonal",
    narrative: Mapping[str, str] | None = None,
) -> Report:
    """Run every registered section of `kind` in order; sections without data become notes.

    `narrative` holds the draft's edited texts: narrative sections' text, section titles and
    closing sentences, part headings (`blocks_of`); what is not there takes its default."""
    load_sections()
    cache = cache or ReportCache(include_submitted=include_submitted)
    # The economy figures of this year and last, read in a handful of queries.
    cache.prefetch([park], [period.year, period.year - 1])
    ctx = SectionContext(
        kind=kind,
        park=park,
        period=period,
        year=year or period.year,
        cache=cache,
        projection_method=projection_method,
        narrative=narrative,
    )
    sections: list[Section] = []
    omitted: list[str] = []
    for spec in SECTIONS.get(kind, []):
        ctx._begin(spec)
        try:
            section = spec.builder(ctx)
        finally:
            recorded, reason = ctx._end()
        if section is None:
            if spec.narrative is None:
                omitted.append(f"“{spec.title}”：{reason or '本期没有可用数据'}，已略去。")
            continue
        section.title = ctx.block(f"title:{spec.key}", section.title).strip() or section.title
        closing = ctx.block(f"closing:{spec.key}", spec.closing).strip()
        if closing and section.paragraphs and not section.narrative:
            section.paragraphs[-1] += closing
        text = section.text
        used = [f for f in recorded if f.figure in text]
        used.sort(key=lambda f: text.find(f.figure))
        section.figures = used
        sections.append(section)
    figures: list[Figure] = []
    for s in sections:
        for f in s.figures:
            if f not in figures:
                figures.append(f)
    return Report(
        kind=kind,
        title=title,
        subtitle=subtitle,
        park=park,
        period=period,
        year=ctx.year,
        estimated=ctx.estimated,
        sections=sections,
        omitted=omitted,
        figures=figures,
        base=ctx.base_variables(),
        include_submitted=cache.include_submitted,
        part_titles={
            key[len("part:") :]: value.strip()
            for key, value in (narrative or {}).items()
            if key.startswith("part:") and value.strip()
        },
    )
