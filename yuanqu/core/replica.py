"""Dashboard reads from a PostgreSQL read replica (docs/deploy.md, "More than one machine").

With `YUANQU_REPLICA_DATABASE_URL` set, settings add a `replica` database alias. Nothing reads
from it unless asked: only views marked `@reads_from_replica` (the cockpit, the city view, the
big screens, the report preview — pages that only read, and are opened often by many people)
send their reads there, and only

- for GET and HEAD requests;
- outside any transaction on the primary (a read that follows a write of the same request must
  see that write: inside `transaction.atomic()` every read goes to the primary);
- for the platform's data, never for who is logged in and what they may do (accounts, auth,
  sessions, the login lock-out): a user deactivated or given another role a second ago must
  not keep acting on a copy that lags.

Every write goes to the primary, including the save of an object that was read from the
replica (Django's default would write it back where it came from).

Read-after-write: a replica lags the primary by the time it takes to replay the primary's WAL —
usually well under a second, longer under a heavy import. A page on the replica may show the
figures of just before a change for that long; the data version (`core.versions`) is read from
the same replica as the figures, so the page caches keyed by it stay consistent with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Who may log in and do what, and the login lock-out: always the primary.
PRIMARY_ONLY_APPS = frozenset({"accounts", "auth", "sessions", "axes", "admin"})

_reading = ContextVar("yuanqu_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (when one is configured)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A read-only view whose GET reads may be served by the replica."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """`DATABASE_ROUTERS`: the replica for opted-in reads, the primary for everything else."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _reading.get()
            and replica_configured()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        # Explicitly the primary: returning None would let Django follow an object read from
        # the replica back to it (`instance._state.db`).
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # One database seen through two aliases: objects from either may be related.
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA, None} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica is a copy: PostgreSQL replays the primary's migrations onto it.
        return False if db == REPLICA else None
