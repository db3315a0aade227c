"""Bounded limit/offset pagination for the API.

django-ninja's `LimitOffsetPagination` accepts any offset and (by default) any limit; a value
past the database's integer range (``offset=99999999999999999999``) reached SQLite as an
overflow and answered 500. Here both are bounded in the input schema, so such a request is a
422 naming the parameter (issue 9, item 11).
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

__all__ = ["MAX_LIMIT", "MAX_OFFSET", "BoundedLimitOffsetPagination"]

MAX_LIMIT = 1000
# Far beyond any table here, far inside a 64-bit integer on every database.
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`LimitOffsetPagination` with ``1 ≤ limit ≤ 1000`` and ``0 ≤ offset ≤ 2^31-1``."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="每页条数（1-1000）")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
