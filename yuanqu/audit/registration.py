"""Which models django-auditlog follows by itself, with before and after of each field.

Only the low-volume models whose every change matters (the registry, users, targets, report
templates, the review status of each data slice). The enterprise-report rows are not here: an
import writes thousands of them and is logged as ONE entry carrying its change table
(`audit_import`); bulk writes send no signals anyway.

Each followed model gets a `get_additional_data()` (auditlog calls it when present) that
stamps the entry with the park's code, so a park leader's audit page finds its park's changes.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.apps import apps

# (app_label.Model, fields never logged). Passwords and login times are not changes anyone
# audits, and the hash must not be copied into the log.
FOLLOWED: tuple[tuple[str, tuple[str, ...]], ...] = (
    # `raw` keeps the catalogue's columns as published: bulky, and never edited by hand.
    ("registry.Park", ("raw",)),
    ("registry.Department", ()),
    ("registry.Enterprise", ()),
    ("accounts.User", ("password", "last_login")),
    ("economy.Target", ()),
    ("reports.ReportTemplate", ()),
    ("imports.DataSlice", ("updated_at",)),
)


def _park_code(instance: Any) -> str | None:
    meta = instance._meta
    if meta.label == "registry.Park":
        return instance.code or None
    if getattr(instance, "park_id", None):
        park = instance.park  # one query per change; these models change rarely
        return park.code
    return None


def _additional_data(self: Any) -> dict[str, Any]:
    return {"park": _park_code(self)}


def register_models() -> None:
    for label, excluded in FOLLOWED:
        model = apps.get_model(label)
        if not hasattr(model, "get_additional_data"):
            model.get_additional_data = _additional_data
        if model not in auditlog.get_models():
            m2m = {"departments"} if label == "accounts.User" else set()
            # Reverse relations (a department's `users`, a park's `targets` …) are not fields of
            # the row: logged, they would show as "users：— → accounts.User.None".
            reverse = [
                f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete
            ]
            auditlog.register(model, exclude_fields=[*excluded, *reverse], m2m_fields=m2m)
