"""The admin for a 园区管理员 (guanli, DEMO): its park's users and departments only; no
role above its own; every other registry model for administrators only."""

from __future__ import annotations

import pytest

from tests.helpers import login_client
from yuanqu.accounts.models import Role, User
from yuanqu.registry.models import Department, Park

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_park_user(demo_registry, user_factory):
    return user_factory("demo2_staff", role=Role.DEPARTMENT, park=Park.objects.get(code="DEMO2"))


def _user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "display_name": user.display_name,
        "role": user.role,
        "departments": [d.pk for d in user.departments.all()],
        "enterprise": user.enterprise_id or "",
    }
    if user.can_review:
        data["can_review"] = "on"
    if user.can_lock:
        data["can_lock"] = "on"
    data.update(changes)
    return data


def test_guanli_lists_its_park_users_only(client, other_park_user):
    html = login_client(client, "guanli").get("/admin/accounts/user/").content.decode()
    for name in ("jingfa", "leader", "qiye", "jianshe"):
        assert f">{name}<" in html
    for name in ("admin", "city", "demo2_staff"):
        assert f">{name}<" not in html
    # Another park's user and an administrator cannot be opened either.
    for username in ("demo2_staff", "admin"):
        pk = User.objects.get(username=username).pk
        response = client.get(f"/admin/accounts/user/{pk}/change/")
        assert response.status_code == 302 and response.url == "/admin/"


def test_guanli_edits_a_park_user_but_cannot_raise_its_role(client, demo_registry):
    login_client(client, "guanli")
    jingfa = User.objects.get(username="jingfa")
    url = f"/admin/accounts/user/{jingfa.pk}/change/"
    page = client.get(url).content.decode()
    assert 'value="admin"' not in page and 'value="city"' not in page
    assert "is_superuser" not in page and "user_permissions" not in page

    response = client.post(url, _user_form(jingfa, display_name="经发局 张三"))
    assert response.status_code == 302, response.content.decode()[:2000]
    jingfa.refresh_from_db()
    assert jingfa.display_name == "经发局 张三" and jingfa.park.code == "DEMO"

    for role in ("admin", "city"):
        response = client.post(url, _user_form(jingfa, role=role))
        assert response.status_code == 200  # the form refuses the choice
    response = client.post(url, _user_form(jingfa, is_superuser="on", is_staff="on"))
    jingfa.refresh_from_db()
    assert jingfa.role == Role.DEPARTMENT
    assert not jingfa.is_superuser and not jingfa.is_staff


def test_guanli_new_user_lands_in_its_park(client, demo_registry):
    login_client(client, "guanli")
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newstaff",
            "password1": "Xk3-long-password",
            "password2": "Xk3-long-password",
        },
    )
    assert response.status_code == 302
    made = User.objects.get(username="newstaff")
    assert made.park.code == "DEMO" and made.role == Role.DEPARTMENT
    assert not made.is_superuser and not made.is_staff


def test_guanli_sets_department_modules_as_checkboxes(client, demo_registry):
    login_client(client, "guanli")
    html = client.get("/admin/registry/department/").content.decode()
    assert "经发局" in html
    assert Department.objects.filter(park__code="DEMO2").exists()
    demo2 = Department.objects.filter(park__code="DEMO2").first()
    assert client.get(f"/admin/registry/department/{demo2.pk}/change/").status_code == 302

    dept = Department.objects.get(park__code="DEMO", code="ZSJ")
    url = f"/admin/registry/department/{dept.pk}/change/"
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="modules" value="economy"' in page
    # A stored area whose module is not installed yet stays shown (and kept).
    assert 'value="investment"' in page
    response = client.post(
        url,
        {
            "park": dept.park_id,
            "code": dept.code,
            "name": dept.name,
            "parent": "",
            "modules": ["investment", "reports"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dept.refresh_from_db()
    assert dept.modules == ["investment", "reports"]

    from auditlog.models import LogEntry

    entry = (
        LogEntry.objects.filter(additional_data__event="write", object_pk=str(dept.pk))
        .order_by("pk")
        .last()
    )
    assert entry is not None and entry.actor.username == "guanli"


def test_other_registry_admins_are_for_administrators(client, demo_registry):
    login_client(client, "guanli")
    for path in ("registry/park", "registry/enterprise", "registry/region"):
        assert client.get(f"/admin/{path}/").status_code == 403
    client.logout()
    login_client(client, "admin")
    assert client.get("/admin/registry/park/").status_code == 200


def test_admin_creates_an_enterprise_through_the_service(client, demo_registry):
    from auditlog.models import LogEntry

    from yuanqu.registry.models import Enterprise

    login_client(client, "admin")
    park = Park.objects.get(code="DEMO")
    response = client.post(
        "/admin/registry/enterprise/add/",
        {
            "credit_code": "91350100M000100Y43",
            "name": "新登记有限公司",
            "park": park.pk,
            "status": "operating",
            "scales-TOTAL_FORMS": "0",
            "scales-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Enterprise.objects.get(credit_code="91350100M000100Y43")
    assert LogEntry.objects.filter(additional_data__event="write", object_pk=str(made.pk)).exists()
