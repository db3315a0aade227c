"""Users in the admin. A 园区管理员 (Role.PARK_ADMIN, is_staff) manages its own park's users:
it sees only them, gives only roles of its park (never 系统管理员, 市级用户 or superuser),
only its park's departments and enterprises; administrators manage everyone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from yuanqu.accounts import policy
from yuanqu.accounts.models import AuthUser, Role, User
from yuanqu.accounts.scopes import is_global

# Roles a 园区管理员 may give: those bound to one park (its own).
PARK_ROLES = policy.PARK_ROLES

SCOPE_FIELDS = (
    "display_name",
    "role",
    "region",
    "park",
    "departments",
    "enterprise",
    "can_review",
    "can_lock",
)


if TYPE_CHECKING:
    # The stubs make ModelAdmin generic in its model; at run time it is not subscriptable.
    _UserAdminBase = BaseUserAdmin[User]
else:
    _UserAdminBase = BaseUserAdmin


def _park_id(user: AuthUser) -> int | None:
    """The editor's park (the admin's pages are asked only by logged-in staff)."""
    return user.park_id if user.is_authenticated else None


@admin.register(User)
class UserAdmin(_UserAdminBase):
    list_display = ["username", "display_name", "role", "park", "region", "enterprise"]
    list_filter = ["role", "park"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("角色与数据范围", {"fields": SCOPE_FIELDS}))
    park_admin_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "last_name", "email")}),
        ("状态", {"fields": ("is_active", "last_login", "date_joined")}),
        (
            "角色与数据范围",
            {
                "fields": (
                    "display_name",
                    "role",
                    "departments",
                    "enterprise",
                    "can_review",
                    "can_lock",
                )
            },
        ),
    )

    # -- who may ------------------------------------------------------------------------
    def _may(self, request: HttpRequest, obj: User | None = None) -> bool:
        user = request.user
        if is_global(user):
            return True
        if obj is not None and not self._manageable(user, obj):
            return False
        return policy.can_manage_users(user, getattr(user, "park", None))

    @staticmethod
    def _manageable(editor: AuthUser, obj: User) -> bool:
        return (
            obj.park_id is not None
            and obj.park_id == _park_id(editor)
            and not obj.is_superuser
            and obj.role in PARK_ROLES
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # A 园区管理员 deactivates (is_active) rather than deletes: the audit log keeps who.
        return is_global(request.user) or (
            obj is not None and obj.pk != request.user.pk and self._may(request, obj)
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        qs = super().get_queryset(request).select_related("park", "region", "enterprise")
        user = request.user
        if is_global(user):
            return qs
        return qs.filter(park_id=_park_id(user) or -1, is_superuser=False, role__in=PARK_ROLES)

    # -- what it may set ---------------------------------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        if is_global(request.user):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"fields": ("username", "password1", "password2")}),)
        return self.park_admin_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        if is_global(request.user):
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def get_list_filter(self, request: HttpRequest) -> Any:
        return self.list_filter if is_global(request.user) else ["role"]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not is_global(request.user):
            kwargs["choices"] = [(r.value, r.label) for r in PARK_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        user = request.user
        if db_field.name == "enterprise" and not is_global(user):
            from yuanqu.registry.models import Enterprise

            kwargs["queryset"] = Enterprise.objects.filter(park_id=_park_id(user) or -1)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        user = request.user
        if db_field.name == "departments" and not is_global(user):
            from yuanqu.registry.models import Department

            kwargs["queryset"] = Department.objects.filter(park_id=_park_id(user) or -1)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        editor = request.user
        if not is_global(editor):
            # Whatever the form carried: a park's user of this park, never above a park role.
            obj.park_id = _park_id(editor)
            obj.region = None
            obj.is_superuser = False
            if not obj.role or obj.role not in PARK_ROLES:
                obj.role = Role.DEPARTMENT
            obj.is_staff = obj.role == Role.PARK_ADMIN
            if not self._manageable(editor, obj):
                raise PermissionDenied("园区管理员只能管理本园区的用户")
        super().save_model(request, obj, form, change)
