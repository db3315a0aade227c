"""Scoped reads of the registry. Views, API, exports and reports read through these."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from yuanqu.accounts import policy
from yuanqu.accounts.models import User
from yuanqu.accounts.scopes import enterprises_for, park_for, parks_for
from yuanqu.registry.models import Enterprise, EnterpriseScale, Park


def park_list_for(*, user: User, search: str = "", region_code: str = "") -> QuerySet[Park]:
    """Parks the user may read, with their enterprise count, optionally filtered.

    An enterprise user gets its own park's name only: the count of the park's enterprises is a
    park-wide figure (accounts.policy), so it is left out (None) for it."""
    qs = parks_for(user).select_related("region")
    if policy.reads_park_wide(user):
        qs = qs.annotate(enterprise_count=Count("enterprises", distinct=True))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if region_code:
        qs = qs.filter(region__code=region_code)
    return qs.order_by("code")


def park_get_for(*, user: User, code: str) -> Park:
    return park_for(user, code)


def enterprise_list_for(
    *, user: User, park_code: str = "", search: str = "", cluster_id: int | None = None
) -> QuerySet[Enterprise]:
    """Enterprises the user may read (an enterprise user: only its own)."""
    qs = enterprises_for(user).select_related("park", "cluster")
    if park_code:
        qs = qs.filter(park__code=park_code)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(credit_code__icontains=search))
    if cluster_id:
        qs = qs.filter(cluster_id=cluster_id)
    return qs.order_by("park__code", "name")


def enterprise_get_for(*, user: User, credit_code: str) -> Enterprise | None:
    return enterprises_for(user).filter(credit_code=credit_code).first()


def above_scale_ids(*, park: Park, year: int) -> set[int]:
    """Ids of the park's enterprises that are 规上 in `year`."""
    return set(
        EnterpriseScale.objects.filter(
            enterprise__park=park, year=year, is_above_scale=True
        ).values_list("enterprise_id", flat=True)
    )
