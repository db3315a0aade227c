"""Word (.docx) output in Chinese official-document layout (GB/T 9704 conventions).

Why this module exists: python-docx's default template is US Letter with Calibri/Cambria
theme fonts, blue headings and a numbered Subtitle. A report that a park management
committee forwards upwards must look like a 公文: A4, margins 37/35/28/26 mm, title in
方正小标宋简体 二号, body in 仿宋_GB2312 三号 at a fixed 28 pt line pitch (22 lines a page),
level-1 headings 黑体, level-2 headings 楷体_GB2312, page numbers "— 1 —".

Two details matter for Chinese text and are easy to get wrong:

* ``font.name`` in python-docx writes only ``w:ascii``/``w:hAnsi``; Word picks the font
  for Chinese characters from ``w:eastAsia``. We therefore write all four ``w:rFonts``
  attributes ourselves, and remove the ``*Theme`` attributes, which take precedence over
  explicit names and would silently bring back the theme fonts.
* A paragraph holding an inline picture must not use an exact line spacing, or Word and
  LibreOffice crop the picture to one 28 pt line. Figures get their own style.

The official font names are kept in the file even though Linux servers do not have these
fonts: the user's Word does, and for server-side PDF rendering :mod:`yuanqu.reports.pdf`
maps them to Noto CJK with a fontconfig file.

The builder is pure python-docx (no Django) so it can be unit-tested and reused by the
monthly economic analysis and the year-end work report alike.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import IO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = [
    "BODY_FONT",
    "BODY_SIZE_PT",
    "CAPTION_FONT",
    "HEADING1_FONT",
    "HEADING2_FONT",
    "LINE_PITCH_PT",
    "MARGINS_MM",
    "PAGE_NUMBER_FONT",
    "PAGE_SIZE_MM",
    "SOURCES_HEADERS",
    "SUBTITLE_FONT",
    "TABLE_FONT",
    "TABLE_HEADER_FONT",
    "TEXT_WIDTH_MM",
    "TITLE_FONT",
    "TITLE_SIZE_PT",
    "OfficialDocument",
    "SourceEntry",
    "is_numeric_text",
]

# --- Layout constants (GB/T 9704-2012 "党政机关公文格式") -------------------------------

PAGE_SIZE_MM: tuple[float, float] = (210.0, 297.0)
#: (top, bottom, left, right) — the standard 版心 156 mm × 225 mm on A4.
MARGINS_MM: tuple[float, float, float, float] = (37.0, 35.0, 28.0, 26.0)
TEXT_WIDTH_MM: float = PAGE_SIZE_MM[0] - MARGINS_MM[2] - MARGINS_MM[3]
#: Distance of the footer from the page edge: the page number sits ~7 mm below the text block.
FOOTER_DISTANCE_MM: float = 25.0
HEADER_DISTANCE_MM: float = 15.0

TITLE_FONT = "方正小标宋简体"
TITLE_SIZE_PT = 22.0  # 二号
SUBTITLE_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
BODY_SIZE_PT = 16.0  # 三号
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
TABLE_FONT = "仿宋_GB2312"
TABLE_HEADER_FONT = "黑体"
TABLE_SIZE_PT = 12.0  # 小四
CAPTION_FONT = "楷体_GB2312"
CAPTION_SIZE_PT = 14.0  # 四号
PAGE_NUMBER_FONT = "宋体"
PAGE_NUMBER_SIZE_PT = 14.0  # 四号半角宋体阿拉伯数字
#: Fixed line pitch: 28 pt gives the 22 lines a page of GB/T 9704.
LINE_PITCH_PT = 28.0
# 讲话稿: 二号-ish body for reading at a lectern, lines 1.8× apart.
SPEECH_SIZE_PT = 20.0
SPEECH_LINE_PT = 40.0
TITLE_LINE_PITCH_PT = 35.0
TABLE_LINE_PITCH_PT = 18.0

SOURCES_HEADERS: tuple[str, ...] = ("序号", "数字", "指标", "期间", "单位", "计算方法/来源")
#: Column widths of the 数据来源 table; they add up to the 156 mm text width.
SOURCES_COL_WIDTHS_MM: tuple[float, ...] = (11.0, 30.0, 33.0, 26.0, 14.0, 42.0)
#: The 数据来源 table is an appendix: 五号 (10.5 pt) keeps a long list on few pages.
SOURCES_SIZE_PT = 10.5

# Style names (paragraph styles created or rewritten by the builder).
STYLE_TABLE_TEXT = "Table Text"
STYLE_TABLE_HEADER = "Table Header"
STYLE_FIGURE = "Figure"
STYLE_NOTE = "Table Note"

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_NUMERIC_RE = re.compile(
    r"^[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?\s*(?:%|‰|个百分点|倍|pp)?$",
)


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One row of the 数据来源 table: a figure as printed in the text and where it came from.

    ``figure`` is the literal string the reader sees (e.g. ``"12.3%"``), so that a checker
    can find every number of the text in this table; the other fields say what it measures.
    """

    figure: str
    indicator: str
    period: str
    unit: str
    method: str

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> SourceEntry:
        """Build from a dict with keys figure/indicator/period/unit/method (missing → "")."""
        return cls(
            figure=str(data.get("figure", "") or ""),
            indicator=str(data.get("indicator", "") or ""),
            period=str(data.get("period", "") or ""),
            unit=str(data.get("unit", "") or ""),
            method=str(data.get("method", "") or ""),
        )


