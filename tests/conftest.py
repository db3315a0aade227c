"""Shared fixtures. A test needing LibreOffice, Chromium or PostgreSQL skips on a laptop
without it, but fails under YUANQU_REQUIRE_ALL=1 (CI), so a green CI proves them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import realdata_dir


@pytest.fixture
def realdata() -> Path:
    path = realdata_dir()
    if path is None:
        pytest.skip("../shared/realdata is absent (set YUANQU_REALDATA)")
    return path


@pytest.fixture
def demo_registry(db):
    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users

    parks = load_registry()
    load_users()
    return parks


@pytest.fixture
def user_factory(db):
    from yuanqu.accounts.models import User

    def make(username: str = "u", **kwargs):
        user = User.objects.create_user(username=username, password="pw-12345", **kwargs)
        return user

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: tests roll their writes back, so a data version
    (core.versions) can come round again with other data behind it."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at full strength costs ~0.3 s a user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for the module and rolled back afterwards."""
    from django.db import transaction
    from django.test import override_settings

    from yuanqu.demo.loader import load_demo

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        load_demo(log=lambda m: None)
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def run_tasks():
    """Run the queued background tasks (imports …) in the test's own process and connection:
    a large upload waits in the queue (database backend, no worker) until the test calls this,
    so it can look at 排队中 first. Returns how many tasks ran."""
    from yuanqu.jobs.services import run_queued

    return run_queued


@pytest.fixture(autouse=True)
def _migration_data_after_flush(request):
    """A transactional test (the browser tests' live server among them) starts from a flushed
    database: what the migrations put there — content types, which every audit-log entry
    points at, and the indicator dictionary — is put back, as the migrations do (idempotent;
    simpler and sturdier than `serialized_rollback`, which reloads rows the live server may
    have created again meanwhile)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
    import_module("yuanqu.economy.migrations.0002_indicator_dictionary").seed(apps, None)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests last of all. pytest-django runs tests without a `django_db` marker
    after the transactional ones, whose teardown flushes the database — so a module that loads
    its data once through `django_db_blocker` (demo_db, the permission matrix's world) would
    start from a database without what the migrations put there (the indicator dictionary).
    A stable sort keeps pytest-django's order otherwise."""

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        if marker is not None and (
            marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
        ):
            return True
        fixtures = getattr(item, "fixturenames", ())
        return "transactional_db" in fixtures or "live_server" in fixtures

    items.sort(key=transactional)
