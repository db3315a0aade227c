"""The 提醒 entry of the navigation carries the user's unread count (督办 reminders and 催报 /
退回 notices, as the 提醒 page counts them): one query a request, gone once read, never
another user's."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.economy.factories import make_park
from yuanqu.accounts.models import Role, User
from yuanqu.imports.models import Reminder
from yuanqu.supervision.models import Notification

pytestmark = pytest.mark.django_db

BADGE = re.compile(
    r'href="/supervision/notifications/"[^>]*>提醒(?: <span class="badge unread"[^>]*>(\d+)</span>)?</a>'
)


@pytest.fixture
def park(db):
    return make_park("NB", "提醒园区")


@pytest.fixture
def users(park):
    me = User.objects.create_user(username="me", password="x", role=Role.DEPARTMENT, park=park)
    other = User.objects.create_user(
        username="other", password="x", role=Role.DEPARTMENT, park=park
    )
    return me, other


def _notify(user: User, key: str, *, read: bool = False) -> None:
    from django.utils import timezone

    Notification.objects.create(
        user=user, key=key, title=f"督办 {key}", read_at=timezone.now() if read else None
    )


def badge(client) -> str | None:
    found = BADGE.search(client.get("/help/").content.decode())
    assert found, "the 提醒 entry is in the navigation"
    return found.group(1)


def test_badge_counts_own_unread_then_disappears_once_read(client, park, users) -> None:
    me, other = users
    _notify(me, "a")
    _notify(me, "b")
    _notify(me, "c", read=True)
    Reminder.objects.create(
        user=me,
        topic=Reminder.Topic.REMIND,
        park=park,
        kind="enterprise-reports",
        year=2024,
        month=3,
        message="请报送3月数据",
    )
    for n in range(5):
        _notify(other, f"x{n}")  # another user's: never counted
    client.force_login(me)
    assert badge(client) == "3"  # two reminders and the notice, not the one read
    page = client.get("/supervision/notifications/").content.decode()
    assert "未读3条" in page  # the page says the same figure
    client.post("/supervision/notifications/")  # 全部标为已读
    assert badge(client) is None
    client.force_login(other)
    assert badge(client) == "5"


def test_badge_costs_one_query_per_request(client, users) -> None:
    me, _ = users
    _notify(me, "a")
    client.force_login(me)
    with CaptureQueriesContext(connection) as queries:
        assert badge(client) == "1"
    counting = [q["sql"] for q in queries if "supervision_notification" in q["sql"]]
    assert len(counting) == 1 and "imports_reminder" in counting[0]


def test_no_badge_without_unread(client, users) -> None:
    client.force_login(users[0])
    assert badge(client) is None
