"""The .docx must reopen with GB/T 9704 layout: A4, margins, official fonts (eastAsia), 28 pt.

Also checks the chart helpers, because the report embeds them: PNG bytes, negative values,
missing months, and a machine without any CJK font (warn, never crash).
No Django needed: the builder and charts are pure functions over python-docx/matplotlib.
"""

from __future__ import annotations

import glob
import io
import logging
import os
import struct
from decimal import Decimal as D
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from yuanqu.reports import charts
from yuanqu.reports.docx_layout import (
    BODY_FONT,
    HEADING1_FONT,
    HEADING2_FONT,
    SOURCES_HEADERS,
    SUBTITLE_FONT,
    TABLE_FONT,
    TABLE_HEADER_FONT,
    TITLE_FONT,
    OfficialDocument,
    SourceEntry,
    is_numeric_text,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def build_sample() -> OfficialDocument:
    """A short monthly analysis with every kind of block the reports use."""
    doc = OfficialDocument(author="园区管委会")
    doc.title("2025年1—10月园区经济运行情况分析")
    doc.subtitle("（2025年11月）")
    doc.paragraph("1—10月，园区实现规上工业总产值1,234.5亿元，同比增长5.6%。")
    doc.heading1("一、总体运行情况")
    doc.heading2("（一）工业生产稳步回升")
    doc.paragraph("10月当月产值136.2亿元，同比增长8.1%。")
    doc.table(
        ["产业集群", "产值（亿元）", "同比（%）"],
        [["新一代信息技术", "456.7", "9.8"], ["新材料", "210.3", "-3.4"], ["生物医药", "—", "—"]],
        [60, 48, 48],
        caption="重点产业集群产值",
    )
    png = charts.bar_line_chart(
        [1, 2, 3],
        [D("101.2"), D("88.4"), None],
        [D("97.0"), D("80.1"), D("115.2")],
        "规上工业总产值分月情况",
        "亿元",
    )
    doc.image(png, 150, "规上工业总产值分月情况")
    doc.sources_table(
        [
            SourceEntry("1,234.5", "规上工业总产值", "2025年1—10月", "亿元", "统计月报累计值"),
            {
                "figure": "5.6%",
                "indicator": "规上工业总产值增速",
                "period": "2025年1—10月",
                "unit": "%",
                "method": "(本期累计/上年同期累计-1)×100",
            },
        ]
    )
    return doc


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    build_sample().save(path)
    return path


@pytest.fixture(scope="module")
def reopened(docx_path: Path):  # type: ignore[no-untyped-def]
    return Document(str(docx_path))


def _east_asia(element) -> str | None:  # type: ignore[no-untyped-def]
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        return None
    rfonts = rpr.find(qn("w:rFonts"))
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


# --- page ----------------------------------------------------------------------------------


def test_page_is_a4_portrait(reopened) -> None:  # type: ignore[no-untyped-def]
    section = reopened.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.5)
    assert section.page_height.mm == pytest.approx(297, abs=0.5)


def test_margins_follow_gbt_9704(reopened) -> None:  # type: ignore[no-untyped-def]
    section = reopened.sections[0]
    assert section.top_margin.mm == pytest.approx(37, abs=0.5)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.5)
    assert section.left_margin.mm == pytest.approx(28, abs=0.5)
    assert section.right_margin.mm == pytest.approx(26, abs=0.5)


# --- styles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "font", "size_pt"),
    [
        ("Title", TITLE_FONT, 22),
        ("Subtitle", SUBTITLE_FONT, 16),
        ("Heading 1", HEADING1_FONT, 16),
        ("Heading 2", HEADING2_FONT, 16),
        ("Normal", BODY_FONT, 16),
        ("Table Text", TABLE_FONT, 12),
        ("Table Header", TABLE_HEADER_FONT, 12),
    ],
)
def test_style_fonts_have_east_asia_and_no_theme(reopened, style, font, size_pt) -> None:  # type: ignore[no-untyped-def]
    st = reopened.styles[style]
    rfonts = st.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == font
    assert rfonts.get(qn("w:ascii")) == font
    for attr in THEME_ATTRS:
        assert rfonts.get(qn(attr)) is None, f"{style} keeps theme font {attr}"
    assert st.font.size == Pt(size_pt)


def test_expected_official_font_names() -> None:
    assert TITLE_FONT == "方正小标宋简体"
    assert BODY_FONT == "仿宋_GB2312"
    assert HEADING1_FONT == "黑体"
    assert HEADING2_FONT == "楷体_GB2312"


def test_doc_defaults_have_no_theme_fonts(reopened) -> None:  # type: ignore[no-untyped-def]
    defaults = reopened.styles.element.find(qn("w:docDefaults"))
    rfonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == BODY_FONT
    for attr in THEME_ATTRS:
        assert rfonts.get(qn(attr)) is None


