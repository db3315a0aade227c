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
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import redirect

from yuanqu.accounts.models import AuthUser, Role, User
from yuanqu.accounts.scopes import ScopeDenied, is_global, parks_for
from yuanqu.core.modules import ModuleSpec, module, write_areas
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
def can_see_park(user: AuthUser | None, park: Park | None) -> bool:
    """The park's name and the user's own rows in it (enterprise users: their own park)."""
    if park is None or user is None or not user.is_authenticated:
        return False
    return bool(parks_for(user).filter(pk=park.pk).exists())


def can_read_park(user: AuthUser | None, park: Park | None) -> bool:
    """Park-wide figures (totals, parts, rankings, exports of all rows): never enterprise
    users, whatever the park."""
    if getattr(user, "role", None) == Role.ENTERPRISE:
        return False
    return can_see_park(user, park)


def reads_park_wide(user: AuthUser | None) -> bool:
    """Whether the user may read park-wide figures at all (in some park)."""
    return bool(user is not None and user.is_authenticated and user.role != Role.ENTERPRISE)


def can_read_enterprise(user: AuthUser | None, enterprise: Enterprise | None) -> bool:
    if enterprise is None or user is None or not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if user.role == Role.ENTERPRISE:
        return bool(user.enterprise_id == enterprise.pk)
    return can_see_park(user, enterprise.park)


def park_readable(user: AuthUser, code: str) -> Park:
    """The park with this code if the user may read its park-wide figures; else ScopeDenied
    (404: an object outside the scope is not confirmed to exist)."""
    park = parks_for(user).filter(code=code).first() if code else None
    if park is None or not can_read_park(user, park):
        raise ScopeDenied(f"园区“{code}”不存在或无权访问")
    return park


# -- writes -------------------------------------------------------------------------------
def _departments(user: User) -> QuerySet[Department]:
    departments: QuerySet[Department] = user.departments.all()
    return departments


def write_areas_for(user: AuthUser | None, park: Park | None) -> set[str]:
    """The write areas the user holds in this park (all of them for administrators)."""
    if park is None or user is None or not user.is_authenticated or not user.is_active:
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


def can_write(user: AuthUser | None, area: str, park: Park | None) -> bool:
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


def _modules_with_area(area: str) -> list[ModuleSpec]:
    from yuanqu.core.modules import modules

    return [m for m in modules() if m.write_area == area]


def require_write(
    user: AuthUser | None, area: str, park: Park | None, action: str = "修改此数据"
) -> None:
    """Raise Denied (403) unless the user may write `area` in the park; the message names
    who may."""
    if can_write(user, area, park):
        return
    if getattr(user, "role", None) == Role.CITY:
        raise Denied(f"市级用户只能查看，不能{action}；请联系{writers_label(area, park)}")
    raise Denied(f"无权{action}：只有{writers_label(area, park)}（或系统管理员）可以{action}")


def can_edit_report(user: AuthUser | None, park: Park | None) -> bool:
    """A report draft's text — narrative blocks, saved versions, 定稿 — is written by the
    department holding the reports area (党政办) and by the park's leaders (DECISIONS.md:
    "templates and narrative: 党政办 and leaders; others read")."""
    if can_write(user, "reports", park):
        return True
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and park is not None
        and user.role == Role.PARK_LEADER
        and user.park_id == park.pk
    )


def can_submit_own(user: AuthUser | None, enterprise: Enterprise | None) -> bool:
    """An enterprise user submits its own monthly figures and requests (merge only; never
    deletes or replaces reviewed or locked rows)."""
    return bool(
        enterprise is not None
        and user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.ENTERPRISE
        and user.enterprise_id == enterprise.pk
    )


def is_submit_only(user: AuthUser | None) -> bool:
    """Users whose uploads land 已提交 and merge into their own rows."""
    return getattr(user, "role", None) == Role.ENTERPRISE


def reviewer_area(kind: str) -> str | None:
    from yuanqu.core.modules import data_kinds

    dk = data_kinds().get(kind)
    return dk.reviewed_by if dk else None


def _reviewing(user: AuthUser | None, park: Park | None, kind: str, flag: str) -> bool:
    """A user of the kind's reviewing department holding `flag` (can_review / can_lock), or an
    administrator."""
    if park is None or user is None or not user.is_authenticated:
        return False
    if is_global(user):
        return True
    area = reviewer_area(kind)
    return bool(area and getattr(user, flag) and can_write(user, area, park))


