from django.urls import path

from yuanqu.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("board/", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/entry/", views.entry, name="entry"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
