"""The one access policy: who may read and who may write what (DECISIONS.md, "Access").

Every page, API route, export, import, report, template, chart endpoint and admin action asks
here — directly through the functions below, or through Django's `user.has_perm(name, obj)`,
whose object-level answers come from the `rules` predicates registered at the bottom (so
templates, views, the API and the admin ask the same thing). Deny by default: a role or a
permission not named here gets nothing.

Reads are the scopes of `accounts.scopes` (parks of the user's park / region / all), with the
park-wide rule inside: enterprise users read their own enterprise's rows only, never park
figures. Writes go by **write area** (a module's key, e.g. "economy"): a department is given
write areas in its `modules` field (seeded, editable by administrators, never a name matched
in code); a user's writes in its park are the union of its departments' areas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from yuanqu.accounts.models import Role
from yuanqu.accounts.scopes import ScopeDenied, is_global, parks_for
from yuanqu.core.modules import module, write_areas
from yuanqu.registry.models import Department, Enterprise, Park

# Permission names (rules): asked with a Park (or an Enterprise for the enterprise ones).
READ_PARK = "yuanqu.read_park"  # park-wide figures of this park
SEE_PARK = "yuanqu.see_park"  # the park's name (enterprise users: their own park)
READ_ENTERPRISE = "yuanqu.read_enterprise"
SUBMIT_OWN = "yuanqu.submit_own"  # an enterprise's own monthly figures / requests
MANAGE_USERS = "yuanqu.manage_users"  # 园区管理员: users and departments of its park
VIEW_AUDIT = "yuanqu.view_audit"
REVIEW = "yuanqu.review"  # asked with a Park; the data kind's reviewer area is in `can_review`
LOCK = "yuanqu.lock"


class Denied(PermissionError):
    """A write (or an action) the user may see but not do: shown as 403 with this message,
    which names who may do it."""


# -- reads --------------------------------------------------------------------------------
def can_see_park(user: Any, park: Park | None) -> bool:
    """The park's name and the user's own rows in it (enterprise users: their own park)."""
    if park is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(parks_for(user).filter(pk=park.pk).exists())


def can_read_park(user: Any, park: Park | None) -> bool:
    """Park-wide figures (totals, parts, rankings, exports of all rows): never enterprise
    users, whatever the park."""
    if getattr(user, "role", None) == Role.ENTERPRISE:
        return False
    return can_see_park(user, park)


def reads_park_wide(user: Any) -> bool:
    """Whether the user may read park-wide figures at all (in some park)."""
    return bool(getattr(user, "is_authenticated", False) and user.role != Role.ENTERPRISE)


def can_read_enterprise(user: Any, enterprise: Enterprise | None) -> bool:
    if enterprise is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    if user.role == Role.ENTERPRISE:
        return bool(user.enterprise_id == enterprise.pk)
    return can_see_park(user, enterprise.park)


def park_readable(user: Any, code: str) -> Park:
    """The park with this code if the user may read its park-wide figures; else ScopeDenied
    (404: an object outside the scope is not confirmed to exist)."""
    park = parks_for(user).filter(code=code).first() if code else None
    if park is None or not can_read_park(user, park):
        raise ScopeDenied(f"园区“{code}”不存在或无权访问")
    return park


# -- writes -------------------------------------------------------------------------------
def _departments(user: Any) -> QuerySet[Department]:
    departments: QuerySet[Department] = user.departments.all()
    return departments


def write_areas_for(user: Any, park: Park | None) -> set[str]:
    """The write areas the user holds in this park (all of them for administrators)."""
    if park is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if is_global(user):
        return set(write_areas()) | _all_department_areas()
    if user.role in (Role.CITY, Role.ENTERPRISE):
        return set()  # 市级用户 write nothing; enterprises only submit their own (SUBMIT_OWN)
    if user.park_id != park.pk:
        return set()
    cache = getattr(user, "_write_area_cache", None)
    if cache is None:
        cache = set()
        for modules_ in (
            _departments(user).filter(park_id=park.pk).values_list("modules", flat=True)
        ):
            cache.update(modules_ or [])
        user._write_area_cache = cache
    return set(cache)


def _all_department_areas() -> set[str]:
    areas: set[str] = set()
    for modules_ in Department.objects.values_list("modules", flat=True):
        areas.update(modules_ or [])
    return areas


def can_write(user: Any, area: str, park: Park | None) -> bool:
    """May the user write the module data of `area` (e.g. "economy") in this park?"""
    return area in write_areas_for(user, park)


def writers_label(area: str, park: Park | None = None) -> str:
    """Who may write an area, for messages: the park's departments holding it, else the
    module's label."""
    names: list[str] = []
    if park is not None:
        for name, modules_ in Department.objects.filter(park=park).values_list("name", "modules"):
            if area in (modules_ or []):
                names.append(name)
    if names:
        return "、".join(names)
    spec = next((m for m in _modules_with_area(area)), None)
    label = (spec.write_label or spec.label) if spec else area
    return f"负责“{label}”的部门"