def can_review(user: AuthUser | None, park: Park | None, kind: str = "enterprise-reports") -> bool:
    """审核 / 退回 / 催报: the reviewing department's users with the reviewer flag."""
    return _reviewing(user, park, kind, "can_review")


def can_lock(user: AuthUser | None, park: Park | None, kind: str = "enterprise-reports") -> bool:
    """锁定 / 解锁: the reviewing department's users with the lock flag."""
    return _reviewing(user, park, kind, "can_lock")


def reviewers_label(park: Park | None, kind: str = "enterprise-reports") -> str:
    area = reviewer_area(kind)
    return writers_label(area, park) if area else "系统管理员"


def can_manage_users(user: AuthUser | None, park: Park | None) -> bool:
    """园区管理员 manages its park's users and departments; 系统管理员 every park's."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_global(user):
        return True
    return bool(park is not None and user.role == Role.PARK_ADMIN and user.park_id == park.pk)


# Roles a 园区管理员 manages (and may give): those bound to one park, its own.
PARK_ROLES = (Role.PARK_ADMIN, Role.PARK_LEADER, Role.DEPARTMENT, Role.ENTERPRISE)


def can_manage_user(actor: AuthUser | None, target: User) -> bool:
    """May `actor` act on `target`'s account (its API tokens): itself; administrators every
    user; a 园区管理员 the users of its park it manages in the admin (park roles, never a
    superuser). Anyone else's account is out of scope (404 on pages)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.pk == target.pk or is_global(actor):
        return True
    return bool(
        can_manage_users(actor, actor.park)
        and target.park_id is not None
        and target.park_id == actor.park_id
        and not target.is_superuser
        and target.role in PARK_ROLES
    )


def can_view_audit(user: AuthUser | None, park: Park | None = None) -> bool:
    """The audit log: administrators everywhere; park leaders and park administrators for
    their park."""
    if user is None or not user.is_authenticated or not user.is_active:
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


def _writer(area: str) -> Callable[[AuthUser | None, Park | None], bool]:
    def predicate(user: AuthUser | None, park: Park | None) -> bool:
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


# -- route declarations ----------------------------------------------------------------------
# Every Django view and every API operation declares, beside its route, what it asks of the
# policy: `@route_policy(read=..., write=...)`. The permission matrix test (tests/matrix/) walks
# the URL resolver and the API's routes and fails for any route without a declaration, then
# checks each declaration against the functions above for every role. The decorator enforces
# what can be enforced without knowing the view's objects (log-in, administrators only, no
# park-wide route for enterprise users); object scoping and writes stay in the view, which
# asks `park_readable` / `require_write` / `can_review` with the objects it resolved.

# What a route reads.
READ_KINDS = (
    "public",  # anyone, logged in or not (the login page)
    "authenticated",  # any logged-in, active user; what it shows is scoped inside
    "park",  # a park the user may see (enterprise users: their own park, their own rows)
    "park_wide",  # a park's park-wide figures: never enterprise users
    "enterprise_own",  # an enterprise's own rows: that enterprise's users and its park's staff
    # an object of a park (an import record): park-wide readers of the park, and an
    # enterprise user for the objects of its own enterprise (its own uploads)
    "park_wide_or_own",
    "audit",  # the audit log: administrators, and park leaders / park administrators
    "admin",  # administrators only
)
# What a route writes, besides a write area (a module key such as "economy" or "reports").
WRITE_KINDS = (
    "import",  # an upload: the import kind's write area in the park, or an enterprise's own
    "review",
    "lock",
    "manage_users",
    "submit_own",
    "admin",
    "session",  # the user's own session only (choosing the current park)
    # the user's own account (its API tokens); administrators and 园区管理员 also the accounts
    # they manage (can_manage_user, checked inside with the account the route acts on)
    "own_account",
    # a report draft's text (narrative blocks, versions, 定稿): can_edit_report
    "report_text",
)


@dataclass(frozen=True)
class RoutePolicy:
    """What a route asks of the policy; `describe()` is what the docs and the matrix print."""

    read: str
    write: str | None = None
    kind: str = ""  # the data kind a review / lock route acts on

    def describe(self) -> str:
        return f"read={self.read}" + (f" write={self.write}" if self.write else "")


