"""Scoped reads of the import log."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yuanqu.accounts.models import Role, User
from yuanqu.accounts.scopes import is_global, parks_for
from yuanqu.imports.models import ImportRecord


def import_list_for(*, user: User) -> QuerySet[ImportRecord]:
    """Imports the user may see: everything for administrators, its park's for park users,
    its own uploads for enterprise users."""
    qs = ImportRecord.objects.select_related("user", "park")
    if is_global(user):
        return qs
    if user.role == Role.ENTERPRISE:
        return qs.filter(user=user)
    return qs.filter(Q(park__in=parks_for(user)) | Q(user=user))


def import_get_for(*, user: User, pk: int) -> ImportRecord | None:
    return import_list_for(user=user).filter(pk=pk).first()
