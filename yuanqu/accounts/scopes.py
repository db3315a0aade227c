"""Data scopes: the one place that says which parks and enterprises a user may read.

Every selector that returns park- or enterprise-owned rows starts from `park_ids_for` /
`enterprise_scope_q` here, so a page, an API call, an export and a report see the same rows.
Superusers and 系统管理员 see everything; a 市级用户 sees the parks of its region; park
leaders and department users see their park; an enterprise user sees only its enterprise.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yuanqu.accounts.models import AuthUser, Role
from yuanqu.registry.models import Enterprise, Park


class ScopeDenied(PermissionError):
    """Raised when a user asks for an object outside its scope (shown as 404/403)."""


def is_global(user: AuthUser | None) -> bool:
    # Anonymous users (the admin's login page asks too) and the operator (None: CLI, reports)
    # have neither attribute.
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.ADMIN)


def parks_for(user: AuthUser) -> QuerySet[Park]:
    """Parks the user may read."""
    if not user.is_authenticated or not user.is_active:
        return Park.objects.none()
    if is_global(user):
        return Park.objects.all()
    if user.role == Role.CITY:
        if user.region_id is None:
            return Park.objects.none()
        return Park.objects.filter(region_id=user.region_id)
    if user.role == Role.ENTERPRISE:
        # An enterprise user sees the name of its own park and nothing park-wide.
        if user.enterprise_id is None:
            return Park.objects.none()
        return Park.objects.filter(enterprises__id=user.enterprise_id)
    if user.park_id is None:
        return Park.objects.none()
    return Park.objects.filter(pk=user.park_id)


def enterprise_filter(user: AuthUser, prefix: str = "") -> Q:
    """A Q object restricting a query on enterprise-owned rows to the user's scope.

    `prefix` is the path to the enterprise from the queried model, e.g. "enterprise__".
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if is_global(user):
        return Q()
    if user.role == Role.ENTERPRISE:
        if user.enterprise_id is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}id" if prefix else "pk": user.enterprise_id})
    return Q(**{f"{prefix}park__in": parks_for(user)})


def enterprises_for(user: AuthUser) -> QuerySet[Enterprise]:
    """Enterprises the user may read."""
    return Enterprise.objects.filter(enterprise_filter(user))


def park_for(user: AuthUser, code: str) -> Park:
    """The park with this code, if the user may read it; else ScopeDenied."""
    park = parks_for(user).filter(code=code).first()
    if park is None:
        raise ScopeDenied(f"园区“{code}”不存在或无权访问")
    return park
