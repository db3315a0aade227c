"""Reads for the home page: the cockpit cards the installed modules declare."""

from __future__ import annotations

import logging
from typing import TypedDict

from yuanqu.core.modules import CardData, cockpit_cards, resolve
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


class CockpitCardShown(TypedDict):
    """A card as the home page shows it: its key and what its function returned."""

    key: str
    label: str
    value: str
    unit: str
    note: str
    url: str


def cockpit_cards_for(*, park: Park, period: Period | None) -> list[CockpitCardShown]:
    """Each declared card's dict (label, value, unit, url; note optional), in order; a card
    with nothing to show returns None and is left out. The caller checks the reader may read
    the park's figures."""
    cards: list[CockpitCardShown] = []
    for card in cockpit_cards():
        data: CardData | None = resolve(card.target)(park, period)
        if data:
            cards.append({"key": card.key, "note": "", "url": "", **data})
    return cards
