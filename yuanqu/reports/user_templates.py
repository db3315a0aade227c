"""Parks' own .docx templates: docxtpl placeholders over the documented variable catalogue,
checked before anything renders and rendered in a sandboxed Jinja environment."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from yuanqu.reports.engine import Report, catalogue

BASE_VARIABLES = {"park_name": "园区名称", "title": "报告标题"}


class TemplateError(ValueError):
    """A template that cannot be used; the message is Chinese and names the variable."""


def sandbox() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def known_variables(kind: str) -> dict[str, str]:
    names = dict(BASE_VARIABLES)
    for variables in catalogue(kind).values():
        names.update(variables)
    if kind == "annual":
        names["problems"] = "问题与差距段落"
    return names


def check_template(stream: IO[bytes], kind: str) -> list[str]:
    """The variables a template uses; TemplateError if it is not a .docx or uses unknown ones."""
    try:
        tpl = DocxTemplate(stream)
        used = tpl.get_undeclared_template_variables(sandbox())
    except Exception as exc:
        raise TemplateError(f"无法读取模板：{exc}；请上传 Word .docx 文件") from exc
    known = known_variables(kind)
    unknown = sorted(set(used) - set(known))
    if unknown:
        names = "、".join("{{ " + u + " }}" for u in unknown)
        raise TemplateError(
            f"模板中的变量 {names} 不在变量目录中，未生成任何内容。可用变量："
            + "、".join(sorted(known))
        )
    return sorted(used)


def render_template(path: Path | str, report: Report) -> bytes:
    tpl = DocxTemplate(str(path))
    context: dict[str, Any] = {name: "" for name in known_variables(report.kind)}
    context.update(report.variables())
    context["problems"] = next(
        (s.paragraphs[0] for s in report.sections if s.key == "problems"), ""
    )
    tpl.render(context, jinja_env=sandbox())
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()
