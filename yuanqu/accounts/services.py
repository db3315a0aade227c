"""Writes of the accounts app: users (issue 9, item 9 — every write through a service)."""

from __future__ import annotations

from collections.abc import Iterable

from yuanqu.accounts.models import Role, User
from yuanqu.registry.models import Department, Enterprise, Park, Region


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    park: Park | None = None,
    region: Region | None = None,
    enterprise: Enterprise | None = None,
    departments: Iterable[Department] = (),
    can_review: bool = False,
    can_lock: bool = False,
) -> User:
    """A user bound to its scope: a 系统管理员 is staff and superuser; a 园区管理员 is staff (it
    manages its park's users in the admin, scoped); an enterprise user belongs to its
    enterprise's park. The password is set as given (the password policy applies to forms);
    django-auditlog records the new user (without its password) and its departments."""
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        park=enterprise.park if enterprise is not None else park,
        region=region,
        enterprise=enterprise,
        can_review=can_review,
        can_lock=can_lock,
        is_staff=role in (Role.ADMIN, Role.PARK_ADMIN),
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    chosen = list(departments)
    if chosen:
        user.departments.set(chosen)
    return user
