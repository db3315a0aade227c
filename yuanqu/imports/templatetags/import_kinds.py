"""`{{ record.kind|kind_label }}`: an import kind's Chinese name in templates."""

from django import template

from yuanqu.imports.engine import kind_label as _kind_label

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    return _kind_label(kind or "")
