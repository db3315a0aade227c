from django.urls import path

from yuanqu.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
]
