"""“Today” for lights, overdue items and automatic tasks (DECISIONS.md: computed at an explicit
date). Pages and `yuanqu supervise` ask here; reports pass the period end instead.

`YUANQU_TODAY` (YYYY-MM-DD, a setting or the environment) pins it. Otherwise a database holding
the demo's 企业诉求 part answers the end of the demo's last period (2023-12-31), so a second
`make demo` and its pages change nothing from one day to the next (DECISIONS.md, "The demo
pins today"); anywhere else it is the calendar's date.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings

#: The end of the demo's last period.
DEMO_TODAY = dt.date(2023, 12, 31)
DEMO_PART = "service"


def today() -> dt.date:
    pinned = str(getattr(settings, "YUANQU_TODAY", "") or os.environ.get("YUANQU_TODAY", ""))
    if pinned.strip():
        return dt.date.fromisoformat(pinned.strip())
    from yuanqu.demo.models import DemoLoad

    if DemoLoad.objects.filter(part=DEMO_PART).exists():
        return DEMO_TODAY
    return dt.date.today()