def test_body_has_fixed_28pt_lines_and_two_char_indent(reopened) -> None:  # type: ignore[no-untyped-def]
    pf = reopened.styles["Normal"].paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert pf.line_spacing == Pt(28)
    assert pf.first_line_indent == Pt(32)
    ind = reopened.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    for name in ("Heading 1", "Heading 2"):
        hpf = reopened.styles[name].paragraph_format
        assert hpf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert hpf.line_spacing == Pt(28)


def test_title_is_centred_and_headings_plain_black(reopened) -> None:  # type: ignore[no-untyped-def]
    assert reopened.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2"):
        st = reopened.styles[name]
        assert str(st.font.color.rgb) == "000000", f"{name} is coloured"
        assert st.font.bold is False
        ppr = st.element.pPr
        assert ppr is None or ppr.find(qn("w:numPr")) is None, f"{name} is auto-numbered"
        assert ppr is None or ppr.find(qn("w:pBdr")) is None, f"{name} has a border"


# --- content -------------------------------------------------------------------------------


def test_runs_carry_east_asia_font_of_their_style(reopened) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "Title": TITLE_FONT,
        "Subtitle": SUBTITLE_FONT,
        "Heading 1": HEADING1_FONT,
        "Heading 2": HEADING2_FONT,
        "Normal": BODY_FONT,
    }
    seen: set[str] = set()
    for paragraph in reopened.paragraphs:
        style = paragraph.style.name
        if style not in expected:
            continue
        for run in paragraph.runs:
            if run.text.strip():
                assert _east_asia(run._r) == expected[style], (style, run.text)
                seen.add(style)
    assert seen == set(expected)


def test_text_in_order_without_placeholders(reopened) -> None:  # type: ignore[no-untyped-def]
    texts = [p.text for p in reopened.paragraphs if p.text.strip()]
    assert texts[0] == "2025年1—10月园区经济运行情况分析"
    assert reopened.paragraphs[0].style.name == "Title"
    assert "一、总体运行情况" in texts
    assert "（一）工业生产稳步回升" in texts
    body = "\n".join(texts)
    for table in reopened.tables:
        body += "\n".join(cell.text for row in table.rows for cell in row.cells)
    for marker in ("{{", "}}", "{%", "Lorem", "TODO", "XXX", "python-docx", "Heading"):
        assert marker not in body
    props = reopened.core_properties
    assert props.author == "园区管委会"
    assert "python-docx" not in (props.comments or "")
    assert props.title == "2025年1—10月园区经济运行情况分析"


def test_captions_are_numbered(reopened) -> None:  # type: ignore[no-untyped-def]
    captions = [p.text for p in reopened.paragraphs if p.style.name == "Caption"]
    assert captions == ["表1　重点产业集群产值", "图1　规上工业总产值分月情况"]


