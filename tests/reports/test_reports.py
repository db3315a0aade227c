"""Reports for the demo park: every figure equals the API's, the speech's sentences with numbers,
official layout, PDF, templates (section texts and uploaded .docx), scopes, CLI, speech mode.

The demo is loaded once for the module (`demo_db`); the three reports the tests read are
generated once (module fixtures) and reopened from the .docx, as a user would.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.helpers import login_client, require_tool
from yuanqu.core.wording import (
    completion_phrase,
    growth_phrase,
    pp_phrase,
    pull_phrase,
    time_progress_phrase,
    trend_change_phrase,
    yi_yuan,
)

pytestmark = pytest.mark.django_db

# A placeholder left in the text: "X" as a figure, Jinja braces, Python's None/nan.
PLACEHOLDERS = re.compile(r"(?<![A-Za-z])X(?![A-Za-z])|\{\{|\}\}|\{%|%\}|None|nan")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------
# Fixtures: the demo once, each report once
# ---------------------------------------------------------------------------------------------


def _generate(tmp: Path, name: str, *args: str) -> Path:
    out = tmp / name
    call_command("report", *args, "-o", str(out), stdout=io.StringIO())
    return out


@pytest.fixture(scope="module")
def files(demo_db, django_db_blocker, tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("reports")
    with django_db_blocker.unblock():
        return {
            "annual": _generate(tmp, "annual.docx", "annual", "--park", "DEMO", "--year", "2022"),
            "asof": _generate(
                tmp,
                "asof.docx",
                "annual",
                "--park",
                "DEMO",
                "--year",
                "2022",
                "--as-of",
                "2022-11",
            ),
            "monthly": _generate(
                tmp, "monthly.docx", "monthly", "--park", "DEMO", "--period", "2022-09"
            ),
        }


@pytest.fixture
def admin(client, demo_db):
    return login_client(client, "admin")


def api_rows(client, period: str) -> dict[str, dict]:
    """The economy API's indicator table (exact values), by code."""
    response = client.get(f"/api/v1/economy/indicators?park=DEMO&period={period}&exact=true")
    assert response.status_code == 200
    return {r["code"]: r for r in response.json()}


def D(text: str | None) -> Decimal:
    assert text is not None
    return Decimal(text)


class Opened:
    """A generated .docx reopened: its body paragraphs grouped by heading, and its tables."""

    def __init__(self, path: Path) -> None:
        self.doc = Document(str(path))
        self.paragraphs = [p for p in self.doc.paragraphs if p.text.strip()]
        self.sections: dict[str, list[str]] = {}
        current = None
        for p in self.paragraphs:
            if p.style.name in {"Heading 1", "Heading 2"}:
                current = re.sub(
                    r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）", "", p.text
                )
                self.sections[current] = []
            elif current is not None and p.style.name == "Normal":
                self.sections[current].append(p.text)

    def section(self, title: str) -> str:
        return "\n".join(self.sections[title])

    def paragraph(self, start: str) -> str:
        """An unheaded section (the speech's 问题与差距 paragraph) by its first words."""
        found = [p.text for p in self.paragraphs if p.text.startswith(start)]
        assert len(found) == 1, (start, found)
        return found[0]

    @property
    def body(self) -> str:
        return "\n".join(p.text for p in self.paragraphs if p.style.name == "Normal")

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    def sources(self) -> list[list[str]]:
        table = self.doc.tables[-1]
        assert [c.text for c in table.rows[0].cells][:2] == ["序号", "数字"]
        return [[c.text for c in row.cells] for row in table.rows[1:]]


