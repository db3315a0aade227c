from django.contrib import admin
from django.urls import include, path

from yuanqu.api.api import api

admin.site.site_header = "园区经济运行与项目管理平台 · 管理后台"
admin.site.site_title = "yuanqu 管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("yuanqu.accounts.urls")),
    path("imports/", include("yuanqu.imports.urls")),
    path("economy/", include("yuanqu.economy.urls")),
    path("reports/", include("yuanqu.reports.urls")),
    path("audit/", include("yuanqu.audit.urls")),
    path("", include("yuanqu.dashboard.urls")),
]