def is_numeric_text(text: str) -> bool:
    """True for cell text that reads as a number ("1,234.5", "-3.2%", "2.1个百分点").

    Numbers are right-aligned in tables so that digits line up; everything else is not.
    """
    stripped = text.strip()
    if not stripped or not any(ch.isdigit() for ch in stripped):
        return False
    return bool(_NUMERIC_RE.match(stripped))


# --- Low-level XML helpers -----------------------------------------------------------------


def _set_rfonts(rpr, east_asia: str, latin: str | None = None, *, hint: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Write ascii/hAnsi/eastAsia/cs font names on an ``w:rPr`` and drop theme fonts.

    Theme attributes win over explicit names in Word, so leaving ``w:eastAsiaTheme`` in place
    would make the Chinese text come out in the theme's 等线/宋体 instead of 仿宋_GB2312.
    """
    latin = latin or east_asia
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_FONT_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    if hint:
        # Ambiguous characters (“ ” — …) are then drawn with the East-Asian font, as Word
        # does itself when Chinese is typed.
        rfonts.set(qn("w:hint"), "eastAsia")


def _set_size(rpr, size_pt: float) -> None:  # type: ignore[no-untyped-def]
    """Set ``w:sz`` and ``w:szCs`` (half-points); szCs must follow sz in schema order."""
    half_points = str(round(size_pt * 2))
    sz = rpr.get_or_add_sz()
    sz.set(qn("w:val"), half_points)
    sz_cs = rpr.find(qn("w:szCs"))
    if sz_cs is None:
        sz_cs = OxmlElement("w:szCs")
        sz.addnext(sz_cs)
    sz_cs.set(qn("w:val"), half_points)


def _reset_rpr(style: BaseStyle) -> None:
    """Remove every run property of a style (theme fonts, colour, bold, spacing, kern...)."""
    rpr = style.element.find(qn("w:rPr"))
    if rpr is not None:
        style.element.remove(rpr)
    style.element.get_or_add_rPr()


def _style_fonts(
    style: BaseStyle,
    east_asia: str,
    size_pt: float,
    latin: str | None = None,
    *,
    bold: bool = False,
) -> None:
    """Give ``style`` exactly these fonts and size, in black, nothing else inherited."""
    _reset_rpr(style)
    rpr = style.element.get_or_add_rPr()
    _set_rfonts(rpr, east_asia, latin)
    # Explicit on/off so Word's built-in heading bold cannot come back via basedOn.
    for el in (rpr.get_or_add_b(), rpr.get_or_add_bCs()):
        el.set(qn("w:val"), "1" if bold else "0")
    rpr.get_or_add_color().set(qn("w:val"), "000000")
    _set_size(rpr, size_pt)


def _reset_ppr(style: BaseStyle) -> None:
    """Drop borders, numbering, tabs and spacing a built-in paragraph style carries."""
    ppr = style.element.find(qn("w:pPr"))
    if ppr is None:
        return
    for tag in ("w:pBdr", "w:numPr", "w:tabs", "w:contextualSpacing", "w:spacing", "w:ind"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)


def _set_first_line_chars(ppr, chars: int, size_pt: float) -> None:  # type: ignore[no-untyped-def]
    """First-line indent in characters (``w:firstLineChars``) plus the absolute fallback.

    Word honours ``firstLineChars`` (hundredths of a character) so the indent stays two
    characters if a user changes the font size; ``firstLine`` (twips) is for readers that
    only know absolute indents.
    """
    ind = ppr.get_or_add_ind()
    for attr in ("w:hanging", "w:hangingChars"):
        if qn(attr) in ind.attrib:
            del ind.attrib[qn(attr)]
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(round(chars * size_pt * 20)))


def _paragraph_format(
    style: BaseStyle,
    *,
    align: WD_ALIGN_PARAGRAPH | None,
    line_pt: float | None,
    before_pt: float = 0,
    after_pt: float = 0,
    first_line_chars: int = 0,
    size_pt: float = BODY_SIZE_PT,
    keep_with_next: bool | None = None,
) -> None:
    """Set alignment, fixed (or single) line spacing, spacing and first-line indent."""
    _reset_ppr(style)
    pf = style.paragraph_format  # type: ignore[attr-defined]
    pf.alignment = align
    pf.space_before = Pt(before_pt)
    pf.space_after = Pt(after_pt)
    if line_pt is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt)
    if keep_with_next is not None:
        pf.keep_with_next = keep_with_next
    ppr = style.element.get_or_add_pPr()
    _set_first_line_chars(ppr, first_line_chars, size_pt)


def _run_fonts(run: Run, east_asia: str, latin: str | None = None) -> None:
    """Put the fonts on the run itself as well: text pasted elsewhere keeps its font."""
    _set_rfonts(run._r.get_or_add_rPr(), east_asia, latin, hint=True)


def _add_field_run(paragraph: Paragraph, fld_type: str) -> Run:
    run = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), fld_type)
    run._r.append(fld)
    return run


# --- The builder ---------------------------------------------------------------------------


class OfficialDocument:
    """Builder for a report in 公文 layout; call methods in reading order, then save.

    Example::

        doc = OfficialDocument()
        doc.title("2025年1—10月园区经济运行情况分析")
        doc.subtitle("（2025年11月）")
        doc.heading1("一、总体情况")
        doc.paragraph("1—10月，园区实现规上工业总产值123.4亿元，同比增长5.6%。")
        doc.sources_table([SourceEntry("123.4", "规上工业总产值", "2025年1—10月", "亿元", "...")])
        doc.save("report.docx")

    ``latin_font`` chooses the font of digits and Latin letters; ``None`` uses the same
    Chinese font (the usual WPS/Word 公文 template), ``"Times New Roman"`` is the other
    common choice.
    """

    def __init__(
        self,
        *,
        latin_font: str | None = None,
        author: str = "",
        title: str = "",
    ) -> None:
        self._doc: DocxDocument = Document()
        self._latin = latin_font
        self._figure_no = 0
        self._table_no = 0
        self._last_title: Paragraph | None = None
        # python-docx resolves a style object to its id by scanning all styles on every
        # assignment (~3 ms each): a 30-row table spent most of its time there. Cache the ids.
        self._style_ids: dict[str, str] = {}
        self._setup_page()
        self._setup_styles()
        self._setup_footer()
        props = self._doc.core_properties
        # python-docx's template says "python-docx" / "generated by python-docx".
        props.author = author
        props.last_modified_by = author
        props.comments = ""
        props.title = title
        props.language = "zh-CN"

    # -- setup --------------------------------------------------------------------------

    def _setup_page(self) -> None:
        """A4 portrait, GB/T 9704 margins (the template default is US Letter)."""
        section = self._doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(PAGE_SIZE_MM[0])
        section.page_height = Mm(PAGE_SIZE_MM[1])
        top, bottom, left, right = MARGINS_MM
        section.top_margin = Mm(top)
        section.bottom_margin = Mm(bottom)
        section.left_margin = Mm(left)
        section.right_margin = Mm(right)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        section.gutter = Mm(0)

    def _setup_styles(self) -> None:
        doc = self._doc
        styles = doc.styles
        latin = self._latin

        # Document defaults: no theme fonts, Chinese language, no 10 pt "space after".
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_rfonts(rpr_default, BODY_FONT, latin)
        _set_size(rpr_default, BODY_SIZE_PT)
        lang = rpr_default.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr_default.append(lang)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:bidi"), "ar-SA")
        ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        spacing = ppr_default.get_or_add_spacing()
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")

        normal = styles["Normal"]
        _style_fonts(normal, BODY_FONT, BODY_SIZE_PT, latin)
        _paragraph_format(
            normal,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            line_pt=LINE_PITCH_PT,
            first_line_chars=2,
        )

        title = styles["Title"]
        _style_fonts(title, TITLE_FONT, TITLE_SIZE_PT)
        _paragraph_format(
            title,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=TITLE_LINE_PITCH_PT,
            after_pt=LINE_PITCH_PT,  # GB/T 9704: one blank line between title and body
            size_pt=TITLE_SIZE_PT,
        )

        subtitle = styles["Subtitle"]
        _style_fonts(subtitle, SUBTITLE_FONT, BODY_SIZE_PT, latin)
        _paragraph_format(
            subtitle,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=LINE_PITCH_PT,
            after_pt=LINE_PITCH_PT,
        )

        h1 = styles["Heading 1"]
        _style_fonts(h1, HEADING1_FONT, BODY_SIZE_PT)
        _paragraph_format(
            h1,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            line_pt=LINE_PITCH_PT,
            first_line_chars=2,
            keep_with_next=True,
        )
        h2 = styles["Heading 2"]
        _style_fonts(h2, HEADING2_FONT, BODY_SIZE_PT)
        _paragraph_format(
            h2,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            line_pt=LINE_PITCH_PT,
            first_line_chars=2,
            keep_with_next=True,
        )
        # Linked character styles are applied by Word when a style is set on a selection;
        # give them the same fonts so nothing blue/Calibri can appear.
        for name, font, size in (
            ("Title Char", TITLE_FONT, TITLE_SIZE_PT),
            ("Subtitle Char", SUBTITLE_FONT, BODY_SIZE_PT),
            ("Heading 1 Char", HEADING1_FONT, BODY_SIZE_PT),
            ("Heading 2 Char", HEADING2_FONT, BODY_SIZE_PT),
        ):
            _style_fonts(styles[name], font, size)

        caption = styles["Caption"]
        _style_fonts(caption, CAPTION_FONT, CAPTION_SIZE_PT, latin)
        _paragraph_format(
            caption,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=LINE_PITCH_PT,
            size_pt=CAPTION_SIZE_PT,
        )

        footer = styles["Footer"]
        _style_fonts(footer, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE_PT)
        _paragraph_format(
            footer,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=None,
            size_pt=PAGE_NUMBER_SIZE_PT,
        )
        header = styles["Header"]
        _style_fonts(header, BODY_FONT, TABLE_SIZE_PT, latin)
        _paragraph_format(header, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=None)

        table_text = self._get_or_add_paragraph_style(STYLE_TABLE_TEXT)
        _style_fonts(table_text, TABLE_FONT, TABLE_SIZE_PT, latin)
        _paragraph_format(
            table_text,
            align=None,
            line_pt=TABLE_LINE_PITCH_PT,
            size_pt=TABLE_SIZE_PT,
        )
        table_header = self._get_or_add_paragraph_style(STYLE_TABLE_HEADER)
        _style_fonts(table_header, TABLE_HEADER_FONT, TABLE_SIZE_PT)
        _paragraph_format(
            table_header,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=TABLE_LINE_PITCH_PT,
            size_pt=TABLE_SIZE_PT,
        )
        note = self._get_or_add_paragraph_style(STYLE_NOTE)
        _style_fonts(note, TABLE_FONT, TABLE_SIZE_PT, latin)
        _paragraph_format(note, align=None, line_pt=TABLE_LINE_PITCH_PT, size_pt=TABLE_SIZE_PT)

        figure = self._get_or_add_paragraph_style(STYLE_FIGURE)
        _style_fonts(figure, BODY_FONT, BODY_SIZE_PT, latin)
        # Single (auto) spacing: an exact 28 pt line would crop the picture to one line.
        _paragraph_format(
            figure,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=None,
            before_pt=6,
            keep_with_next=True,
        )

    def _get_or_add_paragraph_style(self, name: str) -> BaseStyle:
        styles = self._doc.styles
        try:
            return styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True
            return style

    def _setup_footer(self) -> None:
        """Centred "— N —" where N is a real PAGE field, so Word/LibreOffice number pages."""
        section = self._doc.sections[0]
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.style = self._doc.styles["Footer"]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

        def text_run(text: str) -> Run:
            run = paragraph.add_run(text)
            _run_fonts(run, PAGE_NUMBER_FONT)
            return run

        text_run("— ")
        _run_fonts(_add_field_run(paragraph, "begin"), PAGE_NUMBER_FONT)
        instr_run = paragraph.add_run()
        _run_fonts(instr_run, PAGE_NUMBER_FONT)
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        instr_run._r.append(instr)
        _run_fonts(_add_field_run(paragraph, "separate"), PAGE_NUMBER_FONT)
        text_run("1")  # cached result, replaced by the real number when the field updates
        _run_fonts(_add_field_run(paragraph, "end"), PAGE_NUMBER_FONT)
        text_run(" —")

    # -- content ------------------------------------------------------------------------

    @property
    def document(self) -> DocxDocument:
        """The underlying python-docx document, for anything the builder does not cover."""
        return self._doc

    def _style_id(self, name: str) -> str:
        style_id = self._style_ids.get(name)
        if style_id is None:
            style_id = self._style_ids[name] = self._doc.styles[name].style_id
        return style_id

    def _new_paragraph(self, style: str) -> Paragraph:
        paragraph = self._doc.add_paragraph()
        paragraph._p.style = self._style_id(style)
        return paragraph

    def _styled_paragraph(self, text: str, style: str, font: str, latin: str | None) -> Paragraph:
        paragraph = self._new_paragraph(style)
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            _run_fonts(run, font, latin)
            if index < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)
        self._last_title = None
        return paragraph

    def title(self, text: str) -> Paragraph:
        """Document title (方正小标宋简体 二号, centred). ``\\n`` splits a long title in lines."""
        paragraph = self._styled_paragraph(text, "Title", TITLE_FONT, None)
        if not self._doc.core_properties.title:
            self._doc.core_properties.title = text.replace("\n", "")
        self._last_title = paragraph
        return paragraph

    def subtitle(self, text: str) -> Paragraph:
        """Line under the title, e.g. the period or date (楷体_GB2312 三号, centred).

        Directly after a title the blank line moves below the subtitle, so title and date
        stay together as one block.
        """
        if self._last_title is not None:
            self._last_title.paragraph_format.space_after = Pt(0)
        return self._styled_paragraph(text, "Subtitle", SUBTITLE_FONT, self._latin)

    def heading1(self, text: str) -> Paragraph:
        """Level-1 heading in 黑体; the caller writes its own "一、" (no auto numbering)."""
        return self._styled_paragraph(text, "Heading 1", HEADING1_FONT, None)

    def heading2(self, text: str) -> Paragraph:
        """Level-2 heading in 楷体_GB2312; the caller writes its own "（一）"."""
        return self._styled_paragraph(text, "Heading 2", HEADING2_FONT, None)

    def paragraph(self, text: str) -> Paragraph:
        """Body paragraph: 仿宋_GB2312 三号, first line indented two characters."""
        return self._styled_paragraph(text, "Normal", BODY_FONT, self._latin)

    def speech_layout(
        self, *, size_pt: float = SPEECH_SIZE_PT, line_pt: float = SPEECH_LINE_PT
    ) -> None:
        """The speaker's copy (讲话稿): large print and wide lines for the body and headings;
        call before writing. Sentences are then written with `sentence`, each kept on one page."""
        for name in ("Normal", "Heading 1", "Heading 2", "Subtitle"):
            style = self._doc.styles[name]
            rpr = style.element.get_or_add_rPr()
            _set_size(rpr, size_pt)
            pf = style.paragraph_format  # type: ignore[attr-defined]
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(line_pt)
            if name == "Normal":
                _set_first_line_chars(style.element.get_or_add_pPr(), 2, size_pt)

    def sentence(self, text: str, *, first: bool) -> Paragraph:
        """One sentence of the speaker's copy as its own paragraph that never breaks across a
        page (keep lines together); only a paragraph's first sentence is indented."""
        paragraph = self._styled_paragraph(text, "Normal", BODY_FONT, self._latin)
        pf = paragraph.paragraph_format
        pf.keep_together = True
        pf.widow_control = True
        if not first:
            pf.first_line_indent = Pt(0)
        return paragraph

    def page_break(self) -> None:
        """Start a new page (e.g. before an attachment)."""
        self._doc.add_page_break()
        self._last_title = None

    def _caption(self, text: str) -> Paragraph:
        paragraph = self._styled_paragraph(text, "Caption", CAPTION_FONT, self._latin)
        return paragraph

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        col_widths_mm: Sequence[float] | None = None,
        *,
        caption: str | None = None,
        numbered: bool = True,
        font_size_pt: float | None = None,
    ) -> Table:
        """A bordered table in 小四 text with a 黑体 header row repeated on every page.

        ``font_size_pt`` overrides the 小四 size for the cells (e.g. 10.5 for a long appendix).

        Cells holding numbers are right-aligned so digits line up; the first column (the
        row labels) stays left-aligned. ``caption`` goes above the table as "表N　caption".
        Widths default to the 156 mm text width split evenly.
        """
        ncols = len(headers)
        if ncols == 0:
            raise ValueError("a table needs at least one column")
        for row in rows:
            if len(row) != ncols:
                raise ValueError(f"row has {len(row)} cells, expected {ncols}: {row!r}")
        if col_widths_mm is None:
            col_widths_mm = [TEXT_WIDTH_MM / ncols] * ncols
        elif len(col_widths_mm) != ncols:
            raise ValueError("col_widths_mm must have one width per column")

        if caption:
            if numbered:
                self._table_no += 1
                caption = f"表{self._table_no}　{caption}"
            self._caption(caption).paragraph_format.keep_with_next = True

        table = self._doc.add_table(rows=1 + len(rows), cols=ncols)
        table.style = self._doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self._set_table_grid(table, col_widths_mm)

        header_row = table.rows[0]
        tr_pr = header_row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeat header row on each page
        for col, text in enumerate(headers):
            self._fill_cell(
                header_row.cells[col],
                str(text),
                STYLE_TABLE_HEADER,
                TABLE_HEADER_FONT,
                WD_ALIGN_PARAGRAPH.CENTER,
                font_size_pt,
            )
        for r, values in enumerate(rows, start=1):
            row = table.rows[r]
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for col, value in enumerate(values):
                text = "" if value is None else str(value)
                if col > 0 and is_numeric_text(text):
                    align = WD_ALIGN_PARAGRAPH.RIGHT
                elif col > 0 and text.strip() in {"", "—", "-", "/", "…"}:
                    align = WD_ALIGN_PARAGRAPH.CENTER
                else:
                    align = WD_ALIGN_PARAGRAPH.LEFT
                self._fill_cell(
                    row.cells[col], text, STYLE_TABLE_TEXT, TABLE_FONT, align, font_size_pt
                )
        # Word reads widths from each cell (w:tcW), LibreOffice from the grid: set both.
        for row in table.rows:
            for col, cell in enumerate(row.cells):
                cell.width = Mm(col_widths_mm[col])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        self._last_title = None
        return table

    @staticmethod
    def _set_table_grid(table: Table, col_widths_mm: Sequence[float]) -> None:
        """Fixed layout with explicit grid widths: Word and LibreOffice then agree on widths."""
        tbl_pr = table._tbl.tblPr
        tbl_pr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
        tbl_w = tbl_pr.find(qn("w:tblW"))  # python-docx's table template always has one
        if tbl_w is not None:
            tbl_w.set(qn("w:type"), "dxa")
            tbl_w.set(qn("w:w"), str(round(sum(col_widths_mm) / 25.4 * 1440)))
        for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, col_widths_mm, strict=True):
            grid_col.w = Mm(width)

    def _fill_cell(
        self,
        cell: _Cell,
        text: str,
        style: str,
        font: str,
        align: WD_ALIGN_PARAGRAPH,
        size_pt: float | None = None,
    ) -> None:
        paragraph = cell.paragraphs[0]
        paragraph._p.style = self._style_id(style)
        paragraph.alignment = align
        if size_pt is not None:
            # The style's exact 18 pt pitch suits 小四; smaller text gets a tighter pitch.
            paragraph.paragraph_format.line_spacing = Pt(round(size_pt * 1.4))
        lines = text.split("\n")
        latin = None if style == STYLE_TABLE_HEADER else self._latin
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            _run_fonts(run, font, latin)
            if size_pt is not None:
                run.font.size = Pt(size_pt)
            if index < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    def image(
        self,
        png_bytes: bytes,
        width_mm: float = 150.0,
        caption: str | None = None,
        *,
        numbered: bool = True,
    ) -> Paragraph:
        """A centred picture (e.g. a chart from :mod:`yuanqu.reports.charts`) and its caption.

        The width is capped at the 156 mm text width. The caption goes below as "图N　caption".
        Returns the picture's paragraph.
        """
        width_mm = min(float(width_mm), TEXT_WIDTH_MM)
        paragraph = self._new_paragraph(STYLE_FIGURE)
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(png_bytes), width=Mm(width_mm))
        if caption:
            if numbered:
                self._figure_no += 1
                caption = f"图{self._figure_no}　{caption}"
            self._caption(caption)
        else:
            paragraph.paragraph_format.keep_with_next = False
        self._last_title = None
        return paragraph

    def note(self, text: str) -> Paragraph:
        """Small-print note under a table (e.g. "注：..."), 仿宋 小四, not indented."""
        return self._styled_paragraph(text, STYLE_NOTE, TABLE_FONT, self._latin)

    def sources_table(
        self,
        entries: Iterable[SourceEntry | Mapping[str, object]],
        *,
        heading: str | None = "数据来源",
        page_break: bool = False,
    ) -> Table | None:
        """The closing 数据来源 table: every figure of the text with what it measures.

        Columns: 序号, 数字 (exactly as written in the text), 指标, 期间, 单位, 计算方法/来源.
        It lets a reader (or a test) check each number in the report against its indicator,
        period, unit and computation. With no entries a one-line note is written instead and
        ``None`` is returned.
        """
        items = [e if isinstance(e, SourceEntry) else SourceEntry.from_mapping(e) for e in entries]
        if heading:
            title = self.heading1(heading)
            if page_break:
                # "Page break before" on the heading, not an empty paragraph holding a break:
                # when the text ends at the foot of a page, that paragraph would spill onto a
                # page of its own and leave it blank.
                title.paragraph_format.page_break_before = True
        elif page_break:
            self.page_break()
        if not items:
            self.note("（正文未引用统计数字。）")
            return None
        rows = [
            [str(i), e.figure, e.indicator, e.period, e.unit, e.method]
            for i, e in enumerate(items, start=1)
        ]
        table = self.table(
            list(SOURCES_HEADERS), rows, SOURCES_COL_WIDTHS_MM, font_size_pt=SOURCES_SIZE_PT
        )
        # 序号 centred; the 数字 column right-aligned even for "12.3万" style figures.
        for row in table.rows[1:]:
            row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            row.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return table

    # -- output -------------------------------------------------------------------------

    def save(self, path_or_stream: str | PathLike[str] | IO[bytes]) -> None:
        """Write the .docx to a path or a binary stream (e.g. a Django HttpResponse)."""
        self._doc.save(path_or_stream)  # type: ignore[arg-type]

    def to_bytes(self) -> bytes:
        """The .docx as bytes, for storing in a FileField or sending as a download."""
        buffer = io.BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()
