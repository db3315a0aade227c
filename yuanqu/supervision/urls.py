from django.urls import path

from yuanqu.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.create, name="create"),
    path("tasks/<int:pk>/", views.detail, name="detail"),
    path("tasks/<int:pk>/act/", views.act, name="act"),
    path("notifications/", views.notifications, name="notifications"),
]
