"""Signing in and out, and the home address that sends each role to its start page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from config.roles import Role, has_role, user_roles

from . import public

START_PAGES = (
    (Role.RESIDENT, "web:resident-home"),
    (Role.LIAISON, "web:liaison-search"),
    (Role.BUREAU, "web:bureau-postings"),
    (Role.DEPUTY, "web:dashboard"),
)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires)."""


@require_GET
def home(request):
    """Anonymous visitors get the station's public page; a user with one role goes straight to its start page;
    an admin gets a page of every section."""
    user = request.user
    if not user.is_authenticated:
        return public.home(request)
    if not user.is_superuser:
        for role, page in START_PAGES:
            if role in user_roles(user) and (role != Role.RESIDENT or hasattr(user, "resident")):
                return redirect(page)
    return render(request, "web/home.html", {
        "roles": sorted(user_roles(user)),
        "is_staff_role": has_role(user, Role.LIAISON, Role.BUREAU, Role.DEPUTY),
    })
