from django.urls import path

from tests.plugin_module import views

app_name = "carbon"

urlpatterns = [path("", views.index, name="index")]
