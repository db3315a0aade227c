from django.urls import path

from yuanqu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("templates/", views.upload_template, name="upload_template"),
]
