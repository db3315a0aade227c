"""督查督办 through its interfaces: metrics by department worked out by hand (API and CLI), the
board and task detail pages with their history (deadline changes kept with reasons), who may
do what, the task import; and DEMO 2022 through the report, the CLI and the API."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from tests.economy.factories import make_park, write_xlsx
from yuanqu.accounts.models import Role, User
from yuanqu.core.periods import Period
from yuanqu.registry.models import Department
from yuanqu.supervision import services
from yuanqu.supervision.models import SupervisionTask, TaskUpdate

d = dt.date


def _cli(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def world(db):
    park = make_park("SP", "督办园区")
    dzb = Department.objects.create(park=park, code="DZB", name="党政办", modules=["supervision"])
    xmb = Department.objects.create(park=park, code="XMB", name="项目办", modules=["projects"])
    zsj = Department.objects.create(park=park, code="ZSJ", name="招商局", modules=["investment"])

    def task(dept, deadline, done=None, title="事项"):
        t = services.task_create(
            park=park,
            source="meeting",
            title=title,
            assigned_on=d(2023, 1, 10),
            deadline=deadline,
            department=dept,
        )
        if done:
            services.task_done(task=t, on=done)
        return t

    # 项目办: on time (done 06-28, deadline 06-30); late (done 07-05, deadline 06-30);
    # open past due (deadline 11-30) → late and overdue at 12-31.
    task(xmb, d(2023, 6, 30), d(2023, 6, 28))
    task(xmb, d(2023, 6, 30), d(2023, 7, 5))
    late_open = task(xmb, d(2023, 11, 30), title="逾期未办结事项")
    # 招商局: on time; one open with its deadline next year (open, not due in 2023).
    task(zsj, d(2023, 3, 31), d(2023, 3, 31))
    task(zsj, d(2024, 1, 2), title="跨年事项")
    users = {}
    for name, dept in (("dzb", dzb), ("xmb", xmb), ("zsj", zsj)):
        u = User.objects.create_user(
            username=f"sp_{name}", password="x", role=Role.DEPARTMENT, park=park
        )
        u.departments.set([dept])
        users[name] = u
    return {"park": park, "late_open": late_open, "users": users}


def test_metrics_by_department(world) -> None:
    c = Client()
    c.force_login(world["users"]["dzb"])
    m = c.get("/api/v1/supervision/metrics", {"park": "SP", "year": "2023"}).json()
    assert (m["due"], m["on_time"], m["late"], m["done_late"], m["open"], m["overdue"]) == (
        "4",
        "2",
        "2",
        "1",
        "2",
        "1",
    )
    assert m["on_time_rate_pct"] == "50.0"
    by = {x["name"]: x for x in m["by_department"]}
    assert (by["项目办"]["on_time"], by["项目办"]["late"], by["项目办"]["overdue"]) == (
        "1",
        "2",
        "1",
    )
    assert by["项目办"]["on_time_rate_pct"] == "33.3"
    assert (by["招商局"]["on_time"], by["招商局"]["late"], by["招商局"]["open"]) == ("1", "0", "1")
    cli = json.loads(_cli("service", park="SP", year=2023, json=True))["supervision"]
    assert {k: v for k, v in cli.items() if k != "at"} == {k: v for k, v in m.items() if k != "at"}


def test_lights_through_the_api_on_boundary_days(world) -> None:
    c = Client()
    c.force_login(world["users"]["dzb"])

    def light(at: str) -> str:
        rows = c.get("/api/v1/supervision/tasks", {"park": "SP", "at": at}).json()
        return next(r["light"] for r in rows if r["title"] == "逾期未办结事项")

    assert [light(x) for x in ("2023-11-26", "2023-11-27", "2023-11-30", "2023-12-01")] == [
        "green",
        "yellow",
        "yellow",
        "red",
    ]
    assert c.get("/api/v1/supervision/tasks", {"park": "SP", "at": "2023-13-01"}).status_code == 422


def test_board_detail_and_who_may_do_what(world, settings) -> None:
    settings.YUANQU_TODAY = "2023-12-31"
    task = world["late_open"]
    dzb, xmb, zsj = (Client() for _ in range(3))
    dzb.force_login(world["users"]["dzb"])
    xmb.force_login(world["users"]["xmb"])
    zsj.force_login(world["users"]["zsj"])
    board = dzb.get("/supervision/", {"park": "SP"}).content.decode()
    assert "逾期未办结事项" in board and 'id="board-red"' in board
    act = f"/supervision/tasks/{task.pk}/act/"
    # The responsible department reports progress; another department may not.
    assert xmb.post(act, {"action": "progress", "text": "已完成招标"}).status_code == 302
    assert zsj.post(act, {"action": "progress", "text": "x"}).status_code == 403
    # Only the 督查室 moves deadlines (reason required, kept) and closes.
    assert (
        xmb.post(act, {"action": "deadline", "deadline": "2024-01-31", "text": "x"}).status_code
        == 403
    )
    dzb.post(act, {"action": "deadline", "deadline": "2024-01-31", "text": ""})
    task.refresh_from_db()
    assert task.deadline == d(2023, 11, 30)  # no reason: refused
    dzb.post(act, {"action": "deadline", "deadline": "2024-01-31", "text": "等待上级批复"})
    task.refresh_from_db()
    assert task.deadline == d(2024, 1, 31)
    change = TaskUpdate.objects.get(task=task, kind="deadline")
    assert (change.old_deadline, change.new_deadline, change.text) == (
        d(2023, 11, 30),
        d(2024, 1, 31),
        "等待上级批复",
    )
    page = dzb.get(f"/supervision/tasks/{task.pk}/").content.decode()
    assert "2023-11-30 → 2024-01-31" in page and "等待上级批复" in page and "已完成招标" in page
    assert dzb.post(act, {"action": "close", "text": "已办结，同意销号"}).status_code == 302
    task.refresh_from_db()
    assert task.status == "closed" and not task.closed_by_hand  # a manual task


def test_task_import(world, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx",
        ["督办编号", "来源", "督办事项", "责任部门", "交办日期", "办结时限", "状态", "办结日期"],
        [
            [
                "DB9001",
                "领导批示",
                "落实安全检查",
                "项目办",
                "2023-02-01",
                "2023-02-28",
                "已办结",
                "2023-02-20",
            ],
            ["DB9002", "会议", "编制招商图谱", "ZSJ", "2023-03-01", "2023-04-30", "", ""],
        ],
    )
    out = _cli("import", str(path), kind="supervision-tasks", park="SP")
    assert "新增 2" in out
    assert SupervisionTask.objects.get(code="DB9001").done_on == d(2023, 2, 20)
    assert "新增 0，变更 0，不变 2" in _cli(
        "import", str(path), kind="supervision-tasks", park="SP"
    )


# -- DEMO 2022 ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Registry, users, 重点项目, 企业诉求 and 督查督办 demo parts (no economy data: faster)."""
    from django.db import transaction
    from django.test import override_settings

    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users
    from yuanqu.projects.demo import load_projects
    from yuanqu.service_requests.demo import load_service
    from yuanqu.supervision.demo import load_supervision

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        load_registry()
        load_users()
        load_projects()
        load_service()
        load_supervision()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_demo_2022_report_cli_api_and_pages_agree(demo) -> None:
    from yuanqu.registry.models import Park
    from yuanqu.reports.engine import build_report

    data = json.loads(_cli("service", park="DEMO", year=2022, json=True))
    r, b, s = data["requests"], data["benefits"], data["supervision"]
    assert (r["received"], r["closed"], r["on_time_rate_pct"]) == ("72", "67", "86.8")
    assert (b["amount_wan"], b["enterprises"]) == ("4295", "29")
    report = build_report(
        "annual",
        park=Park.objects.get(code="DEMO"),
        period=Period(2022, 12),
        title="t",
        subtitle="",
    )
    section = next(x for x in report.sections if x.key == "service")
    text = section.text
    assert "扎实落实上级一揽子稳经济政策措施及接续措施，持续为企业减负激活力" in text
    assert f"兑现各类惠企政策资金{b['amount_wan']}万元，惠及企业{b['enterprises']}家" in text
    assert (
        f"受理企业诉求{r['received']}件，办结{r['closed']}件，按期办结率{r['on_time_rate_pct']}%"
        in text
    )
    assert f"企业满意率{r['satisfied_pct']}%" in text
    problems = next(x for x in report.sections if x.key == "problems").text
    assert float(s["on_time_rate_pct"]) < 95
    assert "极少数干部职工还存在工作上不主动、不担当、敷衍了事的问题" in problems
    assert f"到期督办事项{s['due']}项，按期办结率仅{s['on_time_rate_pct']}%" in problems
    late = [x for x in s["by_department"] if x["late"] != "0"]
    assert late and all(f"{x['name']}{x['late']}项" in problems for x in late)
    assert "王主任" not in problems  # departments, never persons
    from yuanqu.accounts.models import User

    leader = Client()
    leader.force_login(User.objects.get(username="leader"))
    assert leader.get("/api/v1/service/summary", {"park": "DEMO", "year": "2022"}).json() == data
    desk = leader.get("/service/", {"park": "DEMO", "year": "2022"}).content.decode()
    assert f"按期办结率{r['on_time_rate_pct']}%" in desk