def test_table_header_numbers_and_fonts(reopened) -> None:  # type: ignore[no-untyped-def]
    table = reopened.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["产业集群", "产值（亿元）", "同比（%）"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    first = table.rows[1].cells
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[2].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # "-3.4"
    assert table.rows[3].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # "—"
    assert _east_asia(table.rows[0].cells[0].paragraphs[0].runs[0]._r) == TABLE_HEADER_FONT
    assert _east_asia(first[0].paragraphs[0].runs[0]._r) == TABLE_FONT
    widths = [round(c.width.mm) for c in first]
    assert widths == [60, 48, 48]


def test_sources_table_is_last_and_complete(reopened) -> None:  # type: ignore[no-untyped-def]
    table = reopened.tables[-1]
    assert tuple(c.text for c in table.rows[0].cells) == SOURCES_HEADERS
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows == [
        ["1", "1,234.5", "规上工业总产值", "2025年1—10月", "亿元", "统计月报累计值"],
        ["2", "5.6%", "规上工业总产值增速", "2025年1—10月", "%", "(本期累计/上年同期累计-1)×100"],
    ]
    headings = [p.text for p in reopened.paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "数据来源"
    total_mm = sum(c.width.mm for c in table.rows[0].cells)
    assert total_mm == pytest.approx(156, abs=0.5)


def test_chart_is_embedded_in_an_auto_spaced_paragraph(reopened) -> None:  # type: ignore[no-untyped-def]
    assert len(reopened.inline_shapes) == 1
    shape = reopened.inline_shapes[0]
    assert shape.width.mm == pytest.approx(150, abs=0.5)
    figure_paragraphs = [p for p in reopened.paragraphs if p.style.name == "Figure"]
    assert len(figure_paragraphs) == 1
    # Exact 28 pt spacing would crop the picture to one line.
    assert figure_paragraphs[0].style.paragraph_format.line_spacing_rule != WD_LINE_SPACING.EXACTLY
    blip_ids = {rel.target_ref for rel in reopened.part.rels.values() if "image" in rel.reltype}
    assert len(blip_ids) == 1


def test_footer_has_real_page_field(reopened) -> None:  # type: ignore[no-untyped-def]
    footer = reopened.sections[0].footer
    assert not footer.is_linked_to_previous
    xml = footer._element.xml
    begin = xml.index('w:fldCharType="begin"')
    instr = xml.index("<w:instrText")
    separate = xml.index('w:fldCharType="separate"')
    end = xml.index('w:fldCharType="end"')
    assert begin < instr < separate < end
    instr_el = footer._element.find(".//" + qn("w:instrText"))
    assert instr_el.text == " PAGE "
    assert instr_el.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    paragraph = footer.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph.text.startswith("— ")
    assert paragraph.text.endswith(" —")


def test_to_bytes_and_stream_save_match_a_docx() -> None:
    doc = OfficialDocument()
    doc.title("测试")
    data = doc.to_bytes()
    assert data[:2] == b"PK"
    stream = io.BytesIO()
    doc.save(stream)
    assert Document(io.BytesIO(stream.getvalue())).paragraphs[0].text == "测试"


def test_latin_font_option_keeps_east_asia() -> None:
    doc = OfficialDocument(latin_font="Times New Roman")
    paragraph = doc.paragraph("增长5.6%")
    rfonts = paragraph.runs[0]._r.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == BODY_FONT
    assert rfonts.get(qn("w:ascii")) == "Times New Roman"


def test_empty_sources_writes_a_note() -> None:
    doc = OfficialDocument()
    assert doc.sources_table([]) is None
    assert "正文未引用统计数字" in doc.document.paragraphs[-1].text


def test_table_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError):
        OfficialDocument().table(["a", "b"], [["1"]])


@pytest.mark.parametrize(
    ("text", "numeric"),
    [
        ("1,234.5", True),
        ("-3.4", True),
        ("5.6%", True),
        ("1.2个百分点", True),
        ("12", True),
        ("—", False),
        ("新材料", False),
        ("2025年", False),
        ("", False),
    ],
)
def test_is_numeric_text(text: str, numeric: bool) -> None:
    assert is_numeric_text(text) is numeric


# --- charts --------------------------------------------------------------------------------


def _require_cjk_font() -> None:
    """Skip without Noto CJK (a laptop); fail instead when YUANQU_REQUIRE_ALL=1 (CI)."""
    if glob.glob("/usr/share/fonts/**/NotoSansCJK*", recursive=True):
        return
    reason = "fonts-noto-cjk not installed (apt-get install fonts-noto-cjk)"
    if os.environ.get("YUANQU_REQUIRE_ALL") == "1":
        pytest.fail(f"YUANQU_REQUIRE_ALL=1 but {reason}")
    pytest.skip(reason)


def test_charts_use_noto_sans_cjk_sc() -> None:
    _require_cjk_font()
    assert charts.cjk_font_family() == "Noto Sans CJK SC"


def test_bar_line_chart_png_with_missing_months() -> None:
    png = charts.bar_line_chart(
        list(range(1, 13)),
        [D("10.5"), D("-2.0"), *[None] * 10],
        [D("9.0"), D("0"), *[D("8")] * 10],
        "分月情况",
        "亿元",
        value_labels=True,
    )
    width, height = _png_size(png)
    assert width > 600
    assert height > 300


def test_bar_chart_handles_negative_values_and_many_categories() -> None:
    png = charts.bar_chart(
        [f"集群{i}" for i in range(12)],
        [D(i - 5) / 3 for i in range(12)],
        "各集群拉动",
        "百分点",
        sort=True,
    )
    assert png.startswith(PNG_SIGNATURE)


def test_share_chart_pie_and_fallback() -> None:
    pie = charts.pie_or_share_chart(["甲", "乙"], [D("3"), D("1")], "构成", "亿元")
    bars = charts.pie_or_share_chart(["甲", "乙", "丙"], [D("3"), D("-1"), None], "构成")
    assert pie.startswith(PNG_SIGNATURE)
    assert bars.startswith(PNG_SIGNATURE)


def test_empty_chart_renders() -> None:
    assert charts.bar_chart([], [], "无数据", "亿元").startswith(PNG_SIGNATURE)
    assert charts.bar_line_chart([], [], [], "无数据", "亿元").startswith(PNG_SIGNATURE)


def test_format_decimal_rounds_half_up() -> None:
    assert charts.format_decimal(D("2.25")) == "2.3"
    assert charts.format_decimal(D("1234.45"), 1) == "1,234.5"
    assert charts.format_decimal(D("-0.04")) == "0.0"
    assert charts.format_decimal(None) == ""


def test_no_cjk_font_warns_and_still_renders(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    charts.cjk_font_family.cache_clear()
    monkeypatch.setattr(charts, "_installed_families", lambda: {"DejaVu Sans"})
    monkeypatch.setattr(charts, "_FONT_FILE_PATTERNS", ())
    try:
        with caplog.at_level(logging.WARNING, logger=charts.__name__):
            assert charts.cjk_font_family() is None
            png = charts.bar_chart(["中文"], [D("1.5")], "没有中文字体", "亿元")
        assert png.startswith(PNG_SIGNATURE)
        assert any("fonts-noto-cjk" in r.getMessage() for r in caplog.records)
    finally:
        charts.cjk_font_family.cache_clear()
