"""Demo logins, one or more per role (printed by `make demo` and listed in the README).

Every role of the access policy has a login, and `jianshe` belongs to two departments (its
writes are the union of theirs).
"""

from __future__ import annotations

from dataclasses import dataclass

from yuanqu.accounts.models import Role, User
from yuanqu.accounts.services import user_create
from yuanqu.registry.models import Department, Enterprise, Park, Region

DEMO_PASSWORD = "demo2022"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    # "全部数据", a region code, "DEMO" (a park), "DEMO/JFJ+ZSJ" (park/departments) or
    # "enterprise".
    scope: str
    can_review: bool = False
    can_lock: bool = False


LOGINS = (
    DemoLogin("admin", "系统管理员", Role.ADMIN, "全部数据"),
    DemoLogin(
        "guanli", "园区管理员（示范工业园区，管理本园区用户与部门）", Role.PARK_ADMIN, "DEMO"
    ),
    DemoLogin("leader", "园区领导（示范工业园区）", Role.PARK_LEADER, "DEMO"),
    DemoLogin(
        "jingfa", "经发局（示范工业园区，可审核、锁定）", Role.DEPARTMENT, "DEMO/JFJ", True, True
    ),
    DemoLogin("zhaoshang", "招商局（示范工业园区）", Role.DEPARTMENT, "DEMO/ZSJ"),
    DemoLogin("jianshe", "规划建设局兼项目办（示范工业园区）", Role.DEPARTMENT, "DEMO/GHJSJ+XMB"),
    DemoLogin("caizheng", "财政局（示范工业园区）", Role.DEPARTMENT, "DEMO/CZJ"),
    DemoLogin("yingshang", "营商办（示范工业园区）", Role.DEPARTMENT, "DEMO/YSB"),
    DemoLogin("dangzheng", "党政办·督查室（示范工业园区）", Role.DEPARTMENT, "DEMO/DZB"),
    DemoLogin("city", "示范市 市级用户", Role.CITY, "DEMO-CITY"),
    DemoLogin("qiye", "企业用户（示范工业园区的一家企业）", Role.ENTERPRISE, "enterprise"),
)


def load_users() -> list[DemoLogin]:
    park = Park.objects.get(code="DEMO")
    for login in LOGINS:
        if User.objects.filter(username=login.username).exists():
            continue  # never touch an existing user: a rerun changes nothing
        park_of = region = enterprise = None
        departments: list[Department] = []
        if login.role == Role.CITY:
            region = Region.objects.get(code=login.scope)
        elif login.role == Role.ENTERPRISE:
            enterprise = Enterprise.objects.filter(park=park).order_by("credit_code").first()
        elif login.role != Role.ADMIN:
            park_of = park
            if "/" in login.scope:
                codes = login.scope.split("/")[1].split("+")
                departments = list(Department.objects.filter(park=park, code__in=codes))
        user_create(
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role,
            display_name=login.display_name,
            park=park_of,
            region=region,
            enterprise=enterprise,
            departments=departments,
            can_review=login.can_review,
            can_lock=login.can_lock,
        )
    return list(LOGINS)


def login_table() -> list[tuple[str, str, str]]:
    return [(lg.username, DEMO_PASSWORD, lg.display_name) for lg in LOGINS]
