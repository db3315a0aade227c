from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def over_quota(park: Any, date: Any) -> Iterable[str]:
    """Causes of automatic supervision tasks (issue 10 reads them): none in the test module."""
    return []
