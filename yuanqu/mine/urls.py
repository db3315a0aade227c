from django.urls import path

from yuanqu.mine import views

app_name = "mine"

urlpatterns = [
    path("", views.index, name="index"),
]
