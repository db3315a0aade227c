from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from yuanqu.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "park", "region", "enterprise"]
    list_filter = ["role", "park"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "角色与数据范围",
            {
                "fields": (
                    "display_name",
                    "role",
                    "region",
                    "park",
                    "departments",
                    "enterprise",
                    "can_review",
                    "can_lock",
                )
            },
        ),
    )
