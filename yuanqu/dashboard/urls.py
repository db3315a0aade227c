from django.urls import path

from yuanqu.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("city/", views.city, name="city"),
    path("screen/", views.screen, name="screen"),
    path("screen/city/", views.screen_city, name="screen_city"),
    path("park/switch/", views.switch_park, name="switch_park"),
    path("park/<str:code>/", views.park_detail, name="park_detail"),
]
