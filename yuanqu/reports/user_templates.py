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
import re
import sys
import time
from pathlib import Path
from types import FrameType
from typing import IO, Any

from django.conf import settings
from docxtpl import DocxTemplate, Listing
from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from yuanqu.reports.docx_layout import OfficialDocument
from yuanqu.reports.engine import Report, docx_variables, sections_of

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


class TemplateCheckError(ValueError):
    """A template that cannot be used; the message is Chinese and names the problem."""


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def render_seconds() -> float:
    """Wall-clock limit of one render (YUANQU_TEMPLATE_RENDER_SECONDS, default 10)."""
    return float(_setting("YUANQU_TEMPLATE_RENDER_SECONDS", 10))


def max_range() -> int:
    """The most items a template's `range()` may produce (YUANQU_TEMPLATE_MAX_RANGE)."""
    return _setting("YUANQU_TEMPLATE_MAX_RANGE", 10_000)


def max_output_chars() -> int:
    """The most characters a rendered template part may hold (YUANQU_TEMPLATE_MAX_OUTPUT)."""
    return _setting("YUANQU_TEMPLATE_MAX_OUTPUT", 20_000_000)


class RenderLimit(TemplateError):
    """A render stopped by a limit (time, range, size); the message is Chinese."""


class _LimitedTemplate(Template):
    """Streams the output and stops once it exceeds the size limit, instead of building an
    unbounded string first (Jinja's own `render` joins everything, then returns)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        limit = getattr(self.environment, "max_output", None) or max_output_chars()
        parts: list[str] = []
        total = 0
        for chunk in self.generate(*args, **kwargs):
            total += len(chunk)
            if total > limit:
                raise RenderLimit(
                    f"模板生成的内容超过上限（{limit:,} 个字符）：请检查循环或重复的写法"
                )
            parts.append(chunk)
        return "".join(parts)


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox uploaded templates render in: Jinja's sandbox (no private attributes, no
    unsafe calls) plus limits a trusted template never reaches — `range()` of at most
    `max_range()` items, no string or list multiplied beyond the output limit, no huge powers.
    The time limit is enforced around the render (`_run_limited`)."""

    template_class = _LimitedTemplate
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_output = max_output_chars()
        self.globals["range"] = self._range
        self.filters["center"] = self._center

    def _range(self, *args: Any) -> range:
        try:
            items = range(*args)
        except TypeError as exc:
            raise RenderLimit(f"range() 的参数必须是整数：{args!r}") from exc
        limit = max_range()
        if len(items) > limit:
            shown = ", ".join(str(a) for a in args)
            raise RenderLimit(
                f"range({shown}) 有 {len(items):,} 项，模板中的 range 最多 {limit:,} 项"
            )
        return items

    def _center(self, value: Any, width: int = 80) -> str:
        if isinstance(width, int) and width > self.max_output:
            raise RenderLimit(f"center 的宽度 {width:,} 超过上限")
        return str(value).center(width)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > self.max_output:
                        raise RenderLimit("模板中的乘法会生成过长的内容，已停止")
        if operator == "**" and isinstance(right, int) and abs(right) > 1000:
            raise RenderLimit(f"模板中的乘方指数 {right} 过大，已停止")
        return super().call_binop(context, operator, left, right)


def sandbox() -> SandboxedEnvironment:
    return LimitedSandbox(undefined=StrictUndefined, autoescape=True)


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTR = re.compile(r"^'(.+?)' has no attribute '([^']+)'$")
_UNSAFE = re.compile(r"access to attribute '([^']+)' of '([^']+)' object is unsafe")
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '([^']+)'")
_UNEXPECTED = re.compile(r"unexpected '([^']+)'")
_EXPECTED_END = re.compile(r"Unexpected end of template")


def describe_error(exc: BaseException) -> str:
    """A Jinja error in Chinese, naming the variable or tag (and the line) where it can."""
    text = str(getattr(exc, "message", None) or exc)
    line = f"（第{exc.lineno}行附近）" if getattr(exc, "lineno", None) else ""
    if isinstance(exc, RenderLimit):
        return text
    if isinstance(exc, UndefinedError):
        m = _UNDEFINED.match(text)
        if m:
            return f"变量“{m.group(1)}”未定义：请对照“变量目录”核对拼写"
        m = _NO_ATTR.match(text)
        if m:
            return f"“{m.group(1)}”没有字段“{m.group(2)}”：请对照“变量目录”核对字段名"
        return f"模板使用了未定义的变量或字段（{text}）"
    if isinstance(exc, SecurityError):
        m = _UNSAFE.search(text)
        if m:
            return f"出于安全限制，模板不能访问“{m.group(1)}”"
        return f"出于安全限制，模板中的这项操作不被允许（{text}）"
    if isinstance(exc, TemplateSyntaxError):
        m = _UNKNOWN_TAG.search(text)
        if m:
            return f"占位符写法有误{line}：不认识的标签“{m.group(1)}”（是否拼错，或缺少对应的 end 标签？）"
        m = _UNEXPECTED.search(text)
        if m:
            return f"占位符写法有误{line}：多余或位置不对的“{m.group(1)}”"
        if _EXPECTED_END.search(text):
            return f"占位符写法有误{line}：模板结束前缺少结束标签（如 endfor、endif）"
        return f"占位符写法有误{line}（{text}）"
    return f"模板渲染失败{line}（{text}）"


class _Deadline(RenderLimit):
    pass


def _run_limited(render: Any, seconds: float) -> None:
    """Run `render()` with a wall-clock limit, in the calling thread.

    Only the compiled template's own frames (Jinja names their code "<template>") are traced,
    and the trace raises there once the deadline passes, so a runaway loop stops within a
    line. No thread of its own: a render runs in a background task's worker
    (`yuanqu.reports.tasks`) or, without a worker, in the request — either way the caller
    waits for it, and the range, size and power limits of `LimitedSandbox` bound what a single
    line can do. The caller's own trace function (a debugger, coverage) is restored after.
    """
    deadline = time.monotonic() + seconds

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise _Deadline(f"模板渲染超过 {seconds:g} 秒，已停止：请检查模板中的循环")
        return local

    previous = sys.gettrace()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code.co_filename == "<template>":
            return local
        return previous(frame, event, arg) if previous is not None else None

    sys.settrace(tracer)
    try:
        render()
    finally:
        sys.settrace(previous)


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
        raise TemplateCheckError(describe_error(exc)) from exc
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
        _run_limited(
            lambda: tpl.render(context, jinja_env=sandbox(), autoescape=True), render_seconds()
        )
    except TemplateError as exc:
        raise TemplateCheckError(f"模板渲染失败：{describe_error(exc)}") from exc
    except (OverflowError, MemoryError, RecursionError) as exc:
        raise TemplateCheckError("模板渲染失败：模板中的循环或运算过大，已停止") from exc
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
