from django.urls import path

from yuanqu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("job/", views.job, name="job"),
    path("draft/", views.draft, name="draft"),
    path("draft/block/", views.draft_block, name="draft_block"),
    path("draft/save/", views.draft_save, name="draft_save"),
    path("versions/<int:pk>/final/", views.version_final, name="version_final"),
    path("versions/compare/", views.version_compare, name="version_compare"),
    path("templates/", views.upload_template, name="upload_template"),
    path("templates/sample/", views.sample_template, name="sample_template"),
    path("templates/<int:pk>/delete/", views.delete_template, name="delete_template"),
]
