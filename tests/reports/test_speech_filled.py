"""The reference speech (../shared/reference/, page 2 of a park secretary's year-end report, its
figures blanked to X) against DEMO's 2022 annual report: every sentence of it that carries an X
is in our report with a figure in the right unit where the X was, and every such figure is in
the 数据来源 table. The pairs below are the speech's sentences, each with the pattern its filled
form takes in our text (our wording follows DECISIONS.md: comparable growth, 约X亩 …)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
YI = r"\d+(?:\.\d+)?亿元"
WAN = r"\d+(?:\.\d+)?万元"
PCT = r"\d+\.\d%"
GROWTH = r"(?:增长|下降)\d+\.\d%"
N = r"\d+"
CN = r"[一两三四五六七八九十]+"
MU = r"\d+(?:\.\d+)?亩"

# (a fragment of the reference sentence with X, the pattern of our filled sentence)
SENTENCES: list[tuple[str, str]] = [
    ("园区实现规上工业总产值X亿元", rf"园区实现规上工业总产值{YI}"),
    ("全社会固定资产投资总额X亿元，增长X", rf"全社会固定资产投资总额{YI}，{GROWTH}"),
    ("全口径税收X亿元，增长X", rf"全口径税收{YI}，{GROWTH}"),
    (
        "园区共有X个省市重点项目，其中省重点项目X个，市重点项目X个，总投资X亿元，年度计划投资X亿元",
        rf"园区共有{N}个省市重点项目，其中省重点项目{N}个，市重点项目{N}个，总投资{YI}，年度计划投资{YI}",
    ),
    (
        "全年完成投资X亿元，完成X，省重点项目完成投资X亿元，完成X",
        rf"全年完成投资{YI}，完成年度计划的{PCT}，省重点项目完成投资{YI}，完成年度计划的{PCT}",
    ),
    (
        "今年获政府专项债X万元，X月底前已全部支出完毕",
        rf"今年获政府专项债{WAN}，\d+月底前已全部支出完毕",
    ),
    (
        "申报了两个政策性开发性金融工具项目，申请资金X亿元",
        rf"申报了{CN}个政策性开发性金融工具项目，申请资金{YI}",
    ),
    (
        "申了报X个地方政府专项债券项目，拟申请资金X亿元，其中2023年拟申报X亿元",
        rf"申报了{N}个地方政府专项债券项目，拟申请资金{YI}，其中2023年拟申报{YI}",
    ),
    (
        '根据年初我们提出的"X"的发展蓝图，2022年我们要实现规上工业总产值X亿元，但实际上只有约X亿元',
        rf"根据年初我们提出的“[^”]+”的发展蓝图，2022年我们要实现规上工业总产值{YI}，但实际上只有约{YI}",
    ),
    (
        "今年共引进了X个项目，项目数量是达标了，但投资额最大的才X亿元，没有超X亿元的项目",
        rf"今年共引进了{N}个项目，项目数量是达标了，但投资额最大的才{YI}，没有超{YI}的项目",
    ),
    (
        "极少数干部职工还存在工作上不主动、不担当、敷衍了事的问题",
        "极少数干部职工还存在工作上不主动、不担当、敷衍了事的问题，工作质量不高，全年到期督办事项",
    ),
    ("打造百亿级工业园区的关键之年", r"是我们实现“[^”]+”目标的关键之年"),
]
# The literals of the reference page (两个, 四大, 3宗) must not be what our text says only by
# chance: the demo's counts differ where the data allow (三个 policy-finance projects, 4宗 sold).
DIFFERENT_FROM_REFERENCE = ["申报了三个政策性开发性金融工具项目", "其中4宗已出让"]


def test_the_reference_page_is_what_these_pairs_were_taken_from():
    text = next(REFERENCE.glob("*.txt")).read_text(encoding="utf-8")
    # the page was published with half-width commas and semicolons
    text = text.replace(",", "，").replace(";", "；")
    for reference, _ in SENTENCES:
        assert reference in text, reference


def test_every_x_of_the_speech_is_filled_from_data(demo_db):
    from yuanqu.registry.models import Park
    from yuanqu.reports import services

    report = services.annual_report(park=Park.objects.get(code="DEMO"), year=2022)
    text = report.text()
    assert "X" not in text and "None" not in text
    figures = {f.figure for f in report.figures}
    for reference, pattern in SENTENCES:
        found = re.search(pattern, text)
        assert found, f"not filled: {reference}"
        # every number of the filled sentence is a recorded figure (or a year / month label)
        for number in re.findall(r"\d+(?:\.\d+)?(?:亿元|万元|%|个|亩|宗)", found.group(0)):
            if number.endswith("个") and not any(number in f for f in figures):
                pytest.fail(f"{number} in “{found.group(0)}” is not in the 数据来源 table")
            if not number.endswith("个"):
                assert any(number in f for f in figures), (number, found.group(0))


def test_the_demo_counts_differ_from_the_reference_literals(demo_db):
    from yuanqu.registry.models import Park
    from yuanqu.reports import services

    text = services.annual_report(park=Park.objects.get(code="DEMO"), year=2022).text()
    for phrase in DIFFERENT_FROM_REFERENCE:
        assert phrase in text, phrase
