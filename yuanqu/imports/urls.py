from django.urls import path

from yuanqu.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("review/", views.review, name="review"),
    path("review/action/", views.review_action, name="review_action"),
    path("reminders/read/", views.reminders_read, name="reminders_read"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/errors.xlsx", views.error_report, name="error_report"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
    path("export/<str:kind>.xlsx", views.export, name="export"),
]
