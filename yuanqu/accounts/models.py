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


class ApiToken(models.Model):
    """A key for scripts and integrations (the city's platform) to call the API as its owner.

    The token a client sends is `yq_<prefix>_<secret>`: the prefix (8 letters and digits) finds
    the row and is shown to tell tokens apart; the secret (`secrets.token_urlsafe(32)`, 256
    random bits) is never stored, only its SHA-256. A fast hash is right here, unlike for
    passwords: a random 256-bit secret cannot be guessed from its hash, and checking it costs
    microseconds instead of PBKDF2's ~0.4 s on every call. Services: accounts.tokens.
    """

    owner = models.ForeignKey(
        User, verbose_name="所属用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=8, unique=True)
    secret_hash = models.CharField("密钥摘要（SHA-256）", max_length=64)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    last_used_ip = models.GenericIPAddressField("最近使用地址", null=True, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.display_prefix}）"

    @property
    def display_prefix(self) -> str:
        """What identifies the token on pages and in the CLI: its first characters."""
        return f"yq_{self.prefix}…"
