"""Reads for the home page: the cockpit cards the installed modules declare."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.cache import cache as django_cache

from yuanqu.core import versions
from yuanqu.core.modules import CardData, cockpit_cards, resolve
from yuanqu.core.periods import Period
from yuanqu.imports.models import DataSlice, DataStatus
from yuanqu.registry.models import Park

log = logging.getLogger(__name__)

# Cards are computed again after any write to the data (core.versions) and at least hourly.
CARDS_SECONDS = 3600


def cockpit_periods(*, park: Park, limit: int = 24) -> list[Period]:
    """Months with counted period data in the park, newest first (the cockpit's period menu)."""
    rows = (
        DataSlice.objects.filter(park=park, status__in=[DataStatus.REVIEWED, DataStatus.LOCKED])
        .exclude(month=0)
        .values_list("year", "month")
        .distinct()
        .order_by("-year", "-month")[:limit]
    )
    return [Period(y, m) for y, m in rows]


def cockpit_cards_for(*, park: Park, period: Period | None) -> list[dict[str, Any]]:
    """Each declared card's dict(s) in order (label, value, unit, url and the optional parts
    of `CardData`), keyed by the declaration; a card with nothing to show returns None and is
    left out. Cached under the data version, so a second look costs a cache read. The caller
    checks the reader may read the park's figures."""
    key = ":".join(
        [
            "cockpit",
            str(versions.current()),
            str(dt.date.today()),
            str(park.pk),
            str(period or "-"),
            ",".join(c.key for c in cockpit_cards()),
        ]
    )
    found: list[dict[str, Any]] | None = django_cache.get(key)
    if found is None:
        found = _cards(park, period)
        django_cache.set(key, found, CARDS_SECONDS)
    return found


def _cards(park: Park, period: Period | None) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    for card in cockpit_cards():
        data: CardData | list[CardData] | None = resolve(card.target)(park, period)
        many = data if isinstance(data, list) else [data] if data else []
        for n, one in enumerate(many):
            key = card.key if len(many) == 1 else f"{card.key}-{n + 1}"
            cards.append({"key": key, "note": "", "url": "", "group": "", **one})
    return cards


def grouped(cards: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Cards under their group headings, groups in the order their first card comes."""
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for card in cards:
        if out and out[-1][0] == card["group"]:
            out[-1][1].append(card)
        else:
            existing = next((g for g in out if g[0] == card["group"]), None)
            if existing is not None:
                existing[1].append(card)
            else:
                out.append((card["group"], [card]))
    return out
