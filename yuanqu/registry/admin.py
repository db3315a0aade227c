"""The registry in the admin. Departments are managed by a park's 园区管理员 (its own park's
only, through `policy.can_manage_users`); every other registry model by administrators only.
Writes of enterprises and of a department's modules go through `registry.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from yuanqu.accounts import policy
from yuanqu.accounts.scopes import is_global
from yuanqu.core.modules import write_areas
from yuanqu.registry import services
from yuanqu.registry.models import (
    Department,
    Enterprise,
    EnterpriseScale,
    IndustryCluster,
    Park,
    Region,
)


class AdministratorsOnly:
    """系统管理员 only: a 园区管理员 (is_staff) must not see the catalogue or the enterprises."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_global(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_global(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_global(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_global(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_global(request.user)


@admin.register(Region)
class RegionAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["code", "name", "level", "division_code", "parent"]
    search_fields = ["code", "name"]


@admin.register(Park)
class ParkAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["code", "name", "level", "park_type", "province", "region"]
    list_filter = ["level", "park_type", "province"]
    search_fields = ["code", "name"]


@admin.register(IndustryCluster)
class IndustryClusterAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["name", "park"]
    list_filter = ["park"]


class DepartmentForm(forms.ModelForm):
    """`modules` as checkboxes: the write areas the installed modules declare, plus any the
    department already holds (a module uninstalled keeps its stored grant visible)."""

    modules = forms.MultipleChoiceField(
        label="负责的业务模块（写权限）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Department
        fields = ["park", "code", "name", "parent", "modules"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = dict(write_areas())
        for stored in self.instance.modules or []:
            choices.setdefault(stored, stored)
        self.fields["modules"].choices = list(choices.items())


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentForm
    list_display = ["code", "name", "park", "parent", "modules_text"]
    list_filter = ["park"]

    @admin.display(description="负责的业务模块")
    def modules_text(self, obj: Department) -> str:
        labels = write_areas()
        return "、".join(labels.get(m, m) for m in obj.modules or []) or "—"

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request).select_related("park", "parent")
        user = request.user
        return qs if is_global(user) else qs.filter(park_id=user.park_id or -1)

    def _may(self, request: HttpRequest, obj: Department | None) -> bool:
        user = request.user
        park = obj.park if obj is not None else getattr(user, "park", None)
        return policy.can_manage_users(user, park)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        user = request.user
        if not is_global(user):
            if db_field.name == "park":
                kwargs["queryset"] = Park.objects.filter(pk=user.park_id or -1)
            elif db_field.name == "parent":
                kwargs["queryset"] = Department.objects.filter(park_id=user.park_id or -1)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Department, form: Any, change: bool) -> None:
        wanted = form.cleaned_data.get("modules") or []
        if change:
            obj.modules = list(Department.objects.get(pk=obj.pk).modules or [])
        else:
            obj.modules = []
        obj.save()
        services.department_set_modules(department=obj, modules=wanted, user=request.user)


class EnterpriseScaleInline(admin.TabularInline):
    model = EnterpriseScale
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["credit_code", "name", "park", "cluster", "land_area_mu", "status"]
    list_filter = ["park", "status"]
    search_fields = ["credit_code", "name"]
    inlines = [EnterpriseScaleInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The 统一社会信用代码 is the key imports and reports join on: set once.
        return ["credit_code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Enterprise, form: Any, change: bool) -> None:
        values = {k: form.cleaned_data[k] for k in form.changed_data if k != "credit_code"}
        if change:
            current = Enterprise.objects.get(pk=obj.pk)
            services.enterprise_update(enterprise=current, user=request.user, **values)
            obj.refresh_from_db()
        else:
            fields = {
                k: form.cleaned_data.get(k)
                for k in (*services.ENTERPRISE_FIELDS, "status")
                if k in form.cleaned_data
            }
            made = services.enterprise_create(
                credit_code=form.cleaned_data["credit_code"], user=request.user, **fields
            )
            obj.pk, obj._state = made.pk, made._state