def assert_every_number_is_sourced(opened: Opened, names: list[str]) -> None:
    """Structural: every number of the body text lies inside a figure of the 数据来源 table,
    or is a year/period label (2022年, 1-11月) or part of a name (“…120有限公司”)."""
    figures = sorted({row[1] for row in opened.sources()}, key=len, reverse=True)
    for paragraph in opened.body.splitlines():
        rest = paragraph
        for name in names:
            rest = rest.replace(name, "□")
        for f in figures:
            rest = rest.replace(f, "□")
        rest = re.sub(r"\d{4}年|1-\d{1,2}月|\d{1,2}月", "□", rest)
        assert not NUMBER.search(rest), (NUMBER.findall(rest), paragraph)
    for figure in figures:  # and nothing in the table that the text does not say
        assert figure in opened.body, figure


# ---------------------------------------------------------------------------------------------
# Annual report: 经济发展 and 问题与差距 equal the API
# ---------------------------------------------------------------------------------------------


def test_annual_economy_section_equals_the_api(admin, files):
    opened = Opened(files["annual"])
    text = opened.section("经济发展迎来新气象")
    api = api_rows(admin, "2022-12")
    output, fai, tax = api["industrial_output"], api["fixed_asset_investment"], api["tax_total"]
    # The speech's section (二), with numbers, in its order.
    expected = (
        f"2022年，园区实现规上工业总产值{yi_yuan(D(output['value']))}，"
        f"按可比口径{growth_phrase(D(output['yoy_pct']))}，"
        f"全社会固定资产投资总额{yi_yuan(D(fai['value']))}，{growth_phrase(D(fai['yoy_pct']))}，"
        f"全口径税收{yi_yuan(D(tax['value']))}，{growth_phrase(D(tax['yoy_pct']))}。"
    )
    assert text.startswith(expected), text
    assert "85.00亿元" in text and "增长23.2%" in text  # the demo's story
    # 稳中向好: comparable growth > 0 and not slowed > 1 point against the previous quarter-end.
    q3 = api_rows(admin, "2022-09")["industrial_output"]
    holds = D(output["yoy_pct"]) > 0 and D(q3["yoy_pct"]) - D(output["yoy_pct"]) <= 1
    assert ("稳中向好" in text) == holds
    # 倍增 against 2019 at current prices; 率先 only when the ratio is ≥ 2 (DEMO2-4 are not).
    ratio = D(output["value"]) / D(api_rows(admin, "2019-12")["industrial_output"]["value"])
    assert f"规上工业总产值为2019年的{ratio.quantize(Decimal('0.01'))}倍" in text
    assert ratio >= 2 and "在全市率先实现工业总产值倍增" in text
    progress = D(output["value"]) / Decimal(1_000_000) * 100
    assert f"达到百亿园区目标（100亿元）的{progress.quantize(Decimal('0.1'))}%" in text
    assert f"距目标还差{yi_yuan(Decimal(1_000_000) - D(output['value']))}" in text
    assert "初步测算" not in text and "预计" not in text  # a closed year: actual figures
    assert not PLACEHOLDERS.search(opened.text), PLACEHOLDERS.search(opened.text)


def test_annual_problems_name_the_missed_target_and_its_gap(admin, files):
    opened = Opened(files["annual"])
    text = opened.paragraph("成绩值得肯定")
    output = api_rows(admin, "2022-12")["industrial_output"]
    assert D(output["target"]) == 1_000_000  # 100亿元, missed
    value = D(output["value"])
    gap = D(output["target"]) - value
    points = -D(output["ahead_pp"])  # at December: completion − 100
    assert (
        f"2022年我们要实现规上工业总产值100亿元，但实际上只有约{yi_yuan(value)}，还有差距，"
        f"相差{yi_yuan(gap)}，{completion_phrase(D(output['completion_pct']))}，差{pp_phrase(points)}"
    ) in text, text
    assert text.startswith("成绩值得肯定，问题也不容回避。")
    # The other missed targets (全口径税收 4.8亿元, 一般公共预算收入 2亿元); FAI (met) is not there.
    api = api_rows(admin, "2022-12")
    for code in ("tax_total", "budget_revenue"):
        row = api[code]
        assert D(row["value"]) < D(row["target"])
        assert f"{row['name']}目标" in text and yi_yuan(D(row["value"])) in text
    assert "全社会固定资产投资" not in text
    assert D(api["fixed_asset_investment"]["value"]) >= D(api["fixed_asset_investment"]["target"])


