from django.urls import path

from yuanqu.service_requests import views

app_name = "service_requests"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("record/", views.record, name="record"),
    path("benefits/", views.benefits, name="benefits"),
    path("requests/<int:pk>/", views.detail, name="detail"),
    path("requests/<int:pk>/act/", views.act, name="act"),
    path("requests/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("mine/", views.mine, name="mine"),
    path("mine/<str:credit_code>/", views.own, name="own"),
]
