"""Dashboards read from the replica, nothing else does (core.replica, docs/deploy.md).

The `replica` alias points at the test database itself, as Django's test `MIRROR` does when
`YUANQU_REPLICA_DATABASE_URL` is set: a second connection to the same data. Which alias each
query went through shows the routing: the cockpit, the city view, the big screen and the
report preview read the data there; the logged-in user, every write and every read inside a
write transaction use the primary. A transactional test: the rows must be committed for the
second connection to see them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from yuanqu.core.replica import REPLICA, ReplicaRouter, replica_reads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def replica(transactional_db):
    """A `replica` alias on the test database (the test-time equivalent of MIRROR), added once
    the test case is set up (it would otherwise refuse the unknown alias)."""
    mirror = {**connections.settings[DEFAULT_DB_ALIAS], "TEST": {"MIRROR": DEFAULT_DB_ALIAS}}
    connections.settings[REPLICA] = mirror
    # Connected here: Django's test case refuses to open a connection for an alias it was not
    # told about, and it could not be told (the alias did not exist when it was set up).
    connections[REPLICA].connect()
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def park_with_data(db):
    from yuanqu.accounts.models import Role, User
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.imports.models import DataSlice
    from yuanqu.registry.models import Park, Region
    from yuanqu.registry.services import enterprise_create

    region = Region.objects.create(code="RP-CITY", name="副本市", level="city")
    park = Park.objects.create(code="RP", name="副本园区", region=region)
    user = User.objects.create_superuser("boss", password="副本只读2026!", role=Role.ADMIN)
    e = enterprise_create(credit_code="91000000000000001N", name="副本企业", park=park)
    EnterpriseReport.objects.create(
        enterprise=e,
        park=park,
        year=2022,
        month=12,
        unit="万元",
        output_ytd=Decimal("12345.6"),
        output_ytd_ly=Decimal("10000"),
    )
    DataSlice.objects.create(
        kind="enterprise-reports", park=park, year=2022, month=12, status="reviewed"
    )
    call_command("summaries", "rebuild", verbosity=0)
    return park, user


def _tables(queries: list[dict[str, str]]) -> str:
    return "\n".join(q["sql"] for q in queries)


@pytest.mark.parametrize(
    "url",
    [
        "/?park=RP&period=2022-12",
        "/screen/?park=RP&period=2022-12",
        "/city/",
        "/screen/city/",
        "/reports/?park=RP&kind=annual&year=2022",
    ],
)
def test_dashboard_pages_read_the_data_from_the_replica(client, replica, park_with_data, url):
    _park, user = park_with_data
    client.force_login(user)
    primary = connections[DEFAULT_DB_ALIAS]
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        response = client.get(url)
    assert response.status_code == 200
    read_there = _tables(on_replica.captured_queries)
    assert "registry_park" in read_there
    if "screen/city" not in url and url != "/city/":
        assert "economy_" in read_there or "core_dataversion" in read_there
    # never a write on the replica, never the user or the session
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in on_replica.captured_queries
    )
    # who is logged in comes from the primary (a page may still join a user's name to a row)
    assert 'FROM "accounts_user"' not in read_there
    assert 'FROM "accounts_user"' in _tables(on_primary.captured_queries)


def test_other_pages_and_writes_never_touch_the_replica(client, replica, park_with_data):
    _park, user = park_with_data
    client.force_login(user)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get("/economy/?park=RP&period=2022-12").status_code == 200
        response = client.post(
            "/reports/draft/block/",
            {"park": "RP", "year": "2022", "key": "text:thanks", "text": "感谢副本。"},
        )
        assert response.status_code in (200, 302)
        assert client.get("/accounts/tokens/").status_code == 200
    assert on_replica.captured_queries == []


def test_the_router(replica, park_with_data):
    from yuanqu.accounts.models import User
    from yuanqu.economy.models import EnterpriseReport

    router = ReplicaRouter()
    # outside an opted-in block: the primary
    assert router.db_for_read(EnterpriseReport) == DEFAULT_DB_ALIAS
    with replica_reads():
        report = EnterpriseReport.objects.get()
        assert report._state.db == REPLICA
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS  # never who is logged in
        # a write of an object read from the replica goes to the primary
        assert router.db_for_write(EnterpriseReport, instance=report) == DEFAULT_DB_ALIAS
        with CaptureQueriesContext(replica) as on_replica:
            report.save()
        assert on_replica.captured_queries == []
        # inside a write transaction reads see that transaction: the primary
        with transaction.atomic():
            assert router.db_for_read(EnterpriseReport) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(REPLICA, "economy") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "economy") is None