POLICY_ATTR = "yuanqu_policy"


def route_policy(
    *, read: str, write: str | None = None, kind: str = "", enterprise_to: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare (and, where it can, enforce) a route's access policy.

    Put it closest to the function — under `@router.get(...)` for the API (functools.wraps
    keeps ninja's signature introspection working) and above any `@require_POST`. Django views
    then need no `@login_required`: anonymous users are sent to the login page. Denials the
    decorator can decide alone: inactive users, non-administrators on `admin` routes, and
    enterprise users on `park_wide` routes (404: park figures are not confirmed to exist; a
    page naming `enterprise_to`, a URL name, sends them to their own pages there instead).
    """
    if read not in READ_KINDS:
        raise ValueError(f"unknown read kind {read!r}; one of {READ_KINDS}")
    if write is not None and write not in WRITE_KINDS and not known_area(write):
        raise ValueError(f"unknown write {write!r}: a write area or one of {WRITE_KINDS}")
    declared = RoutePolicy(read=read, write=write, kind=kind)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        if read == "public":
            setattr(view, POLICY_ATTR, declared)
            return view

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                # Only Django views get here anonymous: the API's auth answers 401 first.
                return redirect_to_login(request.get_full_path())
            if read == "admin" and not is_global(user):
                raise PermissionDenied("只有系统管理员可以访问此页面")
            if read == "park_wide" and not reads_park_wide(user):
                if enterprise_to:
                    # A park page an enterprise user followed: its own pages instead.
                    return redirect(enterprise_to)
                raise Http404("企业用户不能查看园区汇总数据")
            return view(request, *args, **kwargs)

        setattr(wrapper, POLICY_ATTR, declared)
        return wrapper

    return decorate


def declared_policy(view: object) -> RoutePolicy | None:
    """The policy declared on a view (a function, a class-based view's `as_view()` result, or
    a function wrapped by other decorators), or None."""
    seen = 0
    while view is not None and seen < 10:
        found = getattr(view, POLICY_ATTR, None)
        if isinstance(found, RoutePolicy):
            return found
        view_class = getattr(view, "view_class", None)
        class_policy = getattr(view_class, POLICY_ATTR, None)
        if view_class is not None and isinstance(class_policy, RoutePolicy):
            return class_policy
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None


def policy_allows(
    declared: RoutePolicy,
    user: AuthUser | None,
    *,
    park: Park | None = None,
    enterprise: Enterprise | None = None,
) -> bool:
    """Evaluate a declaration for a user on a park (and an enterprise, for enterprise-level
    routes) with the policy functions above: what the matrix test compares with its table."""
    authenticated = bool(user is not None and user.is_authenticated and user.is_active)
    read = declared.read
    if read == "public":
        readable = True
    elif read == "authenticated":
        readable = authenticated
    elif read == "park":
        readable = can_see_park(user, park)
    elif read == "park_wide":
        readable = can_read_park(user, park)
    elif read == "enterprise_own":
        readable = can_read_enterprise(user, enterprise)
    elif read == "park_wide_or_own":
        readable = can_read_park(user, park) or can_submit_own(user, enterprise)
    elif read == "audit":
        readable = can_view_audit(user, park)
    elif read == "admin":
        readable = authenticated and is_global(user)
    else:  # pragma: no cover - route_policy refuses unknown kinds
        readable = False
    if not readable:
        return False
    write = declared.write
    if write is None or write in ("session", "own_account"):
        return True
    kind = declared.kind or "enterprise-reports"
    if write == "import":
        if is_submit_only(user):
            # an enterprise uploads its own figures, into its own park only
            own = enterprise if enterprise is not None else getattr(user, "enterprise", None)
            return (
                can_submit_own(user, own)
                and own is not None
                and park is not None
                and own.park_id == park.pk
            )
        return bool(write_areas_for(user, park))
    if write == "review":
        return can_review(user, park, kind)
    if write == "lock":
        return can_lock(user, park, kind)
    if write == "manage_users":
        return can_manage_users(user, park)
    if write == "submit_own":
        return can_submit_own(user, enterprise)
    if write == "report_text":
        return can_edit_report(user, park)
    if write == "admin":
        return is_global(user)
    return can_write(user, write, park)
