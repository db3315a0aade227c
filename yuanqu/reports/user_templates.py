"""A park's own Word template: docxtpl placeholders over the documented variable catalogue.

The template is checked when it is uploaded — before anything renders — with
``DocxTemplate.get_undeclared_template_variables`` in the same sandbox it renders in: a name
outside the catalogue (a typo such as ``{{ outptu }}``) is refused with a Chinese message that
names it and lists what is available; a Jinja syntax error is refused with its line. Rendering
happens in a ``SandboxedEnvironment`` with ``StrictUndefined`` and autoescaping (a name with
“&” cannot break the document's XML), and the check is repeated at render time in case the
catalogue changed since the upload.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from docxtpl import DocxTemplate, Listing
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from yuanqu.reports.docx_layout import OfficialDocument
from yuanqu.reports.engine import Report, docx_variables, sections_of

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


class TemplateCheckError(ValueError):
    """A template that cannot be used; the message is Chinese and names the problem."""


def sandbox() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _open(source: str | Path | IO[bytes]) -> DocxTemplate:
    if hasattr(source, "read"):
        data = source.read()  # type: ignore[union-attr]
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateCheckError("模板文件超过10MB，请精简后再上传")
        return DocxTemplate(io.BytesIO(data))
    return DocxTemplate(str(source))


def check_template(source: str | Path | IO[bytes], kind: str) -> list[str]:
    """The catalogue variables a template uses; `TemplateCheckError` if it cannot be used."""
    try:
        tpl = _open(source)
        used = tpl.get_undeclared_template_variables(jinja_env=sandbox())
    except TemplateCheckError:
        raise
    except TemplateError as exc:
        line = f"（第{exc.lineno}行附近）" if getattr(exc, "lineno", None) else ""
        raise TemplateCheckError(f"模板中的占位符写法有误{line}：{exc}") from exc
    except Exception as exc:
        raise TemplateCheckError(
            f"无法读取模板：请上传 Word .docx 文件（{type(exc).__name__}）"
        ) from exc
    known = docx_variables(kind)
    unknown = sorted(set(used) - set(known))
    if unknown:
        names = "、".join("{{ " + u + " }}" for u in unknown)
        raise TemplateCheckError(
            f"模板中的变量 {names} 不在变量目录中，未生成任何内容。"
            f"请核对拼写；可用变量：{'、'.join(sorted(known))}（说明见“变量目录”）"
        )
    return sorted(used)


def render_template(source: str | Path | IO[bytes], report: Report) -> bytes:
    """Fill a checked template with the report's variables; returns the .docx bytes."""
    check_template(source, report.kind)
    if hasattr(source, "seek"):
        source.seek(0)  # type: ignore[union-attr]
    tpl = _open(source)
    context: dict[str, Any] = report.template_context()
    for name, value in list(context.items()):
        # A section of several paragraphs goes into one template paragraph: a line break and
        # a two-character indent (全角空格) stand for each new paragraph.
        if name.endswith("_text") and isinstance(value, str) and "\n" in value:
            context[name] = Listing(value.replace("\n", "\n\u3000\u3000"))
    try:
        tpl.render(context, jinja_env=sandbox(), autoescape=True)
    except TemplateError as exc:
        raise TemplateCheckError(f"模板渲染失败：{exc}") from exc
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def sample_template(kind: str) -> bytes:
    """A starting template in 公文 layout: title, each section's text, the 数据来源 table."""
    doc = OfficialDocument(title="报告模板示例")
    doc.title("{{ title }}")
    doc.subtitle("{{ subtitle }}")
    for spec in sections_of(kind):
        doc.heading1(spec.title)
        doc.paragraph("{{ " + spec.key + "_text }}")
    doc.heading1("数据来源")
    table = doc.table(
        ["序号", "数字", "指标", "期间", "单位", "计算方法/来源"],
        [
            ["{%tr for s in sources %}", "", "", "", "", ""],
            [
                "{{ s.no }}",
                "{{ s.figure }}",
                "{{ s.indicator }}",
                "{{ s.period }}",
                "{{ s.unit }}",
                "{{ s.method }}",
            ],
            ["{%tr endfor %}", "", "", "", "", ""],
        ],
        [14.0, 24.0, 32.0, 26.0, 16.0, 44.0],
    )
    del table
    return doc.to_bytes()
