"""Template filters for numbers as people read them: `{% load yuanqu %}`.

`{{ value|amount }}` shows a stored Decimal without the column's trailing zeros — "150.6",
not "150.6000" (a `DecimalField(…, decimal_places=4)` renders all four places otherwise);
`{{ value|amount:"," }}` adds thousands separators, `{{ value|amount:"2" }}` rounds half-up to
at most two places, `{{ value|amount:"2," }}` both. Missing values show "—".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()

MISSING = "—"


@register.filter
def amount(value: Any, arg: str = "") -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return MISSING
    spec = str(arg or "")
    grouping = "," in spec
    digits = spec.replace(",", "").strip()
    if digits.isdigit():
        number = number.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    text = format(number, ",f" if grouping else "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
