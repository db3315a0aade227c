"""The access policy per role, on the demo's parks and logins (DECISIONS.md, "Access"): write
areas by department (union for a user in two), review and lock, 园区管理员, reads with the
park-wide rule, the same answers through has_perm, and the route declarations."""

from __future__ import annotations

import inspect

import pytest
from django.http import Http404
from django.test import RequestFactory

from yuanqu.accounts import policy
from yuanqu.registry.models import Park

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    from yuanqu.accounts.models import User
    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        load_registry()
        load_users()
        users = {u.username: u for u in User.objects.all()}
        parks = {p.code: p for p in Park.objects.all()}
        yield users, parks
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def fresh(users, name):
    # policy caches a user's areas on the instance: ask with a fresh one per test
    from yuanqu.accounts.models import User

    return User.objects.get(pk=users[name].pk)


@pytest.mark.parametrize(
    ("name", "areas"),
    [
        ("jingfa", {"economy"}),
        ("zhaoshang", {"investment"}),
        ("jianshe", {"land", "projects"}),  # two departments: the union
        ("caizheng", {"funding"}),
        ("yingshang", {"service"}),
        ("dangzheng", {"supervision", "reports"}),
        ("leader", set()),  # reads its park, approves where a module asks; writes no data
        ("guanli", set()),  # manages users, not data
        ("city", set()),  # 市级用户 writes nothing
        ("qiye", set()),  # submits its own figures only (submit_own)
    ],
)
def test_write_areas_per_demo_role(demo, name, areas):
    users, parks = demo
    user = fresh(users, name)
    assert policy.write_areas_for(user, parks["DEMO"]) == areas
    assert policy.write_areas_for(user, parks["DEMO2"]) == set()  # never outside its park


def test_administrator_writes_every_area_everywhere(demo):
    users, parks = demo
    admin = fresh(users, "admin")
    for park in parks.values():
        assert {"economy", "reports", "investment", "land"} <= policy.write_areas_for(admin, park)


def test_require_write_names_who_may(demo):
    users, parks = demo
    with pytest.raises(policy.Denied, match="党政办"):
        policy.require_write(fresh(users, "zhaoshang"), "reports", parks["DEMO"], "上传报告模板")
    with pytest.raises(policy.Denied, match="市级用户只能查看，不能删除报告模板"):
        policy.require_write(fresh(users, "city"), "reports", parks["DEMO"], "删除报告模板")
    policy.require_write(fresh(users, "dangzheng"), "reports", parks["DEMO"], "上传报告模板")
    with pytest.raises(policy.Denied, match="经发局"):
        policy.require_write(fresh(users, "jianshe"), "economy", parks["DEMO"], "导入企业月报")


def test_review_and_lock(demo):
    users, parks = demo
    demo_park, other = parks["DEMO"], parks["DEMO2"]
    assert policy.can_review(fresh(users, "jingfa"), demo_park)
    assert policy.can_lock(fresh(users, "jingfa"), demo_park)
    assert not policy.can_review(fresh(users, "jingfa"), other)
    for name in ("leader", "guanli", "zhaoshang", "dangzheng", "city", "qiye"):
        assert not policy.can_review(fresh(users, name), demo_park), name
        assert not policy.can_lock(fresh(users, name), demo_park), name
    assert policy.can_review(fresh(users, "admin"), other)
    assert "经发局" in policy.reviewers_label(demo_park)


def test_reads_and_the_park_wide_rule(demo):
    users, parks = demo
    qiye, city, leader = (fresh(users, n) for n in ("qiye", "city", "leader"))
    assert policy.can_see_park(qiye, parks["DEMO"])
    assert not policy.can_read_park(qiye, parks["DEMO"])  # never park-wide figures
    assert not policy.reads_park_wide(qiye)
    assert policy.can_read_enterprise(qiye, qiye.enterprise)
    other = parks["DEMO"].enterprises.exclude(pk=qiye.enterprise_id).first()
    assert not policy.can_read_enterprise(qiye, other)
    assert all(policy.can_read_park(city, p) for p in parks.values() if p.code.startswith("DEMO"))
    assert policy.can_read_park(leader, parks["DEMO"])
    assert not policy.can_read_park(leader, parks["DEMO2"])
    with pytest.raises(policy.ScopeDenied):
        policy.park_readable(qiye, "DEMO")
    with pytest.raises(policy.ScopeDenied):
        policy.park_readable(leader, "DEMO2")


def test_park_admin_and_audit(demo):
    users, parks = demo
    guanli = fresh(users, "guanli")
    assert policy.can_manage_users(guanli, parks["DEMO"])
    assert not policy.can_manage_users(guanli, parks["DEMO2"])
    assert not policy.can_manage_users(fresh(users, "leader"), parks["DEMO"])
    assert policy.can_view_audit(fresh(users, "leader"), parks["DEMO"])
    assert not policy.can_view_audit(fresh(users, "jingfa"), parks["DEMO"])


def test_has_perm_gives_the_same_answers(demo):
    users, parks = demo
    park = parks["DEMO"]
    for name in ("admin", "guanli", "leader", "jingfa", "dangzheng", "city", "qiye"):
        user = fresh(users, name)
        assert user.has_perm("reports.write", park) == policy.can_write(user, "reports", park)
        assert user.has_perm("economy.write", park) == policy.can_write(user, "economy", park)
        assert user.has_perm(policy.READ_PARK, park) == policy.can_read_park(user, park)
        assert user.has_perm(policy.REVIEW, park) == policy.can_review(user, park)


# -- route declarations ------------------------------------------------------------------------
def _view(request, code: str = ""):
    return "ok"


def test_route_policy_records_and_keeps_the_signature():
    view = policy.route_policy(read="park_wide")(_view)
    assert policy.declared_policy(view) == policy.RoutePolicy(read="park_wide")
    assert inspect.signature(view) == inspect.signature(_view)  # ninja reads it
    assert view.__name__ == "_view"
    with pytest.raises(ValueError):
        policy.route_policy(read="everyone")
    with pytest.raises(ValueError):
        policy.route_policy(read="park", write="no-such-area")


def test_route_policy_enforces_login_and_the_park_wide_rule(demo):
    from django.contrib.auth.models import AnonymousUser

    users, _ = demo
    view = policy.route_policy(read="park_wide")(_view)
    request = RequestFactory().get("/x/?park=DEMO")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    request.user = fresh(users, "qiye")
    with pytest.raises(Http404):
        view(request)
    request.user = fresh(users, "leader")
    assert view(request) == "ok"


def test_admin_routes_refuse_everyone_but_administrators(demo):
    from django.core.exceptions import PermissionDenied

    users, _ = demo
    view = policy.route_policy(read="admin")(_view)
    request = RequestFactory().get("/x/")
    request.user = fresh(users, "guanli")
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = fresh(users, "admin")
    assert view(request) == "ok"
