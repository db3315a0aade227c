"""Users, their role and the one object their data scope is bound to."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    PARK_ADMIN = "park_admin", "园区管理员"
    PARK_LEADER = "park_leader", "园区领导"
    DEPARTMENT = "department", "部门用户"
    ENTERPRISE = "enterprise", "企业用户"
    CITY = "city", "市级用户"


class User(AbstractUser):
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.DEPARTMENT)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name="所属地区（市级用户）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    park = models.ForeignKey(
        "registry.Park",
        verbose_name="所属园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # A user may belong to several departments: its writes are the union of theirs
    # (accounts.policy), never reads beyond its park.
    departments = models.ManyToManyField(
        "registry.Department", verbose_name="所属部门", blank=True, related_name="users"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField("姓名", max_length=64, blank=True)
    can_review = models.BooleanField("可审核数据", default=False)
    can_lock = models.BooleanField("可锁定数据", default=False)

    # Set on the instance by accounts.policy.write_areas_for: the areas of its departments,
    # read once per request (not a field).
    _write_area_cache: set[str]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label


# Who asks: `request.user` is a User once logged in, else Django's AnonymousUser. The scope and
# policy functions take either and narrow with `is_authenticated` before reading a User field.
AuthUser: TypeAlias = User | AnonymousUser