def _modules_with_area(area: str) -> list[Any]:
    from yuanqu.core.modules import modules

    return [m for m in modules() if m.write_area == area]


def require_write(user: Any, area: str, park: Park | None, action: str = "修改此数据") -> None:
    """Raise Denied (403) unless the user may write `area` in the park; the message names
    who may."""
    if can_write(user, area, park):
        return
    if getattr(user, "role", None) == Role.CITY:
        raise Denied(f"市级用户只能查看，不能{action}；请联系{writers_label(area, park)}")
    raise Denied(f"无权{action}：只有{writers_label(area, park)}（或系统管理员）可以{action}")


def can_submit_own(user: Any, enterprise: Enterprise | None) -> bool:
    """An enterprise user submits its own monthly figures and requests (merge only; never
    deletes or replaces reviewed or locked rows)."""
    return bool(
        enterprise is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.ENTERPRISE
        and user.enterprise_id == enterprise.pk
    )


def is_submit_only(user: Any) -> bool:
    """Users whose uploads land 已提交 and merge into their own rows."""
    return getattr(user, "role", None) == Role.ENTERPRISE


def reviewer_area(kind: str) -> str | None:
    from yuanqu.core.modules import data_kinds

    dk = data_kinds().get(kind)
    return dk.reviewed_by if dk else None


def can_review(user: Any, park: Park | None, kind: str = "enterprise-reports") -> bool:
    """审核: a user of the kind's reviewing department with the reviewer flag, or an
    administrator."""
    if park is None or not getattr(user, "is_authenticated", False):
        return False
    if is_global(user):
        return True
    area = reviewer_area(kind)
    return bool(area and user.can_review and can_write(user, area, park))


def can_lock(user: Any, park: Park | None, kind: str = "enterprise-reports") -> bool:
    """锁定 / 解锁: a user of the kind's reviewing department with the lock flag, or an
    administrator."""
    if park is None or not getattr(user, "is_authenticated", False):
        return False
    if is_global(user):
        return True
    area = reviewer_area(kind)
    return bool(area and user.can_lock and can_write(user, area, park))


def reviewers_label(park: Park | None, kind: str = "enterprise-reports") -> str:
    area = reviewer_area(kind)
    return writers_label(area, park) if area else "系统管理员"


def can_manage_users(user: Any, park: Park | None) -> bool:
    """园区管理员 manages its park's users and departments; 系统管理员 every park's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_global(user):
        return True
    return bool(park is not None and user.role == Role.PARK_ADMIN and user.park_id == park.pk)


def can_view_audit(user: Any, park: Park | None = None) -> bool:
    """The audit log: administrators everywhere; park leaders and park administrators for
    their park."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_global(user):
        return True
    if user.role not in (Role.PARK_LEADER, Role.PARK_ADMIN):
        return False
    return park is None or user.park_id == park.pk


def known_area(area: str) -> bool:
    return module(area) is not None or area in write_areas()


# -- rules: the same answers through Django's has_perm ---------------------------------------
def write_perm(area: str) -> str:
    """The has_perm name of an area's write, e.g. "economy.write"."""
    return f"{area}.write"


def _writer(area: str) -> Callable[[Any, Park | None], bool]:
    def predicate(user: Any, park: Park | None) -> bool:
        return can_write(user, area, park)

    predicate.__name__ = f"write_{area}"
    return predicate


def register_rules() -> None:
    """Register every permission with rules (called from AccountsConfig.ready, after every
    app's module declaration can be read)."""
    from rules.permissions import set_perm
    from rules.predicates import predicate

    fixed: dict[str, Callable[[Any, Any], bool]] = {
        READ_PARK: can_read_park,
        SEE_PARK: can_see_park,
        READ_ENTERPRISE: can_read_enterprise,
        SUBMIT_OWN: can_submit_own,
        MANAGE_USERS: can_manage_users,
        VIEW_AUDIT: can_view_audit,
        REVIEW: lambda user, park: can_review(user, park),
        LOCK: lambda user, park: can_lock(user, park),
    }
    fixed.update({write_perm(area): _writer(area) for area in write_areas()})
    for name, check in fixed.items():
        set_perm(name, predicate(check))  # type: ignore[no-untyped-call]
