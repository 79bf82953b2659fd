"""Routes of the JSON API, version 1."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import auth

router = DefaultRouter()

app_name = "api"
urlpatterns = [
    path("auth/token/", auth.TokenLoginView.as_view(), name="auth-token"),
    path("", include(router.urls)),
]
