"""Automatic tasks (`yuanqu supervise`): raised once per open cause, a second run changes
nothing, closed when the cause clears; closed by hand, not raised again until the cause has
cleared once. Reminders through the in-app list, the e-mail digest and a robot webhook (a local
fake server)."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command

from tests.economy.factories import make_enterprise, make_park
from tests.supervision.fake_rules import FAKE
from yuanqu.accounts.models import Role, User
from yuanqu.registry.models import Department
from yuanqu.service_requests import services as requests
from yuanqu.service_requests.models import RequestCategory
from yuanqu.supervision import services
from yuanqu.supervision.causes import Cause
from yuanqu.supervision.models import Notification, Source, SupervisionTask, TaskStatus

d = dt.date


def supervise(date: str) -> dict:
    out = io.StringIO()
    call_command("supervise", date=date, json=True, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def park(db):
    park = make_park("SV", "督办园区")
    Department.objects.create(park=park, code="DZB", name="党政办", modules=["supervision"])
    Department.objects.create(park=park, code="YSB", name="营商办", modules=["service"])
    return park


@pytest.fixture
def late_request(park):
    e = make_enterprise(park, 7001, "甲公司")
    # 审批: 10 working days from Monday 2023-03-06 → due Monday 2023-03-20.
    r = requests.request_create(
        park=park,
        enterprise=e,
        category=RequestCategory.objects.get(code="approval"),
        title="环评批复办理",
        received_on=d(2023, 3, 6),
        department=Department.objects.get(park=park, code="YSB"),
    )
    assert r.due_on == d(2023, 3, 20)
    return r


def test_raised_once_kept_then_closed_when_the_cause_clears(late_request) -> None:
    assert supervise("2023-03-20")["raised"] == []  # due today: not late yet
    first = supervise("2023-03-21")
    assert len(first["raised"]) == 1
    task = SupervisionTask.objects.get()
    assert task.source == Source.AUTO and task.rule_key == "request-overdue"
    assert task.cause_key == f"request-{late_request.pk}"
    assert task.department.code == "YSB"
    assert task.deadline == d(2023, 3, 31)  # 10 calendar days
    assert "环评批复办理" in task.title
    # A second run (the same day, or later while still open) changes nothing.
    again = supervise("2023-03-21")
    assert again["raised"] == [] and again["closed"] == [] and again["kept"] == "1"
    assert supervise("2023-03-25")["raised"] == []
    assert SupervisionTask.objects.count() == 1
    # The request is closed: the next run closes the task (销号) by itself.
    requests.request_reply(request=late_request, text="已批复", on=d(2023, 3, 27), close=True)
    closed = supervise("2023-03-28")
    assert closed["closed"] == [task.code]
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.closed_on == d(2023, 3, 28)
    assert not task.closed_by_hand
    assert supervise("2023-03-29") == {**supervise("2023-03-29"), "raised": [], "closed": []}
    assert SupervisionTask.objects.count() == 1


def test_closed_by_hand_is_not_raised_again_until_the_cause_clears_once(park) -> None:
    from yuanqu.core.modules import SupervisionRule

    rule = SupervisionRule("fake", "测试规则", "tests.supervision.fake_rules:fake_rule")
    FAKE["causes"] = [Cause(key="x-1", title="某指标滞后")]
    r1 = services.supervise_run(at=d(2023, 5, 1), parks=[park], rules=[rule])
    assert len(r1.raised) == 1
    task = r1.raised[0]
    assert task.department.code == "DZB"  # no department named: the 督查室 owns it
    services.task_close(task=task, reason="已在专题会上研究解决", on=d(2023, 5, 2))
    # The cause is still there: not raised again.
    assert not services.supervise_run(at=d(2023, 5, 3), parks=[park], rules=[rule]).raised
    # It clears once …
    FAKE["causes"] = []
    cleared = services.supervise_run(at=d(2023, 5, 4), parks=[park], rules=[rule])
    assert cleared.cleared == 1 and not cleared.raised
    # … and comes back: a new task.
    FAKE["causes"] = [{"key": "x-1", "title": "某指标再次滞后", "url": "/economy/"}]
    back = services.supervise_run(at=d(2023, 6, 1), parks=[park], rules=[rule])
    assert len(back.raised) == 1 and back.raised[0].pk != task.pk
    assert back.raised[0].cause_url == "/economy/"
    assert (
        SupervisionTask.objects.filter(status=TaskStatus.CLOSED, closed_by_hand=True).count() == 1
    )


def test_a_broken_rule_is_reported_and_leaves_its_tasks_alone(park) -> None:
    from yuanqu.core.modules import SupervisionRule

    FAKE["causes"] = [Cause(key="k", title="t")]
    good = SupervisionRule("fake", "测试规则", "tests.supervision.fake_rules:fake_rule")
    services.supervise_run(at=d(2023, 5, 1), parks=[park], rules=[good])
    broken = SupervisionRule("fake", "测试规则", "tests.supervision.fake_rules:broken_rule")
    result = services.supervise_run(at=d(2023, 5, 2), parks=[park], rules=[broken])
    assert result.errors and not result.closed
    assert SupervisionTask.objects.get().status == TaskStatus.ASSIGNED


# -- reminders --------------------------------------------------------------------------------
class _Robot(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Robot.received.append(json.loads(self.rfile.read(length).decode("utf-8")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def robot():
    _Robot.received = []
    server = HTTPServer(("127.0.0.1", 0), _Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    server.shutdown()
    server.server_close()


def test_reminders_in_app_email_and_webhook_once_a_day(late_request, park, robot, settings) -> None:
    settings.YUANQU_SUPERVISION_WEBHOOK_URL = robot
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff = User.objects.create_user(
        username="ysb", password="x", role=Role.DEPARTMENT, park=park, email="ysb@example.cn"
    )
    staff.departments.set([Department.objects.get(park=park, code="YSB")])
    boss = User.objects.create_user(username="dzb", password="x", role=Role.DEPARTMENT, park=park)
    boss.departments.set([Department.objects.get(park=park, code="DZB")])
    out = supervise("2023-03-21")
    assert out["reminders"] == {"in_app": "2", "email": "1", "webhook": "1"}
    assert Notification.objects.filter(user=staff, key__endswith="-assigned").count() == 1
    assert Notification.objects.filter(user=boss).count() == 1
    assert len(mail.outbox) == 1 and "环评批复办理" in mail.outbox[0].body
    assert len(_Robot.received) == 1
    message = _Robot.received[0]
    assert message["msgtype"] == "text" and "督办园区督查督办提醒" in message["text"]["content"]
    # Every few minutes the same day: nothing new.
    assert supervise("2023-03-21")["reminders"] == {"in_app": "0", "email": "0", "webhook": "0"}
    # The task turns yellow (deadline 03-31, 3 days): a new in-app reminder, the next day's digest.
    later = supervise("2023-03-28")
    assert later["reminders"] == {"in_app": "2", "email": "1", "webhook": "1"}
    assert Notification.objects.filter(user=staff, key__endswith="-yellow").exists()