def test_every_figure_in_the_text_is_in_the_sources_table(files):
    from yuanqu.registry.models import Enterprise

    names = list(Enterprise.objects.filter(park__code="DEMO").values_list("name", flat=True))
    for name in ("annual", "asof", "monthly"):
        opened = Opened(files[name])
        assert_every_number_is_sourced(opened, names)
        rows = opened.sources()
        assert all(all(cell.strip() for cell in row) for row in rows), name  # no blank cell
        assert not PLACEHOLDERS.search(opened.text), (name, PLACEHOLDERS.search(opened.text))
    rows = {r[1]: r for r in Opened(files["annual"]).sources()}
    assert rows["85.00亿元"][2:5] == ["规上工业总产值", "2022年", "亿元"]
    assert "137家规上企业" in rows["85.00亿元"][5]  # the selectors' method text
    assert "按现价计算" in rows["2.02倍"][5]


def test_as_of_november_writes_the_estimate_like_the_speech(admin, files):
    opened = Opened(files["asof"])
    text = opened.section("经济发展迎来新气象")
    api = api_rows(admin, "2022-11")
    output = api["industrial_output"]
    assert text.startswith(
        f"2022年1-11月，园区实现规上工业总产值{yi_yuan(D(output['value']))}，"
        f"按可比口径{growth_phrase(D(output['yoy_pct']))}，"
        f"全社会固定资产投资总额{yi_yuan(D(api['fixed_asset_investment']['value']))}"
    ), text
    # Seasonal ratio from last year's published park totals (DECISIONS.md), from the API.
    full_2021 = D(api_rows(admin, "2021-12")["industrial_output"]["value"])
    same_2021 = D(api_rows(admin, "2021-11")["industrial_output"]["value"])
    projected = D(output["value"]) * full_2021 / same_2021
    assert f"初步测算全年可实现规上工业总产值约{yi_yuan(projected)}" in text
    ratio = projected / D(api_rows(admin, "2019-12")["industrial_output"]["value"])
    assert ratio >= 2 and "有望在全市率先实现工业总产值倍增" in text
    problems = opened.paragraph("成绩值得肯定")
    assert (
        f"2022年我们要实现规上工业总产值100亿元，但初步测算全年只有约{yi_yuan(projected)}，还有差距，"
        f"相差{yi_yuan(Decimal(1_000_000) - projected)}"
    ) in problems
    subtitle = opened.paragraphs[1].text
    assert "数据截至2022年11月" in subtitle and "初步测算" in subtitle
    rows = {r[1]: r for r in opened.sources()}
    assert rows[yi_yuan(projected)][3] == "2022年（预计全年）"
    assert "季节比例法" in rows[yi_yuan(projected)][5]


def test_doubling_is_claimed_only_when_the_ratio_reaches_two(admin, demo_db):
    from yuanqu.registry.models import Park
    from yuanqu.reports import services

    report = services.annual_report(park=Park.objects.get(code="DEMO"), year=2021)
    text = report.text()
    ratio = D(api_rows(admin, "2021-12")["industrial_output"]["value"]) / D(
        api_rows(admin, "2019-12")["industrial_output"]["value"]
    )
    assert ratio < 2
    assert f"为2019年的{ratio.quantize(Decimal('0.01'))}倍" in text
    assert "倍增" not in text.replace("倍增计划", "")
    assert not PLACEHOLDERS.search(text)


def test_linear_projection_is_an_option(demo_db):
    from yuanqu.core.periods import Period
    from yuanqu.registry.models import Park
    from yuanqu.reports import services

    report = services.annual_report(
        park=Park.objects.get(code="DEMO"), year=2022, as_of=Period(2022, 11), projection="linear"
    )
    assert "线性外推法" in report.text()
    figure = next(f for f in report.figures if f.indicator == "规上工业总产值（预计全年）")
    assert "× 12 / 11" in figure.method


