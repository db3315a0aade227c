"""Reads for the home page: the cockpit cards the installed modules declare."""

from __future__ import annotations

import logging
from typing import Any

from yuanqu.core.modules import cockpit_cards, resolve
from yuanqu.core.periods import Period
from yuanqu.imports.models import DataSlice, DataStatus
from yuanqu.registry.models import Park

log = logging.getLogger(__name__)


def cockpit_period(*, park: Park) -> Period | None:
    """The latest month with counted (已审核/已锁定) period data of any kind in the park."""
    s = (
        DataSlice.objects.filter(park=park, status__in=[DataStatus.REVIEWED, DataStatus.LOCKED])
        .exclude(month=0)
        .order_by("-year", "-month")
        .first()
    )
    return Period(s.year, s.month) if s else None


def cockpit_cards_for(*, park: Park, period: Period | None) -> list[dict[str, Any]]:
    """Each declared card's dict (label, value, unit, url; note optional), in order; a card
    with nothing to show returns None and is left out. The caller checks the reader may read
    the park's figures."""
    cards = []
    for card in cockpit_cards():
        data = resolve(card.target)(park, period)
        if data:
            cards.append({"key": card.key, "note": "", "url": "", **data})
    return cards
