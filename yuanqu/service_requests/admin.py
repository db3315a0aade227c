"""The configuration tables administrators edit: categories with their time limits, and the
holiday corrections of the working-day calendar. Requests and benefits are written through the
pages and imports (services), not here."""

from django.contrib import admin

from yuanqu.registry.admin import AdministratorsOnly
from yuanqu.service_requests.models import Holiday, RequestCategory


@admin.register(RequestCategory)
class RequestCategoryAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("name", "code", "limit_days", "day_kind", "sort_order")
    ordering = ("sort_order", "code")


@admin.register(Holiday)
class HolidayAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ("date", "is_workday", "name")
    ordering = ("-date",)
