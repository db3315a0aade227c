from django.contrib.auth import views as auth_views
from django.urls import path

from yuanqu.accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # API 令牌 (accounts.tokens): own tokens; administrators also those of users they manage.
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/new/", views.token_create_view, name="api_token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
