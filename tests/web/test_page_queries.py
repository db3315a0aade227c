"""Query counts of the pages the page benchmark measures (benchmarks/pages.py), so that a
regression shows in the suite; and the benchmark's baseline page, 使用帮助, which renders only
the site layout. The demo is loaded once for the module (`demo_db`)."""

from __future__ import annotations

import pytest

from tests.helpers import login_client

pytestmark = pytest.mark.django_db

PERIOD = "park=DEMO&period=2022-12"


@pytest.fixture
def leader(client, demo_db):
    return login_client(client, "leader")


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_help_page_is_the_layout_and_static_text(leader, django_assert_max_num_queries):
    # The signed-cookie session needs none; the user, its parks for the switcher, the
    # navigation's permission check and its unread badge are the layout's own queries.
    with django_assert_max_num_queries(5):
        page = get(leader, "/help/")
    assert "<h1>使用帮助</h1>" in page and "已提交 → 已审核 → 已锁定" in page
    assert 'href="/help/" class="active"' in page  # in the navigation, marked current


@pytest.mark.parametrize("username", ["leader", "jingfa", "city", "qiye", "admin"])
def test_every_signed_in_user_reads_the_help_page(client, demo_db, username):
    login_client(client, username)
    assert "使用帮助" in get(client, "/help/")
    assert 'href="/help/"' in get(client, "/")  # linked from the navigation


def test_help_page_needs_a_login(client, demo_db):
    response = client.get("/help/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Issue 10: the park and cluster figures come from the summary tables, a park-year at a time
# (`ReportCache.prefetch`); only the enterprise parts read the period's rows. Before the
# summaries the pages took 27, 17 and 34 queries and recomputed every figure from the rows.
# The counts do not grow with the number of enterprises or periods.


def test_economy_page_queries(leader, django_assert_max_num_queries):
    # First view of a data version: the figures from the summaries (the layout's queries and
    # the projects module's navigation included).
    with django_assert_max_num_queries(19):
        get(leader, f"/economy/?{PERIOD}")
    with django_assert_max_num_queries(19):
        get(leader, f"/economy/?{PERIOD}&by=cluster")
    # Same data version: the figures are read back from the cache.
    with django_assert_max_num_queries(9):
        get(leader, f"/economy/?{PERIOD}")


def test_economy_panels_queries(leader, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        get(leader, f"/economy/mujun/?{PERIOD}")
    with django_assert_max_num_queries(16):
        get(leader, f"/economy/ranking/?{PERIOD}")


def test_indicators_api_queries(leader, django_assert_max_num_queries):
    # Both kinds of data status in one query (report slices, released figures).
    with django_assert_max_num_queries(9):
        get(leader, f"/api/v1/economy/indicators?{PERIOD}")


def test_reports_page_queries(leader, django_assert_max_num_queries):
    # The annual report of every module's sections (economy from the summaries, projects …).
    # + the draft's blocks, next year's targets, the long-term goal, the blueprint's name and
    # the key projects' next-year plan (issue 15): one query each; 招商引资 and 土地 (issue 12)
    # add six: leads with their events and 到位资金, parcels with their events, the module
    # targets and the park's clusters — whatever the number of leads; 营商环境 and 干部作风
    # (issue 13) six more: requests, benefits and tasks with their departments; the
    # navigation's unread badge one (NavEntry.badge: the user's unread reminders).
    # One query less per `ReportCache.prefetch` since both kinds of data status are read at
    # once: 60 → 55.
    with django_assert_max_num_queries(55):
        get(leader, "/reports/?park=DEMO")
    with django_assert_max_num_queries(14):
        get(leader, "/reports/?park=DEMO")