# ---------------------------------------------------------------------------------------------
# Layout and PDF
# ---------------------------------------------------------------------------------------------


def _east_asia(style) -> str | None:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia"))


def test_official_layout(files):
    opened = Opened(files["annual"])
    sec = opened.doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
    margins = (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)
    for got, want in zip(margins, (37, 35, 28, 26), strict=True):
        assert abs(got - Mm(want)) < Mm(0.5)
    title = opened.paragraphs[0]
    assert title.text == "示范工业园区2022年度工作总结" and title.style.name == "Title"
    h1 = next(p for p in opened.paragraphs if p.text.startswith("一、"))
    h2 = next(p for p in opened.paragraphs if p.text.startswith("（一）"))
    body = next(p for p in opened.paragraphs if p.text.startswith("2022年，园区"))
    assert (h1.text, h2.text) == ("一、2022年工作成效", "（一）防疫形势得到新巩固")
    fonts = [_east_asia(p.style) for p in (title, h1, h2, body)]
    assert fonts == ["方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"]
    # The runs carry the fonts too (text pasted elsewhere keeps them).
    run_fonts = body.runs[0]._r.rPr.find(qn("w:rFonts"))
    assert run_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert "PAGE" in sec.footer._element.xml
    headings = [p.text for p in opened.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、2022年工作成效", "二、2023年工作安排", "数据来源"]


def test_monthly_has_tables_and_charts(files):
    opened = Opened(files["monthly"])
    captions = [p.text for p in opened.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("图1") and "逐月对比" in c for c in captions)
    assert any(c.startswith("图2") and "拉动" in c for c in captions)
    assert len(opened.doc.inline_shapes) == 2
    assert opened.doc.tables[0].rows[0].cells[0].text == "指标"


def test_pdf_embeds_cjk_font_and_page_one_shows_title_and_first_section(files, tmp_path):
    require_tool("soffice")
    require_tool("pdffonts")
    require_tool("pdftoppm")
    from PIL import Image

    from yuanqu.reports.pdf import docx_to_pdf

    pdf = docx_to_pdf(files["annual"], tmp_path)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Noto\w*CJK\S*.*\byes\b", fonts.stdout), fonts.stdout
    page1 = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace(" ", "")
    assert "示范工业园区2022年度工作总结" in page1
    assert "一、2022年工作成效" in page1 and "（二）经济发展迎来新气象" in page1
    assert "85.00亿元" in page1
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height, "page 1 is blank"


def test_cli_html_format(demo_db, tmp_path):
    out = tmp_path / "a.bin"  # --format wins over the extension
    call_command(
        "report", "annual", "--park", "DEMO", "--year", "2022", "--format", "html", "-o", str(out)
    )
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "示范工业园区2022年度工作总结" in page
    assert "数据来源" in page and "85.00亿元" in page


def test_pdf_without_libreoffice_is_a_clear_error(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr("yuanqu.reports.pdf.soffice_path", lambda: None)
    with pytest.raises(CommandError, match="未安装 LibreOffice"):
        call_command(
            "report", "annual", "--park", "DEMO", "--year", "2022", "-o", str(tmp_path / "a.pdf")
        )


# ---------------------------------------------------------------------------------------------
# Monthly analysis equals `yuanqu indicators --json`
# ---------------------------------------------------------------------------------------------


def _indicators_json(capsys, *args: str, period: str = "2022-09", exact: bool = True) -> list:
    """`yuanqu indicators --json` for DEMO (unrounded with `exact`)."""
    capsys.readouterr()
    flags = ["--exact"] if exact else []
    call_command("indicators", "--park", "DEMO", "--period", period, "--json", *flags, *args)
    return json.loads(capsys.readouterr().out)


def test_monthly_report_matches_indicators_json(files, capsys):
    opened = Opened(files["monthly"])
    rows = {r["code"]: r for r in _indicators_json(capsys)}
    output = rows["industrial_output"]
    prev = _indicators_json(capsys, period="2022-08")
    prev_output = next(r for r in prev if r["code"] == "industrial_output")
    overview = opened.section("总体情况")
    assert overview.startswith(
        f"2022年1-9月，园区规上工业总产值{yi_yuan(D(output['value']))}，"
        f"同比{growth_phrase(D(output['yoy_pct']))}，"
        f"{trend_change_phrase(D(output['yoy_pct']), D(prev_output['yoy_pct']), '1-8月')}，"
        f"{completion_phrase(D(output['completion_pct']))}，"
        f"{time_progress_phrase(D(output['ahead_pp']))}。"
    ), overview
    assert f"其中9月完成{yi_yuan(D(output['month_value']))}" in overview
    assert f"规上工业增加值{growth_phrase(D(rows['industrial_va_growth']['value']))}" in overview
    for code in ("fixed_asset_investment", "tax_total", "budget_revenue"):
        r = rows[code]
        assert (
            f"{r['name']}{yi_yuan(D(r['value']))}，{growth_phrase(D(r['yoy_pct']))}，"
            f"{completion_phrase(D(r['completion_pct']))}，{time_progress_phrase(D(r['ahead_pp']))}"
        ) in overview
    # Table 1: the growth column shows the JSON's rounded value (the page's strings).
    rounded = {r["code"]: r for r in _indicators_json(capsys, exact=False)}
    table = opened.doc.tables[0]
    by_name = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    for r in rounded.values():
        cells = by_name[r["name"]]
        if r["yoy_pct"] is not None:
            assert cells[4] == r["yoy_pct"], (r["name"], cells)
        if r["completion_pct"] is not None:
            assert cells[6] == r["completion_pct"]
    # Clusters and enterprises: pulls equal `--by cluster|enterprise`.
    clusters = _indicators_json(capsys, "--by", "cluster", "--indicator", "industrial_output")
    text = opened.section("分产业集群情况")
    for c in clusters:
        assert f"{c['name']}集群完成产值{yi_yuan(D(c['value']))}" in text
        assert pull_phrase(D(c["pull_pp"])) in text
    assert "机械装备集群" in text and "下拉" in text  # the demo's falling cluster
    firms = _indicators_json(capsys, "--by", "enterprise", "--indicator", "industrial_output")
    text = opened.section("重点企业")
    top = firms[0]
    assert text.startswith(f"拉动增长居前的企业是{top['name']}（{pull_phrase(D(top['pull_pp']))}")
    bottom = firms[-1]
    assert f"{bottom['name']}（{pull_phrase(D(bottom['pull_pp']))}）" in text
    ranking = opened.section("在全市园区中的位次")
    assert ranking.startswith("在示范市4个园区中，园区规上工业总产值总量居第1位")
    progress = opened.section("目标任务与序时进度")
    assert "序时进度为75.0%" in progress and "需重点调度" in progress


# ---------------------------------------------------------------------------------------------
# Speech mode
# ---------------------------------------------------------------------------------------------


def test_speech_stats_follow_word_and_the_seed_page(settings):
    from yuanqu.reports.services import speech_stats

    # The seed page: 共计7729个字，预计阅读时长26分钟 (7729 / 300 = 25.76 → 26, rounded up).
    stats = speech_stats("字" * 7729)
    assert (stats.characters, stats.reading_minutes, stats.speaking_minutes) == (7729, 26, 39)
    assert (stats.reading_rate, stats.speaking_rate) == (300, 200)
    # Word's 字符数(不计空格): every non-whitespace character (Chinese, digits, punctuation).
    assert speech_stats("一 二\n三\t四，5%　").characters == 7
    settings.YUANQU_SPEAKING_RATE = 150
    assert speech_stats("字" * 300).speaking_minutes == 2


# ---------------------------------------------------------------------------------------------
# Page, API, scopes
# ---------------------------------------------------------------------------------------------


def test_page_preview_stats_and_downloads(admin):
    from yuanqu.reports.services import count_characters

    page = admin.get("/reports/?park=DEMO&kind=annual&year=2022&as_of=2022-11")
    assert page.status_code == 200
    html = page.content.decode()
    assert "示范工业园区2022年度工作总结" in html and "初步测算全年可实现规上工业总产值约" in html
    api = admin.get("/api/v1/reports/annual?park=DEMO&year=2022&as_of=2022-11").json()
    chars = api["stats"]["characters"]
    assert f'<strong id="char-count">{chars}</strong>' in html
    text = "\n".join(
        [api["title"]] + [x for s in api["sections"] for x in [s["heading"], *s["paragraphs"]]]
    )
    assert chars == count_characters(text)
    headings = [s["heading"] for s in api["sections"]]
    assert "（二）经济发展迎来新气象" in headings and api["estimated"] is True
    assert api["figures"] and all(
        set(f) >= {"figure", "indicator", "method"} for f in api["figures"]
    )
    response = admin.get("/reports/download/?park=DEMO&kind=annual&year=2022&format=docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    Document(io.BytesIO(response.content))
    response = admin.get("/api/v1/reports/monthly.html?park=DEMO&period=2022-09")
    assert response.status_code == 200
    monthly = response.content.decode()
    assert "2022年1-9月经济运行分析" in monthly and "data:image/png;base64," in monthly
    catalogue = admin.get("/api/v1/reports/catalogue?kind=annual").json()
    assert "output" in catalogue["docx"] and "economy_text" in catalogue["docx"]


def test_session_park_is_the_default(admin):
    session = admin.session
    session["park"] = "DEMO2"
    session.save()
    # Sessions live in a signed cookie (config/settings.py): the saved session is the cookie.
    admin.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    page = admin.get("/reports/?kind=annual&year=2022").content.decode()
    assert "示范高新技术产业园区2022年度工作总结" in page


def test_scopes_enterprise_users_and_other_parks_get_404(client, demo_db):
    login_client(client, "qiye")
    for url in ("/reports/", "/reports/?park=DEMO"):
        assert client.get(url)["Location"] == "/mine/", url  # its own figures: 本企业
    for url in (
        "/reports/download/?park=DEMO&kind=annual&year=2022",
        "/api/v1/reports/annual?park=DEMO&year=2022",
        "/api/v1/reports/annual.docx?park=DEMO&year=2022",
        "/api/v1/reports/monthly?park=DEMO&period=2022-09",
    ):
        assert client.get(url).status_code == 404, url
    client.logout()
    login_client(client, "leader")
    assert client.get("/api/v1/reports/annual?park=DEMO2&year=2022").status_code == 404
    assert client.get("/reports/?park=DEMO2").status_code == 404
    assert client.get("/api/v1/reports/annual?park=DEMO&year=2022").status_code == 200


def test_api_errors_are_chinese(admin):
    response = admin.get("/api/v1/reports/annual?park=DEMO&year=2031")
    assert response.status_code == 422 and "没有已审核的企业报表" in response.json()["detail"]
    response = admin.get("/api/v1/reports/annual?park=DEMO&year=2022&as_of=2021-11")
    assert response.status_code == 422 and "不在 2022 年内" in response.json()["detail"]


def test_cli_errors_exit_non_zero_with_chinese_messages(demo_db, tmp_path):
    cases = [
        (["annual", "--park", "NOPE", "--year", "2022"], "不存在"),
        (["annual", "--park", "DEMO"], "需要 --year"),
        (["monthly", "--park", "DEMO"], "需要 --period"),
        (["monthly", "--park", "DEMO", "--period", "2025-09"], "没有可写的内容"),
        (["monthly", "--park", "DEMO", "--period", "2022-13"], "月份"),
    ]
    for args, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("report", *args, "-o", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="不支持的格式"):
        call_command(
            "report", "annual", "--park", "DEMO", "--year", "2022", "-o", str(tmp_path / "x.txt")
        )


# ---------------------------------------------------------------------------------------------
# Uploaded .docx templates
# ---------------------------------------------------------------------------------------------


def _docx_with(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _upload(client, name: str, data: bytes, kind: str = "annual") -> str:
    """Upload through the page; returns the messages the page will show."""
    from django.contrib.messages import get_messages
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/reports/templates/",
        {"file": SimpleUploadedFile(name, data), "kind": kind, "park": "DEMO"},
    )
    assert response.status_code == 302
    return "\n".join(str(m) for m in get_messages(response.wsgi_request))


def test_uploaded_template_with_unknown_variable_is_refused(admin, settings, tmp_path):
    from yuanqu.reports.models import ReportTemplate

    settings.MEDIA_ROOT = tmp_path
    message = _upload(admin, "bad.docx", _docx_with("{{ park_name }} {{ outptu }}"))
    assert "{{ outptu }}" in message and "不在变量目录中" in message
    assert "output" in message  # the available names are listed
    message = _upload(admin, "syntax.docx", _docx_with("{{ output "))
    assert "占位符写法有误" in message
    message = _upload(admin, "x.doc", b"not a docx")
    assert "不是 .docx 文件" in message
    message = _upload(admin, "fake.docx", b"not a docx")
    assert "无法读取模板" in message
    assert not ReportTemplate.objects.exists()


def test_uploaded_template_renders_with_the_catalogue(admin, settings, tmp_path):
    from yuanqu.reports.models import ReportTemplate

    settings.MEDIA_ROOT = tmp_path
    data = _docx_with(
        "{{ park_name }}：规上工业总产值{{ output }}，{{ output_growth }}。",
        "{% if doubled %}已实现倍增（{{ doubling_ratio }}）{% endif %}",
        "{{ problems_text }}",
        "{%p for s in sources %}",
        "{{ s.no }} {{ s.figure }} {{ s.indicator }}",
        "{%p endfor %}",
    )
    assert "已上传" in _upload(admin, "good.docx", data)
    tpl = ReportTemplate.objects.get()
    assert tpl.variables == sorted(
        [
            "park_name",
            "output",
            "output_growth",
            "doubled",
            "doubling_ratio",
            "problems_text",
            "sources",
        ]
    )
    assert tpl.uploaded_by.username == "admin"
    response = admin.get(f"/reports/download/?park=DEMO&kind=annual&year=2022&template={tpl.pk}")
    assert response.status_code == 200
    lines = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert lines[0] == "示范工业园区：规上工业总产值85.00亿元，增长23.2%。"
    assert lines[1] == "已实现倍增（2.02倍）"
    assert lines[2].startswith("成绩值得肯定") and "100亿元" in lines[2]
    assert "1 85.00亿元 规上工业总产值" in lines
    # The sample template renders every section.
    sample = admin.get("/reports/templates/sample/?park=DEMO&kind=annual").content
    from yuanqu.registry.models import Park
    from yuanqu.reports import services, user_templates

    report = services.annual_report(park=Park.objects.get(code="DEMO"), year=2022)
    rendered = Document(io.BytesIO(user_templates.render_template(io.BytesIO(sample), report)))
    text = "\n".join(p.text for p in rendered.paragraphs)
    assert "2022年，园区实现规上工业总产值85.00亿元" in text and "{{" not in text
    assert rendered.tables[-1].rows[1].cells[1].text == "85.00亿元"


# ---------------------------------------------------------------------------------------------
# The engine's rules
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def test_kind():
    """A throw-away report kind for engine tests, removed afterwards."""
    from yuanqu.reports import engine

    engine.load_sections()
    yield "enginetest"
    engine.SECTIONS.pop("enginetest", None)
    for name in [n for n in engine.TEMPLATE_VARIABLES if n.startswith("enginetest/")]:
        del engine.TEMPLATE_VARIABLES[name]


def test_sections_register_by_order_and_empty_ones_become_notes(test_kind, demo_db):
    from yuanqu.core.periods import Period
    from yuanqu.registry.models import Park
    from yuanqu.reports import engine, services

    @engine.register_section(
        test_kind,
        20,
        key="second",
        title="第二节",
        template="{{ value }}。",
        variables={"value": "数"},
    )
    def second(ctx):
        return ctx.section(
            value=ctx.amount(Decimal(12345), indicator="测试", period=ctx.period, method="测试")
        )

    @engine.register_section(test_kind, 10, key="first", title="第一节", template="无。")
    def first(ctx):
        return ctx.omit("本期没有项目数据")

    report = engine.build_report(
        test_kind,
        park=Park.objects.get(code="DEMO"),
        period=Period(2022, 12),
        title="测试",
        subtitle="",
    )
    assert [s.key for s in report.sections] == ["second"]
    assert report.omitted == ["“第一节”：本期没有项目数据，已略去。"]
    assert report.sections[0].paragraphs == ["1.23亿元。"]
    assert [f.figure for f in report.figures] == ["1.23亿元"]
    doc = Document(io.BytesIO(services.to_docx(report)))
    assert "注：“第一节”：本期没有项目数据，已略去。" in [p.text for p in doc.paragraphs]


@pytest.mark.parametrize(
    ("template", "value", "message"),
    [
        ("共{{ value }}个。", Decimal(3), "Decimal"),  # a raw number, not through an emitter
        ("共{{ value }}个。", None, "None"),
        ("共{{ value }}个。", "3", "含数字"),
        ("完成X亿元{{ value }}。", "", "占位符"),
        ("完成12亿元{{ value }}。", "", "未登记来源的数字"),
        ("{{ value }}{{ other }}", "", "变量目录中没有的变量"),
    ],
)
def test_engine_refuses_text_that_escapes_the_sources(test_kind, demo_db, template, value, message):
    from yuanqu.core.periods import Period
    from yuanqu.registry.models import Park
    from yuanqu.reports import engine

    engine.register_section(
        test_kind,
        10,
        lambda ctx: ctx.section(value=value),
        key="bad",
        title="坏节",
        template=template,
        variables={"value": "测试"},
    )
    with pytest.raises(engine.ReportTextError, match=message):
        engine.build_report(
            test_kind,
            park=Park.objects.get(code="DEMO"),
            period=Period(2022, 12),
            title="测试",
            subtitle="",
        )


def test_templates_match_catalogues_and_docs():
    from yuanqu.reports import engine

    checked = engine.check_templates()
    assert "annual/economy.j2" in checked and "monthly/overview.j2" in checked
    docs = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    for kind in ("annual", "monthly"):
        for name in engine.docx_variables(kind):
            assert f"`{name}`" in docs, f"docs/reports.md does not describe {name}"
    # Variable names are unique within a kind (an uploaded template sees them side by side).
    with pytest.raises(ValueError, match="变量名重复"):
        engine.register_section(
            "annual",
            99,
            lambda ctx: None,
            key="dup",
            title="重复",
            template="x",
            variables={"output": "重复"},
        )


def test_monthly_overview_says_the_reporting_rate(files, django_db_blocker):
    from yuanqu.core.periods import Period
    from yuanqu.economy.selectors import reporting_rate

    with django_db_blocker.unblock():
        from yuanqu.registry.models import Park

        rate = reporting_rate(park=Park.objects.get(code="DEMO"), period=Period(2022, 9))
    assert rate.expected > 0
    text = "\n".join(p.text for p in Opened(files["monthly"]).paragraphs)
    assert rate.sentence() + "。" in text
