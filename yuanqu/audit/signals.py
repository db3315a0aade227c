"""Wiring: logins into the audit log, and the log kept append-only.

Django sends `user_logged_in`, `user_login_failed` and `user_logged_out` from the form, the
admin and HTTP Basic alike, so one receiver each covers every way in.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_delete, pre_save

from yuanqu.audit.services import audit_event, audit_event_or_spool, client_addr


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # A login must not fail while an import holds SQLite's write lock: the entry waits in the
    # spool until the database is free (services.audit_event_or_spool).
    audit_event_or_spool(
        user=user,
        event="login",
        park=getattr(user, "park", None),
        remote_addr=client_addr(request),
    )


def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:  # logging out an anonymous session
        return
    audit_event(
        user=user,
        event="logout",
        park=getattr(user, "park", None),
        remote_addr=client_addr(request),
    )


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # `credentials` has the password already masked by Django; keep only the name typed.
    username = str(credentials.get("username") or "")[:150]
    # The park of the account tried (if it exists), so its leaders see attempts on their users;
    # the actor stays empty: nobody logged in.
    from yuanqu.accounts.models import User

    account = User.objects.filter(username=username).select_related("park").first()
    audit_event(
        user=None,
        event="login_failed",
        target=account,
        park=account.park if account is not None else None,
        detail={"username": username},
        remote_addr=client_addr(request),
    )


def _refuse_update(sender: Any, instance: LogEntry, **kwargs: Any) -> None:
    if instance.pk is not None and not kwargs.get("raw"):
        raise AuditLogIsAppendOnly("审计日志只能追加，不能修改")


def _refuse_delete(sender: Any, instance: LogEntry, **kwargs: Any) -> None:
    raise AuditLogIsAppendOnly("审计日志只能追加，不能删除")


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="yuanqu.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="yuanqu.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="yuanqu.audit.login_failed")
    # Instance saves and deletes (admin actions, cascades, `queryset.delete()`, which sends
    # pre_delete for each row while a receiver listens) are refused. A database-level purge
    # (`flush`, a restore) is outside the application and stays possible for operators.
    pre_save.connect(_refuse_update, sender=LogEntry, dispatch_uid="yuanqu.audit.no_update")
    pre_delete.connect(_refuse_delete, sender=LogEntry, dispatch_uid="yuanqu.audit.no_delete")
