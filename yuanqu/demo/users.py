"""Demo logins, one per role (printed by `make demo` and listed in the README)."""

from __future__ import annotations

from dataclasses import dataclass

from yuanqu.accounts.models import Role, User
from yuanqu.registry.models import Department, Enterprise, Park, Region

DEMO_PASSWORD = "demo2022"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    scope: str


LOGINS = (
    DemoLogin("admin", "系统管理员", Role.ADMIN, "全部数据"),
    DemoLogin("leader", "园区领导（示范工业园区）", Role.PARK_LEADER, "DEMO"),
    DemoLogin("jingfa", "经发局（示范工业园区，可审核、锁定）", Role.DEPARTMENT, "DEMO/JFJ"),
    DemoLogin("zhaoshang", "招商局（示范工业园区）", Role.DEPARTMENT, "DEMO/ZSJ"),
    DemoLogin("city", "示范市 市级用户", Role.CITY, "DEMO-CITY"),
    DemoLogin("qiye", "企业用户（示范工业园区的一家企业）", Role.ENTERPRISE, "enterprise"),
)


def load_users() -> list[DemoLogin]:
    park = Park.objects.get(code="DEMO")
    for login in LOGINS:
        if User.objects.filter(username=login.username).exists():
            continue  # never touch an existing user: a rerun changes nothing
        user = User(username=login.username, display_name=login.display_name, role=login.role)
        if login.role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        elif login.role == Role.CITY:
            user.region = Region.objects.get(code=login.scope)
        elif login.role == Role.ENTERPRISE:
            user.enterprise = Enterprise.objects.filter(park=park).order_by("credit_code").first()
            user.park = park
        else:
            user.park = park
            if login.role == Role.DEPARTMENT:
                user.department = Department.objects.get(park=park, code=login.scope.split("/")[1])
                user.can_review = user.can_lock = login.username == "jingfa"
            else:
                user.can_lock = True
        user.set_password(DEMO_PASSWORD)
        user.save()
    return list(LOGINS)


def login_table() -> list[tuple[str, str, str]]:
    return [(lg.username, DEMO_PASSWORD, lg.display_name) for lg in LOGINS]
