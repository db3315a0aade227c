"""Chinese wording of request validation errors (pydantic's, as django-ninja reports them).

The API keeps ninja's ``detail`` list (machine-readable, English) and adds one Chinese
sentence naming each parameter, so a user or a script's log says what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["validation_message"]

# pydantic error type → Chinese text; {name} is the parameter, the rest come from its ctx.
_TEXTS = {
    "missing": "缺少参数 {name}",
    "greater_than_equal": "{name} 应大于或等于 {ge}",
    "greater_than": "{name} 应大于 {gt}",
    "less_than_equal": "{name} 应小于或等于 {le}",
    "less_than": "{name} 应小于 {lt}",
    "int_parsing": "{name} 应为整数",
    "int_parsing_size": "{name} 数值过大",
    "int_from_float": "{name} 应为整数",
    "float_parsing": "{name} 应为数字",
    "finite_number": "{name} 应为有限的数字",
    "decimal_parsing": "{name} 应为数字",
    "bool_parsing": "{name} 应为 true 或 false（也可写 1 或 0）",
    "string_too_long": "{name} 过长（最多 {max_length} 个字符）",
    "string_too_short": "{name} 过短（至少 {min_length} 个字符）",
    "literal_error": "{name} 只能是 {expected}",
    "enum": "{name} 只能是 {expected}",
    "date_parsing": "{name} 应为日期（如 2022-09-30）",
    "date_from_datetime_parsing": "{name} 应为日期（如 2022-09-30）",
    "string_type": "{name} 应为文字",
    "int_type": "{name} 应为整数",
}


def _name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    # ("query", "month") → month; ("body", "payload", "amount") → payload.amount
    if parts and parts[0] in {"query", "path", "body", "form", "header", "cookie", "file"}:
        parts = parts[1:]
    return ".".join(parts) or "请求"


def validation_message(errors: Iterable[Mapping[str, Any]]) -> str:
    """One Chinese sentence for a list of validation errors:
    ``请求参数有误：month 应小于或等于 12；year 应为整数``."""
    texts = []
    for error in errors:
        name = _name(error.get("loc", ()))
        template = _TEXTS.get(str(error.get("type", "")), "{name} 的值无效")
        context = {k: v for k, v in (error.get("ctx") or {}).items()}
        try:
            texts.append(template.format(name=name, **context))
        except (KeyError, IndexError):
            texts.append(f"{name} 的值无效")
    return "请求参数有误：" + "；".join(dict.fromkeys(texts))
