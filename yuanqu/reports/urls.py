from django.urls import path

from yuanqu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("job/", views.job, name="job"),
    path("templates/", views.upload_template, name="upload_template"),
    path("templates/sample/", views.sample_template, name="sample_template"),
    path("templates/<int:pk>/delete/", views.delete_template, name="delete_template"),
]
