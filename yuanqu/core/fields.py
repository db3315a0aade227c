"""Model fields shared by the apps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


class ExactDecimalField(models.DecimalField):  # type: ignore[type-arg]
    """A DecimalField that comes back exactly as it was written, on SQLite too.

    Why: SQLite keeps a NUMERIC value as a REAL once it has more than 15 significant digits,
    so a park total in 万元 with eight places (元 → 万元 shifts the point by four) would come
    back rounded. Here SQLite stores the decimal's text (TEXT affinity: never converted) and
    PostgreSQL a numeric(max_digits, decimal_places) as usual. Do not SUM such a column in SQL
    on SQLite (it would add floats): the summaries that use it are summed in Python.
    """

    def get_internal_type(self) -> str:
        # Not "DecimalField": SQLite's decimal converter would read the text as a float.
        return "ExactDecimalField"

    def db_type(self, connection: Any) -> str:
        if connection.vendor == "sqlite":
            return "text"
        return f"numeric({self.max_digits}, {self.decimal_places})"

    def rel_db_type(self, connection: Any) -> str:
        return self.db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None:
            return None
        number = self.to_python(value)
        assert number is not None
        quantum = Decimal(1).scaleb(-self.decimal_places)
        exact = number.quantize(quantum)
        if exact != number:
            raise ValueError(f"{number} 的小数位多于 {self.decimal_places} 位，无法精确保存")
        if len(exact.as_tuple().digits) > self.max_digits:
            raise ValueError(f"{number} 超出可保存的范围（{self.max_digits} 位有效数字）")
        return str(exact) if connection.vendor == "sqlite" else exact

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        try:
            return value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation as exc:  # pragma: no cover - only we write the column
            raise ValidationError(f"“{value}”不是数字") from exc
