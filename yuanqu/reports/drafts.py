"""Report drafts (issue 15): the officials' narrative kept across data updates, saved versions,
定稿 and the comparison of two versions. Every write here is a service (keyword-only
`<entity>_<action>`) asking the access policy first (`policy.can_edit_report`).

A draft never stores figures: showing it builds the report from the data with the draft's
blocks (`draft_report`), so an import refreshes the figures and keeps the text. Saving a
version stores the whole rendered text, the 数据来源 rows and the blocks; a 定稿 version is
rendered from what it stored (`version_report`) and compared with the data of today
(`version_changes`) to say “定稿后数据已变更：…”, never rewritten.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yuanqu.accounts import policy
from yuanqu.accounts.models import AuthUser
from yuanqu.core.periods import Period, parse_period
from yuanqu.registry.models import Park
from yuanqu.reports import services
from yuanqu.reports.engine import Figure, Report, ReportError, Section, blocks_of
from yuanqu.reports.models import NarrativeBlock, ReportDraft, ReportVersion

KIND = "annual"


def draft_get(*, park: Park, year: int, kind: str = KIND) -> ReportDraft:
    """The park-year's draft, created (empty: every block at its default) on first use."""
    draft, _ = ReportDraft.objects.get_or_create(park=park, kind=kind, year=year)
    return draft


def draft_blocks(draft: ReportDraft) -> dict[str, str]:
    """The blocks officials edited (key → text); the others are at their defaults."""
    return dict(draft.blocks.values_list("key", "text"))


def draft_report(
    draft: ReportDraft, *, as_of: Period | None = None, include_submitted: bool = False
) -> Report:
    """The draft as it reads today: figures from the data, the officials' text kept."""
    return services.annual_report(
        park=draft.park,
        year=draft.year,
        as_of=as_of,
        include_submitted=include_submitted,
        narrative=draft_blocks(draft),
    )


def _require_editor(user: AuthUser | None, park: Park) -> None:
    """`user=None` is the command-line operator (as everywhere in the services)."""
    if user is not None and not policy.can_edit_report(user, park):
        raise policy.Denied(
            "无权修改报告文字：只有党政办（报告模板与文字）或园区领导可以修改；其他人只能查看"
        )


@transaction.atomic
def block_save(
    *, draft: ReportDraft, key: str, text: str, user: AuthUser | None
) -> NarrativeBlock | None:
    """Keep an edited text of the draft; the default text (or an unchanged one) removes the
    edit so that the block follows its default again. Returns the stored block or None."""
    _require_editor(user, draft.park)
    known = {b.key: b for b in blocks_of(draft.kind)}
    if key not in known:
        raise ReportError(f"报告中没有“{key}”这一段可以修改")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > 20_000:
        raise ReportError("一段文字不能超过两万字")
    if text == known[key].default.strip():
        draft.blocks.filter(key=key).delete()
        ReportDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
        return None
    block, _ = NarrativeBlock.objects.update_or_create(
        draft=draft,
        key=key,
        defaults={"text": text, "updated_by": user if getattr(user, "pk", None) else None},
    )
    ReportDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    return block


def _content(report: Report) -> dict[str, Any]:
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "year": report.year,
        "estimated": report.estimated,
        "include_submitted": report.include_submitted,
        "omitted": list(report.omitted),
        "headings": [
            {
                "text": h.text,
                "level": h.level,
                "key": h.section.key if h.section else "",
                "title": h.section.title if h.section else "",
                "group": h.section.group if h.section else "",
                "paragraphs": list(h.section.paragraphs) if h.section else [],
                "narrative": bool(h.section and h.section.narrative),
                "headed": bool(h.section is None or h.section.headed),
            }
            for h in report.headings()
        ],
    }


