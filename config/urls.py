from django.contrib import admin
from django.urls import include, path

from yuanqu.api.api import installed_api
from yuanqu.core.modules import url_mounts

admin.site.site_header = "园区经济运行与项目管理平台 · 管理后台"
admin.site.site_title = "yuanqu 管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The one API, with every installed module's Router (ModuleSpec.api_router).
    path("api/v1/", installed_api().urls),
    path("accounts/", include("yuanqu.accounts.urls")),
    # Every installed module's pages, under the prefix it declares (ModuleSpec.urls).
    *(path(prefix, include(urlconf)) for prefix, urlconf in url_mounts()),
]

# Chinese error pages inside the site layout (yuanqu/templates/403.html, 404.html, 500.html).
handler403 = "yuanqu.dashboard.errors.permission_denied"
handler404 = "yuanqu.dashboard.errors.page_not_found"
handler500 = "yuanqu.dashboard.errors.server_error"
