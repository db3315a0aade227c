from django.urls import path

from yuanqu.economy import views

app_name = "economy"

urlpatterns = [
    path("", views.index, name="index"),
    path("ranking/", views.ranking, name="ranking"),
    path("mujun/", views.mujun, name="mujun"),
    path("export.xlsx", views.export, name="export"),
]
