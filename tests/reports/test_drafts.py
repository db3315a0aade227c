"""The year-end report as officials work on it (issue 15): narrative blocks kept when an
import changes the figures, versions, 定稿 frozen with a change notice, the comparison of two
versions, speech mode by section, the speaker's copy and the one-page 数据摘要, who may write."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document

from tests.helpers import login_client
from yuanqu.core.periods import Period

pytestmark = pytest.mark.django_db

THANKS = "这里，我代表园区党工委对各部门、各企业一年来的辛勤付出表示衷心感谢。"


def _park():
    from yuanqu.registry.models import Park

    return Park.objects.get(code="DEMO")


def _import_tax(tmp_path: Path, value: str) -> None:
    """The statistics bureau corrects 2022's 全口径税收 (a locked month: with a reason)."""
    from yuanqu.imports.engine import run_import

    path = tmp_path / "tax.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["园区代码", "指标", "报告期", "1-本月累计", "增速(%)", "单位", "口径"])
        w.writerow(["DEMO", "全口径税收", "2022-12", value, "13.0", "万元", "统计数"])
    preview = run_import(
        path,
        kind="park-indicators",
        park=_park(),
        period=Period(2022, 12),
        mode="merge",
        reason="统计局更正全口径税收",
    )
    assert preview.ok and preview.committed, [i.text() for i in preview.issues]


def test_an_import_refreshes_figures_keeps_the_text_and_a_final_version_stays(demo_db, tmp_path):
    from yuanqu.accounts.models import User
    from yuanqu.reports import drafts

    leader = User.objects.get(username="leader")
    draft = drafts.draft_get(park=_park(), year=2022)
    drafts.block_save(draft=draft, key="text:thanks", text=THANKS, user=leader)
    drafts.block_save(draft=draft, key="title:economy", text="经济发展再上新台阶", user=leader)
    before = drafts.draft_report(draft).text()
    assert THANKS in before and "（二）经济发展再上新台阶" in before
    assert "全口径税收4.60亿元" in before
    final = drafts.version_save(draft=draft, user=leader, note="审议稿", final=True)
    assert final.number == 1 and final.final and final.created_by == leader
    assert drafts.version_changes(final) == []

    _import_tax(tmp_path, "47000")
    after = drafts.draft_report(draft).text()
    assert "全口径税收4.70亿元" in after and "全口径税收4.60亿元" not in after  # refreshed
    assert THANKS in after and "（二）经济发展再上新台阶" in after  # the officials' text kept
    # the 定稿 keeps its text and figures, and says what changed since
    frozen = drafts.version_report(final).text()
    assert "全口径税收4.60亿元" in frozen and THANKS in frozen
    changes = drafts.version_changes(final)
    assert any(
        c.indicator == "全口径税收" and (c.frozen, c.now) == ("4.60亿元", "4.70亿元")
        for c in changes
    )
    notice = drafts.change_notice(changes)
    assert (
        notice.startswith("定稿后数据已变更：")
        and "全口径税收（2022年）定稿为4.60亿元，现为4.70亿元" in notice
    )

    second = drafts.version_save(draft=draft, user=leader, note="按更正后的数据")
    lines = drafts.version_diff(final, second)
    changed = [x for x in lines if x.op == "changed"]
    assert changed and all(x.old != x.new for x in changed)
    assert any("4.60亿元" in x.old and "4.70亿元" in x.new for x in changed)
    assert sum(1 for x in lines if x.op == "same") > 10  # the rest is the same


def test_an_emptied_block_leaves_its_section_out_and_the_default_returns(demo_db):
    from yuanqu.reports import drafts

    draft = drafts.draft_get(park=_park(), year=2022)
    drafts.block_save(draft=draft, key="text:epidemic", text="   ", user=None)
    text = drafts.draft_report(draft).text()
    assert "防疫形势得到新巩固" not in text and "（一）经济发展迎来新气象" in text
    default = next(
        b.default
        for b in __import__("yuanqu.reports.engine", fromlist=["x"]).blocks_of("annual")
        if b.key == "text:epidemic"
    )
    drafts.block_save(draft=draft, key="text:epidemic", text=default, user=None)
    assert not draft.blocks.filter(key="text:epidemic").exists()  # back to following its default
    assert "（一）防疫形势得到新巩固" in drafts.draft_report(draft).text()


def test_who_may_write_the_draft(client, demo_db):
    park = "park=DEMO&year=2022"
    for username, allowed in (
        ("dangzheng", True),
        ("leader", True),
        ("jingfa", False),
        ("city", False),
    ):
        login_client(client, username)
        page = client.get(f"/reports/draft/?{park}")
        assert page.status_code == 200, username
        response = client.post(
            "/reports/draft/block/",
            {"park": "DEMO", "year": "2022", "key": "text:thanks", "text": f"{username}写的致谢。"},
        )
        assert response.status_code == (302 if allowed else 403), username
    login_client(client, "qiye")
    assert client.get(f"/reports/draft/?{park}").status_code in (302, 404)
    assert client.post("/reports/draft/save/", {"park": "DEMO", "year": "2022"}).status_code in (
        403,
        404,
    )


