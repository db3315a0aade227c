"""PDF through headless LibreOffice: Noto CJK embedded, page 1 renders, clear errors.

Real-tool tests need LibreOffice and poppler-utils: they are skipped (with the reason) where
those are missing, and fail instead when YUANQU_REQUIRE_ALL=1 so CI cannot pass by skipping.
Error paths (no soffice, soffice writes nothing, timeout) use stand-in scripts on PATH.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D
from pathlib import Path

import pytest

from yuanqu.reports import charts, pdf
from yuanqu.reports.docx_layout import OfficialDocument, SourceEntry
from yuanqu.reports.pdf import (
    FONTCONFIG_FILE,
    PdfConversionError,
    PdfUnavailable,
    docx_to_pdf,
    pdf_first_page_png,
    pdf_font_details,
    pdf_fonts,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def require_tool(name: str) -> str:
    """Path of ``name``; skip the test if missing, or fail when YUANQU_REQUIRE_ALL=1.

    Kept inline here on purpose; the lead moves it to a shared conftest later.
    """
    path = shutil.which(name)
    if path:
        return path
    hints = {
        "soffice": "apt-get install libreoffice-writer-nogui",
        "pdffonts": "apt-get install poppler-utils",
        "pdftoppm": "apt-get install poppler-utils",
        "fc-match": "apt-get install fontconfig",
    }
    reason = f"{name} not installed ({hints.get(name, 'install it')})"
    if os.environ.get("YUANQU_REQUIRE_ALL") == "1":
        pytest.fail(f"YUANQU_REQUIRE_ALL=1 but {reason}")
    pytest.skip(reason)


def _sample_docx(path: Path, title: str = "园区经济运行情况分析") -> Path:
    doc = OfficialDocument()
    doc.title(title)
    doc.subtitle("（2025年11月）")
    doc.heading1("一、总体情况")
    doc.heading2("（一）工业生产")
    doc.paragraph("1—10月，园区实现规上工业总产值1,234.5亿元，同比增长5.6%。")
    doc.table(["指标", "数值"], [["产值", "1,234.5"], ["增速", "5.6%"]])
    doc.image(
        charts.bar_chart(["信息技术", "新材料"], [D("3.2"), D("-0.6")], "拉动", "百分点"),
        120,
        "各集群拉动",
    )
    doc.sources_table([SourceEntry("1,234.5", "规上工业总产值", "2025年1—10月", "亿元", "月报")])
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def converted_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("soffice")
    tmp = tmp_path_factory.mktemp("pdf")
    return docx_to_pdf(_sample_docx(tmp / "报告.docx"), tmp / "out")


# --- with the real tools -------------------------------------------------------------------


@pytest.mark.libreoffice
def test_conversion_writes_pdf_next_to_stem(converted_pdf: Path) -> None:
    assert converted_pdf.name == "报告.pdf"
    assert converted_pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.libreoffice
def test_pdf_embeds_noto_cjk(converted_pdf: Path) -> None:
    require_tool("pdffonts")
    names = pdf_fonts(converted_pdf)
    details = pdf_font_details(converted_pdf)
    cjk = [f for f in details if "cjk" in f.name.lower() and "noto" in f.name.lower()]
    assert cjk, f"no Noto CJK font in {names}"
    assert all(f.embedded for f in cjk)
    # Serif (仿宋/宋/楷 mapped) and Sans (黑体 mapped) both appear.
    bases = {f.base_name.lower() for f in cjk}
    assert any("serif" in b for b in bases), bases
    assert any("sans" in b for b in bases), bases
    assert not any(f.base_name.lower().startswith("dejavu") for f in details), names


@pytest.mark.libreoffice
def test_first_page_renders(converted_pdf: Path) -> None:
    require_tool("pdftoppm")
    png = pdf_first_page_png(converted_pdf)
    assert png.startswith(PNG_SIGNATURE)
    from matplotlib import image as mpimg

    pixels = mpimg.imread(io.BytesIO(png), format="png")
    height, width = pixels.shape[:2]
    # A4 at 60 dpi: 496 × 702 px.
    assert width == pytest.approx(496, abs=3)
    assert height == pytest.approx(702, abs=3)
    dark = (pixels[..., :3].mean(axis=2) < 0.5).mean()
    assert dark > 0.005, "page 1 looks blank"


@pytest.mark.libreoffice
def test_concurrent_conversions_each_get_a_profile(tmp_path: Path) -> None:
    require_tool("soffice")
    sources = [_sample_docx(tmp_path / f"r{i}.docx", f"报告{i}") for i in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda s: docx_to_pdf(s, s.parent / f"out_{s.stem}"), sources))
    assert [r.name for r in results] == ["r0.pdf", "r1.pdf"]
    assert all(r.stat().st_size > 1000 for r in results)


def test_fontconfig_maps_official_fonts() -> None:
    fc_match = require_tool("fc-match")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
    if (
        not shutil.which("fc-list")
        or "Noto Serif CJK SC"
        not in subprocess.run(
            ["fc-list"], capture_output=True, text=True, env=env, check=False
        ).stdout
    ):
        if os.environ.get("YUANQU_REQUIRE_ALL") == "1":
            pytest.fail("YUANQU_REQUIRE_ALL=1 but fonts-noto-cjk is not installed")
        pytest.skip("fonts-noto-cjk not installed")
    expected = {
        "方正小标宋简体": ("Noto Serif CJK SC", "Bold"),
        "仿宋_GB2312": ("Noto Serif CJK SC", "Regular"),
        "黑体": ("Noto Sans CJK SC", "Regular"),
        "宋体": ("Noto Serif CJK SC", "Regular"),
    }
    for family, (target, style) in expected.items():
        out = subprocess.run(
            [fc_match, family, "family", "style"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        assert target in out and style in out, (family, out)
    kai = subprocess.run(
        [fc_match, "楷体_GB2312", "family"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "Noto Serif CJK SC" in kai or "UKai" in kai


# --- without the real tools ----------------------------------------------------------------


def test_fontconfig_file_includes_system_config() -> None:
    root = ET.parse(FONTCONFIG_FILE).getroot()
    assert root.tag == "fontconfig"
    includes = [el.text for el in root.iter("include")]
    assert "/etc/fonts/fonts.conf" in includes
    mapped = {el.findtext("test/string") for el in root.iter("match")}
    assert {"方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"} <= mapped


def test_missing_soffice_raises_clear_chinese_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert pdf.soffice_available() is False
    docx = tmp_path / "a.docx"
    docx.write_bytes(OfficialDocument().to_bytes())
    with pytest.raises(PdfUnavailable) as info:
        docx_to_pdf(docx, tmp_path)
    message = str(info.value)
    assert "未安装 LibreOffice（soffice）" in message
    assert "libreoffice-writer-nogui" in message
    assert "Word" in message


def _fake_tool(directory: Path, name: str, script: str) -> None:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def test_conversion_that_writes_nothing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a second soffice sharing a profile does: exit 1, no output, no file.
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "soffice", "exit 1")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    docx = tmp_path / "a.docx"
    docx.write_bytes(OfficialDocument().to_bytes())
    (tmp_path / "a.pdf").write_bytes(b"%PDF stale")  # a stale file must not count
    with pytest.raises(PdfConversionError, match="未生成 PDF"):
        docx_to_pdf(docx, tmp_path)
    assert not (tmp_path / "a.pdf").exists()


def test_conversion_timeout_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "soffice", "sleep 30")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    docx = tmp_path / "a.docx"
    docx.write_bytes(OfficialDocument().to_bytes())
    with pytest.raises(PdfConversionError, match="超时"):
        docx_to_pdf(docx, tmp_path, timeout=1)


def test_missing_input_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    _fake_tool(bin_dir, "soffice", "exit 0")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    with pytest.raises(FileNotFoundError):
        docx_to_pdf(tmp_path / "nope.docx", tmp_path)


def test_pdffonts_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = (
        "name                                 type              encoding         emb sub uni object ID\n"
        "------------------------------------ ----------------- ---------------- --- --- --- ---------\n"
        "BAAAAA+NotoSerifCJKjp-Bold-VKana     Type 1            Builtin          yes yes yes      7  0\n"
        "CAAAAA+AVeryLongFontNameThatOverflowsTheColumnWidth CID Type 0C Identity-H yes yes yes 12  0\n"
        "Helvetica                            Type 1            WinAnsi          no  no  no      20  0\n"
    )
    bin_dir = tmp_path / "bin"
    (tmp_path / "out.txt").write_text(sample, encoding="utf-8")
    _fake_tool(bin_dir, "pdffonts", f"cat '{tmp_path / 'out.txt'}'")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    fonts = pdf_font_details(tmp_path / "any.pdf")
    assert [f.name for f in fonts] == [
        "BAAAAA+NotoSerifCJKjp-Bold-VKana",
        "CAAAAA+AVeryLongFontNameThatOverflowsTheColumnWidth",
        "Helvetica",
    ]
    assert fonts[0].base_name == "NotoSerifCJKjp-Bold-VKana"
    assert fonts[1].type == "CID Type 0C"
    assert fonts[1].encoding == "Identity-H"
    assert (fonts[0].embedded, fonts[2].embedded) == (True, False)


def test_missing_poppler_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(PdfUnavailable, match="poppler-utils"):
        pdf_fonts(tmp_path / "x.pdf")
