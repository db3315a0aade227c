from django.urls import path

from yuanqu.land import views

app_name = "land"

urlpatterns = [
    path("", views.index, name="index"),
    path("idle/", views.idle, name="idle"),
    path("parcels/<int:parcel_id>/", views.parcel, name="parcel"),
]
