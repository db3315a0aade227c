"""一企一档: the enterprise page shows the 督办 tasks about the enterprise (the supervision
module's `EnterprisePanel`) — to its park's staff with links to the tasks, to its own users
without, and never another enterprise's tasks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.economy.factories import make_enterprise, make_park
from yuanqu.accounts.models import Role, User
from yuanqu.registry.models import Department
from yuanqu.service_requests import services as requests
from yuanqu.service_requests.models import RequestCategory
from yuanqu.supervision import services
from yuanqu.supervision.models import Source, SupervisionTask

pytestmark = pytest.mark.django_db

d = dt.date


@pytest.fixture
def world(db):
    park = make_park("EP", "一企一档园区")
    dzb = Department.objects.create(park=park, code="DZB", name="党政办", modules=["supervision"])
    Department.objects.create(park=park, code="YSB", name="营商办", modules=["service"])
    ours, theirs = make_enterprise(park, 8101, "甲公司"), make_enterprise(park, 8102, "乙公司")
    staff = User.objects.create_user(username="dzb", password="x", role=Role.DEPARTMENT, park=park)
    staff.departments.set([dzb])
    own = User.objects.create_user(
        username="jia", password="x", role=Role.ENTERPRISE, park=park, enterprise=ours
    )

    def task(title: str, enterprise=None) -> SupervisionTask:
        return services.task_create(
            park=park,
            source=Source.MEETING,
            title=title,
            assigned_on=d(2024, 3, 1),
            deadline=d(2024, 3, 31),
            department=dzb,
            enterprise=enterprise,
        )

    return {
        "park": park,
        "ours": ours,
        "theirs": theirs,
        "staff": staff,
        "own": own,
        "mine": task("督促甲公司竣工验收", ours),
        "other": task("协调乙公司用电增容", theirs),
        "general": task("园区道路修缮"),
    }


def page(client, user, enterprise) -> str:
    client.force_login(user)
    response = client.get(reverse("investment:enterprise", args=[enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_the_tasks_about_the_enterprise_with_links(client, world) -> None:
    html = page(client, world["staff"], world["ours"])
    assert 'id="panel-supervision"' in html and "督查督办" in html
    assert "督促甲公司竣工验收" in html
    assert reverse("supervision:detail", args=[world["mine"].pk]) in html
    # Neither another enterprise's task nor one about no enterprise.
    assert "协调乙公司用电增容" not in html and "园区道路修缮" not in html


def test_its_own_users_see_them_without_links_to_the_desk(client, world) -> None:
    html = page(client, world["own"], world["ours"])
    assert "督促甲公司竣工验收" in html
    # No link to the 督办 desk (its 提醒 page is the only supervision page in its navigation).
    assert reverse("supervision:detail", args=[world["mine"].pk]) not in html
    assert f'href="{reverse("supervision:board")}"' not in html
    assert "协调乙公司用电增容" not in html
    # Another enterprise's page (and so its tasks) is not theirs to open.
    client.force_login(world["own"])
    other = client.get(reverse("investment:enterprise", args=[world["theirs"].pk]))
    assert other.status_code == 404 and "协调乙公司用电增容" not in other.content.decode()


def test_no_panel_without_tasks(client, world) -> None:
    lone = make_enterprise(world["park"], 8103, "丙公司")
    assert 'id="panel-supervision"' not in page(client, world["staff"], lone)


def test_an_automatic_task_names_the_enterprise_of_its_cause(client, world) -> None:
    # 审批: 10 working days from Monday 2023-03-06 → due 2023-03-20, overdue on the 21st.
    late = requests.request_create(
        park=world["park"],
        enterprise=world["ours"],
        category=RequestCategory.objects.get(code="approval"),
        title="环评批复办理",
        received_on=d(2023, 3, 6),
        department=Department.objects.get(park=world["park"], code="YSB"),
    )
    call_command("supervise", date="2023-03-21", json=True, stdout=io.StringIO())
    task = SupervisionTask.objects.get(rule_key="request-overdue", cause_key=f"request-{late.pk}")
    assert task.enterprise_id == world["ours"].pk
    assert "环评批复办理" in page(client, world["own"], world["ours"])
    # A task raised before its rule named the enterprise is linked on the next run.
    SupervisionTask.objects.filter(pk=task.pk).update(enterprise=None)
    call_command("supervise", date="2023-03-22", json=True, stdout=io.StringIO())
    task.refresh_from_db()
    assert task.enterprise_id == world["ours"].pk


def test_a_task_cannot_name_another_parks_enterprise(world) -> None:
    elsewhere = make_enterprise(make_park("XX", "别的园区"), 8104, "丁公司")
    with pytest.raises(
        services.SupervisionError, match="涉及企业“丁公司”不属于一企一档园区：只能选择本园区的企业"
    ):
        services.task_create(
            park=world["park"],
            source=Source.MEETING,
            title="跨园区",
            assigned_on=d(2024, 3, 1),
            deadline=d(2024, 3, 31),
            enterprise=elsewhere,
        )
