from __future__ import annotations

from typing import Any

from django.urls import reverse


def card(park: Any, period: Any) -> dict[str, Any]:
    return {
        "label": "碳排放重点监测企业",
        "value": "3",
        "unit": "家",
        "url": reverse("carbon:index"),
    }