@pytest.mark.django_db
def test_demo_supervise_again_changes_nothing(demo) -> None:
    first = json.loads(_cli("supervise", date="2023-12-31", json=True, no_remind=True))
    assert first["raised"] == [] and first["closed"] == []
    assert SupervisionTask.objects.filter(park__code="DEMO", source="auto").exists()


@pytest.mark.django_db
def test_list_pages_and_cards_have_bounded_queries(demo, django_assert_max_num_queries) -> None:
    from yuanqu.accounts.models import User
    from yuanqu.registry.models import Park
    from yuanqu.service_requests.cockpit import requests_card
    from yuanqu.supervision.cockpit import lights_card

    c = Client()
    c.force_login(User.objects.get(username="dangzheng"))
    for url, query in (
        ("/service/", {"park": "DEMO", "year": "2022"}),
        ("/service/benefits/", {"park": "DEMO", "year": "2022"}),
        ("/supervision/", {"park": "DEMO", "year": "2022"}),
        ("/api/v1/supervision/tasks", {"park": "DEMO"}),
        ("/api/v1/service/requests", {"park": "DEMO", "year": "2022"}),
    ):
        with django_assert_max_num_queries(30):
            assert c.get(url, query).status_code == 200
    park = Park.objects.get(code="DEMO")
    card = requests_card(park, Period(2022, 12))
    assert card is not None and card["value"] == "86.8"
    lights = lights_card(park, Period(2023, 12))
    assert lights is not None and lights["unit"] == "项"
    # A count at a date: "截至2023年12月末", not the YTD label "2023年1-12月末".
    assert lights["label"] == "在办督办事项（截至2023年12月末）"
    assert lights_card(park, Period(2022, 9))["label"] == "在办督办事项（截至2022年9月末）"