def test_draft_page_versions_compare_and_downloads(client, demo_db):
    login_client(client, "dangzheng")
    client.post("/reports/draft/save/", {"park": "DEMO", "year": "2022", "note": "初稿"})
    client.post(
        "/reports/draft/block/",
        {"park": "DEMO", "year": "2022", "key": "text:thanks", "text": THANKS},
    )
    client.post(
        "/reports/draft/save/", {"park": "DEMO", "year": "2022", "note": "改致谢", "final": "1"}
    )
    page = client.get("/reports/draft/?park=DEMO&year=2022&target=5").content.decode()
    assert "第1版" in page and "第2版" in page and "定稿" in page
    assert "超出5分钟目标" in page and 'class="long"' in page  # 5 minutes is too short
    from yuanqu.reports.models import ReportVersion

    v1, v2 = ReportVersion.objects.filter(draft__park__code="DEMO").order_by("number")
    diff = client.get(f"/reports/versions/compare/?park=DEMO&a={v1.pk}&b={v2.pk}").content.decode()
    assert THANKS in diff and "事非经过不知难" in diff
    for bad in ("a=x&b=1", f"a={v1.pk}&b=999999", "a=&b="):
        assert client.get(f"/reports/versions/compare/?park=DEMO&{bad}").status_code == 404
    word = client.get(f"/reports/download/?park=DEMO&version={v2.pk}&format=docx")
    assert word.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert THANKS in text
    # the speaker's copy: large print, one sentence a paragraph kept on one page, no sources
    speech = client.get(
        f"/reports/download/?park=DEMO&version={v2.pk}&format=docx&layout=speech&sources=0"
    )
    doc = Document(io.BytesIO(speech.content))
    body = [p for p in doc.paragraphs if p.style.name == "Normal" and p.text.strip()]
    assert body and all(p.paragraph_format.keep_together for p in body)
    assert all(len(re.findall(r"[。；！？]", p.text)) <= 1 for p in body)  # one sentence each
    assert doc.styles["Normal"].font.size.pt >= 18
    assert "数据来源" not in "\n".join(p.text for p in doc.paragraphs)
    summary = client.get(f"/reports/download/?park=DEMO&version={v2.pk}&summary=1")
    table = Document(io.BytesIO(summary.content)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "指标", "数字"] * 2
    numbers = [c.text for row in table.rows[1:] for c in (row.cells[0], row.cells[3]) if c.text]
    assert sorted(map(int, numbers)) == list(range(1, len(v2.figures) + 1))  # every figure once


def test_speaker_copy_and_summary_fit_their_pages_in_libreoffice(client, demo_db, tmp_path):
    from tests.helpers import require_tool

    require_tool("soffice")
    require_tool("pdfinfo")
    import subprocess

    from yuanqu.reports.pdf import docx_to_pdf

    login_client(client, "leader")
    summary = tmp_path / "summary.docx"
    summary.write_bytes(
        client.get("/reports/download/?park=DEMO&kind=annual&year=2022&summary=1").content
    )
    pdf = docx_to_pdf(summary, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info


def test_cli_saves_renders_lists_and_compares_versions(demo_db, tmp_path):
    out = io.StringIO()
    call_command(
        "report",
        "annual",
        park="DEMO",
        year=2022,
        output=str(tmp_path / "v.docx"),
        save_version=True,
        final=True,
        note="CLI",
        stdout=out,
    )
    assert "已保存第1版（定稿）" in out.getvalue()
    _import_tax(tmp_path, "47000")
    out = io.StringIO()
    call_command(
        "report",
        "annual",
        park="DEMO",
        year=2022,
        version=1,
        output=str(tmp_path / "v1.docx"),
        stdout=out,
    )
    assert "定稿后数据已变更" in out.getvalue()
    assert "全口径税收4.60亿元" in "\n".join(
        p.text for p in Document(str(tmp_path / "v1.docx")).paragraphs
    )
    call_command(
        "report",
        "annual",
        park="DEMO",
        year=2022,
        output=str(tmp_path / "v2.docx"),
        save_version=True,
        stdout=io.StringIO(),
    )
    listing = io.StringIO()
    call_command("report_versions", park="DEMO", year=2022, stdout=listing)
    assert "第1版" in listing.getvalue() and "定稿后数据已变更：全口径税收" in listing.getvalue()
    diff = io.StringIO()
    call_command("report_versions", park="DEMO", year=2022, diff=[1, 2], stdout=diff)
    assert "- " in diff.getvalue() and "4.70亿元" in diff.getvalue()
    with pytest.raises(Exception, match="没有第9版"):
        call_command(
            "report", "annual", park="DEMO", year=2022, version=9, output=str(tmp_path / "x.docx")
        )
