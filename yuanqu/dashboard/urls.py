from django.urls import path

from yuanqu.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("park/switch/", views.switch_park, name="switch_park"),
    path("park/<str:code>/", views.park_detail, name="park_detail"),
]
