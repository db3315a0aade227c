"""Model fields shared by the apps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

_INT64_MAX = 2**63 - 1


class FixedDecimalField(models.BigIntegerField):
    """A Decimal stored exactly as a whole number of 10^-places (default 10^-8).

    Why not DecimalField: SQLite keeps a NUMERIC column as a REAL once it has more than 15
    significant digits, so a park total in 万元 with eight places (元 → 万元 shifts by four)
    would come back rounded; and SQLite's SUM over NUMERIC adds floats. An integer is exact on
    both databases and sums exactly in SQL. Range: ±9.2 × 10^10 at eight places (in 万元:
    920万亿元), far above any park or city total. A value with more places than the field
    holds is refused (it would otherwise be rounded silently).
    """

    description = "Decimal stored as an integer count of 10^-places"

    def __init__(self, *args: Any, places: int = 8, **kwargs: Any) -> None:
        self.places = places
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.places != 8:
            kwargs["places"] = self.places
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places)

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError(f"“{value}”不是数字") from exc

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        number = self.to_python(value)
        assert number is not None
        scaled = number.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{number} 的小数位多于 {self.places} 位，无法精确保存")
        whole = int(scaled)
        if abs(whole) > _INT64_MAX:
            raise ValueError(f"{number} 超出可保存的范围")
        return whole
