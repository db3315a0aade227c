from django.contrib import admin

from yuanqu.registry.models import (
    Department,
    Enterprise,
    EnterpriseScale,
    IndustryCluster,
    Park,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "division_code", "parent"]
    search_fields = ["code", "name"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "park_type", "province", "region"]
    list_filter = ["level", "park_type", "province"]
    search_fields = ["code", "name"]


@admin.register(IndustryCluster)
class IndustryClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "park"]
    list_filter = ["park"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "park", "parent"]
    list_filter = ["park"]


class EnterpriseScaleInline(admin.TabularInline):
    model = EnterpriseScale
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "park", "cluster", "land_area_mu", "status"]
    list_filter = ["park", "status"]
    search_fields = ["credit_code", "name"]
    inlines = [EnterpriseScaleInline]
