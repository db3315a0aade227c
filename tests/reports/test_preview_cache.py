"""The reports page's preview and the economy page's figures are cached under the data version
(core.versions): read back while nothing changes, computed again after any write to the data."""

from __future__ import annotations

import pytest

from tests.helpers import login_client
from yuanqu.core import versions
from yuanqu.core.periods import Period
from yuanqu.economy.models import Target
from yuanqu.imports import status
from yuanqu.registry.models import Park

pytestmark = pytest.mark.django_db

URL = "/reports/?park=DEMO&kind=annual&year=2022"


def page(client) -> str:
    """The page's report preview (the rest carries a fresh CSP nonce each time)."""
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="speech-stats"') :]


def test_a_second_view_reads_the_preview_back(client, demo_db, django_assert_max_num_queries):
    login_client(client, "leader")
    first = page(client)
    with django_assert_max_num_queries(14):
        assert page(client) == first


def test_a_review_status_change_rebuilds_the_preview(client, demo_db):
    login_client(client, "leader")
    before = page(client)
    version = versions.current()
    park = Park.objects.get(code="DEMO")
    # December no longer counts: the year is written as seen at November, with projections.
    december = {
        "user": None,
        "kind": "enterprise-reports",
        "park": park,
        "period": Period(2022, 12),
    }
    if (
        status.DataSlice.objects.get(
            kind="enterprise-reports", park=park, year=2022, month=12
        ).status
        == "locked"
    ):
        status.period_unlock(**december, reason="核实")
    status.period_return(**december, reason="核实")
    assert versions.current() > version
    after = page(client)
    assert after != before
    assert "全年数为初步测算" in after and "全年数为初步测算" not in before


def test_a_single_row_change_rebuilds_the_preview(client, demo_db):
    login_client(client, "leader")
    before = page(client)
    target = Target.objects.filter(park__code="DEMO", year=2022).first()
    assert target is not None
    target.value = target.value * 2
    target.save()
    assert page(client) != before


def test_the_economy_page_follows_a_change(client, demo_db):
    login_client(client, "leader")
    url = "/economy/?park=DEMO&period=2022-12"

    def table() -> str:
        html = client.get(url).content.decode()
        return html[html.index('id="indicator-table"') :]

    before = table()
    assert table() == before
    target = Target.objects.get(park__code="DEMO", year=2022, indicator__code="industrial_output")
    target.value = target.value * 2
    target.save()
    assert table() != before