@transaction.atomic
def version_save(
    *,
    draft: ReportDraft,
    user: AuthUser | None,
    note: str = "",
    as_of: Period | None = None,
    final: bool = False,
) -> ReportVersion:
    """Save the draft as it reads now as the next version (with its 数据来源 rows and the
    blocks); `final` makes it the 定稿 at once."""
    _require_editor(user, draft.park)
    report = services.require_content(draft_report(draft, as_of=as_of))
    # Lock the draft row so that two saves at once do not take the same number.
    ReportDraft.objects.select_for_update().filter(pk=draft.pk).first()
    number = (draft.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    who = user if getattr(user, "pk", None) else None
    version = ReportVersion.objects.create(
        draft=draft,
        number=number,
        note=note.strip()[:200],
        as_of=str(report.period),
        content=_content(report),
        figures=[f.__dict__ for f in report.figures],
        blocks=draft_blocks(draft),
        created_by=who,
        final=final,
        finalised_by=who if final else None,
        finalised_at=timezone.now() if final else None,
    )
    return version


@transaction.atomic
def version_finalise(*, version: ReportVersion, user: AuthUser | None) -> ReportVersion:
    """定稿: freeze a saved version (its text and the data it used stay as they are)."""
    _require_editor(user, version.draft.park)
    if not version.final:
        version.final = True
        version.finalised_by = user if getattr(user, "pk", None) else None
        version.finalised_at = timezone.now()
        version.save(update_fields=["final", "finalised_by", "finalised_at"])
    return version


def version_report(version: ReportVersion) -> Report:
    """A saved version as a Report to render (Word, PDF, HTML) from what it stored."""
    c = version.content
    sections: list[Section] = []
    part_titles: dict[str, str] = {}
    for h in c["headings"]:
        if h["key"]:
            sections.append(
                Section(
                    key=h["key"],
                    title=h["title"],
                    paragraphs=list(h["paragraphs"]),
                    group=h["group"] or None,
                    headed=h["headed"],
                    narrative=h["narrative"],
                )
            )
        elif h["level"] == 1:
            part_titles[_next_group(c["headings"], h)] = re.sub(
                r"^[一二三四五六七八九十]+、", "", h["text"]
            )
    report = Report(
        kind=version.draft.kind,
        title=c["title"],
        subtitle=c["subtitle"],
        park=version.draft.park,
        period=parse_period(version.as_of),
        year=int(c["year"]),
        estimated=bool(c["estimated"]),
        sections=sections,
        omitted=list(c["omitted"]),
        figures=[Figure(**f) for f in version.figures],
        include_submitted=bool(c["include_submitted"]),
        part_titles=part_titles,
    )
    return report


def _next_group(headings: list[dict[str, Any]], part: dict[str, Any]) -> str:
    """The group of the first section after a part heading."""
    after = headings[headings.index(part) + 1 :]
    return next((h["group"] for h in after if h["key"]), "")


@dataclass(frozen=True)
class FigureChange:
    """A figure of a 定稿 that the data now give differently (or no longer give)."""

    indicator: str
    period: str
    frozen: str
    now: str  # "" when the figure is no longer in the report

    def sentence(self) -> str:
        if not self.now:
            return f"{self.indicator}（{self.period}）定稿为{self.frozen}，现已无此数"
        return f"{self.indicator}（{self.period}）定稿为{self.frozen}，现为{self.now}"


def version_changes(version: ReportVersion) -> list[FigureChange]:
    """What the data say today about the figures a version used, where it differs: the
    report is built again at the version's data month and its 数据来源 rows compared by
    indicator and period."""
    try:
        current = draft_report(version.draft, as_of=parse_period(version.as_of))
    except ReportError:
        current = None
    now = {(f.indicator, f.period): f.figure for f in current.figures} if current else {}
    changes = []
    for f in version.figures:
        key = (f["indicator"], f["period"])
        if now.get(key) != f["figure"]:
            changes.append(FigureChange(f["indicator"], f["period"], f["figure"], now.get(key, "")))
    return changes


def change_notice(changes: list[FigureChange]) -> str:
    """“定稿后数据已变更：…” (empty when nothing changed)."""
    if not changes:
        return ""
    shown = "；".join(c.sentence() for c in changes[:10])
    more = f"等{len(changes)}项" if len(changes) > 10 else ""
    return f"定稿后数据已变更：{shown}{more}。定稿文本未改动，如需采用新数据请另存新版本。"


SENTENCE_END = re.compile(r"(?<=[。；！？])")


def _sentences(content: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for h in content["headings"]:
        if h["text"]:
            out.append(h["text"])
        for p in h["paragraphs"]:
            out.extend(s for s in SENTENCE_END.split(p) if s.strip())
    return out


@dataclass(frozen=True)
class DiffLine:
    """One step of a comparison: "same", "removed" (only in the older), "added" (only in the
    newer), or "changed" (old → new)."""

    op: str
    old: str
    new: str


def version_diff(older: ReportVersion, newer: ReportVersion) -> list[DiffLine]:
    """The changed sentences between two versions (headings included), in reading order."""
    a, b = _sentences(older.content), _sentences(newer.content)
    out: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(DiffLine("same", s, s) for s in a[i1:i2])
        elif tag == "replace" and i2 - i1 == j2 - j1:
            out.extend(DiffLine("changed", x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True))
        else:
            out.extend(DiffLine("removed", s, "") for s in a[i1:i2])
            out.extend(DiffLine("added", "", s) for s in b[j1:j2])
    return out
